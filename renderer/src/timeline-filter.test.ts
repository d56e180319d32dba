import { describe, expect, it } from 'vitest';
import { EMPTY_FORM, localDateTime, timelineFilter } from './timeline-filter.js';

const NOW = Date.UTC(2026, 11, 2, 18, 0);

describe('timelineFilter', () => {
  it('counts presets back from the companion’s clock', () => {
    expect(timelineFilter({ ...EMPTY_FORM, range: 'hour' }, NOW)).toEqual({ ok: true, filter: { since: NOW - 3_600_000 } });
    expect(timelineFilter({ ...EMPTY_FORM, range: 'week' }, NOW)).toEqual({ ok: true, filter: { since: NOW - 7 * 86_400_000 } });
    expect(timelineFilter({ ...EMPTY_FORM, range: 'all' }, NOW)).toEqual({ ok: true, filter: {} });
  });
  it('trims the text fields and leaves blanks out', () => {
    const r = timelineFilter({ ...EMPTY_FORM, range: 'all', sessionId: '  abc ', toolName: ' ', text: ' ssh key ', folder: '/w', decision: 'deny', decidedBy: 'rule' }, NOW);
    expect(r).toEqual({ ok: true, filter: { sessionId: 'abc', text: 'ssh key', folder: '/w', decision: 'deny', decidedBy: 'rule' } });
  });
  it('a custom range is local time, in order, and may be open at either end', () => {
    const from = '2026-12-01T09:30';
    const r = timelineFilter({ ...EMPTY_FORM, range: 'custom', from, to: '2026-12-01T10:00' }, NOW);
    expect(r).toEqual({ ok: true, filter: { since: new Date(from).getTime(), until: new Date(from).getTime() + 30 * 60_000 } });
    expect(timelineFilter({ ...EMPTY_FORM, range: 'custom', from }, NOW)).toEqual({ ok: true, filter: { since: new Date(from).getTime() } });
    expect(timelineFilter({ ...EMPTY_FORM, range: 'custom', from: '2026-12-01T10:00', to: from }, NOW)).toEqual({ ok: false, problem: 'range-order' });
    expect(timelineFilter({ ...EMPTY_FORM, range: 'custom', from: 'yesterday' }, NOW)).toEqual({ ok: false, problem: 'range-invalid' });
  });
  it('reads only full local date-times', () => {
    expect(localDateTime('2026-12-01')).toBeUndefined();
    expect(localDateTime('2026-12-01T09:30:15')).toBe(new Date('2026-12-01T09:30:15').getTime());
  });
});
