// The Timeline's filter bar as a filter for the core: a time preset or a custom range (the inputs
// give local date-times), and the text fields trimmed, blanks left out. Pure.
import { DECISION_SOURCES } from '../../shared/telemetry-events.js';
import { TIMELINE_DECISIONS, type TimelineFilterView } from '../../shared/ui-contract.js';

export const TIME_RANGES = ['hour', 'day', 'week', 'all', 'custom'] as const;
export type TimeRange = (typeof TIME_RANGES)[number];

const SPAN_MS: Record<Exclude<TimeRange, 'all' | 'custom'>, number> = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 };

export interface TimelineForm {
  range: TimeRange;
  /** `<input type="datetime-local">` values (local time), for the custom range. */
  from: string;
  to: string;
  sessionId: string;
  toolName: string;
  decision: '' | (typeof TIMELINE_DECISIONS)[number];
  decidedBy: '' | (typeof DECISION_SOURCES)[number];
  folder: string;
  text: string;
}

export const EMPTY_FORM: TimelineForm = { range: 'day', from: '', to: '', sessionId: '', toolName: '', decision: '', decidedBy: '', folder: '', text: '' };

export type FilterResult = { ok: true; filter: TimelineFilterView } | { ok: false; problem: 'range-order' | 'range-invalid' };

/** A local `YYYY-MM-DDTHH:MM` as epoch ms (the browser's time zone), or undefined. */
export function localDateTime(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return undefined;
  const t = new Date(value).getTime();
  return Number.isFinite(t) && t >= 0 ? t : undefined;
}

/** `now` is the companion's clock (the window's may be off): presets count back from it. */
export function timelineFilter(form: TimelineForm, now: number): FilterResult {
  const f: TimelineFilterView = {};
  if (form.range === 'custom') {
    const since = form.from ? localDateTime(form.from) : undefined;
    const until = form.to ? localDateTime(form.to) : undefined;
    if ((form.from && since === undefined) || (form.to && until === undefined)) return { ok: false, problem: 'range-invalid' };
    if (since !== undefined && until !== undefined && since >= until) return { ok: false, problem: 'range-order' };
    if (since !== undefined) f.since = since;
    if (until !== undefined) f.until = until;
  } else if (form.range !== 'all') {
    f.since = Math.max(0, Math.floor(now - SPAN_MS[form.range]));
  }
  const text = (v: string): string | undefined => (v.trim() === '' ? undefined : v.trim());
  const sessionId = text(form.sessionId);
  const toolName = text(form.toolName);
  const folder = text(form.folder);
  const words = text(form.text);
  if (sessionId) f.sessionId = sessionId;
  if (toolName) f.toolName = toolName;
  if (form.decision) f.decision = form.decision;
  if (form.decidedBy) f.decidedBy = form.decidedBy;
  if (folder) f.folder = folder;
  if (words) f.text = words;
  return { ok: true, filter: f };
}
