// Headless mode reaches the person through the browser: a system notification for new requests (and
// for changes outside the scope, and for changes to the companion's own files) while the tab is hidden (only once the person switched it on; see notify-toggle.tsx).
import { useEffect } from 'react';
import { alertNotification, integrityNotification, newAlerts, newIntegrityAlerts } from './alert-notification.js';
import { i18nForChoice } from './i18n/translator.js';
import { arrivalNotification, arrivals } from './store/announce-changes.js';
import { useCompanionStore } from './store/companion-store.js';

export function useArrivalNotifications(enabled: boolean): void {
  useEffect(() => {
    if (!enabled || typeof Notification === 'undefined') return;
    return useCompanionStore.subscribe((state, previous) => {
      const next = state.snapshot;
      if (!next || next === previous.snapshot) return;
      if (document.visibilityState !== 'hidden' || Notification.permission !== 'granted') return;
      const i18n = i18nForChoice(next.settings.language);
      const alert = alertNotification(newAlerts(previous.snapshot, next), i18n);
      if (alert) {
        // Its own tag: a change outside the scope never replaces (or is replaced by) a request.
        const n = new Notification(alert.title, { body: alert.body, tag: 'cowork-companion-alert', lang: i18n.lang });
        n.onclick = () => {
          window.focus();
          n.close();
        };
      }
      const integrity = integrityNotification(newIntegrityAlerts(previous.snapshot, next), i18n);
      if (integrity) {
        // Its own tag and it asks to stay: someone tried to change the companion's authority.
        const n = new Notification(integrity.title, { body: integrity.body, tag: 'cowork-companion-integrity', requireInteraction: true, lang: i18n.lang });
        n.onclick = () => {
          window.focus();
          n.close();
        };
      }
      const message = arrivalNotification(arrivals(previous.snapshot, next), i18n);
      if (!message) return;
      // One notification at a time (same tag): a burst replaces, never stacks.
      const notification = new Notification(message.title, { body: message.body, tag: 'cowork-companion-pending', lang: i18n.lang });
      notification.onclick = () => {
        window.focus();
        notification.close();
      };
    });
  }, [enabled]);
}
