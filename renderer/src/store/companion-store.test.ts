import { describe, it, expect, vi, beforeEach } from 'vitest';
import type { ApprovalItem, Snapshot } from '../../../shared/ui-contract.js';
import { contractMethods, type RendererBridge } from '../bridge/renderer-bridge.js';
import { cleanIntegrity, makeItem, makeSnapshot } from '../testing/snapshot-fixtures.js';
import { unseenIntegrityAlerts } from '../unseen-integrity-alerts.js';
import { useCompanionStore } from './companion-store.js';

const item = makeItem;
const snap = (version: number, pending: ApprovalItem[]) => makeSnapshot(version, pending);

function fakeBridge(): RendererBridge & { push(s: Snapshot): void } {
  let listener: ((s: Snapshot) => void) | undefined;
  return {
    ...contractMethods(vi.fn(async () => ({ ok: true }) as never)),
    getSnapshot: vi.fn(async () => snap(0, [])),
    approve: vi.fn(async () => ({ ok: true as const })),
    deny: vi.fn(async () => ({ ok: true as const })),
    hold: vi.fn(async () => ({ ok: true as const })),
    onSnapshot: (l) => ((listener = l), () => (listener = undefined)),
    push: (s) => listener?.(s),
  };
}

beforeEach(() => {
  useCompanionStore.setState({ bridge: null, snapshot: null, order: [], runOrder: [], groups: [], displayIds: [], busy: {}, errors: {}, announcement: { text: '', seq: 0 }, integrityAcknowledged: [] });
});

describe('companion store', () => {
  it('keeps display order stable and ignores stale snapshots', () => {
    const { receiveSnapshot } = useCompanionStore.getState();
    receiveSnapshot(snap(1, [item('a'), item('b')]));
    receiveSnapshot(snap(2, [item('c'), item('b'), item('a')]));
    expect(useCompanionStore.getState().order).toEqual(['a', 'b', 'c']);
    receiveSnapshot(snap(1, [item('a')]));
    expect(useCompanionStore.getState().snapshot?.version).toBe(2);
  });

  it('announces arrivals, not departures', () => {
    const { receiveSnapshot } = useCompanionStore.getState();
    receiveSnapshot(snap(1, [item('a')]));
    expect(useCompanionStore.getState().announcement.text).toBe('1 pending approval');
    receiveSnapshot(snap(2, [item('a'), item('b', 'Write', { targets: { paths: ['/x\u202E'] } })]));
    expect(useCompanionStore.getState().announcement).toEqual({ text: 'New request: Write, /x⟨U+202E⟩', seq: 2 });
    receiveSnapshot(snap(3, [item('b')]));
    // A departure is not announced, and the region no longer holds the sentence about the arrival.
    expect(useCompanionStore.getState().announcement).toEqual({ text: '', seq: 2 });
  });

  it('never leaves a stale count or the previous language in the live region', () => {
    const { receiveSnapshot } = useCompanionStore.getState();
    const lang = (language: 'en' | 'ja' | 'id' | undefined) => ({ settings: { language, sandboxedBash: { mode: 'ask' as const, source: 'default' as const }, personalRules: true, startAtLogin: { value: true, source: 'default' as const, available: true } } });
    receiveSnapshot(makeSnapshot(1, [item('a'), item('b'), item('c')], lang('en')));
    expect(useCompanionStore.getState().announcement.text).toBe('3 pending approvals');
    receiveSnapshot(makeSnapshot(2, [item('c')], lang('en')));
    expect(useCompanionStore.getState().announcement.text).toBe(''); // "3" is no longer true
    receiveSnapshot(makeSnapshot(3, [item('c'), item('d', 'Read', { targets: { paths: ['/p/a.ts'] } })], lang('en')));
    expect(useCompanionStore.getState().announcement.text).toBe('New request: Read, /p/a.ts');
    // The person switches to Japanese: nothing else changed, the English sentence goes.
    receiveSnapshot(makeSnapshot(4, [item('c'), item('d', 'Read', { targets: { paths: ['/p/a.ts'] } })], lang('ja')));
    expect(useCompanionStore.getState().announcement.text).toBe('');
    receiveSnapshot(makeSnapshot(5, [item('c'), item('d', 'Read', { targets: { paths: ['/p/a.ts'] } }), item('e'), item('f')], lang('ja')));
    expect(useCompanionStore.getState().announcement.text).toBe('新しいリクエスト 2 件');
  });

  it('sends decisions through the bridge with id and content hash, and changes nothing locally', async () => {
    const bridge = fakeBridge();
    useCompanionStore.getState().connect(bridge, 'web');
    bridge.push(snap(1, [item('a')]));
    await useCompanionStore.getState().decide('deny', item('a'), { reason: '  not now ' });
    expect(bridge.deny).toHaveBeenCalledWith({ id: 'a', contentHash: 'h-a', reason: 'not now' });
    // Still listed (and busy) until the core says otherwise.
    expect(useCompanionStore.getState().order).toEqual(['a']);
    expect(useCompanionStore.getState().busy).toEqual({ a: 'deny' });
    bridge.push(snap(2, []));
    expect(useCompanionStore.getState().busy).toEqual({});
  });

  it('keeps the error message of a failed call for that card', async () => {
    const bridge = fakeBridge();
    bridge.approve = vi.fn(async () => Promise.reject(new Error('This request is no longer pending.')));
    useCompanionStore.getState().connect(bridge, 'web');
    bridge.push(snap(1, [item('a')]));
    await useCompanionStore.getState().decide('approve', item('a'));
    expect(useCompanionStore.getState().errors).toEqual({ a: 'This request is no longer pending.' });
    expect(useCompanionStore.getState().busy).toEqual({});
  });

  it('sends the grant: none for once (as before), run, or always with the edited rule', async () => {
    const bridge = fakeBridge();
    useCompanionStore.getState().connect(bridge, 'web');
    bridge.push(snap(1, [item('a'), item('b'), item('c')]));
    const { decide } = useCompanionStore.getState();
    await decide('approve', item('a'));
    await decide('approve', item('b'), { grant: 'run' });
    const rule = { toolName: 'Bash', match: { kind: 'command-prefix' as const, prefix: 'npm run' } };
    await decide('approve', item('c'), { grant: 'always', rule });
    expect(bridge.approve).toHaveBeenNthCalledWith(1, { id: 'a', contentHash: 'h-a' });
    expect(bridge.approve).toHaveBeenNthCalledWith(2, { id: 'b', contentHash: 'h-b', grant: 'run' });
    expect(bridge.approve).toHaveBeenNthCalledWith(3, { id: 'c', contentHash: 'h-c', grant: 'always', rule });
    expect(useCompanionStore.getState().busy).toEqual({ a: 'approve', b: 'approve-run', c: 'approve-always' });
  });

  it('keeps runs in the place they first had', () => {
    const { receiveSnapshot } = useCompanionStore.getState();
    receiveSnapshot(snap(1, [item('a1', 'Bash', { sessionId: 'A' }), item('b1', 'Bash', { sessionId: 'B' })]));
    receiveSnapshot(snap(2, [item('b1', 'Bash', { sessionId: 'B' }), item('a2', 'Bash', { sessionId: 'A' })]));
    expect(useCompanionStore.getState().runOrder).toEqual(['A', 'B']);
    receiveSnapshot(snap(3, [item('c1', 'Bash', { sessionId: 'C' })]));
    expect(useCompanionStore.getState().runOrder).toEqual(['C']);
  });

  it('announces in the language the core has set', () => {
    const { receiveSnapshot } = useCompanionStore.getState();
    receiveSnapshot(makeSnapshot(1, [item('a'), item('b')], { settings: { language: 'ja', sandboxedBash: { mode: 'ask', source: 'default' }, personalRules: true, startAtLogin: { value: true, source: 'default', available: true } } }));
    expect(useCompanionStore.getState().announcement.text).toBe('承認待ち 2 件');
    receiveSnapshot(makeSnapshot(2, [item('a'), item('b'), item('c', 'Read', { targets: { paths: ['/p/a.ts'] } })], { settings: { language: 'id', sandboxedBash: { mode: 'ask', source: 'default' }, personalRules: true, startAtLogin: { value: true, source: 'default', available: true } } }));
    expect(useCompanionStore.getState().announcement.text).toBe('Permintaan baru: Read, /p/a.ts');
  });

  it('groups by run in display order and keeps what did not change, so unchanged cards are not redrawn', () => {
    const { receiveSnapshot } = useCompanionStore.getState();
    const a = (id: string, extra = {}) => item(id, 'Bash', { sessionId: 'A', ...extra });
    const b = (id: string) => item(id, 'Bash', { sessionId: 'B' });
    receiveSnapshot(snap(1, [a('a1'), b('b1'), a('a2')]));
    const first = useCompanionStore.getState();
    expect(first.displayIds).toEqual(['a1', 'a2', 'b1']);
    expect(first.groups.map((g) => g.sessionId)).toEqual(['A', 'B']);

    // Only the evidence changed: every array and object is the one from before.
    receiveSnapshot(snap(2, [a('a1'), b('b1'), a('a2')]));
    const same = useCompanionStore.getState();
    expect(same.snapshot!.pending).toBe(first.snapshot!.pending);
    expect(same.groups).toBe(first.groups);
    expect(same.displayIds).toBe(first.displayIds);

    // a2 is held and a1 decided: run A is new, its untouched neighbours and run B are not.
    receiveSnapshot(snap(3, [b('b1'), a('a2', { held: true })]));
    const next = useCompanionStore.getState();
    expect(next.groups[1]).toBe(first.groups[1]);
    expect(next.groups[0]).not.toBe(first.groups[0]);
    expect(next.groups[0]!.items[0]!.held).toBe(true);
    expect(next.snapshot!.pending[0]).toBe(first.snapshot!.pending[1]);
    expect(next.displayIds).toEqual(['a2', 'b1']);
  });

  it('keeps the acknowledgement of integrity alerts as view state: nothing goes to the core, a new alert is unseen', () => {
    // Every contract method but getSnapshot goes to `call`.
    const call = vi.fn(async () => ({ ok: true }) as never);
    const fake = fakeBridge();
    const bridge = { ...fake, ...contractMethods(call), getSnapshot: fake.getSnapshot };
    useCompanionStore.getState().connect(bridge, 'web');
    const first = { id: 'e1', file: 'settings.json', reason: 'it was deleted', at: '2026-12-02T10:00:00.000Z' };
    const withAlerts = (version: number, alerts: (typeof first)[]) => makeSnapshot(version, [], { integrity: { ...cleanIntegrity, alerts } });
    fake.push(withAlerts(1, [first]));
    const unseen = () => unseenIntegrityAlerts(useCompanionStore.getState().snapshot!.integrity.alerts, useCompanionStore.getState().integrityAcknowledged);
    expect(unseen()).toEqual([first]);
    useCompanionStore.getState().acknowledgeIntegrity([first]);
    expect(unseen()).toEqual([]);
    expect(call).not.toHaveBeenCalled();
    expect(bridge.getSnapshot).toHaveBeenCalledTimes(1); // the first one, at connect
    const second = { ...first, id: 'e2', at: '2026-12-02T10:05:00.000Z' };
    fake.push(withAlerts(2, [second, first]));
    expect(unseen()).toEqual([second]);
  });
});
