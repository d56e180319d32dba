import { mkdtempSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretsEqual } from '../../electron/core/base/index.js';
import { loadOrCreateAgentToken } from '../../electron/core/http/agent-token.js';
import { defaultDataDir } from '../../electron/core/base/data-dir.js';

describe('data dir', () => {
  it('follows each OS convention and honours overrides', () => {
    expect(defaultDataDir({}, 'linux', '/home/u')).toBe('/home/u/.config/cowork-companion');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux', '/home/u')).toBe('/x/cowork-companion');
    expect(defaultDataDir({ XDG_CONFIG_HOME: 'relative' }, 'linux', '/home/u')).toBe('/home/u/.config/cowork-companion');
    expect(defaultDataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Application Support/cowork-companion');
    expect(defaultDataDir({ COWORK_COMPANION_DATA_DIR: '/opt/cc' }, 'linux', '/home/u')).toBe('/opt/cc');
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
