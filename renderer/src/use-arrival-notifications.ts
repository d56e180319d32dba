// Headless mode reaches the person through the browser: a system notification for new requests
// while the tab is hidden (only once the person switched it on; see notify-toggle.tsx).
import { useEffect } from 'react';
import { i18nFor } from './i18n/translator.js';
import { arrivalNotification, arrivals } from './store/announce-changes.js';
import { useCompanionStore } from './store/companion-store.js';

export function useArrivalNotifications(enabled: boolean): void {
  useEffect(() => {
    if (!enabled || typeof Notification === 'undefined') return;
    return useCompanionStore.subscribe((state, previous) => {
      const next = state.snapshot;
      if (!next || next === previous.snapshot) return;
      if (document.visibilityState !== 'hidden' || Notification.permission !== 'granted') return;
      const message = arrivalNotification(arrivals(previous.snapshot, next), i18nFor(next.settings.language));
      if (!message) return;
      // One notification at a time (same tag): a burst replaces, never stacks.
      const notification = new Notification(message.title, { body: message.body, tag: 'cowork-companion-pending', lang: next.settings.language });
      notification.onclick = () => {
        window.focus();
        notification.close();
      };
    });
  }, [enabled]);
}
