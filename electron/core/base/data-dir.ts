// One data folder shared by the tray app and the headless CLI, so both see the same token,
// journal and settings. Created user-only (0700): it holds the agent token and the evidence journal.
// The one place that knows where that folder is on each OS: the tray app, the CLI, the Node hook
// client, the managed Claude Code settings and the XDG autostart entry all take it from here.
import { mkdirSync, chmodSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, isAbsolute, resolve } from 'node:path';

export const APP_DIR_NAME = 'cowork-companion';

export type DataDirPlatform = 'darwin' | 'win32' | 'linux';

/** The folder (under the home folder) that holds APP_DIR_NAME on each OS when the environment moves
 *  nothing: macOS's Application Support, Windows's roaming AppData (%APPDATA%'s default), and the XDG
 *  config folder (XDG_CONFIG_HOME's default) everywhere else. */
export const DATA_DIR_BASE_UNDER_HOME: Readonly<Record<DataDirPlatform, readonly string[]>> = {
  darwin: ['Library', 'Application Support'],
  win32: ['AppData', 'Roaming'],
  linux: ['.config'],
};

const dataDirPlatform = (platform: NodeJS.Platform): DataDirPlatform => (platform === 'darwin' || platform === 'win32' ? platform : 'linux');

/** $XDG_CONFIG_HOME, else ~/.config: the XDG Base Directory rule, which ignores a relative value. */
export function xdgConfigHome(env: Record<string, string | undefined>, home: string): string {
  const xdg = env['XDG_CONFIG_HOME'];
  return xdg && isAbsolute(xdg) ? xdg : join(home, ...DATA_DIR_BASE_UNDER_HOME.linux);
}

export function defaultDataDir(
  env: Record<string, string | undefined> = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  const explicit = env['COWORK_COMPANION_DATA_DIR'];
  if (explicit) return resolve(explicit);
  const os = dataDirPlatform(platform);
  if (os === 'darwin') return join(home, ...DATA_DIR_BASE_UNDER_HOME.darwin, APP_DIR_NAME);
  if (os === 'win32') return join(env['APPDATA'] ?? join(home, ...DATA_DIR_BASE_UNDER_HOME.win32), APP_DIR_NAME);
  return join(xdgConfigHome(env, home), APP_DIR_NAME);
}

export function ensureDataDir(dir: string): string {
  const abs = resolve(dir);
  mkdirSync(abs, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(abs, 0o700);
  return abs;
}
