import { describe, expect, it } from 'vitest';
import type { IntegrityAlert } from '../../shared/ui-contract.js';
import { acknowledgedKeys, unseenIntegrityAlerts } from './unseen-integrity-alerts.js';

const restored = "its content differs from what the companion last wrote; the companion's last version was put back";
const alert = (id: string, file = 'settings.json', reason = restored): IntegrityAlert => ({ id, file, reason, at: '2026-12-02T10:00:00.000Z' });

describe('unseen integrity alerts', () => {
  it('finds every alert unseen until the person acknowledges, then none', () => {
    const alerts = [alert('b'), alert('a', 'pending.json')];
    expect(unseenIntegrityAlerts(alerts, [])).toEqual(alerts);
    expect(unseenIntegrityAlerts(alerts, acknowledgedKeys(alerts))).toEqual([]);
    expect(unseenIntegrityAlerts([], acknowledgedKeys(alerts))).toEqual([]);
  });

  it('finds an alert that arrives after the acknowledgement, newest first', () => {
    const shown = [alert('b'), alert('a')];
    const later = [alert('c', 'journal/cursor.json', 'it was deleted'), ...shown];
    expect(unseenIntegrityAlerts(later, acknowledgedKeys(shown))).toEqual([later[0]]);
  });

  it('counts a second alert alike in file, time and reason as new (each finding is its own record)', () => {
    expect(unseenIntegrityAlerts([alert('second'), alert('first')], acknowledgedKeys([alert('first')]))).toEqual([alert('second')]);
  });

  it('forgets nothing when older alerts fall off the bounded list', () => {
    const shown = [alert('b'), alert('a')];
    // The core keeps a bounded list: the oldest dropped as a new one came in.
    expect(unseenIntegrityAlerts([alert('c'), alert('b')], acknowledgedKeys(shown))).toEqual([alert('c')]);
  });
});
