// What `--expires` (and the UI's expiry) accepts: durations, dates and date-times; anything else is
// refused naming the accepted forms, and so is a time in the past.
import { describe, expect, it } from 'vitest';
import { parseShareExpiry } from '../../electron/core/scope/share-expiry-policy.js';

const now = new Date(2026, 5, 15, 12, 0).getTime(); // 15 June 2026, 12:00 local time
const at = (text: string) => {
  const r = parseShareExpiry(text, now);
  return r.ok ? r.at : r.error;
};

describe('parseShareExpiry', () => {
  it('reads durations from now', () => {
    expect(at('30m')).toBe(now + 30 * 60_000);
    expect(at('2h')).toBe(now + 2 * 3_600_000);
    expect(at('1d')).toBe(now + 86_400_000);
    expect(at('1w')).toBe(now + 7 * 86_400_000);
    expect(at(' 3 days ')).toBe(now + 3 * 86_400_000);
  });

  it('reads dates (local midnight) and date-times (local unless an offset is given)', () => {
    expect(at('2026-12-31')).toBe(new Date(2026, 11, 31).getTime());
    expect(at('2026-12-31T18:00')).toBe(new Date(2026, 11, 31, 18, 0).getTime());
    expect(at('2026-12-31T18:00:30')).toBe(new Date(2026, 11, 31, 18, 0, 30).getTime());
    expect(at('2026-12-31T18:00:00.000Z')).toBe(Date.UTC(2026, 11, 31, 18));
    expect(at('2026-12-31T18:00+09:00')).toBe(Date.UTC(2026, 11, 31, 9));
  });

  it('refuses anything else, naming the accepted forms', () => {
    for (const text of ['tomorrow', '5', '2026', '2h30', '31/12/2026', '2026-02-31', '2026-13-01', '2026-12-31T25:00', '1 fortnight', '', '-2h', '0m']) {
      const r = parseShareExpiry(text, now);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.error).toContain('a duration (30m, 2h, 1d, 1w) or a date (2026-12-31, 2026-12-31T18:00)');
    }
  });

  it('refuses a time in the past', () => {
    for (const text of ['2026-06-15', '2026-06-15T11:59', '2020-01-01']) {
      const r = parseShareExpiry(text, now);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/in the past/);
    }
  });
});
