// The preload's bridge: one method per contract entry, channels equal to the contract's, no IPC
// objects leaking to the page, and a bundle that needs nothing but `electron`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { SNAPSHOT_CHANNEL, UI_METHODS, ipcChannel } from '../../shared/ui-contract.js';
import { BRIDGE_METHODS, SNAPSHOT_CHANNEL_NAME, channelFor, createCompanionBridge, type PreloadIpc } from '../../electron/preload/companion-bridge.js';

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
  });

  it('exposes one function per contract method plus onSnapshot, and nothing else', () => {
    const bridge = createCompanionBridge(fakeIpc().ipc);
    expect(Object.keys(bridge).sort()).toEqual([...UI_METHODS, 'onSnapshot'].sort());
    for (const value of Object.values(bridge)) expect(typeof value).toBe('function');
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('invokes the method channel with exactly the request', async () => {
    const { ipc } = fakeIpc();
    const bridge = createCompanionBridge(ipc);
    await (bridge.deny as (...a: unknown[]) => Promise<unknown>)({ id: 'x', contentHash: 'h', reason: 'no' }, 'extra');
    expect(ipc.invoke).toHaveBeenCalledWith('companion:deny', { id: 'x', contentHash: 'h', reason: 'no' });
  });

  it('gives snapshot listeners the snapshot only, and unsubscribes', () => {
    const { ipc, listeners, emit } = fakeIpc();
    const bridge = createCompanionBridge(ipc);
    const seen: unknown[][] = [];
    const off = bridge.onSnapshot((...args: unknown[]) => void seen.push(args));
    emit(SNAPSHOT_CHANNEL, { version: 1 });
    expect(seen).toEqual([[{ version: 1 }]]);
    off();
    expect(listeners.get(SNAPSHOT_CHANNEL)?.size).toBe(0);
    emit(SNAPSHOT_CHANNEL, { version: 2 });
    expect(seen).toHaveLength(1);
  });

  it('refuses a non-function listener', () => {
    const bridge = createCompanionBridge(fakeIpc().ipc);
    expect(() => bridge.onSnapshot('x' as never)).toThrow(TypeError);
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
