// How "start at login, to the tray" is registered on each OS. Pure, so what gets registered (the
// login item's fields, the XDG autostart entry's text) is unit-tested; autostart-registrar.ts applies it.
//
// - Windows: a Run-key login item for the executable with `--hidden` (Electron's `path`/`args`).
// - macOS: a login item (SMAppService main app); it cannot carry arguments (`openAsHidden` is gone),
//   so a start at login is recognised by `wasOpenedAtLogin` and treated as `--hidden`.
// - Linux: Electron has no login items; an XDG autostart entry (`$XDG_CONFIG_HOME/autostart`) runs
//   the app with `--hidden`, and is removed to turn it off.
import { join } from 'node:path';
import type { Settings } from 'electron';
import { xdgConfigHome } from '../core/base/index.js';

export const HIDDEN_ARG = '--hidden';
export const AUTOSTART_ENTRY_NAME = 'cowork-companion.desktop';

export type AutostartPlan =
  | { kind: 'login-item'; settings: Settings }
  /** `content` undefined: remove the entry. */
  | { kind: 'xdg-autostart'; file: string; content: string | undefined };

export interface AutostartTarget {
  platform: NodeJS.Platform;
  /** The executable that starts the app (process.execPath of the packaged app). */
  execPath: string;
  env: Record<string, string | undefined>;
  home: string;
}

/** Where the XDG autostart entry goes: $XDG_CONFIG_HOME/autostart, else ~/.config/autostart (only an absolute XDG_CONFIG_HOME counts). */
export function xdgAutostartFile(env: Record<string, string | undefined>, home: string): string {
  return join(xdgConfigHome(env, home), 'autostart', AUTOSTART_ENTRY_NAME);
}

// The Desktop Entry spec's reserved characters: an argument holding any is quoted.
const RESERVED = /[\s"'\\><~|&;$*?#()`]/;

/** One Exec argument, quoted and escaped as the Desktop Entry spec says (then escaped again as a string value). */
export function desktopExecArgument(arg: string): string {
  if (arg === '' || /[\u0000-\u001f\u007f]/.test(arg)) throw new Error(`cannot put ${JSON.stringify(arg)} in a desktop entry's Exec line`);
  const field = arg.replaceAll('%', '%%');
  const quoted = RESERVED.test(field) ? `"${field.replace(/["`$\\]/g, (c) => `\\${c}`)}"` : field;
  // The Exec key is a string value, whose own escape rule doubles every backslash.
  return quoted.replaceAll('\\', '\\\\');
}

/** The autostart entry: runs `exec` with --hidden at login in any XDG desktop session. */
export function desktopEntry(exec: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.5',
    'Name=Cowork Companion',
    'Comment=Start Cowork Companion in the tray at login',
    `Exec=${desktopExecArgument(exec)} ${HIDDEN_ARG}`,
    'Icon=cowork-companion',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** What to register so the app does (`enabled`) or does not start at login. */
export function autostartPlan(enabled: boolean, target: AutostartTarget): AutostartPlan {
  const { platform, execPath } = target;
  if (platform === 'win32') return { kind: 'login-item', settings: { openAtLogin: enabled, path: execPath, args: [HIDDEN_ARG] } };
  if (platform === 'darwin') return { kind: 'login-item', settings: { openAtLogin: enabled } };
  // An AppImage's execPath is inside its temporary mount: the entry must run the image itself.
  const exec = target.env['APPIMAGE'] || execPath;
  return { kind: 'xdg-autostart', file: xdgAutostartFile(target.env, target.home), content: enabled ? desktopEntry(exec) : undefined };
}

/** Started to the tray: asked for (`--hidden`), or (macOS, whose login items carry no arguments) opened at login. */
export function startsHidden(hiddenFlag: boolean, platform: NodeJS.Platform, wasOpenedAtLogin: () => boolean): boolean {
  return hiddenFlag || (platform === 'darwin' && wasOpenedAtLogin());
}
