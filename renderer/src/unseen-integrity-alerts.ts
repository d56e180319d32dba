// Which of the core's integrity alerts (another program changed one of the companion's own files) the
// person has not acknowledged yet. The core gives an alert no id: it is known by when, which file and
// why. Acknowledging remembers exactly the alerts that were on screen, so one that arrives later (or
// arrived while the person read) opens the banner again. Pure, so it is unit-tested.
import type { IntegrityAlert } from '../../shared/ui-contract.js';

/** An alert's identity: time, file and reason (two alerts alike in all three count as two). */
export const integrityAlertKey = (a: IntegrityAlert): string => JSON.stringify([a.at, a.file, a.reason]);

/** The keys to remember when the person acknowledges `shown`. */
export const acknowledgedKeys = (shown: readonly IntegrityAlert[]): string[] => shown.map(integrityAlertKey);

/** Alerts in `alerts` (newest first, as the core lists them) not among the `acknowledged` keys. */
export function unseenIntegrityAlerts(alerts: readonly IntegrityAlert[], acknowledged: readonly string[]): IntegrityAlert[] {
  const left = new Map<string, number>();
  for (const key of acknowledged) left.set(key, (left.get(key) ?? 0) + 1);
  // Oldest first, so that of two identical alerts the older one is the acknowledged one.
  const unseen: IntegrityAlert[] = [];
  for (let i = alerts.length - 1; i >= 0; i--) {
    const alert = alerts[i]!;
    const key = integrityAlertKey(alert);
    const n = left.get(key) ?? 0;
    if (n > 0) left.set(key, n - 1);
    else unseen.unshift(alert);
  }
  return unseen;
}
