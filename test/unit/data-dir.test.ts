import { mkdtempSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretsEqual } from '../../electron/core/base/index.js';
import { loadOrCreateAgentToken } from '../../electron/core/http/agent-token.js';
import { defaultDataDir, xdgConfigHome } from '../../electron/core/base/data-dir.js';
import { passwdDataDir } from '../../electron/cli/hook-client.js';
import { managedDataDir } from '../../electron/core/deploy/claude-managed-settings-policy.js';

describe('data dir', () => {
  it('follows each OS convention and honours overrides', () => {
    expect(defaultDataDir({}, 'linux', '/home/u')).toBe('/home/u/.config/cowork-companion');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/u')).toBe('/x/cowork-companion');
    expect(defaultDataDir({ XDG_CONFIG_HOME: 'relative' }, 'linux', '/home/u')).toBe('/home/u/.config/cowork-companion');
    expect(defaultDataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/cowork-companion');
    expect(defaultDataDir({ COWORK_COMPANION_DATA_DIR: '/opt/cc' }, 'linux', '/home/u')).toBe('/opt/cc');
    expect(defaultDataDir({ APPDATA: '/appdata' }, 'win32', '/home/u')).toBe('/appdata/cowork-companion');
    expect(defaultDataDir({}, 'win32', '/home/u')).toBe('/home/u/AppData/Roaming/cowork-companion');
  });
  it('takes XDG_CONFIG_HOME only when it is absolute (the XDG rule the autostart entry follows too)', () => {
    expect(xdgConfigHome({}, '/home/u')).toBe('/home/u/.config');
    expect(xdgConfigHome({ XDG_CONFIG_HOME: '/x' }, '/home/u')).toBe('/x');
    expect(xdgConfigHome({ XDG_CONFIG_HOME: 'x' }, '/home/u')).toBe('/home/u/.config');
    expect(xdgConfigHome({ XDG_CONFIG_HOME: '' }, '/home/u')).toBe('/home/u/.config');
  });
  it('is the folder the managed Claude Code settings keep the sandbox out of, in ~ form', () => {
    expect(managedDataDir('linux')).toBe('~/.config/cowork-companion');
    expect(managedDataDir('darwin')).toBe('~/Library/Application Support/cowork-companion');
    expect(managedDataDir('win32')).toBe('~/AppData/Roaming/cowork-companion');
  });
  it('--managed: the home the user database names, and %APPDATA% on Windows as the bash client takes it', () => {
    const home = userInfo().homedir;
    const env = { HOME: '/elsewhere', XDG_CONFIG_HOME: '/x', COWORK_COMPANION_DATA_DIR: '/y', APPDATA: 'C:\\Users\\u\\AppData\\Roaming' };
    expect(passwdDataDir(env, 'linux')).toBe(join(home, '.config', 'cowork-companion'));
    expect(passwdDataDir(env, 'win32')).toBe(join(env.APPDATA, 'cowork-companion'));
    expect(() => passwdDataDir({}, 'win32')).toThrow(/needs APPDATA on Windows/);
    expect(() => passwdDataDir({ APPDATA: 'relative' }, 'win32')).toThrow(/needs APPDATA on Windows/);
  });
});

describe('agent token', () => {
  it('is created once, user-only, and reused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-tok-'));
    const a = loadOrCreateAgentToken(dir);
    expect(statSync(a.file).mode & 0o777).toBe(0o600);
    expect(a.token.length).toBeGreaterThanOrEqual(43);
    expect(loadOrCreateAgentToken(dir).token).toBe(a.token);
  });
  it('tightens loose permissions and replaces a too-short token', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-tok-'));
    writeFileSync(join(dir, 'agent-token'), 'short');
    const t = loadOrCreateAgentToken(dir);
    expect(t.token).not.toBe('short');
    chmodSync(t.file, 0o644);
    loadOrCreateAgentToken(dir);
    expect(statSync(t.file).mode & 0o777).toBe(0o600);
  });
  it('compares secrets exactly', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abd')).toBe(false);
    expect(secretsEqual('', 'abc')).toBe(false);
  });
});
