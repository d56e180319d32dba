// When a shared folder stops being shared, from what a person types: a duration from now (`30m`,
// `2h`, `1d`, `1w`, read by the `ms` package) or a date (`2026-12-31`, `2026-12-31T18:00`, local
// time unless it carries `Z` or an offset). Pure: `now` is given.
import ms from 'ms';

export const EXPIRY_FORMS = 'a duration (30m, 2h, 1d, 1w) or a date (2026-12-31, 2026-12-31T18:00)';

export type ShareExpiry = { ok: true; at: number } | { ok: false; error: string };

// A number alone would be milliseconds to `ms`: a unit is required.
const DURATION = /^\d+(?:\.\d+)?\s*[a-z]+$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

function parse(text: string, now: number): number | undefined {
  if (DURATION.test(text)) {
    const span = ms(text as ms.StringValue) as number | undefined;
    return span !== undefined && Number.isFinite(span) && span > 0 ? now + span : undefined;
  }
  const day = DATE.exec(text);
  if (day) {
    // Midnight at the start of that day, local time (as `date -d 2026-12-31` reads it); a day that
    // does not exist (2026-02-31) is refused rather than rolled over.
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const at = new Date(y, m - 1, d);
    return at.getFullYear() === y && at.getMonth() === m - 1 && at.getDate() === d ? at.getTime() : undefined;
  }
  if (DATE_TIME.test(text)) {
    const at = Date.parse(text);
    return Number.isNaN(at) ? undefined : at;
  }
  return undefined;
}

export function parseShareExpiry(input: string, now: number): ShareExpiry {
  const text = input.trim();
  const at = parse(text, now);
  if (at === undefined) return { ok: false, error: `"${input}" is not an expiry: use ${EXPIRY_FORMS}.` };
  if (at <= now) return { ok: false, error: `"${input}" is in the past (${new Date(at).toISOString()}); the expiry must be a time in the future.` };
  return { ok: true, at };
}
