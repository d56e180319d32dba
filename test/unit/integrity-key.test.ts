// The integrity key: kept by the OS keystore where there is one, never silently replaced.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INTEGRITY_KEY_FILE, loadOrCreateIntegrityKey, type KeyProtector } from '../../electron/core/integrity/index.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cc-key-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

// A stand-in for safeStorage: reversible, and visibly not the plain key.
const protector: KeyProtector = {
  encryptString: (plain) => Buffer.from(`sealed:${Buffer.from(plain).toString('hex')}`),
  decryptString: (data) => {
    const text = data.toString();
    if (!text.startsWith('sealed:')) throw new Error('not ours');
    return Buffer.from(text.slice(7), 'hex').toString();
  },
};

describe('integrity key', () => {
  it('is made once, user-only, and the same key is loaded at the next start', () => {
    const first = loadOrCreateIntegrityKey(dir);
    expect(first.created).toBe(true);
    expect(first.key.protection).toBe('user-file');
    if (process.platform !== 'win32') expect(statSync(join(dir, INTEGRITY_KEY_FILE)).mode & 0o077).toBe(0);
    const again = loadOrCreateIntegrityKey(dir);
    expect(again.created).toBe(false);
    expect(again.key.tag('x')).toBe(first.key.tag('x'));
    expect(again.key.verifies(first.key.tag('a', 'b'), 'a', 'b')).toBe(true);
  });

  it('parts are delimited, so moving a boundary changes the tag', () => {
    const { key } = loadOrCreateIntegrityKey(dir);
    expect(key.tag('ab', 'c')).not.toBe(key.tag('a', 'bc'));
    expect(key.verifies(key.tag('ab', 'c'), 'a', 'bc')).toBe(false);
  });

  it('with an OS keystore the file holds only the encrypted key', () => {
    const { key } = loadOrCreateIntegrityKey(dir, protector);
    expect(key.protection).toBe('os-keystore');
    const stored = JSON.parse(readFileSync(join(dir, INTEGRITY_KEY_FILE), 'utf8')) as { protection: string; key: string };
    expect(stored.protection).toBe('os-keystore');
    expect(Buffer.from(stored.key, 'base64').toString()).toMatch(/^sealed:/);
    expect(loadOrCreateIntegrityKey(dir, protector).key.tag('x')).toBe(key.tag('x'));
  });

  it('a process without the keystore refuses to start rather than replace the desktop app\'s key', () => {
    loadOrCreateIntegrityKey(dir, protector);
    const before = readFileSync(join(dir, INTEGRITY_KEY_FILE), 'utf8');
    expect(() => loadOrCreateIntegrityKey(dir)).toThrow(/OS keystore.*--data-dir/);
    expect(readFileSync(join(dir, INTEGRITY_KEY_FILE), 'utf8')).toBe(before);
  });

  it('a damaged key file is replaced and the replacement says why (nothing sealed before can be trusted)', () => {
    writeFileSync(join(dir, INTEGRITY_KEY_FILE), '{"v":1,"protection":"user-file","key":"c2hvcnQ="}');
    const loaded = loadOrCreateIntegrityKey(dir);
    expect(loaded).toMatchObject({ created: true, problem: expect.stringMatching(/wrong length/) });
    writeFileSync(join(dir, INTEGRITY_KEY_FILE), 'garbage');
    expect(loadOrCreateIntegrityKey(dir)).toMatchObject({ created: true, problem: expect.stringMatching(/damaged/) });
  });
});
