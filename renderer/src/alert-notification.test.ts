import { describe, expect, it } from 'vitest';
import type { OutOfScopeAlert } from '../../shared/run-watch-contract.js';
import { alertNotification, integrityNotification, newAlerts, newIntegrityAlerts } from './alert-notification.js';
import { i18nFor } from './i18n/translator.js';
import { cleanIntegrity, makeSnapshot } from './testing/snapshot-fixtures.js';

const alert = (eventId: string, over: Partial<OutOfScopeAlert> = {}): OutOfScopeAlert => ({
  eventId,
  sessionId: 's',
  path: `/home/u/Documents/${eventId}.txt`,
  change: 'created',
  type: 'file',
  violation: 'outside',
  severity: 'medium',
  at: '2026-01-01T00:00:00Z',
  recorded: true,
  ...over,
});

describe('alert notifications', () => {
  it('reports only alerts that are new since the previous snapshot, never the backlog on connect', () => {
    const a = makeSnapshot(1, [], { alerts: [alert('a')] });
    const b = makeSnapshot(2, [], { alerts: [alert('b'), alert('a')] });
    expect(newAlerts(null, a)).toEqual([]);
    expect(newAlerts(a, b).map((x) => x.eventId)).toEqual(['b']);
    expect(newAlerts(b, b)).toEqual([]);
  });

  it('says protected changes are serious, shows hidden characters and bounds the body', () => {
    const note = alertNotification([alert('x', { severity: 'high', violation: 'forbidden', path: '/home/u/.ssh/auth\u202Ekeys' })])!;
    expect(note.title).toBe('A protected file changed during an agent run');
    expect(note.body).not.toContain('\u202E');
    expect(note.body.startsWith('Created: /home/u/.ssh/auth')).toBe(true);
    const many = alertNotification(['1', '2', '3', '4'].map((id) => alert(id, { path: `/p/${'x'.repeat(300)}` })), i18nFor('ja'))!;
    expect(many.title).toBe('範囲外でファイルが変更されました');
    expect(many.body.split('\n')).toHaveLength(4);
    expect(many.body.split('\n').every((l) => l.length <= 140)).toBe(true);
    expect(alertNotification([])).toBeUndefined();
  });

  it("a change to the companion's own files is its own notification: new ones only, in the person's language, hidden characters shown", () => {
    const integrity = (ids: string[]) => ({ ...cleanIntegrity, alerts: ids.map((id) => ({ id, file: 'settings\u202E.json', reason: 'it was deleted', at: '2026-12-02T10:00:00.000Z' })) });
    const a = makeSnapshot(1, [], { integrity: integrity(['a']) });
    const b = makeSnapshot(2, [], { integrity: integrity(['b', 'a']) });
    expect(newIntegrityAlerts(null, a)).toEqual([]);
    expect(newIntegrityAlerts(a, b).map((x) => x.id)).toEqual(['b']);
    const note = integrityNotification(newIntegrityAlerts(a, b))!;
    expect(note.title).toBe("Cowork Companion's own files were changed by another program");
    expect(note.body).not.toContain('\u202E');
    expect(note.body).toMatch(/it was deleted/);
    expect(integrityNotification(b.integrity.alerts, i18nFor('ja'))!.body).toMatch(/2/);
    expect(integrityNotification([])).toBeUndefined();
  });
});
