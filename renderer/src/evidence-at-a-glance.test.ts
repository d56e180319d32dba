import { describe, expect, it } from 'vitest';
import { evidenceAttention, evidenceChip } from './evidence-at-a-glance.js';
import { states, status } from './testing/evidence-fixtures.js';

describe('at a glance: header chip and tab badge', () => {
  it('puts the most serious condition first', () => {
    expect(evidenceChip(states.notTried)).toMatchObject({ text: 'Evidence: nothing sent yet', tone: 'info' });
    expect(evidenceChip(states.notTriedQueued)).toMatchObject({ text: 'Evidence: 3 waiting', tone: 'info' });
    expect(evidenceChip(states.delivered)).toMatchObject({ text: 'Evidence: delivered', tone: 'ok' });
    expect(evidenceChip(states.sending)).toMatchObject({ text: 'Evidence: 40 waiting', tone: 'info' });
    expect(evidenceChip(states.retryAfter)).toMatchObject({ text: 'Evidence: 5 waiting', tone: 'info' });
    expect(evidenceChip(states.unreachable)).toMatchObject({ text: 'Evidence: collector unreachable', tone: 'warn' });
    expect(evidenceChip(states.rejected)).toMatchObject({ text: 'Evidence: 2 rejected', tone: 'warn' });
    expect(evidenceChip(states.nearLimit)).toMatchObject({ text: 'Evidence: journal nearly full', tone: 'warn' });
    expect(evidenceChip(states.lost)).toMatchObject({ text: 'Evidence: 3 lost', tone: 'danger' });
  });

  it('badges the tab only when a person should look', () => {
    expect(evidenceAttention(states.notTried)).toBeUndefined();
    expect(evidenceAttention(states.notTriedQueued)).toBeUndefined();
    expect(evidenceAttention(states.delivered)).toBeUndefined();
    expect(evidenceAttention(states.sending)).toBeUndefined();
    expect(evidenceAttention(states.retryAfter)).toBeUndefined();
    expect(evidenceAttention(status({ collectorReachable: false, queued: 0 }))).toBeUndefined();
    expect(evidenceAttention(states.unreachable)).toBe('warn');
    expect(evidenceAttention(states.rejected)).toBe('warn');
    expect(evidenceAttention(states.nearLimit)).toBe('warn');
    expect(evidenceAttention(states.lost)).toBe('danger');
  });
});
