// Who may call the UI methods: only the main window's top frame showing the app's own page. Pure, so
// the rule is unit-tested; ipc-handlers.ts feeds it from the IPC event.
import { isAppEntryUrl } from './window-options.js';

export interface SenderInfo {
  /** URL of the frame that sent the message; undefined when the frame is gone or navigated. */
  frameUrl: string | undefined;
  /** True for a top-level frame (no parent). */
  isMainFrame: boolean;
  webContentsId: number;
}

export interface ExpectedSender {
  /** The main window's webContents id; undefined while no window exists. */
  webContentsId: number | undefined;
  appEntryUrl: string;
}

export function isTrustedSender(sender: SenderInfo, expected: ExpectedSender, caseInsensitivePath?: boolean): boolean {
  if (expected.webContentsId === undefined || sender.webContentsId !== expected.webContentsId) return false;
  if (!sender.isMainFrame || sender.frameUrl === undefined) return false;
  return isAppEntryUrl(sender.frameUrl, expected.appEntryUrl, caseInsensitivePath);
}
