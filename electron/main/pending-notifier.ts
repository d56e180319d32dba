// A native notification when new actions start waiting, unless the person is already looking.
import { Notification } from 'electron';
import type { Snapshot } from '../../shared/ui-contract.js';
import { newlyPending, notificationFor } from './tray-state.js';

const MAX_SEPARATE = 3;

export function createPendingNotifier(options: { onClick(): void; isWindowFocused(): boolean }): (snapshot: Snapshot) => void {
  let seen = new Set<string>();
  // Electron drops click handlers of notifications that get garbage-collected: hold them until closed.
  const live = new Set<Notification>();

  const post = (title: string, body: string): void => {
    const note = new Notification({ title, body, silent: false });
    live.add(note);
    note.on('click', () => options.onClick());
    note.on('close', () => live.delete(note));
    note.show();
  };

  return (snapshot) => {
    const next = newlyPending(seen, snapshot);
    seen = next.seen;
    if (next.fresh.length === 0 || options.isWindowFocused() || !Notification.isSupported()) return;
    if (next.fresh.length > MAX_SEPARATE) {
      post('Agents are waiting for your approval', `${next.fresh.length} new actions are waiting in Cowork Companion.`);
      return;
    }
    for (const item of next.fresh) {
      const { title, body } = notificationFor(item);
      post(title, body);
    }
  };
}
