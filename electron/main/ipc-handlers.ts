// One ipcMain.handle per contract method: check the sender, then let the core parse and run the call.
// A few methods only the shell can answer (a native folder picker) are parsed and run here instead.
// Electron types only (ipcMain is passed in), so the wiring is unit-tested with a fake.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { UI_METHODS, ipcChannel, uiContract, type UiMethod, type UiResponse } from '../../shared/ui-contract.js';
import type { CompanionCore } from '../core/app/index.js';
import { CoreError } from '../core/base/index.js';
import { isTrustedSender, type ExpectedSender, type SenderInfo } from './ipc-guard.js';

export type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>;

/** Methods answered by the Electron shell itself; they receive the request already parsed. */
export type ShellMethods = { [M in UiMethod]?: (request: unknown) => Promise<UiResponse<M>> };

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
 * show: the core's CoreError text as is, anything else a generic line (details go to the log).
 */
export function toIpcError(error: unknown, log: (line: string) => void): Error {
  if (error instanceof CoreError) return new Error(error.message);
  log(`cowork-companion: UI call failed: ${String((error as Error)?.stack ?? error)}`);
  return new Error('The companion could not complete this action.');
}

async function runInShell<M extends UiMethod>(method: M, run: (request: unknown) => Promise<UiResponse<M>>, request: unknown): Promise<UiResponse<M>> {
  const parsed = uiContract[method].request.safeParse(request ?? {});
  if (!parsed.success) throw new CoreError('invalid_request', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return run(parsed.data);
}

export interface IpcHandlerOptions {
  expectedSender: () => ExpectedSender;
  shellMethods?: ShellMethods;
  log?: (line: string) => void;
}

export function registerIpcHandlers(ipcMain: IpcMainLike, core: Pick<CompanionCore, 'callUi'>, options: IpcHandlerOptions): () => void {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  for (const method of UI_METHODS) {
    const inShell = options.shellMethods?.[method];
    ipcMain.handle(ipcChannel(method), async (event, request: unknown) => {
      const sender = senderInfo(event);
      if (!isTrustedSender(sender, options.expectedSender())) {
        log(`cowork-companion: refused ${method} from an untrusted frame (${sender.frameUrl ?? 'unknown'})`);
        throw new Error('This window is not allowed to talk to the companion.');
      }
      try {
        return await (inShell ? runInShell(method, inShell, request) : core.callUi(method, request));
      } catch (error) {
        throw toIpcError(error, log);
      }
    });
  }
  return () => {
    for (const method of UI_METHODS) ipcMain.removeHandler(ipcChannel(method));
  };
}
