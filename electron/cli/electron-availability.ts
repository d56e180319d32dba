// Can the desktop app start here? Answered without importing `electron` (which throws when its binary
// is missing), so `start` can fall back to headless mode with a one-line reason.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ElectronAvailability = { ok: true; binary: string } | { ok: false; reason: string };

export function electronAvailability(env: Record<string, string | undefined> = process.env, platform = process.platform): ElectronAvailability {
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { ok: false, reason: 'the electron package is not installed' };
  }
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  let binary: string | undefined;
  if (override) binary = join(override, platform === 'win32' ? 'electron.exe' : platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron');
  else if (existsSync(join(pkgDir, 'path.txt'))) binary = join(pkgDir, 'dist', readFileSync(join(pkgDir, 'path.txt'), 'utf8').trim());
  if (!binary || !existsSync(binary)) {
    return { ok: false, reason: 'the Electron binary is not installed (it could not be downloaded on this machine)' };
  }
  if (platform === 'linux' && !env['DISPLAY'] && !env['WAYLAND_DISPLAY']) {
    return { ok: false, reason: 'there is no desktop session (DISPLAY/WAYLAND_DISPLAY unset)' };
  }
  return { ok: true, binary };
}
