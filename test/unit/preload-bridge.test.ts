// The preload's bridge: one method per contract entry, channels equal to the contract's, no IPC
// objects leaking to the page, and a bundle that needs nothing but `electron`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { snapshotDelta } from '../../shared/snapshot-delta.js';
import { SNAPSHOT_CHANNEL, SNAPSHOT_DELTA_CHANNEL, UI_METHODS, ipcChannel, type Snapshot } from '../../shared/ui-contract.js';
import { BRIDGE_METHODS, SNAPSHOT_CHANNEL_NAME, SNAPSHOT_DELTA_CHANNEL_NAME, channelFor, createCompanionBridge, type PreloadIpc } from '../../electron/preload/companion-bridge.js';
import { wrapElectronBridge } from '../../renderer/src/bridge/electron-bridge.js';
import { makeItem, makeSnapshot } from '../../renderer/src/testing/snapshot-fixtures.js';

function fakeIpc() {
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const ipc = {
    invoke: vi.fn(async (channel: string, ...args: unknown[]) => ({ channel, args })),
    on: vi.fn((channel: string, fn: (event: unknown, ...args: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(fn);
    }),
    removeListener: vi.fn((channel: string, fn: (event: unknown, ...args: unknown[]) => void) => void listeners.get(channel)?.delete(fn)),
  } satisfies PreloadIpc;
  const emit = (channel: string, ...args: unknown[]) => {
    for (const fn of listeners.get(channel) ?? []) fn({ sender: 'ipcRenderer-itself' }, ...args);
  };
  return { ipc, listeners, emit };
}

describe('companion bridge', () => {
  it('uses the contract channel names', () => {
    expect([...BRIDGE_METHODS].sort()).toEqual([...UI_METHODS].sort());
    for (const m of UI_METHODS) expect(channelFor(m)).toBe(ipcChannel(m));
    expect(SNAPSHOT_CHANNEL_NAME).toBe(SNAPSHOT_CHANNEL);
    expect(SNAPSHOT_DELTA_CHANNEL_NAME).toBe(SNAPSHOT_DELTA_CHANNEL);
  });

  it('exposes one function per contract method plus onSnapshot and onSnapshotDelta, and nothing else', () => {
    const bridge = createCompanionBridge(fakeIpc().ipc);
    expect(Object.keys(bridge).sort()).toEqual([...UI_METHODS, 'onSnapshot', 'onSnapshotDelta'].sort());
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('invokes the method channel with exactly the request', async () => {
    const { ipc } = fakeIpc();
    const bridge = createCompanionBridge(ipc);
    await (bridge.deny as (...a: unknown[]) => Promise<unknown>)({ id: 'x', contentHash: 'h', reason: 'no' }, 'extra');
    expect(ipc.invoke).toHaveBeenCalledWith('companion:deny', { id: 'x', contentHash: 'h', reason: 'no' });
  });

  it('gives snapshot listeners the snapshot and its number only, and unsubscribes', () => {
    const { ipc, listeners, emit } = fakeIpc();
    const bridge = createCompanionBridge(ipc);
    const seen: unknown[][] = [];
    const off = bridge.onSnapshot((...args: unknown[]) => void seen.push(args));
    emit(SNAPSHOT_CHANNEL, { version: 1 }, 4);
    emit(SNAPSHOT_CHANNEL, { version: 1 }, 'four', 'extra');
    expect(seen).toEqual([[{ version: 1 }, 4], [{ version: 1 }, undefined]]);
    off();
    expect(listeners.get(SNAPSHOT_CHANNEL)?.size).toBe(0);
    emit(SNAPSHOT_CHANNEL, { version: 2 });
    expect(seen).toHaveLength(2);
  });

  it('gives delta listeners the delta only, and unsubscribes', () => {
    const { ipc, listeners, emit } = fakeIpc();
    const bridge = createCompanionBridge(ipc);
    const seen: unknown[][] = [];
    const off = bridge.onSnapshotDelta((...args: unknown[]) => void seen.push(args));
    emit(SNAPSHOT_DELTA_CHANNEL, { base: 1, seq: 2, set: {} }, 'extra');
    expect(seen).toEqual([[{ base: 1, seq: 2, set: {} }]]);
    off();
    expect(listeners.get(SNAPSHOT_DELTA_CHANNEL)?.size).toBe(0);
  });

  it('refuses a non-function listener', () => {
    const bridge = createCompanionBridge(fakeIpc().ipc);
    expect(() => bridge.onSnapshot('x' as never)).toThrow(TypeError);
    expect(() => bridge.onSnapshotDelta('x' as never)).toThrow(TypeError);
  });
});

describe('the renderer over the preload bridge (electron-bridge.ts)', () => {
  const s1 = makeSnapshot(1, [makeItem('a'), makeItem('b')]);
  const s2 = makeSnapshot(2, [makeItem('b'), makeItem('c')]);
  const s3 = makeSnapshot(3, [makeItem('c')]);
  /** What IPC's structured clone does to a value. */
  const cloned = <T>(value: T): T => structuredClone(value);

  function wired(getSnapshot: () => Promise<unknown>) {
    const fake = fakeIpc();
    fake.ipc.invoke.mockImplementation((async (channel: string) => (channel === 'companion:getSnapshot' ? getSnapshot() : { ok: true })) as typeof fake.ipc.invoke);
    const bridge = wrapElectronBridge(createCompanionBridge(fake.ipc));
    const seen: Snapshot[] = [];
    const off = bridge.onSnapshot((s) => seen.push(s));
    return { ...fake, seen, off };
  }

  it('hands listeners whole snapshots: the one main sends at load, then each delta applied to it', () => {
    const { emit, seen, ipc } = wired(async () => s1);
    emit(SNAPSHOT_CHANNEL, cloned(s1), 1);
    emit(SNAPSHOT_DELTA_CHANNEL, cloned(snapshotDelta(s1, s2, { base: 1, seq: 2 })));
    emit(SNAPSHOT_DELTA_CHANNEL, cloned(snapshotDelta(s2, s3, { base: 2, seq: 3 })));
    expect(seen).toEqual([s1, s2, s3]);
    // "c" came in the first delta and did not change: the same object.
    expect(seen[2]!.pending[0]).toBe(seen[1]!.pending[1]);
    expect(ipc.invoke).not.toHaveBeenCalled();
  });

  it('a delta it cannot apply: says so, asks for the whole state once (getSnapshot), and applies deltas again after the next whole snapshot', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    let answer!: (s: Snapshot) => void;
    const { emit, seen, ipc } = wired(() => new Promise<Snapshot>((resolve) => (answer = resolve)));
    emit(SNAPSHOT_CHANNEL, cloned(s1), 1);
    emit(SNAPSHOT_DELTA_CHANNEL, cloned(snapshotDelta(s2, s3, { base: 2, seq: 3 })));
    emit(SNAPSHOT_DELTA_CHANNEL, cloned(snapshotDelta(s2, s3, { base: 3, seq: 4 })));
    expect(warn).toHaveBeenCalledWith('Asked the companion for a whole snapshot:', expect.stringMatching(/applies to snapshot 2, this window holds 1/));
    expect(ipc.invoke.mock.calls).toEqual([['companion:getSnapshot', {}]]);
    answer(cloned(s3));
    await vi.waitFor(() => expect(seen.map((s) => s.version)).toEqual([1, 3]));
    // Main sends the next change whole; deltas apply to it again.
    emit(SNAPSHOT_CHANNEL, cloned(s2), 10);
    emit(SNAPSHOT_DELTA_CHANNEL, cloned(snapshotDelta(s2, s3, { base: 10, seq: 11 })));
    expect(seen.map((s) => s.version)).toEqual([1, 3, 2, 3]);
    expect(ipc.invoke).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });

  it('a delta that does not match the contract is not applied', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { emit, seen, ipc } = wired(async () => s1);
    emit(SNAPSHOT_CHANNEL, cloned(s1), 1);
    emit(SNAPSHOT_DELTA_CHANNEL, { base: 1, seq: 2, set: { serverTime: 5 } });
    expect(seen).toEqual([s1]);
    expect(warn).toHaveBeenCalledWith('Asked the companion for a whole snapshot:', expect.stringMatching(/contract.*serverTime/));
    expect(ipc.invoke).toHaveBeenCalledWith('companion:getSnapshot', {});
    warn.mockRestore();
  });

  it('unsubscribes from both channels', () => {
    const { listeners, off } = wired(async () => s1);
    off();
    expect(listeners.get(SNAPSHOT_CHANNEL)?.size).toBe(0);
    expect(listeners.get(SNAPSHOT_DELTA_CHANNEL)?.size).toBe(0);
  });
});

describe('scripts/build-preload.mjs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'preload-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('bundles one small CommonJS file that requires only electron and does not expose ipcRenderer', () => {
    const outfile = join(dir, 'preload.cjs');
    execFileSync(process.execPath, ['scripts/build-preload.mjs', '--outfile', outfile], { stdio: 'pipe' });
    const code = readFileSync(outfile, 'utf8');
    expect([...code.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(code).not.toMatch(/\bimport\s|export\s/);
    expect(code).not.toContain('zod');
    expect(code.length).toBeLessThan(4_000);
    expect(code).toMatch(/exposeInMainWorld\("companion", createCompanionBridge\(import_electron\.ipcRenderer\)\)/);
    expect(code.match(/exposeInMainWorld/g)).toHaveLength(1);
  });
});
