// Pending requests grouped by the agent run (session) that sent them. Runs keep the place they first
// had and requests keep theirs inside their run: a new request goes to the end of its own run, a new
// run to the end of the list, so nothing already on screen moves up under the pointer. Pure.
import type { ApprovalItem, Snapshot } from '../../shared/ui-contract.js';

export type PausedRun = Snapshot['pausedRuns'][number];

export interface RunGroup {
  sessionId: string;
  /** In display order. */
  items: ApprovalItem[];
  /** Working folder of the run's first request (undefined for a paused run with nothing pending). */
  cwd: string | undefined;
  /** Arrival of the oldest pending request (ms). */
  oldestMs: number | undefined;
  /** Pending read-only requests (for "approve all reads"). */
  reads: ApprovalItem[];
  paused: PausedRun | undefined;
}

/** Session ids in the order their first request is shown, then paused runs with nothing pending. */
export function runIds(order: readonly string[], pending: readonly ApprovalItem[], pausedRuns: readonly PausedRun[]): string[] {
  const byId = new Map(pending.map((p) => [p.id, p]));
  const ids: string[] = [];
  const seen = new Set<string>();
  const add = (sessionId: string) => {
    if (seen.has(sessionId)) return;
    seen.add(sessionId);
    ids.push(sessionId);
  };
  for (const id of order) {
    const item = byId.get(id);
    if (item) add(item.sessionId);
  }
  for (const p of pending) add(p.sessionId);
  for (const run of pausedRuns) add(run.sessionId);
  return ids;
}

/** Groups in `runOrder`; items inside each group in `order`. Runs with nothing to show are left out. */
export function groupByRun(
  runOrder: readonly string[],
  order: readonly string[],
  pending: readonly ApprovalItem[],
  pausedRuns: readonly PausedRun[] = [],
): RunGroup[] {
  const byId = new Map(pending.map((p) => [p.id, p]));
  const rank = new Map(order.map((id, i) => [id, i]));
  const sorted = [...pending].sort((a, b) => (rank.get(a.id) ?? Infinity) - (rank.get(b.id) ?? Infinity));
  const paused = new Map(pausedRuns.map((r) => [r.sessionId, r]));
  const itemsOf = new Map<string, ApprovalItem[]>();
  for (const item of sorted) {
    if (!byId.has(item.id)) continue;
    const list = itemsOf.get(item.sessionId) ?? [];
    list.push(item);
    itemsOf.set(item.sessionId, list);
  }
  // Runs the order does not know yet still show (at the end), so no request is ever hidden.
  const sessions = [...runOrder, ...runIds(order, pending, pausedRuns).filter((s) => !runOrder.includes(s))];
  const groups: RunGroup[] = [];
  for (const sessionId of sessions) {
    const items = itemsOf.get(sessionId) ?? [];
    const pausedRun = paused.get(sessionId);
    if (items.length === 0 && !pausedRun) continue;
    const times = items.map((i) => Date.parse(i.receivedAt)).filter(Number.isFinite);
    groups.push({
      sessionId,
      items,
      cwd: items[0]?.cwd,
      oldestMs: times.length ? Math.min(...times) : undefined,
      reads: items.filter((i) => i.isRead),
      paused: pausedRun,
    });
  }
  return groups;
}

/** Ids as shown on screen, run by run (for next/previous and for focus after a card leaves). */
export function displayIds(groups: readonly RunGroup[]): string[] {
  return groups.flatMap((g) => g.items.map((i) => i.id));
}

/** Bulk answers for a run's reads appear from two reads on (one read is answered on its card). */
export const BULK_READS_MIN = 2;
