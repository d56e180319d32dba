// Start at login: who decides (IT's autostart, a managed policy in force, the person), what each OS gets
// registered, the XDG autostart entry's exact text, and the registrar's effect on real files.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Settings } from 'electron';
import { managedPolicyInForce, startAtLogin } from '../../electron/core/app/start-at-login-policy.js';
import { AUTOSTART_ENTRY_NAME, autostartPlan, desktopEntry, desktopExecArgument, startsHidden, xdgAutostartFile } from '../../electron/main/autostart-policy.js';
import { createAutostartRegistrar } from '../../electron/main/autostart-registrar.js';

describe('start at login: who decides', () => {
  const base = { policyAutostart: undefined, policyBehaviour: 'defaults' as const, personal: undefined, available: true };

  it('is on by default, and the person may turn it off', () => {
    expect(startAtLogin(base)).toEqual({ value: true, source: 'default', available: true });
    expect(startAtLogin({ ...base, personal: false })).toEqual({ value: false, source: 'settings', available: true });
    expect(startAtLogin({ ...base, personal: true })).toEqual({ value: true, source: 'settings', available: true });
  });

  it("IT's autostart wins and locks it, either way", () => {
    expect(startAtLogin({ ...base, policyAutostart: false, policyBehaviour: 'policy', personal: true })).toEqual({ value: false, source: 'policy', available: true });
    expect(startAtLogin({ ...base, policyAutostart: true, policyBehaviour: 'last-valid', personal: false })).toEqual({ value: true, source: 'policy', available: true });
  });

  it('a managed policy in force without autostart turns it on (IT rolled the app out to run)', () => {
    expect(startAtLogin({ ...base, policyBehaviour: 'policy', personal: false })).toEqual({ value: true, source: 'policy', available: true });
    expect(startAtLogin({ ...base, policyBehaviour: 'last-valid', personal: false })).toMatchObject({ value: true, source: 'policy' });
    // No valid policy of IT's (none, or broken without a last good one): the person's choice.
    expect(startAtLogin({ ...base, policyBehaviour: 'nothing-automatic', personal: false })).toMatchObject({ value: false, source: 'settings' });
    expect(managedPolicyInForce('defaults')).toBe(false);
  });

  it('says where nothing can be registered (headless, development build)', () => {
    expect(startAtLogin({ ...base, available: false })).toEqual({ value: true, source: 'default', available: false });
  });
});

describe('start at login: what each OS gets', () => {
  const target = { execPath: '/opt/Cowork Companion/cowork-companion', env: {}, home: '/home/dana' };

  it('Windows: a Run-key login item for the executable with --hidden (the same path and args to remove it)', () => {
    const on = autostartPlan(true, { ...target, platform: 'win32', execPath: 'C:\\Program Files\\Cowork Companion\\Cowork Companion.exe' });
    expect(on).toEqual({ kind: 'login-item', settings: { openAtLogin: true, path: 'C:\\Program Files\\Cowork Companion\\Cowork Companion.exe', args: ['--hidden'] } });
    expect(autostartPlan(false, { ...target, platform: 'win32', execPath: 'C:\\x.exe' })).toEqual({ kind: 'login-item', settings: { openAtLogin: false, path: 'C:\\x.exe', args: ['--hidden'] } });
  });

  it('macOS: a login item without arguments; a start at login counts as --hidden', () => {
    expect(autostartPlan(true, { ...target, platform: 'darwin' })).toEqual({ kind: 'login-item', settings: { openAtLogin: true } });
    expect(autostartPlan(false, { ...target, platform: 'darwin' })).toEqual({ kind: 'login-item', settings: { openAtLogin: false } });
    expect(startsHidden(false, 'darwin', () => true)).toBe(true);
    expect(startsHidden(false, 'darwin', () => false)).toBe(false);
    expect(startsHidden(true, 'linux', () => false)).toBe(true);
    // Elsewhere the flag alone decides (login items there carry --hidden).
    expect(startsHidden(false, 'win32', () => true)).toBe(false);
  });

  it('Linux: an XDG autostart entry in $XDG_CONFIG_HOME/autostart (else ~/.config), removed to turn it off', () => {
    expect(xdgAutostartFile({}, '/home/dana')).toBe(`/home/dana/.config/autostart/${AUTOSTART_ENTRY_NAME}`);
    expect(xdgAutostartFile({ XDG_CONFIG_HOME: '/srv/cfg' }, '/home/dana')).toBe('/srv/cfg/autostart/cowork-companion.desktop');
    // A relative XDG_CONFIG_HOME is invalid per the spec and ignored.
    expect(xdgAutostartFile({ XDG_CONFIG_HOME: 'cfg' }, '/home/dana')).toBe('/home/dana/.config/autostart/cowork-companion.desktop');
    const on = autostartPlan(true, { ...target, platform: 'linux' });
    expect(on).toEqual({ kind: 'xdg-autostart', file: '/home/dana/.config/autostart/cowork-companion.desktop', content: desktopEntry(target.execPath) });
    expect(autostartPlan(false, { ...target, platform: 'linux' })).toEqual({ kind: 'xdg-autostart', file: '/home/dana/.config/autostart/cowork-companion.desktop', content: undefined });
    // An AppImage runs from a temporary mount: the entry runs the image file.
    const appImage = autostartPlan(true, { ...target, platform: 'linux', env: { APPIMAGE: '/home/dana/Apps/Cowork-Companion.AppImage' } });
    expect(appImage.kind === 'xdg-autostart' && appImage.content).toMatch(/^Exec=\/home\/dana\/Apps\/Cowork-Companion\.AppImage --hidden$/m);
  });

  it('the entry, exactly', () => {
    expect(desktopEntry('/opt/Cowork Companion/cowork-companion')).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Version=1.5',
        'Name=Cowork Companion',
        'Comment=Start Cowork Companion in the tray at login',
        'Exec="/opt/Cowork Companion/cowork-companion" --hidden',
        'Icon=cowork-companion',
        'Terminal=false',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    );
  });

  it('quotes and escapes Exec arguments as the Desktop Entry spec says', () => {
    expect(desktopExecArgument('/usr/bin/cowork-companion')).toBe('/usr/bin/cowork-companion');
    expect(desktopExecArgument('/opt/a b')).toBe('"/opt/a b"');
    // Inside quotes: " ` $ \ get a backslash; then the string value doubles every backslash.
    expect(desktopExecArgument('/opt/$HOME/"x"`y`')).toBe('"/opt/\\\\$HOME/\\\\"x\\\\"\\\\`y\\\\`"');
    expect(desktopExecArgument('/opt/a\\b')).toBe('"/opt/a\\\\\\\\b"');
    // % starts a field code.
    expect(desktopExecArgument('/opt/100%/app')).toBe('/opt/100%%/app');
    expect(() => desktopExecArgument('/opt/a\nExec=evil')).toThrow(/desktop entry/);
    expect(() => desktopExecArgument('')).toThrow(/desktop entry/);
  });
});

describe('start at login: the registrar', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const tempHome = () => {
    const d = mkdtempSync(join(tmpdir(), 'cc-autostart-'));
    dirs.push(d);
    return d;
  };
  const noApp = { setLoginItemSettings: () => expect.fail('no login items on Linux') };

  it('Linux: writes the entry (creating the folder), leaves it when unchanged, removes it; no temp files left', () => {
    const home = tempHome();
    const lines: string[] = [];
    const r = createAutostartRegistrar(noApp, { platform: 'linux', execPath: '/opt/cc/cowork-companion', env: { XDG_CONFIG_HOME: join(home, 'cfg') }, home }, (l) => lines.push(l));
    const file = join(home, 'cfg', 'autostart', AUTOSTART_ENTRY_NAME);
    r.apply(true);
    expect(readFileSync(file, 'utf8')).toBe(desktopEntry('/opt/cc/cowork-companion'));
    const written = statSync(file).mtimeMs;
    r.apply(true);
    expect(statSync(file).mtimeMs).toBe(written);
    r.apply(false);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(join(home, 'cfg', 'autostart'))).toEqual([]);
    r.apply(false);
    expect(lines).toEqual([]);
  });

  it('Linux: an entry someone changed is put back as it should be at start', () => {
    const home = tempHome();
    const file = join(home, '.config', 'autostart', AUTOSTART_ENTRY_NAME);
    mkdirSync(join(home, '.config', 'autostart'), { recursive: true });
    writeFileSync(file, '[Desktop Entry]\nExec=/tmp/other\n');
    createAutostartRegistrar(noApp, { platform: 'linux', execPath: '/opt/cc/cowork-companion', env: {}, home }, () => undefined).apply(true);
    expect(readFileSync(file, 'utf8')).toBe(desktopEntry('/opt/cc/cowork-companion'));
  });

  it('a folder it cannot create is logged, not thrown, and retried next time', () => {
    const home = tempHome();
    // A file where the config folder should be (fails for root too, unlike permissions).
    writeFileSync(join(home, '.config'), 'not a folder');
    const lines: string[] = [];
    const r = createAutostartRegistrar(noApp, { platform: 'linux', execPath: '/opt/cc/app', env: {}, home }, (l) => lines.push(l));
    r.apply(true);
    expect(lines).toEqual([expect.stringMatching(/cannot register start at login: .*(ENOTDIR|EEXIST)/)]);
    rmSync(join(home, '.config'));
    r.apply(true);
    expect(existsSync(join(home, '.config', 'autostart', AUTOSTART_ENTRY_NAME))).toBe(true);
  });

  it('macOS and Windows: one login-item call per change', () => {
    const calls: Settings[] = [];
    const app = { setLoginItemSettings: (s: Settings) => void calls.push(s) };
    const mac = createAutostartRegistrar(app, { platform: 'darwin', execPath: '/Applications/Cowork Companion.app/Contents/MacOS/Cowork Companion', env: {}, home: '/Users/dana' }, () => undefined);
    mac.apply(true);
    mac.apply(true);
    mac.apply(false);
    expect(calls).toEqual([{ openAtLogin: true }, { openAtLogin: false }]);
  });
});
