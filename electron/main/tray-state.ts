// What the tray and notifications say about the pending queue and the evidence. Pure, so it is unit-tested.
import type { OutOfScopeAlert } from '../../shared/run-watch-contract.js';
import type { ApprovalItem, EvidenceStatus, IntegrityAlert, Snapshot } from '../../shared/ui-contract.js';

/** Windows cuts tray tooltips at 127 characters; macOS and Linux show about as much on one line. */
export const TOOLTIP_MAX = 127;

/**
 * The evidence part of the tooltip, most serious first: "3 lost, 12 queued, collector unreachable".
 * Undefined before the first delivery attempt with nothing waiting (nothing worth saying yet).
 */
export function evidenceTrayText(e: EvidenceStatus): string | undefined {
  const parts: string[] = [];
  if (e.lost > 0) parts.push(`${e.lost} lost`);
  if (e.rejected > 0) parts.push(`${e.rejected} rejected`);
  if (e.queued > 0) parts.push(`${e.queued} queued`);
  if (e.collectorReachable === false) parts.push('collector unreachable');
  else if (e.collectorReachable && e.queued > 0 && e.nextAttemptAt) parts.push('retrying');
  const full = e.journalBytes / e.journalLimitBytes;
  if (full >= 0.8) parts.push(`journal ${Math.min(100, Math.floor(full * 100))}% full`);
  if (parts.length > 0) return parts.join(', ');
  return e.collectorReachable ? 'delivered' : undefined;
}

/** `heldCount`: of those, how many are on hold (their agents were already told so, not kept waiting). */
export function trayTooltip(pendingCount: number, evidence?: EvidenceStatus, heldCount = 0): string {
  const held = heldCount > 0 ? ` (${heldCount} on hold)` : '';
  const queue = pendingCount === 0 ? 'nothing waiting' : `${pendingCount} ${pendingCount === 1 ? 'action' : 'actions'} waiting for you${held}`;
  const proof = evidence && evidenceTrayText(evidence);
  const text = `Cowork Companion — ${queue}${proof ? ` · evidence: ${proof}` : ''}`;
  const chars = Array.from(text);
  return chars.length > TOOLTIP_MAX ? `${chars.slice(0, TOOLTIP_MAX - 1).join('')}…` : text;
}

/** macOS shows this next to the menu-bar icon; empty hides it. */
export function trayTitle(pendingCount: number): string {
  return pendingCount === 0 ? '' : String(pendingCount);
}

/** Items in `snapshot` not seen before, and the ids to remember next time (only those still pending). */
export function newlyPending(seen: ReadonlySet<string>, snapshot: Snapshot): { fresh: ApprovalItem[]; seen: Set<string> } {
  return {
    fresh: snapshot.pending.filter((item) => !seen.has(item.id)),
    seen: new Set(snapshot.pending.map((item) => item.id)),
  };
}

const MAX_BODY = 140;

/**
 * Agent-supplied text is untrusted: control and bidi characters become visible placeholders (they
 * could reorder or hide what the person reads) and markup characters are dropped, since some Linux
 * notification servers render a subset of HTML.
 */
export function plainNotificationText(text: string, max = MAX_BODY): string {
  const cleaned = text
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '\u2423')
    .replace(/[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g, '\ufffd')
    .replace(/[<>&]/g, '');
  const chars = Array.from(cleaned);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : cleaned;
}

/** The one thing an item does, as the agent sent it ("Bash: rm -rf build"): untrusted, not yet cleaned. */
export function actionSummary(item: ApprovalItem): string {
  const t = item.targets;
  const what = t.command ?? t.paths[0] ?? t.url ?? t.query ?? t.pattern ?? (t.mcp ? `${t.mcp.server} / ${t.mcp.tool}` : '');
  return what ? `${item.toolName}: ${what}` : item.toolName;
}

export function notificationFor(item: ApprovalItem): { title: string; body: string } {
  return { title: 'An agent is waiting for your approval', body: plainNotificationText(actionSummary(item)) };
}

export const TRAY_MENU_MAX_ITEMS = 8;

/** The tray menu's list of waiting actions (oldest first), as plain, bounded labels; the rest is counted. */
export function trayMenuEntries(pending: readonly ApprovalItem[], max = TRAY_MENU_MAX_ITEMS): { entries: { id: string; label: string }[]; more: number } {
  const entries = pending.slice(0, max).map((item) => {
    const held = item.held ? ' (on hold)' : '';
    return { id: item.id, label: `${plainNotificationText(notificationFor(item).body, 60)}${held} · run ${item.sessionId.slice(0, 8)}` };
  });
  return { entries, more: Math.max(0, pending.length - max) };
}

/** Entries of `list` not seen before, by id (the first snapshot only primes `seen`: old news). */
function newlySeen<T>(seen: ReadonlySet<string> | undefined, list: readonly T[], id: (entry: T) => string): { fresh: T[]; seen: Set<string> } {
  return { fresh: seen ? list.filter((entry) => !seen.has(id(entry))) : [], seen: new Set(list.map(id)) };
}

/** Out-of-scope alerts in `snapshot` not seen before. */
export function newlySeenAlerts(seen: ReadonlySet<string> | undefined, snapshot: Snapshot): { fresh: OutOfScopeAlert[]; seen: Set<string> } {
  return newlySeen(seen, snapshot.alerts, (a) => a.eventId);
}

/** Changes to the companion's own files not seen before. */
export function newlySeenIntegrityAlerts(seen: ReadonlySet<string> | undefined, snapshot: Snapshot): { fresh: IntegrityAlert[]; seen: Set<string> } {
  return newlySeen(seen, snapshot.integrity.alerts, (a) => a.id);
}

/** Another program changed the companion's own files: the newest finding, plain and bounded. */
export function integrityNotificationFor(alerts: readonly IntegrityAlert[]): { title: string; body: string } {
  const [newest] = alerts;
  const more = alerts.length > 1 ? ` (${alerts.length} changes)` : '';
  return { title: "Cowork Companion's own files were changed by another program", body: plainNotificationText(newest ? `${newest.file}: ${newest.reason}.${more}` : '') };
}

/** A change outside the scope, as plain bounded text; protected locations say so in the title. */
export function alertNotificationFor(alerts: readonly OutOfScopeAlert[]): { title: string; body: string } {
  const high = alerts.some((a) => a.severity === 'high');
  const first = alerts[0];
  const body = alerts.length === 1 && first ? `${first.change}: ${first.path}` : `${alerts.length} files changed outside the shared folders.`;
  return { title: high ? 'A protected file changed during an agent run' : 'A file changed outside the shared folders', body: plainNotificationText(body) };
}
