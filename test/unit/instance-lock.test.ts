// One companion per data folder: the lock file, its stale case and its release.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireInstanceLock, INSTANCE_LOCK_FILE, InstanceRunningError } from '../../electron/core/base/index.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cc-lock-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A pid no process has (beyond Linux's default pid_max). */
const GONE = 4_194_999;

describe('instance lock', () => {
  it('a live holder is named with its address; the folder is left as it was', () => {
    writeFileSync(join(dir, INSTANCE_LOCK_FILE), JSON.stringify({ pid: process.ppid, url: 'http://127.0.0.1:1234' }));
    const before = readFileSync(join(dir, INSTANCE_LOCK_FILE), 'utf8');
    let error: unknown;
    try {
      acquireInstanceLock(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InstanceRunningError);
    expect((error as Error).message).toMatch(new RegExp(`already running for this data folder \\(pid ${process.ppid}, at http://127\\.0\\.0\\.1:1234\\)`));
    expect(readFileSync(join(dir, INSTANCE_LOCK_FILE), 'utf8')).toBe(before);
  });

  it('a lock left by a companion that is gone (or unreadable) is taken over', () => {
    writeFileSync(join(dir, INSTANCE_LOCK_FILE), JSON.stringify({ pid: GONE }));
    acquireInstanceLock(dir).release();
    writeFileSync(join(dir, INSTANCE_LOCK_FILE), 'garbage');
    const lock = acquireInstanceLock(dir);
    expect(JSON.parse(readFileSync(join(dir, INSTANCE_LOCK_FILE), 'utf8'))).toEqual({ pid: process.pid });
    lock.publish('http://127.0.0.1:9');
    expect(JSON.parse(readFileSync(join(dir, INSTANCE_LOCK_FILE), 'utf8'))).toEqual({ pid: process.pid, url: 'http://127.0.0.1:9' });
    lock.release();
    expect(existsSync(join(dir, INSTANCE_LOCK_FILE))).toBe(false);
  });

  it('release never removes a lock another companion holds now', () => {
    const lock = acquireInstanceLock(dir);
    writeFileSync(join(dir, INSTANCE_LOCK_FILE), JSON.stringify({ pid: process.ppid }));
    lock.release();
    expect(existsSync(join(dir, INSTANCE_LOCK_FILE))).toBe(true);
  });
});
