import { describe, expect, it } from 'vitest';
import type { IntegrityAlert } from '../../shared/ui-contract.js';
import { acknowledgedKeys, integrityAlertKey, unseenIntegrityAlerts } from './unseen-integrity-alerts.js';

const restored = "its content differs from what the companion last wrote; the companion's last version was put back";
const alert = (at: string, file = 'settings.json', reason = restored): IntegrityAlert => ({ file, reason, at: `2026-12-02T10:${at}.000Z` });

describe('unseen integrity alerts', () => {
  it('finds every alert unseen until the person acknowledges, then none', () => {
    const alerts = [alert('02:00'), alert('01:00', 'pending.json')];
    expect(unseenIntegrityAlerts(alerts, [])).toEqual(alerts);
    expect(unseenIntegrityAlerts(alerts, acknowledgedKeys(alerts))).toEqual([]);
    expect(unseenIntegrityAlerts([], acknowledgedKeys(alerts))).toEqual([]);
  });

  it('finds an alert that arrives after the acknowledgement, newest first', () => {
    const shown = [alert('02:00'), alert('01:00')];
    const later = [alert('03:00', 'journal/cursor.json', 'it was deleted'), ...shown];
    expect(unseenIntegrityAlerts(later, acknowledgedKeys(shown))).toEqual([later[0]]);
  });

  it('tells alerts apart by time, file and reason', () => {
    const seen = alert('01:00');
    const ack = acknowledgedKeys([seen]);
    expect(unseenIntegrityAlerts([alert('01:00')], ack)).toEqual([]);
    expect(unseenIntegrityAlerts([alert('01:01')], ack)).toHaveLength(1);
    expect(unseenIntegrityAlerts([alert('01:00', 'pending.json')], ack)).toHaveLength(1);
    expect(unseenIntegrityAlerts([alert('01:00', 'settings.json', 'it was deleted')], ack)).toHaveLength(1);
  });

  it('counts a second alert identical to an acknowledged one as new', () => {
    const twice = [alert('01:00'), alert('01:00')];
    expect(unseenIntegrityAlerts(twice, acknowledgedKeys([alert('01:00')]))).toEqual([alert('01:00')]);
  });

  it('forgets nothing when older alerts fall off the bounded list', () => {
    const shown = [alert('02:00'), alert('01:00')];
    // The core keeps a bounded list: the oldest dropped as a new one came in.
    expect(unseenIntegrityAlerts([alert('03:00'), alert('02:00')], acknowledgedKeys(shown))).toEqual([alert('03:00')]);
  });

  it('keeps keys unambiguous whatever the text holds', () => {
    expect(integrityAlertKey({ at: 'a', file: 'b","c', reason: 'd' })).not.toBe(integrityAlertKey({ at: 'a', file: 'b', reason: 'c","d' }));
  });
});
