// The real built Electron main process (dist/electron/main/main.js) against a fake `electron` module:
// start-up wiring, single instance, tray, IPC sender checks, notification actions, --hidden, quit.
import { afterEach, describe, expect, it } from 'vitest';
import { killElectronMainProcesses, startElectronMain } from '../support/electron-main-process.js';

afterEach(() => killElectronMainProcesses());

describe('electron main under a fake electron', () => {
  it('starts: sandbox, single-instance lock, data folder, tray, window with the app page', async () => {
    const m = await startElectronMain();
    const s = await m.waitForState((s) => s.windows.some((w) => w.visible), 'the window to show');
    console.log(JSON.stringify(s, null, 1), m.stderr());
  });
});
