// One ipcMain.handle per contract method: check the sender, then let the core parse and run the call.
// Electron types only (ipcMain is passed in), so the wiring is unit-tested with a fake.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { UI_METHODS, ipcChannel } from '../../shared/ui-contract.js';
import type { CompanionCore } from '../core/companion-core-types.js';
import { UiCallError } from '../core/ui-call-error.js';
import { isTrustedSender, type ExpectedSender, type SenderInfo } from './ipc-guard.js';

export type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>;

export function senderInfo(event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>): SenderInfo {
  try {
    const frame = event.senderFrame;
    return {
      frameUrl: frame && !frame.detached ? frame.url : undefined,
      isMainFrame: frame !== null && frame.parent === null,
      webContentsId: event.sender.id,
    };
  } catch {
    // A disposed frame throws on access: treat it as unknown, which the guard refuses.
    return { frameUrl: undefined, isMainFrame: false, webContentsId: -1 };
  }
}

/**
 * Errors cross IPC as a message only (Electron drops other fields), so the message is made safe to
 * show: the core's UiCallError text as is, anything else a generic line (details go to the log).
 */
export function toIpcError(error: unknown, log: (line: string) => void): Error {
  if (error instanceof UiCallError) return new Error(error.message);
  log(`cowork-companion: UI call failed: ${String((error as Error)?.stack ?? error)}`);
  return new Error('The companion could not complete this action.');
}

export function registerIpcHandlers(
  ipcMain: IpcMainLike,
  core: Pick<CompanionCore, 'callUi'>,
  expectedSender: () => ExpectedSender,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): () => void {
  for (const method of UI_METHODS) {
    ipcMain.handle(ipcChannel(method), async (event, request: unknown) => {
      const sender = senderInfo(event);
      if (!isTrustedSender(sender, expectedSender())) {
        log(`cowork-companion: refused ${method} from an untrusted frame (${sender.frameUrl ?? 'unknown'})`);
        throw new Error('This window is not allowed to talk to the companion.');
      }
      try {
        return await core.callUi(method, request);
      } catch (error) {
        throw toIpcError(error, log);
      }
    });
  }
  return () => {
    for (const method of UI_METHODS) ipcMain.removeHandler(ipcChannel(method));
  };
}
