// Short, calm relative times for cards ("12 s ago", "4 min 05 s left").

function parts(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** Age of something that happened at `thenMs`, seen at `nowMs`. */
export function formatAge(thenMs: number, nowMs: number): string {
  const ms = nowMs - thenMs;
  return ms < 1000 ? 'just now' : `${parts(ms)} ago`;
}

/** Time before the agent stops waiting; undefined once it has passed. */
export function formatTimeLeft(deadlineMs: number, nowMs: number): string | undefined {
  const ms = deadlineMs - nowMs;
  return ms <= 0 ? undefined : `${parts(ms)} left`;
}

/** When something scheduled at `atMs` happens, e.g. "in 25 s"; "now" once it is due. */
export function formatIn(atMs: number, nowMs: number): string {
  const ms = atMs - nowMs;
  return ms < 1000 ? 'now' : `in ${parts(ms)}`;
}

/** Local wall clock for a timestamp, e.g. "14:03:22". */
export function formatClock(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** "until 14:03" today, "until 2 Dec, 09:00" later; for shared-folder expiry. */
export function formatUntil(ms: number, nowMs: number): string {
  const when = new Date(ms);
  const sameDay = new Date(nowMs).toDateString() === when.toDateString();
  const text = sameDay
    ? when.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : when.toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  return `until ${text}`;
}
