// Headless mode: a system notification when the watcher sees a change outside the scope (the tab is
// hidden and the person switched notifications on). Pure, so it is unit-tested.
import type { OutOfScopeAlert } from '../../shared/run-watch-contract.js';
import type { IntegrityAlert, Snapshot } from '../../shared/ui-contract.js';
import { EN, type I18n } from './i18n/translator.js';
import { revealInvisible } from './reveal-invisible.js';

/** Alerts in `next` that `previous` did not have (none on the first snapshot: those are old news). */
export function newAlerts(previous: Snapshot | null, next: Snapshot): OutOfScopeAlert[] {
  if (!previous) return [];
  const known = new Set(previous.alerts.map((a) => a.eventId));
  return next.alerts.filter((a) => !known.has(a.eventId));
}

export function alertNotification(added: readonly OutOfScopeAlert[], i18n: I18n = EN): { title: string; body: string } | undefined {
  if (added.length === 0) return undefined;
  const high = added.some((a) => a.severity === 'high');
  const lines = added.slice(0, 3).map((a) => {
    const line = `${i18n.t(`runs.change.${a.change}`)}: ${revealInvisible(a.path)}`;
    return line.length <= 140 ? line : `${line.slice(0, 139)}…`;
  });
  if (added.length > 3) lines.push('…');
  return { title: i18n.t(high ? 'runs.alertTitleHigh' : 'runs.alertTitle'), body: lines.join('\n') };
}

/** Integrity alerts in `next` that `previous` did not have (none on the first snapshot). */
export function newIntegrityAlerts(previous: Snapshot | null, next: Snapshot): IntegrityAlert[] {
  if (!previous) return [];
  const known = new Set(previous.integrity.alerts.map((a) => a.id));
  return next.integrity.alerts.filter((a) => !known.has(a.id));
}

/** Another program changed the companion's own files: the newest finding, in the banner's words. */
export function integrityNotification(added: readonly IntegrityAlert[], i18n: I18n = EN): { title: string; body: string } | undefined {
  const [newest] = added;
  if (!newest) return undefined;
  const line = i18n.t('integrity.alert', { file: revealInvisible(newest.file), reason: newest.reason });
  const body = line.length <= 200 ? line : `${line.slice(0, 199)}…`;
  return { title: i18n.t('integrity.title'), body: added.length > 1 ? `${body}\n${i18n.t('integrity.all', { count: added.length })}` : body };
}
