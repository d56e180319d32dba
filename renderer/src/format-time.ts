// Short, calm relative times for cards ("12 s ago", "4 min 05 s left"), in the chosen language.
import { EN, type I18n } from './i18n/translator.js';

/** A duration in the largest two units: "12 s", "4 min 05 s", "3 h 07 min", "2 d 2 h"; a whole number
 *  of hours or days without the zero ("24 h" is "1 d", not "1 d 0 h"). */
export function formatDuration(ms: number, i18n: I18n = EN): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return i18n.t('time.s', { s });
  const m = Math.floor(s / 60);
  if (m < 60) return i18n.t('time.minS', { m, s: String(s % 60).padStart(2, '0') });
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 === 0 ? i18n.t('time.h', { h }) : i18n.t('time.hMin', { h, m: String(m % 60).padStart(2, '0') });
  return h % 24 === 0 ? i18n.t('time.d', { d: h / 24 }) : i18n.t('time.dH', { d: Math.floor(h / 24), h: h % 24 });
}

/** Age of something that happened at `thenMs`, seen at `nowMs`. */
export function formatAge(thenMs: number, nowMs: number, i18n: I18n = EN): string {
  const ms = nowMs - thenMs;
  return ms < 1000 ? i18n.t('time.justNow') : i18n.t('time.ago', { time: formatDuration(ms, i18n) });
}

/** Time before the agent stops waiting and what happens then; undefined once it has passed. */
export function formatTimeLeft(deadlineMs: number, nowMs: number, i18n: I18n = EN, onTimeout: 'deny' | 'hold' = 'deny'): string | undefined {
  const ms = deadlineMs - nowMs;
  return ms <= 0 ? undefined : i18n.t(onTimeout === 'hold' ? 'card.leftThenHeld' : 'card.leftThenDenied', { time: formatDuration(ms, i18n) });
}

/** When something scheduled at `atMs` happens, e.g. "in 25 s"; "now" once it is due. */
export function formatIn(atMs: number, nowMs: number, i18n: I18n = EN): string {
  const ms = atMs - nowMs;
  return ms < 1000 ? i18n.t('time.now') : i18n.t('time.in', { time: formatDuration(ms, i18n) });
}

/** An ISO time as a full local date and time ("2 Dec 2026, 09:00:00"); `fallback` when it does not parse. */
export function formatDateTime(iso: string, i18n: I18n = EN, fallback = iso): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? i18n.dateTime(ms, { dateStyle: 'medium', timeStyle: 'medium' }) : fallback;
}

/** Local wall clock for a timestamp, e.g. "14:03:22". */
export function formatClock(ms: number, i18n: I18n = EN): string {
  return i18n.dateTime(ms, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** "14:03" today, "2 Dec, 09:00" another day. */
export function formatWallTime(ms: number, nowMs: number, i18n: I18n = EN): string {
  const sameDay = new Date(nowMs).toDateString() === new Date(ms).toDateString();
  return sameDay
    ? i18n.dateTime(ms, { hour: '2-digit', minute: '2-digit' })
    : i18n.dateTime(ms, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

/** "until 14:03" today, "until 2 Dec, 09:00" later; for shared-folder expiry. */
export function formatUntil(ms: number, nowMs: number, i18n: I18n = EN): string {
  return i18n.t('time.until', { time: formatWallTime(ms, nowMs, i18n) });
}
