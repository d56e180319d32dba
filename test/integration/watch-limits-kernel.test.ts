// Real kernel limits, not simulated: the watcher runs in a child process
//  - inside a user namespace whose inotify watch limit is lowered to 40 (`unshare -Ur`, then
//    /proc/sys/user/max_inotify_watches): a tree too large for the limit is reported as partly
//    watched, with the limit, the setting to raise and what is not watched; the shared folder (set up
//    first) is still fully watched; nothing crashes;
//  - without the DAC-override capabilities (`setpriv --bounding-set`): a folder it cannot read is
//    reported as not watched (permission denied) and the rest is watched.
// Skipped where the kernel or the sandbox does not allow it (not Linux, no unshare/setpriv).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WatchStatus } from '../../electron/core/watch/watch-status.js';

function works(cmd: string, args: string[]): boolean {
  if (process.platform !== 'linux') return false;
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}

const canUnshare = works('unshare', ['-Ur', 'sh', '-c', 'echo 40 > /proc/sys/user/max_inotify_watches']);
const isRoot = process.getuid?.() === 0;
const canDropDac = isRoot && works('setpriv', ['--bounding-set=-dac_override,-dac_read_search', 'true']);

let dir = '';
let bundle = '';
beforeAll(async () => {
  if (!canUnshare && !canDropDac) return;
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'cc-kernel-')));
  bundle = join(dir, 'watch-child.mjs');
  await build({
    entryPoints: [new URL('../support/watch-child.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    outfile: bundle,
    logLevel: 'silent',
  });
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface ChildResult {
  status: WatchStatus;
  manifestPaths: string[];
  outOfScopePaths: string[];
  errors: string[];
  fatal?: string;
}

function runChild(prefix: string[], input: unknown): ChildResult {
  const r = spawnSync(prefix[0]!, [...prefix.slice(1), process.execPath, bundle, JSON.stringify(input)], { encoding: 'utf8', timeout: 20_000 });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  let parsed: ChildResult;
  try {
    parsed = JSON.parse(line) as ChildResult;
  } catch {
    throw new Error(`child failed (status ${r.status}): ${r.stdout}\n${r.stderr}`);
  }
  if (parsed.fatal) throw new Error(parsed.fatal);
  return parsed;
}

describe.skipIf(!canUnshare)('a tree too large for the inotify watch limit (real kernel limit of 40 watches)', () => {
  it('is reported as partly watched with the limit and how to raise it; the shared folder is still watched', () => {
    const home = join(dir, 'home-limit');
    const shared = join(home, 'proj');
    mkdirSync(join(shared, 'src'), { recursive: true });
    for (let i = 0; i < 120; i++) mkdirSync(join(home, 'big', `d${i}`), { recursive: true });
    const input = {
      home,
      dataDir: join(home, '.data'),
      shared: [shared],
      writes: { inside: [join(shared, 'src', 'a.ts')], outside: [] },
    };
    const result = runChild(['unshare', '-Ur', 'sh', '-c', 'echo 40 > /proc/sys/user/max_inotify_watches && exec "$0" "$@"'], input);
    const s = result.status;
    expect(s.limits).toMatchObject({ maxUserWatches: 40, watchLimitSetting: 'user.max_inotify_watches' });
    expect(s.hint).toContain('sudo sysctl user.max_inotify_watches=');
    expect(s.problem).toMatch(/limit on watched folders/);
    expect(s.roots.find((r) => r.path === home)).toMatchObject({ role: 'sentinel', state: 'partial' });
    expect(s.roots.find((r) => r.path === shared)).toMatchObject({ role: 'shared', state: 'ready' });
    const limited = s.notWatching.filter((n) => n.reason.includes('limit on watched folders'));
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.every((n) => n.path.startsWith(join(home, 'big')))).toBe(true);
    expect(s.watching).toEqual(expect.arrayContaining([shared, home]));
    // Watching continues where it could be set up.
    expect(result.manifestPaths).toEqual([join(shared, 'src', 'a.ts')]);
    expect(result.errors).toEqual([]);
  });
});

describe.skipIf(!canDropDac)('a folder the companion cannot read (real permission check)', () => {
  it('is reported as not watched (permission denied), the rest is watched', () => {
    const home = join(dir, 'home-perm');
    const shared = join(home, 'proj');
    const locked = join(home, 'Documents', 'locked');
    mkdirSync(shared, { recursive: true });
    mkdirSync(join(locked, 'inner'), { recursive: true });
    writeFileSync(join(locked, 'inner', 'secret.txt'), 'x');
    chmodSync(locked, 0o000);
    try {
      const input = {
        home,
        dataDir: join(home, '.data'),
        shared: [shared],
        writes: { inside: [join(shared, 'a.ts')], outside: [join(home, 'Documents', 'b.txt')] },
      };
      const result = runChild(['setpriv', '--bounding-set=-dac_override,-dac_read_search'], input);
      expect(result.status.notWatching).toContainEqual({ path: locked, reason: expect.stringContaining('permission denied') });
      expect(result.status.roots.find((r) => r.path === home)?.state).toBe('ready');
      expect(result.manifestPaths).toEqual([join(shared, 'a.ts')]);
      expect(result.outOfScopePaths).toEqual([join(home, 'Documents', 'b.txt')]);
    } finally {
      chmodSync(locked, 0o755);
    }
  });
});
