// Which buttons a native "waiting for approval" notification offers, and what a press means. Pure, so
// it is unit-tested; pending-notifier.ts is the Electron glue.
//
// A notification is a small, untrusted-looking surface, so it only offers "Approve once" when it shows
// the whole action exactly as the agent sent it (nothing cut, nothing made visible). Otherwise the
// person gets "Review" (opens the window) and the always-safe "Deny". Rules ("always allow") are never
// created from a notification. A press within the grace period after the notification appeared is
// treated as "Review": a click meant for something else must not decide.
import type { ApprovalItem } from '../../shared/ui-contract.js';
import { actionSummary, notificationFor, plainNotificationText } from './tray-state.js';

/** Buttons render on macOS (signed, alert style) and Windows; elsewhere a click opens the window. */
export const ACTION_PLATFORMS: ReadonlySet<NodeJS.Platform> = new Set(['darwin', 'win32']);

export const NOTIFICATION_GRACE_MS = 700;

export type NotificationChoice = 'approve' | 'deny' | 'hold' | 'review';

export interface NotificationPlan {
  title: string;
  body: string;
  /** Button labels, in order; the index of a pressed button maps to `choices`. */
  actions: { type: 'button'; text: string }[];
  choices: NotificationChoice[];
}

const LABELS: Record<NotificationChoice, string> = { approve: 'Approve once', deny: 'Deny', hold: 'Hold', review: 'Review…' };

/** True when the notification body is the whole action, unaltered. */
export function showsWholeAction(item: ApprovalItem): boolean {
  const t = item.targets;
  const extraTargets = t.paths.length > 1 || (t.command !== undefined && t.paths.length > 0);
  const raw = actionSummary(item);
  return !extraTargets && plainNotificationText(raw) === raw;
}

export function notificationPlan(item: ApprovalItem, platform: NodeJS.Platform): NotificationPlan {
  const { title, body } = notificationFor(item);
  if (!ACTION_PLATFORMS.has(platform)) return { title, body, actions: [], choices: [] };
  const choices: NotificationChoice[] = showsWholeAction(item) ? ['approve', 'deny', 'hold'] : ['review', 'deny'];
  return { title, body, actions: choices.map((c) => ({ type: 'button', text: LABELS[c] })), choices };
}

/** What a press of button `index` means, `elapsedMs` after the notification was shown. */
export function choiceFor(plan: NotificationPlan, index: number, elapsedMs: number): NotificationChoice {
  const choice = plan.choices[index];
  if (choice === undefined || elapsedMs < NOTIFICATION_GRACE_MS) return 'review';
  return choice;
}
