// Loaded with `node --import` before the real main.js: every import of `electron` (main.ts's and
// electron-store's) resolves to the fake next to this file. FAKE_ELECTRON_PLATFORM makes the process
// report another OS (process.platform only), so macOS/Windows branches of main run here too.
import { register } from 'node:module';

const platform = process.env['FAKE_ELECTRON_PLATFORM'];
if (platform) Object.defineProperty(process, 'platform', { value: platform });

register('./fake-electron-hooks.mjs', import.meta.url, { data: { fakeUrl: new URL('./fake-electron.mjs', import.meta.url).href } });
