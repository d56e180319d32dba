// directoryWatchPort (fs.watch on every folder) on real temp trees: the raw events the file watcher
// service consumes — add/change/unlink/addDir/unlinkDir, renames, atomic saves, new folders and what
// is written into them at once, depth, ignored paths, symbolic links, unreadable folders, roots that
// appear and go, bursts, and nothing after close(). Every wait polls with a bound (vi.waitFor).
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { directoryWatchPort } from '../../electron/core/watch/directory-watch-port.js';
import type { RawWatchEvent, WatcherHandle, WatchRootOptions } from '../../electron/core/watch/watcher-port.js';
import { countInotifyWatches } from '../../electron/core/watch/watch-limits.js';

const linux = process.platform === 'linux';
const isRoot = process.getuid?.() === 0;
function works(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}
const canDropDac = linux && isRoot && works('setpriv', ['--bounding-set=-dac_override,-dac_read_search', 'true']);
const canUnshare = linux && works('unshare', ['-Ur', 'sh', '-c', 'echo 40 > /proc/sys/user/max_inotify_watches']);

interface Recorder {
  events: [RawWatchEvent, string][];
  errors: NodeJS.ErrnoException[];
  raws: [string, string | null, string | undefined][];
  ready: Promise<void>;
  handle: WatcherHandle;
}

let dir = '';
const handles: WatcherHandle[] = [];
beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'cc-dirport-')));
});
afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.close()));
  rmSync(dir, { recursive: true, force: true });
});

function watchRoot(root: string, options: Partial<WatchRootOptions> = {}): Recorder {
  let resolve!: () => void;
  const r: Omit<Recorder, 'handle'> = { events: [], errors: [], raws: [], ready: new Promise<void>((res) => (resolve = res)) };
  const handle = directoryWatchPort.watch(root, { ignored: () => false, ...options }, {
    event: (kind, path) => r.events.push([kind, path]),
    raw: (event, name, d) => r.raws.push([event, name, d]),
    error: (error) => r.errors.push(error as NodeJS.ErrnoException),
    ready: resolve,
  });
  handles.push(handle);
  return { ...r, handle };
}

async function started(root: string, options: Partial<WatchRootOptions> = {}): Promise<Recorder> {
  const r = watchRoot(root, options);
  await r.ready;
  return r;
}

const seen = (r: Recorder, kind: RawWatchEvent, path: string): boolean => r.events.some(([k, p]) => k === kind && p === path);
const until = (check: () => void): Promise<void> => vi.waitFor(check, { timeout: 5000, interval: 10 });
const settle = (ms = 300): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs the port in a child process under `prefix` (setpriv, unshare): watch `root`, write ok.txt once ready, report. */
async function inChild(prefix: string[], root: string): Promise<{ errors: { code: string; path: string }[]; events: [string, string][] }> {
  const bundle = join(mkdtempSync(join(tmpdir(), 'cc-dirport-child-')), 'child.mjs');
  await build({
    stdin: {
      contents: `
        import { writeFileSync } from 'node:fs';
        import { join } from 'node:path';
        import { directoryWatchPort } from './electron/core/watch/directory-watch-port.ts';
        const root = process.argv[2];
        const out = { errors: [], events: [] };
        const h = directoryWatchPort.watch(root, { ignored: () => false }, {
          event: (k, p) => out.events.push([k, p]),
          error: (e) => out.errors.push({ code: e.code, path: e.path }),
          ready: () => writeFileSync(join(root, 'ok.txt'), 'x'),
        });
        const start = Date.now();
        const timer = setInterval(async () => {
          if (out.events.length === 0 && Date.now() - start < 5000) return;
          clearInterval(timer);
          await h.close();
          console.log(JSON.stringify(out));
        }, 20);`,
      resolveDir: fileURLToPath(new URL('../..', import.meta.url)),
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: bundle,
    logLevel: 'silent',
  });
  try {
    const run = spawnSync(prefix[0]!, [...prefix.slice(1), process.execPath, bundle, root], { encoding: 'utf8', timeout: 15_000 });
    return JSON.parse(run.stdout.trim().split('\n').at(-1) || 'null') ?? { errors: [{ code: 'child failed', path: run.stderr }], events: [] };
  } finally {
    rmSync(dirname(bundle), { recursive: true, force: true });
  }
}

describe.skipIf(!linux)('directoryWatchPort (Linux)', () => {
  it('reports nothing for what already exists, then add, change and unlink of a file', async () => {
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    writeFileSync(join(dir, 'a', 'b', 'old.txt'), 'x');
    const r = await started(dir);
    expect(r.events).toEqual([]);
    const file = join(dir, 'a', 'b', 'new.txt');
    writeFileSync(file, 'one');
    await until(() => expect(seen(r, 'add', file)).toBe(true));
    appendFileSync(file, 'two');
    await until(() => expect(seen(r, 'change', file)).toBe(true));
    appendFileSync(join(dir, 'a', 'b', 'old.txt'), 'y');
    await until(() => expect(seen(r, 'change', join(dir, 'a', 'b', 'old.txt'))).toBe(true));
    unlinkSync(file);
    await until(() => expect(seen(r, 'unlink', file)).toBe(true));
    expect(r.events.filter(([, p]) => p === file).map(([k]) => k)).toEqual(['add', 'change', 'unlink']);
    expect(r.errors).toEqual([]);
    // The service sees the kernel's names (renames announced, names that are not valid UTF-8).
    expect(r.raws).toContainEqual(['rename', 'new.txt', join(dir, 'a', 'b')]);
  });

  it('addDir and unlinkDir, with what was inside a removed folder', async () => {
    const r = await started(dir);
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    await until(() => expect(seen(r, 'addDir', sub)).toBe(true));
    writeFileSync(join(sub, 'f.txt'), 'x');
    mkdirSync(join(sub, 'deeper'));
    await until(() => expect(seen(r, 'addDir', join(sub, 'deeper'))).toBe(true));
    rmSync(sub, { recursive: true });
    await until(() => expect(seen(r, 'unlinkDir', sub)).toBe(true));
    expect(seen(r, 'unlink', join(sub, 'f.txt'))).toBe(true);
    expect(seen(r, 'unlinkDir', join(sub, 'deeper'))).toBe(true);
  });

  it('files created inside a new folder right after mkdir are all reported, once each', async () => {
    const r = await started(dir);
    const fresh = join(dir, 'fresh', 'nested');
    mkdirSync(fresh, { recursive: true });
    for (let i = 0; i < 20; i++) writeFileSync(join(fresh, `f${i}.txt`), String(i));
    const later = join(fresh, 'later.txt');
    setTimeout(() => writeFileSync(later, 'x'), 5);
    await until(() => {
      for (let i = 0; i < 20; i++) expect(seen(r, 'add', join(fresh, `f${i}.txt`))).toBe(true);
      expect(seen(r, 'add', later)).toBe(true);
    });
    expect(seen(r, 'addDir', join(dir, 'fresh'))).toBe(true);
    expect(seen(r, 'addDir', fresh)).toBe(true);
    await settle(150);
    const adds = r.events.filter(([k]) => k === 'add').map(([, p]) => p);
    expect(new Set(adds).size).toBe(adds.length);
    expect(r.events.filter(([k]) => k === 'change')).toEqual([]);
  });

  it('a file rename is unlink + add; a folder rename moves its contents too', async () => {
    mkdirSync(join(dir, 'from', 'inner'), { recursive: true });
    writeFileSync(join(dir, 'from', 'inner', 'x.txt'), 'x');
    writeFileSync(join(dir, 'a.txt'), 'a');
    const r = await started(dir);
    renameSync(join(dir, 'a.txt'), join(dir, 'b.txt'));
    await until(() => {
      expect(seen(r, 'unlink', join(dir, 'a.txt'))).toBe(true);
      expect(seen(r, 'add', join(dir, 'b.txt'))).toBe(true);
    });
    renameSync(join(dir, 'from'), join(dir, 'to'));
    await until(() => {
      expect(seen(r, 'unlinkDir', join(dir, 'from'))).toBe(true);
      expect(seen(r, 'unlink', join(dir, 'from', 'inner', 'x.txt'))).toBe(true);
      expect(seen(r, 'addDir', join(dir, 'to'))).toBe(true);
      expect(seen(r, 'addDir', join(dir, 'to', 'inner'))).toBe(true);
      expect(seen(r, 'add', join(dir, 'to', 'inner', 'x.txt'))).toBe(true);
    });
    // The moved folder is watched under its new name, not the old one.
    const moved = join(dir, 'to', 'inner', 'y.txt');
    writeFileSync(moved, 'y');
    await until(() => expect(seen(r, 'add', moved)).toBe(true));
    expect(r.events.some(([, p]) => p === join(dir, 'from', 'inner', 'y.txt'))).toBe(false);
  });

  it('a folder deleted and made again at once, or swapped for another, is watched as it is now', async () => {
    mkdirSync(join(dir, 'sub', 'inner'), { recursive: true });
    mkdirSync(join(dir, 'swap'));
    mkdirSync(join(dir, 'other'));
    writeFileSync(join(dir, 'other', 'o.txt'), 'x');
    const r = await started(dir);
    rmSync(join(dir, 'sub'), { recursive: true });
    mkdirSync(join(dir, 'sub', 'inner'), { recursive: true });
    renameSync(join(dir, 'swap'), join(dir, 'swap.old'));
    renameSync(join(dir, 'other'), join(dir, 'swap'));
    await settle(100);
    const files = [join(dir, 'sub', 'inner', 'a.txt'), join(dir, 'swap', 'b.txt'), join(dir, 'swap.old', 'c.txt')];
    for (const f of files) writeFileSync(f, 'x');
    await until(() => {
      for (const f of files) expect(seen(r, 'add', f)).toBe(true);
    });
    expect(r.events.some(([, p]) => p === join(dir, 'swap', 'c.txt') || p === join(dir, 'swap.old', 'b.txt'))).toBe(false);
  });

  it('the root deleted and made again at once is watched again', async () => {
    const root = join(dir, 'root');
    mkdirSync(join(root, 'inner'), { recursive: true });
    const r = await started(root);
    rmSync(root, { recursive: true });
    mkdirSync(join(root, 'inner'), { recursive: true });
    await settle(100);
    const file = join(root, 'inner', 'a.txt');
    writeFileSync(file, 'x');
    await until(() => expect(seen(r, 'add', file)).toBe(true));
  });

  it('an atomic save (write a temp file, rename it over the original) is a change of the original', async () => {
    const target = join(dir, 'doc.txt');
    writeFileSync(target, 'v1');
    const r = await started(dir);
    const tmp = join(dir, '.doc.txt.tmp');
    writeFileSync(tmp, 'v2');
    renameSync(tmp, target);
    await until(() => expect(seen(r, 'change', target)).toBe(true));
    await settle(150);
    expect(r.events.filter(([, p]) => p === target)).toEqual([['change', target]]);
    // The temp file, if it was seen at all, was seen to go.
    if (seen(r, 'add', tmp)) expect(seen(r, 'unlink', tmp)).toBe(true);
  });

  it('a file replaced by a folder of the same name', async () => {
    const p = join(dir, 'thing');
    writeFileSync(p, 'x');
    const r = await started(dir);
    unlinkSync(p);
    mkdirSync(p);
    writeFileSync(join(p, 'in.txt'), 'x');
    await until(() => {
      expect(seen(r, 'unlink', p)).toBe(true);
      expect(seen(r, 'addDir', p)).toBe(true);
      expect(seen(r, 'add', join(p, 'in.txt'))).toBe(true);
    });
  });

  it('depth 0 watches only the root’s own entries; depth 1 one level more', async () => {
    mkdirSync(join(dir, 'l1', 'l2'), { recursive: true });
    const r0 = await started(dir, { depth: 0 });
    const r1 = await started(dir, { depth: 1 });
    writeFileSync(join(dir, 'l1', 'l2', 'deep.txt'), 'x');
    writeFileSync(join(dir, 'l1', 'mid.txt'), 'x');
    mkdirSync(join(dir, 'new1'));
    writeFileSync(join(dir, 'top.txt'), 'x'); // written last: once seen, the others would have been
    await until(() => expect(seen(r0, 'add', join(dir, 'top.txt')) && seen(r1, 'add', join(dir, 'top.txt'))).toBe(true));
    await until(() => expect(seen(r1, 'add', join(dir, 'l1', 'mid.txt'))).toBe(true));
    await settle(150);
    expect(seen(r0, 'addDir', join(dir, 'new1'))).toBe(true);
    expect(r0.events.map(([, p]) => p).sort()).toEqual([join(dir, 'new1'), join(dir, 'top.txt')]);
    expect(r1.events.map(([, p]) => p).sort()).toEqual([join(dir, 'l1', 'mid.txt'), join(dir, 'new1'), join(dir, 'top.txt')]);
  });

  it('ignored paths are neither reported nor watched', async () => {
    mkdirSync(join(dir, 'node_modules', 'pkg'), { recursive: true });
    const ignored = (p: string): boolean => p.split('/').includes('node_modules') || p.endsWith('.log');
    const before = countInotifyWatches();
    const r = await started(dir, { ignored });
    if (before !== undefined) expect(countInotifyWatches()).toBe(before + 1 + 1); // the root and its anchor (the parent)
    writeFileSync(join(dir, 'node_modules', 'pkg', 'index.js'), 'x');
    writeFileSync(join(dir, 'debug.log'), 'x');
    mkdirSync(join(dir, 'node_modules', 'other'));
    writeFileSync(join(dir, 'kept.txt'), 'x');
    await until(() => expect(seen(r, 'add', join(dir, 'kept.txt'))).toBe(true));
    await settle(150);
    expect(r.events).toEqual([['add', join(dir, 'kept.txt')]]);
  });

  it('symbolic links are entries, never followed (a loop does not hang)', async () => {
    mkdirSync(join(dir, 'loop', 'inner'), { recursive: true });
    symlinkSync(join(dir, 'loop'), join(dir, 'loop', 'inner', 'back'));
    symlinkSync(join(dir, 'b'), join(dir, 'a'));
    symlinkSync(join(dir, 'a'), join(dir, 'b'));
    const before = countInotifyWatches();
    const r = await started(dir);
    if (before !== undefined) expect(countInotifyWatches()).toBe(before + 3 + 1); // dir, loop, inner + anchor
    symlinkSync(join(dir, 'loop'), join(dir, 'link-to-loop'));
    writeFileSync(join(dir, 'loop', 'inner', 'x.txt'), 'x');
    await until(() => {
      expect(seen(r, 'add', join(dir, 'link-to-loop'))).toBe(true);
      expect(seen(r, 'add', join(dir, 'loop', 'inner', 'x.txt'))).toBe(true);
    });
    await settle(100);
    expect(r.events.some(([, p]) => p.includes('/back/') || p.includes('/link-to-loop/'))).toBe(false);
    expect(r.errors).toEqual([]);
  });

  it.skipIf(isRoot)('an unreadable folder is reported (EACCES, with its path) and the rest is watched (skipped as root, where mode bits do not apply: the setpriv test below covers it)', async () => {
    const locked = join(dir, 'locked');
    mkdirSync(join(locked, 'sub'), { recursive: true });
    chmodSync(locked, 0o000);
    try {
      const r = await started(dir);
      expect(r.errors).toContainEqual(expect.objectContaining({ code: 'EACCES', path: locked }));
      writeFileSync(join(dir, 'ok.txt'), 'x');
      await until(() => expect(seen(r, 'add', join(dir, 'ok.txt'))).toBe(true));
    } finally {
      chmodSync(locked, 0o755);
    }
  });

  it.skipIf(!canDropDac)('an unreadable folder is reported and the rest is watched (as root: in a child without DAC override, via setpriv)', async () => {
    const locked = join(dir, 'locked');
    mkdirSync(join(locked, 'sub'), { recursive: true });
    chmodSync(locked, 0o000);
    try {
      const out = await inChild(['setpriv', '--bounding-set=-dac_override,-dac_read_search'], dir);
      expect(out.errors).toEqual([{ code: 'EACCES', path: locked }]);
      expect(out.events).toEqual([['add', join(dir, 'ok.txt')]]);
    } finally {
      chmodSync(locked, 0o755);
    }
  });

  it.skipIf(!canUnshare)('the inotify watch limit (real kernel limit of 40, in a user namespace): ENOSPC per folder not watched, the rest watched', async () => {
    for (let i = 0; i < 60; i++) mkdirSync(join(dir, 'big', `d${i}`), { recursive: true });
    const out = await inChild(['unshare', '-Ur', 'sh', '-c', 'echo 40 > /proc/sys/user/max_inotify_watches && exec "$0" "$@"'], dir);
    expect(out.errors.length).toBeGreaterThan(0);
    expect(out.errors.every((e) => e.code === 'ENOSPC' && e.path.startsWith(join(dir, 'big')))).toBe(true);
    expect(out.events).toEqual([['add', join(dir, 'ok.txt')]]);
  });

  it('a root that does not exist: no error, ready; reported when it appears (with its contents) and when it goes', async () => {
    const root = join(dir, 'not', 'yet');
    const r = await started(root);
    expect(r.errors).toEqual([]);
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'first.txt'), 'x');
    await until(() => {
      expect(seen(r, 'addDir', root)).toBe(true);
      expect(seen(r, 'add', join(root, 'first.txt'))).toBe(true);
    });
    rmSync(join(dir, 'not'), { recursive: true });
    await until(() => expect(seen(r, 'unlinkDir', root)).toBe(true));
    // Back again: watched again.
    mkdirSync(root, { recursive: true });
    await until(() => expect(r.events.filter(([k, p]) => k === 'addDir' && p === root)).toHaveLength(2));
    writeFileSync(join(root, 'again.txt'), 'x');
    await until(() => expect(seen(r, 'add', join(root, 'again.txt'))).toBe(true));
    expect(r.errors).toEqual([]);
  });

  it('a root that is a file: change, unlink, add', async () => {
    const file = join(dir, '.netrc');
    writeFileSync(file, 'machine a');
    const r = await started(file);
    appendFileSync(file, '\nmachine b');
    await until(() => expect(seen(r, 'change', file)).toBe(true));
    unlinkSync(file);
    await until(() => expect(seen(r, 'unlink', file)).toBe(true));
    writeFileSync(file, 'x');
    await until(() => expect(seen(r, 'add', file)).toBe(true));
    writeFileSync(join(dir, 'sibling.txt'), 'x');
    await settle(100);
    expect(r.events.every(([, p]) => p === file)).toBe(true);
  });

  it('close() stops events and releases every inotify watch', async () => {
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    const before = countInotifyWatches();
    const r = await started(dir);
    if (before !== undefined) expect(countInotifyWatches()).toBeGreaterThan(before);
    await r.handle.close();
    writeFileSync(join(dir, 'a', 'b', 'after.txt'), 'x');
    mkdirSync(join(dir, 'c'));
    await settle();
    expect(r.events).toEqual([]);
    if (before !== undefined) expect(countInotifyWatches()).toBe(before);
  });

  it('close() during the initial walk: no ready, no events, no watches left', async () => {
    for (let i = 0; i < 1000; i++) mkdirSync(join(dir, `d${i}`, 'e'), { recursive: true });
    const before = countInotifyWatches() ?? 0;
    const r = watchRoot(dir);
    let ready = false;
    void r.ready.then(() => (ready = true));
    // Some folders are watched, most are not yet.
    await vi.waitFor(() => expect(countInotifyWatches() ?? 99).toBeGreaterThan(before + 10), { timeout: 5000, interval: 1 });
    await r.handle.close();
    expect(ready).toBe(false);
    writeFileSync(join(dir, 'd0', 'x.txt'), 'x');
    mkdirSync(join(dir, 'new'));
    await settle();
    expect(ready).toBe(false);
    expect(r.events).toEqual([]);
    if (countInotifyWatches() !== undefined) expect(countInotifyWatches()).toBe(before);
  });

  it('a burst of 1,000 files: every one reported once', async () => {
    mkdirSync(join(dir, 'burst'));
    const r = await started(dir);
    const files = Array.from({ length: 1000 }, (_, i) => join(dir, 'burst', `f${i}.txt`));
    for (const f of files) writeFileSync(f, 'x');
    await until(() => expect(r.events.filter(([k]) => k === 'add')).toHaveLength(1000));
    expect(new Set(r.events.map(([, p]) => p))).toEqual(new Set(files));
  });
});
