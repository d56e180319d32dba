// What the tray and notifications say about the pending queue. Pure, so it is unit-tested.
import type { ApprovalItem, Snapshot } from '../../shared/ui-contract.js';

export function trayTooltip(pendingCount: number): string {
  if (pendingCount === 0) return 'Cowork Companion — nothing waiting';
  return `Cowork Companion — ${pendingCount} ${pendingCount === 1 ? 'action' : 'actions'} waiting for you`;
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

export function notificationFor(item: ApprovalItem): { title: string; body: string } {
  const t = item.targets;
  const what = t.command ?? t.paths[0] ?? t.url ?? t.query ?? t.pattern ?? (t.mcp ? `${t.mcp.server} / ${t.mcp.tool}` : '');
  return {
    title: 'An agent is waiting for your approval',
    body: plainNotificationText(what ? `${item.toolName}: ${what}` : item.toolName),
  };
}
