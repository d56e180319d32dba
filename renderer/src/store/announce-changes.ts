// What the ARIA live region says when the queue changes. Only arrivals are announced: the person
// caused the departures, and chatter about them would drown the requests that matter.
import type { ApprovalItem, Snapshot } from '../../../shared/ui-contract.js';
import { describeTarget } from '../describe-grant.js';
import { revealInvisible } from '../reveal-invisible.js';

export function announceChanges(previous: Snapshot | null, next: Snapshot): string | undefined {
  if (!previous) {
    const n = next.pending.length;
    return n === 0 ? undefined : `${n} pending approval${n === 1 ? '' : 's'}`;
  }
  const known = new Set(previous.pending.map((p) => p.id));
  const added = next.pending.filter((p) => !known.has(p.id));
  if (added.length === 0) return undefined;
  if (added.length === 1) return `New request: ${summary(added[0]!)}`;
  return `${added.length} new requests`;
}

function summary(item: ApprovalItem): string {
  const target = describeTarget(item.targets);
  return revealInvisible(target ? `${item.toolName}, ${target}` : item.toolName);
}
