// Limit and permission errors injected at the watcher port (real chokidar underneath for everything
// else): each is reported in status() with what is and is not watched and how to fix it; the other
// roots keep working; nothing throws. (watch-limits-kernel.test.ts hits the real kernel limit.)
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chokidarPort } from '../../electron/core/watch/chokidar-watch-port.js';
import type { WatcherPort } from '../../electron/core/watch/watcher-port.js';
import { SESSION, waitFor, watchHarness, type WatchHarness } from '../support/watch-harness.js';

let h: WatchHarness | undefined;
afterEach(async () => {
  await h?.dispose();
  h = undefined;
});

const errno = (code: string, path: string) => Object.assign(new Error(`${code}: injected, watch '${path}'`), { code, path, syscall: 'watch' });

/** chokidar, except that `inject(root, sink)` may fail a root's watcher. */
function faultyPort(inject: (root: string, sink: Parameters<WatcherPort['watch']>[2]) => 'throw-emfile' | void): WatcherPort {
  return {
    watch(root, options, sink) {
      if (inject(root, sink) === 'throw-emfile') throw errno('EMFILE', root);
      return chokidarPort.watch(root, options, sink);
    },
  };
}

const limits = { maxUserWatches: 8192, watchLimitSetting: 'fs.inotify.max_user_watches' as const, maxUserInstances: 128 };

describe('limit errors', () => {
  it('ENOSPC below a root: the root is partial, the folder is listed, the hint says how to raise the limit', async () => {
    let home = '';
    h = await watchHarness({
      readLimits: () => limits,
      port: faultyPort((root, sink) => {
        if (root === home) setTimeout(() => sink.error(errno('ENOSPC', join(root, 'Documents', 'huge'))), 0);
      }),
    });
    home = h.home;
    await h.startRun();
    const s = await waitFor(() => {
      const st = h!.watcher.status();
      return st.roots.find((r) => r.path === home)?.state === 'partial' ? st : undefined;
    }, 2000, 'partial root');
    expect(s.notWatching).toContainEqual({ path: join(home, 'Documents', 'huge'), reason: expect.stringContaining('fs.inotify.max_user_watches = 8192') });
    expect(s.hint).toContain('sudo sysctl fs.inotify.max_user_watches=524288');
    expect(s.problem).toMatch(/limit on watched folders/);
    expect(s.watching).toEqual(expect.arrayContaining([h.proj, home]));
    expect(s.limits).toMatchObject({ maxUserWatches: 8192 });
    // Watching continues everywhere else.
    writeFileSync(join(h.proj, 'ok.ts'), 'x');
    await waitFor(() => h!.watcher.manifest(SESSION)?.files.find((f) => f.path.endsWith('ok.ts')), 1000, 'still watched');
    const out = join(h.docs, 'ok.txt');
    writeFileSync(out, 'x');
    await waitFor(() => h!.outOfScope.find((e) => e.path === out), 1000, 'sentinel still watched');
    expect(h.errors).toEqual([]);
  });

  it('EMFILE when a root cannot be watched at all: failed and listed, the others work', async () => {
    let proj = '';
    h = await watchHarness({ readLimits: () => limits, port: faultyPort((root) => (root === proj ? 'throw-emfile' : undefined)) });
    proj = h.proj;
    await h.startRun();
    const s = h.watcher.status();
    expect(s.roots.find((r) => r.path === proj)).toMatchObject({ state: 'failed', problem: expect.stringContaining('open files or inotify instances') });
    expect(s.notWatching).toContainEqual({ path: proj, reason: expect.stringContaining('EMFILE') });
    expect(s.watching).not.toContain(proj);
    expect(s.hint).toContain('fs.inotify.max_user_instances');
    expect(s.hint).toContain('ulimit -n');
    appendFileSync(join(h.ssh, 'config'), 'x');
    await waitFor(() => h!.outOfScope.find((e) => e.violation === 'forbidden'), 1000, 'forbidden still watched');
  });

  it('a permission error for a folder below a root is listed; the root stays ready', async () => {
    let home = '';
    h = await watchHarness({
      port: faultyPort((root, sink) => {
        if (root === home) setTimeout(() => sink.error(errno('EACCES', join(root, 'private'))), 0);
      }),
    });
    home = h.home;
    await h.startRun();
    const s = await waitFor(() => {
      const st = h!.watcher.status();
      return st.notWatching.find((n) => n.path === join(home, 'private')) ? st : undefined;
    }, 2000, 'permission gap');
    expect(s.notWatching).toContainEqual({ path: join(home, 'private'), reason: 'permission denied: changes inside it are not seen' });
    expect(s.roots.find((r) => r.path === home)?.state).toBe('ready');
    expect(s.hint).toBeUndefined();
  });

  it('lists at most 50 folders per root, then counts the rest', async () => {
    let home = '';
    h = await watchHarness({
      readLimits: () => limits,
      port: faultyPort((root, sink) => {
        if (root === home) setTimeout(() => { for (let i = 0; i < 80; i++) sink.error(errno('ENOSPC', join(root, `d${i}`))); }, 0);
      }),
    });
    home = h.home;
    await h.startRun();
    const s = await waitFor(() => {
      const st = h!.watcher.status();
      return st.notWatching.find((n) => n.reason.includes('and 30 more')) ? st : undefined;
    }, 2000, 'capped list');
    expect(s.notWatching.filter((n) => n.reason.includes('limit on watched folders'))).toHaveLength(50);
  });
});
