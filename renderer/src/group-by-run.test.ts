import { describe, expect, it } from 'vitest';
import { BULK_READS_MIN, displayIds, groupByRun, reuseGroups, runIds } from './group-by-run.js';
import { mergeOrder } from './order-pending.js';
import { makeItem } from './testing/snapshot-fixtures.js';

const item = (id: string, sessionId: string, extra = {}) => makeItem(id, 'Read', { sessionId, cwd: `/w/${sessionId}`, ...extra });

describe('groupByRun', () => {
  it('groups by run in the order runs first appeared, items in display order inside their run', () => {
    const pending = [item('a1', 'A'), item('b1', 'B'), item('a2', 'A')];
    const order = ['a1', 'b1', 'a2'];
    const groups = groupByRun(runIds(order, pending, []), order, pending);
    expect(groups.map((g) => [g.sessionId, g.items.map((i) => i.id)])).toEqual([
      ['A', ['a1', 'a2']],
      ['B', ['b1']],
    ]);
    expect(displayIds(groups)).toEqual(['a1', 'a2', 'b1']);
    expect(groups[0]!.cwd).toBe('/w/A');
  });

  it('appends a new request at the end of its own run, never above what is on screen', () => {
    let order = mergeOrder([], ['a1', 'b1']);
    let runs = mergeOrder([], runIds(order, [item('a1', 'A'), item('b1', 'B')], []));
    const pending = [item('a3', 'A'), item('a1', 'A'), item('b1', 'B')]; // the core lists the new one first
    order = mergeOrder(order, pending.map((p) => p.id));
    runs = mergeOrder(runs, runIds(order, pending, []));
    expect(displayIds(groupByRun(runs, order, pending))).toEqual(['a1', 'a3', 'b1']);
  });

  it('keeps a run in its place when its oldest request leaves', () => {
    const first = [item('a1', 'A'), item('b1', 'B'), item('a2', 'A')];
    let order = mergeOrder([], first.map((p) => p.id));
    let runs = mergeOrder([], runIds(order, first, []));
    const next = [item('b1', 'B'), item('a2', 'A')];
    order = mergeOrder(order, next.map((p) => p.id));
    runs = mergeOrder(runs, runIds(order, next, []));
    // Ordering runs by their current first item would put B above A here; the kept run order does not.
    expect(groupByRun(runs, order, next).map((g) => g.sessionId)).toEqual(['A', 'B']);
  });

  it('shows a paused run even with nothing pending, and its pause next to its requests', () => {
    const paused = [{ sessionId: 'P', since: '2026-11-25T10:00:00.000Z', reason: 'too fast' }, { sessionId: 'A', since: '2026-11-25T10:00:00.000Z', reason: 'x' }];
    const pending = [item('a1', 'A')];
    const groups = groupByRun(runIds(['a1'], pending, paused), ['a1'], pending, paused);
    expect(groups.map((g) => [g.sessionId, g.items.length, g.paused?.reason])).toEqual([
      ['A', 1, 'x'],
      ['P', 0, 'too fast'],
    ]);
    expect(groups[1]!.cwd).toBeUndefined();
  });

  it('shows an escalated run even with nothing pending, its escalations beside its requests; a change of one is a changed group', () => {
    const esc = (sessionId: string, action: 'notify' | 'hold' | 'stop') => ({ escalationId: `e-${sessionId}-${action}`, ruleId: 'r', sessionId, kind: 'toolErrors' as const, action, severity: 'error' as const, count: 3, atLeast: 3, withinMinutes: 5, highOnly: false, raisedAt: '2026-11-25T10:00:00.000Z' });
    const pending = [item('a1', 'A')];
    const escalations = [esc('S', 'stop'), esc('A', 'hold'), esc('A', 'notify')];
    const groups = groupByRun(runIds(['a1'], pending, [], escalations), ['a1'], pending, [], escalations);
    expect(groups.map((g) => [g.sessionId, g.items.length, g.escalations.map((e) => e.action)])).toEqual([
      ['A', 1, ['hold', 'notify']],
      ['S', 0, ['stop']],
    ]);
    const resumed = groupByRun(['A', 'S'], ['a1'], pending, [], [esc('S', 'stop')]);
    const reused = reuseGroups(groups, resumed);
    expect(reused[0]).not.toBe(groups[0]);
    expect(reused[1]).toBe(groups[1]);
  });

  it('never hides a request whose run the order does not know yet', () => {
    const pending = [item('a1', 'A'), item('c1', 'C')];
    expect(displayIds(groupByRun(['A'], ['a1', 'c1'], pending))).toEqual(['a1', 'c1']);
  });

  it('counts reads and the oldest arrival per run', () => {
    const pending = [
      item('r1', 'A', { isRead: true, receivedAt: '2026-11-25T10:00:05.000Z' }),
      item('w1', 'A', { isRead: false, receivedAt: '2026-11-25T10:00:01.000Z' }),
      item('r2', 'A', { isRead: true, receivedAt: '2026-11-25T10:00:09.000Z' }),
    ];
    const [group] = groupByRun(['A'], ['r1', 'w1', 'r2'], pending);
    expect(group!.reads.map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(group!.reads.length).toBeGreaterThanOrEqual(BULK_READS_MIN);
    expect(group!.oldestMs).toBe(Date.parse('2026-11-25T10:00:01.000Z'));
  });
});

describe('reuseGroups', () => {
  const pending = [item('a1', 'A'), item('b1', 'B'), item('a2', 'A')];
  const order = ['a1', 'b1', 'a2'];
  const runs = ['A', 'B'];

  it('keeps a run whose items are the same objects, and takes a run that changed', () => {
    const before = groupByRun(runs, order, pending);
    const next = [pending[0]!, pending[1]!]; // a2 decided
    const after = reuseGroups(before, groupByRun(runs, order, next));
    expect(after[0]).not.toBe(before[0]);
    expect(after[0]!.items.map((i) => i.id)).toEqual(['a1']);
    expect(after[1]).toBe(before[1]);
  });

  it('returns the previous list when nothing changed; a new pause changes its run', () => {
    const before = groupByRun(runs, order, pending);
    expect(reuseGroups(before, groupByRun(runs, order, pending))).toBe(before);
    const paused = [{ sessionId: 'B', since: '2026-11-25T10:00:00.000Z', reason: 'too fast' }];
    const after = reuseGroups(before, groupByRun(runs, order, pending, paused));
    expect(after[0]).toBe(before[0]);
    expect(after[1]!.paused?.reason).toBe('too fast');
  });
});
