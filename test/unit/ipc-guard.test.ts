// The IPC boundary: who may call, and what reaches the core and comes back.
import { describe, expect, it, vi } from 'vitest';
import { UI_METHODS, ipcChannel } from '../../shared/ui-contract.js';
import { CoreError } from '../../electron/core/base/index.js';
import { isTrustedSender, type ExpectedSender } from '../../electron/main/ipc-guard.js';
import { registerIpcHandlers, senderInfo, type IpcMainLike } from '../../electron/main/ipc-handlers.js';

const ENTRY = 'file:///app/dist/renderer/index.html';
const expected: ExpectedSender = { webContentsId: 7, appEntryUrl: ENTRY };
const trusted = { frameUrl: ENTRY, isMainFrame: true, webContentsId: 7 };

describe('isTrustedSender', () => {
  it('accepts the main window top frame on the app page', () => {
    expect(isTrustedSender(trusted, expected)).toBe(true);
    expect(isTrustedSender({ ...trusted, frameUrl: `${ENTRY}#inbox` }, expected)).toBe(true);
  });

  it.each([
    ['another webContents', { ...trusted, webContentsId: 8 }],
    ['a sub-frame', { ...trusted, isMainFrame: false }],
    ['a frame that is gone', { ...trusted, frameUrl: undefined }],
    ['a remote page', { ...trusted, frameUrl: 'https://evil.example/' }],
    ['another local file', { ...trusted, frameUrl: 'file:///app/dist/renderer/evil.html' }],
    ['a data URL', { ...trusted, frameUrl: 'data:text/html,hi' }],
  ])('refuses %s', (_name, sender) => {
    expect(isTrustedSender(sender, expected)).toBe(false);
  });

  it('refuses everything while there is no window', () => {
    expect(isTrustedSender(trusted, { ...expected, webContentsId: undefined })).toBe(false);
  });
});

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  const ipc = {
    handle: (channel: string, fn: Handler) => void handlers.set(channel, fn),
    removeHandler: (channel: string) => void handlers.delete(channel),
  } as unknown as IpcMainLike;
  return { ipc, handlers };
}

function event(frame: { url: string; parent: unknown; detached?: boolean } | null, webContentsId = 7) {
  return { senderFrame: frame ? { detached: false, ...frame } : null, sender: { id: webContentsId } };
}
const goodEvent = event({ url: ENTRY, parent: null });

describe('registerIpcHandlers', () => {
  it('registers exactly one handler per contract method, and removes them', () => {
    const { ipc, handlers } = fakeIpcMain();
    const dispose = registerIpcHandlers(ipc, { callUi: vi.fn() }, { expectedSender: () => expected, log: () => {} });
    expect([...handlers.keys()].sort()).toEqual(UI_METHODS.map(ipcChannel).sort());
    dispose();
    expect(handlers.size).toBe(0);
  });

  it('passes the payload of a trusted sender to core.callUi and returns its answer', async () => {
    const { ipc, handlers } = fakeIpcMain();
    const callUi = vi.fn(async () => ({ ok: true }));
    registerIpcHandlers(ipc, { callUi } as never, { expectedSender: () => expected, log: () => {} });
    const request = { id: 'a1', contentHash: 'h' };
    await expect(handlers.get(ipcChannel('approve'))!(goodEvent, request)).resolves.toEqual({ ok: true });
    expect(callUi).toHaveBeenCalledWith('approve', request);
  });

  it.each([
    ['a sub-frame', event({ url: ENTRY, parent: {} })],
    ['another window', event({ url: ENTRY, parent: null }, 99)],
    ['a navigated-away frame', event(null)],
    ['a detached frame', event({ url: ENTRY, parent: null, detached: true })],
    ['a foreign page', event({ url: 'https://evil.example/', parent: null })],
  ])('refuses %s before the core sees anything', async (_name, ev) => {
    const { ipc, handlers } = fakeIpcMain();
    const callUi = vi.fn();
    const log = vi.fn();
    registerIpcHandlers(ipc, { callUi }, { expectedSender: () => expected, log });
    await expect(handlers.get(ipcChannel('approve'))!(ev, { id: 'a1', contentHash: 'h' })).rejects.toThrow(/not allowed/);
    expect(callUi).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalled();
  });

  it("returns the core's CoreError message as is and hides internal errors", async () => {
    const { ipc, handlers } = fakeIpcMain();
    const log = vi.fn();
    const callUi = vi
      .fn()
      .mockRejectedValueOnce(new CoreError('invalid_request', 'id: Too small'))
      .mockRejectedValueOnce(new Error('EACCES: /secret/path/journal'));
    registerIpcHandlers(ipc, { callUi }, { expectedSender: () => expected, log });
    const deny = handlers.get(ipcChannel('deny'))!;
    await expect(deny(goodEvent, {})).rejects.toThrow('id: Too small');
    const internal = await deny(goodEvent, {}).catch((e: Error) => e);
    expect((internal as Error).message).toBe('The companion could not complete this action.');
    expect(log.mock.calls.join('\n')).toContain('EACCES');
  });
});

describe('methods the shell answers itself', () => {
  it('parses the request, runs it in the shell and never forwards it to the core', async () => {
    const { ipc, handlers } = fakeIpcMain();
    const callUi = vi.fn();
    const pickFolder = vi.fn(async () => ({ path: '/home/me/project' }));
    registerIpcHandlers(ipc, { callUi }, { expectedSender: () => expected, shellMethods: { pickFolder }, log: () => {} });
    await expect(handlers.get(ipcChannel('pickFolder'))!(goodEvent, {})).resolves.toEqual({ path: '/home/me/project' });
    expect(pickFolder).toHaveBeenCalledWith({});
    expect(callUi).not.toHaveBeenCalled();
  });

  it('still checks the sender and the schema first', async () => {
    const { ipc, handlers } = fakeIpcMain();
    const pickFolder = vi.fn(async () => ({}));
    registerIpcHandlers(ipc, { callUi: vi.fn() }, { expectedSender: () => expected, shellMethods: { pickFolder }, log: () => {} });
    const handler = handlers.get(ipcChannel('pickFolder'))!;
    await expect(handler(event({ url: 'https://evil.example/', parent: null }), {})).rejects.toThrow(/not allowed/);
    await expect(handler(goodEvent, 'not an object')).rejects.toThrow();
    expect(pickFolder).not.toHaveBeenCalled();
  });
});

describe('senderInfo', () => {
  it('treats a disposed frame (throws on access) as unknown', () => {
    const disposed = {
      get senderFrame(): never {
        throw new Error('Render frame was disposed');
      },
      sender: { id: 7 },
    };
    expect(senderInfo(disposed as never)).toEqual({ frameUrl: undefined, isMainFrame: false, webContentsId: -1 });
  });
});
