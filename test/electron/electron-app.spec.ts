// The real Electron app: window isolation, the bridge, navigation and popup denial. Needs the Electron
// binary (not downloadable on every machine) and a display: without them the test is skipped with
// the reason, found without importing `electron` (which throws when its binary is missing).
import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronAvailability } from '../../electron/cli/electron-availability.js';
import { UI_METHODS } from '../../shared/ui-contract.js';

const mainJs = fileURLToPath(new URL('../../dist/electron/main/main.js', import.meta.url));
const preload = fileURLToPath(new URL('../../dist/electron/preload/preload.cjs', import.meta.url));
const availability = electronAvailability();

// This file compiles without the DOM lib: page code reaches the window through globalThis.
type Page = {
  companion?: Record<string, unknown> & { getSnapshot(r: object): Promise<{ pending: unknown[] }> };
  open(url: string): unknown;
  location: { href: string };
};

const skipReason = availability.ok ? '' : `Electron binary not available here: ${availability.reason}`;
// The list reporter does not print skip annotations; say it in the output as well.
if (skipReason) console.warn(`electron-app.spec: skipped: ${skipReason}`);

test.describe('Electron app', () => {
  test.skip(!availability.ok, skipReason);

  test('isolated, sandboxed window with only the contract bridge; no navigation or popups', async () => {
    expect(existsSync(mainJs) && existsSync(preload), 'run "npm run build" first').toBe(true);
    const dataDir = mkdtempSync(join(tmpdir(), 'companion-electron-'));
    const app = await electron.launch({
      executablePath: availability.ok ? availability.binary : undefined,
      args: [mainJs, `--data-dir=${dataDir}`, '--port=0'],
      env: { ...process.env, COWORK_COMPANION_DATA_DIR: dataDir },
      timeout: 30_000,
    });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');

      const globals = await page.evaluate(() => ({
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
        module: typeof (globalThis as { module?: unknown }).module,
      }));
      expect(globals).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined' });

      // exposeInMainWorld works only with contextIsolation on, and its functions are proxies from the
      // isolated world (native code to the page).
      const bridge = await page.evaluate(() => {
        const companion = (globalThis as unknown as Page).companion ?? {};
        return { keys: Object.keys(companion).sort(), proxied: Object.values(companion).every((f) => String(f).includes('[native code]')) };
      });
      expect(bridge).toEqual({ keys: [...UI_METHODS, 'onSnapshot', 'onSnapshotDelta'].sort(), proxied: true });

      const snapshot = await page.evaluate(() => (globalThis as unknown as Page).companion!.getSnapshot({}));
      expect(snapshot.pending).toEqual([]);

      expect(await page.evaluate(() => (globalThis as unknown as Page).open('https://example.com/') === null)).toBe(true);
      const entry = page.url();
      await page.evaluate(() => {
        (globalThis as unknown as Page).location.href = 'https://example.com/';
      });
      await page.waitForTimeout(500);
      expect(page.url()).toBe(entry);
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
