// When a native notification may decide, and what a button press means.
import { describe, expect, it } from 'vitest';
import type { ApprovalItem, Snapshot } from '../../shared/ui-contract.js';
import { makeItem } from '../../renderer/src/testing/snapshot-fixtures.js';
import { alertNotificationFor, newlySeenAlerts } from '../../electron/main/tray-state.js';
import { choiceFor, NOTIFICATION_GRACE_MS, notificationPlan, showsWholeAction } from '../../electron/main/notification-actions-policy.js';

const item = (targets: ApprovalItem['targets'], toolName = 'Bash'): ApprovalItem => makeItem('i', toolName, { targets });

describe('notification actions', () => {
  it('offers approve once, deny and hold when the body is the whole action', () => {
    const plan = notificationPlan(item({ paths: [], command: 'npm test' }), 'darwin');
    expect(plan.body).toBe('Bash: npm test');
    expect(plan.actions.map((a) => a.text)).toEqual(['Approve once', 'Deny', 'Hold']);
    expect(plan.choices).toEqual(['approve', 'deny', 'hold']);
  });

  it('never offers approve when something is cut, made visible or not shown', () => {
    const cases: ApprovalItem[] = [
      item({ paths: [], command: `echo ${'x'.repeat(300)}` }), // cut at 140 characters
      item({ paths: [], command: 'cat notes\u202Etxt.sh' }), // bidi override made visible
      item({ paths: [], command: 'echo a\nrm -rf ~' }), // second line
      item({ paths: [], command: 'echo <b>' }), // markup dropped
      item({ paths: ['/w/a', '/w/b'] }, 'MultiEdit'), // only the first path fits
      item({ paths: ['/w/a'], command: 'cp /w/a /tmp' }), // command plus a path
    ];
    for (const c of cases) {
      expect(showsWholeAction(c), JSON.stringify(c.targets)).toBe(false);
      expect(notificationPlan(c, 'win32').choices).toEqual(['review', 'deny']);
    }
  });

  it('offers no buttons where the OS does not render them (a click opens the window)', () => {
    expect(notificationPlan(item({ paths: ['/w/a.txt'] }, 'Write'), 'linux')).toMatchObject({ actions: [], choices: [], body: 'Write: /w/a.txt' });
  });

  it('maps a press to its choice, but only after the grace period; unknown buttons review', () => {
    const plan = notificationPlan(item({ paths: [], command: 'ls' }), 'darwin');
    expect(choiceFor(plan, 0, NOTIFICATION_GRACE_MS)).toBe('approve');
    expect(choiceFor(plan, 0, NOTIFICATION_GRACE_MS - 1)).toBe('review');
    expect(choiceFor(plan, 1, 5000)).toBe('deny');
    expect(choiceFor(plan, 2, 5000)).toBe('hold');
    expect(choiceFor(plan, 7, 5000)).toBe('review');
    expect(choiceFor(plan, -1, 5000)).toBe('review');
  });
});

describe('out-of-scope alert notifications (Electron)', () => {
  const snap = (ids: string[], severity: 'high' | 'medium' = 'medium') =>
    ({ alerts: ids.map((eventId) => ({ eventId, sessionId: 's', path: `/home/u/${eventId}\n.txt`, change: 'created', type: 'file', violation: 'outside', severity, at: '', recorded: true })) }) as unknown as Snapshot;

  it('primes on the first snapshot, then reports only new alerts, as plain text', () => {
    const first = newlySeenAlerts(undefined, snap(['a']));
    expect(first.fresh).toEqual([]);
    const second = newlySeenAlerts(first.seen, snap(['b', 'a'], 'high'));
    expect(second.fresh.map((a) => a.eventId)).toEqual(['b']);
    expect(alertNotificationFor(second.fresh)).toEqual({ title: 'A protected file changed during an agent run', body: 'created: /home/u/b\u2423.txt' });
    expect(alertNotificationFor(snap(['x', 'y']).alerts).body).toBe('2 files changed outside the shared folders.');
  });
});
