// What the ARIA live region says when the queue changes, and what a notification says when the tab
// is hidden. Only arrivals are announced: the person caused the departures, and chatter about them
// would drown the requests that matter.
import type { ApprovalItem, Snapshot } from '../../../shared/ui-contract.js';
import { describeTarget } from '../describe-grant.js';
import { EN, type I18n } from '../i18n/translator.js';
import { revealInvisible } from '../reveal-invisible.js';

/** Requests in `next` that `previous` did not have (none for the first snapshot). */
export function arrivals(previous: Snapshot | null, next: Snapshot): ApprovalItem[] {
  if (!previous) return [];
  const known = new Set(previous.pending.map((p) => p.id));
  return next.pending.filter((p) => !known.has(p.id));
}

export function announceChanges(previous: Snapshot | null, next: Snapshot, i18n: I18n = EN): string | undefined {
  if (!previous) {
    const n = next.pending.length;
    return n === 0 ? undefined : i18n.plural('announce.pending', n);
  }
  const added = arrivals(previous, next);
  if (added.length === 0) return undefined;
  if (added.length === 1) return i18n.t('announce.new', { summary: summary(added[0]!) });
  return i18n.t('announce.newMany', { count: added.length });
}

/** A system notification for new requests (shown only while the tab is hidden). */
export function arrivalNotification(added: readonly ApprovalItem[], i18n: I18n = EN): { title: string; body: string } | undefined {
  if (added.length === 0) return undefined;
  const lines = added.slice(0, 3).map((item) => clip(summary(item), 140));
  if (added.length > 3) lines.push('…');
  return { title: i18n.plural('notify.title', added.length), body: lines.join('\n') };
}

/** "Write, /p/src/a.ts": tool and main target, hidden characters made visible. */
export function summary(item: ApprovalItem): string {
  const target = describeTarget(item.targets);
  return revealInvisible(target ? `${item.toolName}, ${target}` : item.toolName);
}

/** Shortened at the end, with a visible ellipsis (never in the middle). */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
