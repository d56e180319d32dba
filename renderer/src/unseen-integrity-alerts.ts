// Which of the core's integrity alerts (another program changed one of the companion's own files) the
// person has not acknowledged yet. Acknowledging remembers exactly the alerts that were on screen (by
// the id of their evidence record), so one that arrives later opens the banner again. Pure, so it is
// unit-tested.
import type { IntegrityAlert } from '../../shared/ui-contract.js';

/** The ids to remember when the person acknowledges `shown`. */
export const acknowledgedKeys = (shown: readonly IntegrityAlert[]): string[] => shown.map((a) => a.id);

/** Alerts in `alerts` (newest first, as the core lists them) not among the `acknowledged` ids. */
export function unseenIntegrityAlerts(alerts: readonly IntegrityAlert[], acknowledged: readonly string[]): IntegrityAlert[] {
  const known = new Set(acknowledged);
  return alerts.filter((a) => !known.has(a.id));
}
