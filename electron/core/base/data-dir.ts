// One data folder shared by the tray app and the headless CLI, so both see the same token,
// journal and settings. Created user-only (0700): it holds the agent token and the evidence journal.
import { mkdirSync, chmodSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, isAbsolute, resolve } from 'node:path';

export const APP_DIR_NAME = 'cowork-companion';

export function defaultDataDir(
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const explicit = env['COWORK_COMPANION_DATA_DIR'];
  if (explicit) return resolve(explicit);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_DIR_NAME);
  if (platform === 'win32') return join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  const xdg = env['XDG_CONFIG_HOME'];
  return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.config'), APP_DIR_NAME);
}

export function ensureDataDir(dir: string): string {
  const abs = resolve(dir);
  mkdirSync(abs, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(abs, 0o700);
  return abs;
}
