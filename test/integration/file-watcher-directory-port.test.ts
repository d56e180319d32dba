// The file watcher service on directoryWatchPort (fs.watch per folder) instead of chokidar: the key
// scenarios of file-watcher-service.test.ts — manifest, out-of-scope evidence, protected locations
// that appear, renames and moves, atomic saves, bursts, a shared folder deleted and back, symbolic
// link loops, unreadable names, and the watches released when the run ends (limits and unreadable
// folders with the real kernel: directory-watch-port.test.ts). Every wait polls with a bound.
import { appendFileSync, mkdirSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateEvidenceAttributes } from '../../shared/evidence-schema.js';
import { directoryWatchPort } from '../../electron/core/directory-watch-port.js';
import type { FileWatcherOptions } from '../../electron/core/file-watcher-service.js';
import { countInotifyWatches } from '../../electron/core/watch-limits.js';
import { SESSION, settle, waitFor, watchHarness, type WatchHarness } from '../support/watch-harness.js';

const BOUND_MS = 1000;

let h: WatchHarness | undefined;
afterEach(async () => {
  await h?.dispose();
  h = undefined;
});

const harness = (options: Partial<FileWatcherOptions> = {}): Promise<WatchHarness> => watchHarness({ port: directoryWatchPort, ...options });
const fileEvents = (x: WatchHarness, path: string) => x.outOfScope.filter((e) => e.path === path);
const manifestEntry = (path: string) => () => h!.watcher.manifest(SESSION)?.files.find((f) => f.path === path);

describe.skipIf(process.platform !== 'linux')('FileWatcherService on directoryWatchPort', () => {
  it('watches every planned root; a write inside the scope goes to the manifest, one outside is evidence within a second', async () => {
    h = await harness();
    await h.startRun();
    const s = h.watcher.status();
    expect(s.watching).toEqual(expect.arrayContaining([h.proj, h.ref, h.ssh, h.home]));
    expect(s.roots.every((r) => r.state === 'ready')).toBe(true); // missing protected paths are awaited, not errors
    const inside = join(h.proj, 'src', 'new.ts');
    writeFileSync(inside, 'x');
    appendFileSync(join(h.proj, 'src', 'existing.ts'), '// edited\n');
    const m = await waitFor(() => {
      const man = h!.watcher.manifest(SESSION);
      return man && man.files.length >= 2 ? man : undefined;
    }, BOUND_MS, 'manifest entries');
    expect(m.files.find((f) => f.path === inside)).toMatchObject({ status: 'created', counts: { created: 1 } });
    expect(m.files.find((f) => f.path.endsWith('existing.ts'))).toMatchObject({ status: 'modified', counts: { modified: 1 } });
    const outside = join(h.docs, 'notes.txt');
    const t0 = Date.now();
    writeFileSync(outside, 'secret plan');
    const [c] = await waitFor(() => (fileEvents(h!, outside).length ? fileEvents(h!, outside) : undefined), BOUND_MS, 'out-of-scope event');
    expect(Date.now() - t0).toBeLessThan(BOUND_MS);
    expect(c).toMatchObject({ change: 'created', type: 'file', violation: 'outside', recorded: true });
    await settle(150);
    expect(fileEvents(h, outside)).toHaveLength(1); // one write, one record
  });

  it('a folder and a file made at once in it, and a protected location that did not exist, are each seen once', async () => {
    h = await harness();
    await h.startRun();
    const dir = join(h.docs, 'build-out');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.txt'), '1');
    const aws = join(h.home, '.aws');
    mkdirSync(aws);
    writeFileSync(join(aws, 'credentials'), '[default]\n');
    const want = [dir, join(dir, 'a.txt'), aws, join(aws, 'credentials')];
    await waitFor(() => want.every((p) => fileEvents(h!, p).length > 0), BOUND_MS, 'four events');
    expect(h.outOfScope.find((e) => e.path === join(aws, 'credentials'))).toMatchObject({ type: 'file', violation: 'forbidden', severity: 'high' });
    await settle(150);
    expect(new Set(h.outOfScope.map((e) => e.path)).size).toBe(h.outOfScope.length);
  });

  it('protected and read-only locations; noise and the data folder are ignored', async () => {
    h = await harness();
    await h.startRun();
    appendFileSync(join(h.ssh, 'config'), 'Host evil\n');
    appendFileSync(join(h.ref, 'spec.md'), 'changed\n');
    mkdirSync(join(h.proj, '.claude'));
    writeFileSync(join(h.proj, '.claude', 'settings.local.json'), '{}');
    writeFileSync(join(h.home, 'node_modules', 'pkg', 'index.js'), 'x');
    writeFileSync(join(h.dataDir, 'journal', 'evidence-0000000001.jsonl'), '{}\n');
    const marker = join(h.docs, 'marker.txt');
    writeFileSync(marker, 'x');
    await waitFor(() => [join(h!.ssh, 'config'), join(h!.ref, 'spec.md'), join(h!.proj, '.claude', 'settings.local.json'), marker].every((p) => fileEvents(h!, p).length > 0), BOUND_MS, 'events');
    expect(fileEvents(h, join(h.ssh, 'config'))[0]).toMatchObject({ violation: 'forbidden', change: 'modified' });
    expect(fileEvents(h, join(h.ref, 'spec.md'))[0]).toMatchObject({ violation: 'read_only', change: 'modified' });
    await settle(100);
    expect(h.outOfScope.some((e) => e.path.includes('node_modules') || e.path.startsWith(h!.dataDir))).toBe(false);
  });

  it('rename, move, move out of the scope, delete', async () => {
    h = await harness();
    await h.startRun();
    const a = join(h.proj, 'src', 'existing.ts');
    const b = join(h.proj, 'src', 'renamed.ts');
    const c = join(h.proj, 'renamed.ts');
    renameSync(a, b);
    await waitFor(manifestEntry(b), BOUND_MS, 'rename');
    renameSync(b, c);
    await waitFor(manifestEntry(c), BOUND_MS, 'move');
    const m = h.watcher.manifest(SESSION)!;
    expect(m.files.find((f) => f.path === a)).toMatchObject({ status: 'deleted', renamedTo: b });
    expect(m.files.find((f) => f.path === c)).toMatchObject({ status: 'created', renamedFrom: b });
    const out = join(h.docs, 'renamed.ts');
    renameSync(c, out);
    const [moved] = await waitFor(() => (fileEvents(h!, out).length ? fileEvents(h!, out) : undefined), BOUND_MS, 'moved out');
    expect(moved).toMatchObject({ change: 'renamed', previousPath: c, violation: 'outside' });
    unlinkSync(out);
    await waitFor(() => fileEvents(h!, out).find((e) => e.change === 'deleted'), BOUND_MS, 'delete');
  });

  it('atomic save is one modification; a burst of 1,000 files is seen in full, once each', async () => {
    h = await harness();
    await h.startRun();
    const target = join(h.proj, 'src', 'existing.ts');
    const tmp = join(h.proj, 'src', '.existing.ts.tmp-1');
    writeFileSync(tmp, 'saved');
    renameSync(tmp, target);
    const entry = await waitFor(manifestEntry(target), BOUND_MS, 'saved');
    expect(entry.status).toBe('modified');
    const inside = join(h.proj, 'gen');
    const outside = join(h.docs, 'gen');
    mkdirSync(inside);
    mkdirSync(outside);
    for (let i = 0; i < 500; i++) {
      writeFileSync(join(inside, `f${i}.txt`), String(i));
      writeFileSync(join(outside, `f${i}.txt`), String(i));
    }
    const m = await waitFor(() => {
      const man = h!.watcher.manifest(SESSION)!;
      return man.files.filter((f) => f.path.startsWith(inside + '/')).length === 500 && h!.outOfScope.filter((e) => e.path.startsWith(outside + '/')).length === 500 ? man : undefined;
    }, 10_000, '1,000 files');
    expect(m.files.filter((f) => f.status === 'deleted')).toEqual([]);
    expect(new Set(h.outOfScope.map((e) => e.path)).size).toBe(h.outOfScope.length);
    expect(h.events.every((e) => validateEvidenceAttributes(e.name, e.attributes).ok)).toBe(true);
  });

  it('a shared folder deleted during the run is reported, and watched again when it comes back', async () => {
    h = await harness();
    await h.startRun();
    rmSync(h.proj, { recursive: true });
    await waitFor(() => h!.watcher.status().roots.find((r) => r.path === h!.proj && r.state === 'missing'), BOUND_MS, 'missing root');
    await waitFor(() => h!.watcher.manifest(SESSION)?.files.find((f) => f.path.endsWith('existing.ts') && f.status === 'deleted'), BOUND_MS, 'deletion');
    mkdirSync(h.proj);
    await waitFor(() => h!.watcher.status().roots.find((r) => r.path === h!.proj && r.state === 'ready'), 2000, 'root back');
    writeFileSync(join(h.proj, 'again.txt'), 'x');
    await waitFor(manifestEntry(join(h.proj, 'again.txt')), BOUND_MS, 'watched again');
  });

  it('symbolic link loops and names that are not valid UTF-8 do not stop it', async () => {
    h = await harness();
    mkdirSync(join(h.proj, 'loop', 'inner'), { recursive: true });
    symlinkSync(join(h.proj, 'loop'), join(h.proj, 'loop', 'inner', 'back'));
    symlinkSync(join(h.docs, 'a'), join(h.docs, 'b'));
    symlinkSync(join(h.docs, 'b'), join(h.docs, 'a'));
    await h.startRun();
    writeFileSync(join(h.proj, 'loop', 'inner', 'x.txt'), 'x');
    await waitFor(manifestEntry(join(h.proj, 'loop', 'inner', 'x.txt')), BOUND_MS, 'inside the loop tree');
    writeFileSync(Buffer.concat([Buffer.from(h.docs + '/bad'), Buffer.from([0xff, 0xfe]), Buffer.from('.txt')]), 'x');
    await waitFor(() => h!.outOfScope.find((e) => e.path.includes('\uFFFD') && e.change === 'created'), BOUND_MS, 'invalid UTF-8 name');
    mkdirSync(Buffer.concat([Buffer.from(h.docs + '/dir'), Buffer.from([0xc3, 0x28])]));
    await waitFor(() => h!.watcher.status().notWatching.find((n) => n.reason.includes('changes inside it cannot be watched')), BOUND_MS, 'unwatchable folder listed');
    const after = join(h.docs, 'after.txt');
    writeFileSync(after, 'x');
    await waitFor(() => fileEvents(h!, after).length > 0, BOUND_MS, 'after');
    expect(h.errors).toEqual([]);
  });

  it('the watches are released when the run ends, and nothing is reported afterwards', async () => {
    h = await harness();
    const before = countInotifyWatches();
    await h.startRun();
    if (before !== undefined) expect(countInotifyWatches()).toBeGreaterThan(before);
    h.hook('Stop');
    await h.watcher.whenSettled();
    expect(h.watcher.status()).toMatchObject({ state: 'idle', watching: [] });
    if (before !== undefined) expect(countInotifyWatches()).toBe(before);
    writeFileSync(join(h.docs, 'after.txt'), 'x');
    await settle();
    expect(h.outOfScope).toEqual([]);
  });
});
