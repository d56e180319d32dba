// A native notification when new actions start waiting, unless the person is already looking. Where
// the OS renders buttons, a notification for one action can approve once, deny or hold it (see
// notification-actions-policy.ts for when); every decision goes through the core's UI contract, bound
// to the id and content hash of what the notification showed.
import { Notification } from 'electron';
import type { ApprovalItem, Snapshot } from '../../shared/ui-contract.js';
import { choiceFor, notificationPlan, type NotificationChoice } from './notification-actions-policy.js';
import { alertNotificationFor, integrityNotificationFor, newlyPending, newlySeenAlerts, newlySeenIntegrityAlerts } from './tray-state.js';

const MAX_SEPARATE = 3;

export interface PendingNotifierOptions {
  onClick(): void;
  isWindowFocused(): boolean;
  /** Approve once, deny or hold; rejects when the request is no longer pending or changed. */
  decide(choice: Exclude<NotificationChoice, 'review'>, item: ApprovalItem): Promise<void>;
  log(message: string): void;
  platform?: NodeJS.Platform;
}

export function createPendingNotifier(options: PendingNotifierOptions): (snapshot: Snapshot) => void {
  const platform = options.platform ?? process.platform;
  let seen = new Set<string>();
  let seenAlerts: Set<string> | undefined;
  let seenIntegrity: Set<string> | undefined;
  // Electron drops handlers of notifications that get garbage-collected: hold them until closed.
  const live = new Set<Notification>();

  const post = (title: string, body: string, extra: Partial<Electron.NotificationConstructorOptions> = {}): Notification => {
    const note = new Notification({ title, body, silent: false, ...extra });
    live.add(note);
    note.on('click', () => options.onClick());
    note.on('close', () => live.delete(note));
    note.show();
    return note;
  };

  const postFor = (item: ApprovalItem): void => {
    const plan = notificationPlan(item, platform);
    const shownAt = Date.now();
    const note = post(plan.title, plan.body, plan.actions.length > 0 ? { actions: plan.actions, closeButtonText: 'Later' } : {});
    note.on('action', (event) => {
      const choice = choiceFor(plan, event.actionIndex, Date.now() - shownAt);
      if (choice === 'review') return options.onClick();
      options.decide(choice, item).catch((error: unknown) => {
        // Decided elsewhere, timed out or changed: say so and show the inbox rather than guess.
        options.log(`notification ${choice} not applied: ${error instanceof Error ? error.message : String(error)}`);
        post('Not applied', 'That request is no longer waiting as shown. Review it in Cowork Companion.');
        options.onClick();
      });
    });
  };

  return (snapshot) => {
    // Changes outside the scope are told even while the window is focused: they are not on screen.
    const alerts = newlySeenAlerts(seenAlerts, snapshot);
    seenAlerts = alerts.seen;
    if (alerts.fresh.length > 0 && Notification.isSupported()) {
      const { title, body } = alertNotificationFor(alerts.fresh);
      post(title, body, { urgency: alerts.fresh.some((a) => a.severity === 'high') ? 'critical' : 'normal' });
    }
    // Another program changed the companion's own files: told at once, focused or not.
    const integrity = newlySeenIntegrityAlerts(seenIntegrity, snapshot);
    seenIntegrity = integrity.seen;
    if (integrity.fresh.length > 0 && Notification.isSupported()) {
      const { title, body } = integrityNotificationFor(integrity.fresh);
      post(title, body, { urgency: 'critical' });
    }
    const next = newlyPending(seen, snapshot);
    seen = next.seen;
    if (next.fresh.length === 0 || options.isWindowFocused() || !Notification.isSupported()) return;
    if (next.fresh.length > MAX_SEPARATE) {
      post('Agents are waiting for your approval', `${next.fresh.length} new actions are waiting in Cowork Companion.`);
      return;
    }
    for (const item of next.fresh) postFor(item);
  };
}
