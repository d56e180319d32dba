// Pending requests grouped by the agent run (session) that sent them. Runs keep the place they first
// had and requests keep theirs inside their run: a new request goes to the end of its own run, a new
// run to the end of the list, so nothing already on screen moves up under the pointer. Pure.
import type { ApprovalItem, Snapshot } from '../../shared/ui-contract.js';
import { jsonEqual } from './json-equal.js';

export type PausedRun = Snapshot['pausedRuns'][number];
export type RunEscalation = Snapshot['escalations'][number];

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
  /** Escalations in force for the run (a rule notified, held or stopped it). */
  escalations: RunEscalation[];
}

/** Session ids in the order their first request is shown, then paused or escalated runs with nothing pending. */
export function runIds(order: readonly string[], pending: readonly ApprovalItem[], pausedRuns: readonly PausedRun[], escalations: readonly RunEscalation[] = []): string[] {
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
  for (const e of escalations) add(e.sessionId);
  return ids;
}

/** Groups in `runOrder`; items inside each group in `order`. Runs with nothing to show are left out.
 *  Linear (no sort): it runs for every snapshot, which may list a thousand requests. */
export function groupByRun(
  runOrder: readonly string[],
  order: readonly string[],
  pending: readonly ApprovalItem[],
  pausedRuns: readonly PausedRun[] = [],
  escalations: readonly RunEscalation[] = [],
): RunGroup[] {
  // Items in `order`, then those it does not know yet, in the order received.
  const rank = new Map(order.map((id, i) => [id, i]));
  const ranked: (ApprovalItem | undefined)[] = new Array(order.length);
  const unranked: ApprovalItem[] = [];
  for (const item of pending) {
    const at = rank.get(item.id);
    if (at === undefined) unranked.push(item);
    else ranked[at] = item;
  }
  // Insertion order of this map is each run's first appearance, as runIds() orders them.
  const itemsOf = new Map<string, ApprovalItem[]>();
  const place = (item: ApprovalItem | undefined) => {
    if (!item) return;
    const list = itemsOf.get(item.sessionId);
    if (list) list.push(item);
    else itemsOf.set(item.sessionId, [item]);
  };
  ranked.forEach(place);
  unranked.forEach(place);
  const paused = new Map(pausedRuns.map((r) => [r.sessionId, r]));
  const escalated = new Map<string, RunEscalation[]>();
  for (const e of escalations) escalated.set(e.sessionId, [...(escalated.get(e.sessionId) ?? []), e]);
  // Runs the order does not know yet still show (at the end), so no request is ever hidden.
  const sessions = [...runOrder];
  const known = new Set(runOrder);
  for (const sessionId of [...itemsOf.keys(), ...paused.keys(), ...escalated.keys()]) {
    if (known.has(sessionId)) continue;
    known.add(sessionId);
    sessions.push(sessionId);
  }
  const groups: RunGroup[] = [];
  for (const sessionId of sessions) {
    const items = itemsOf.get(sessionId) ?? [];
    const pausedRun = paused.get(sessionId);
    const runEscalations = escalated.get(sessionId) ?? [];
    if (items.length === 0 && !pausedRun && runEscalations.length === 0) continue;
    let oldest = Infinity;
    for (const item of items) {
      const ms = Date.parse(item.receivedAt);
      if (ms < oldest) oldest = ms;
    }
    groups.push({
      sessionId,
      items,
      cwd: items[0]?.cwd,
      oldestMs: Number.isFinite(oldest) ? oldest : undefined,
      reads: items.filter((i) => i.isRead),
      paused: pausedRun,
      escalations: runEscalations,
    });
  }
  return groups;
}

/** `next` with each group that shows the same (the same item objects, the same pause) replaced by
 *  the previous one, so an unchanged run is not drawn again; `previous` when no group changed. */
export function reuseGroups(previous: RunGroup[], next: readonly RunGroup[]): RunGroup[] {
  const bySession = new Map(previous.map((g) => [g.sessionId, g]));
  let same = previous.length === next.length;
  const result = next.map((group, i) => {
    const old = bySession.get(group.sessionId);
    // cwd, oldestMs and reads follow from the items, so equal items mean an equal group.
    const kept = old && sameItems(old.items, group.items) && jsonEqual(old.paused, group.paused) && jsonEqual(old.escalations, group.escalations) ? old : group;
    if (kept !== previous[i]) same = false;
    return kept;
  });
  return same ? previous : result;
}

function sameItems(a: readonly ApprovalItem[], b: readonly ApprovalItem[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/** Ids as shown on screen, run by run (for next/previous and for focus after a card leaves). */
export function displayIds(groups: readonly RunGroup[]): string[] {
  return groups.flatMap((g) => g.items.map((i) => i.id));
}

/** Bulk answers for a run's reads appear from two reads on (one read is answered on its card). */
export const BULK_READS_MIN = 2;
