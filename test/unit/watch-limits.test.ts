// inotify limits from /proc, watch counting from fdinfo, and what a watcher error means.
import { watch } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyWatchError, countInotifyWatches, limitHint, readInotifyLimits, suggestedWatchLimit } from '../../electron/core/watch/watch-limits.js';

const files = (m: Record<string, string>) => (p: string): string => {
  if (!(p in m)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
  return m[p]!;
};

describe('readInotifyLimits', () => {
  it('reads the sysctls', () => {
    const l = readInotifyLimits(files({ '/proc/sys/fs/inotify/max_user_watches': '192536\n', '/proc/sys/fs/inotify/max_user_instances': '128\n', '/proc/sys/fs/inotify/max_queued_events': '16384\n' }), 'linux');
    expect(l).toEqual({ maxUserWatches: 192536, watchLimitSetting: 'fs.inotify.max_user_watches', maxUserInstances: 128, instanceLimitSetting: 'fs.inotify.max_user_instances', maxQueuedEvents: 16384 });
  });

  it('takes the lower of the system and user-namespace limits (containers)', () => {
    const l = readInotifyLimits(files({ '/proc/sys/fs/inotify/max_user_watches': '192536', '/proc/sys/user/max_inotify_watches': '8192', '/proc/sys/user/max_inotify_instances': '2147483647', '/proc/sys/fs/inotify/max_user_instances': '128' }), 'linux');
    expect(l).toMatchObject({ maxUserWatches: 8192, watchLimitSetting: 'user.max_inotify_watches', maxUserInstances: 128, instanceLimitSetting: 'fs.inotify.max_user_instances' });
  });

  it('is empty off Linux or when nothing is readable, and ignores garbage', () => {
    expect(readInotifyLimits(files({}), 'darwin')).toEqual({});
    expect(readInotifyLimits(files({}), 'linux')).toEqual({});
    expect(readInotifyLimits(files({ '/proc/sys/fs/inotify/max_user_watches': 'lots' }), 'linux')).toEqual({});
  });

  it.runIf(process.platform === 'linux')('reads this machine', () => {
    expect(readInotifyLimits().maxUserWatches).toBeGreaterThan(0);
  });
});

describe.runIf(process.platform === 'linux')('countInotifyWatches', () => {
  it('counts the watches this process holds', () => {
    const before = countInotifyWatches()!;
    const dirs = [0, 1, 2].map(() => mkdtempSync(join(tmpdir(), 'cc-count-')));
    const watchers = dirs.map((d) => watch(d, () => undefined));
    try {
      expect(countInotifyWatches()).toBe(before + 3);
    } finally {
      for (const w of watchers) w.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
    expect(countInotifyWatches()).toBe(before);
  });

  it('is undefined when /proc is not there', () => {
    expect(countInotifyWatches('/nonexistent-proc')).toBeUndefined();
  });
});

describe('classifyWatchError', () => {
  const err = (code: string, path?: string) => Object.assign(new Error(`${code}: boom`), { code, path });
  it.each([
    ['ENOSPC', 'watch-limit'],
    ['EMFILE', 'instance-limit'],
    ['ENFILE', 'instance-limit'],
    ['EACCES', 'permission'],
    ['EPERM', 'permission'],
    ['ENOENT', 'missing'],
    ['ELOOP', 'loop'],
    ['EIO', 'other'],
  ])('%s is %s', (code, kind) => {
    expect(classifyWatchError(err(code, '/x'))).toEqual({ kind, code, path: '/x', message: `${code}: boom` });
  });
  it('survives things that are not errors', () => {
    expect(classifyWatchError('weird')).toEqual({ kind: 'other', code: undefined, path: undefined, message: 'weird' });
    expect(classifyWatchError(undefined).kind).toBe('other');
  });
});

describe('limitHint', () => {
  it('names the sysctl, a bigger value and how to keep it', () => {
    const h = limitHint('watch-limit', { maxUserWatches: 192536, watchLimitSetting: 'fs.inotify.max_user_watches' }, 'linux')!;
    expect(h).toContain('sudo sysctl fs.inotify.max_user_watches=524288');
    expect(h).toContain('/etc/sysctl.d/');
    expect(h).toContain('192,536');
    expect(suggestedWatchLimit(1_000_000)).toBe(2_000_000);
  });
  it('for open files / instances', () => {
    expect(limitHint('instance-limit', { maxUserInstances: 128 }, 'linux')).toContain('sudo sysctl fs.inotify.max_user_instances=1024');
    expect(limitHint('instance-limit', {}, 'darwin')).toContain('ulimit -n');
  });
  it('none for other errors', () => {
    expect(limitHint('permission', {}, 'linux')).toBeUndefined();
  });
});
