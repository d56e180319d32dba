// Runs and the file watcher wired into the real core: hook payloads start and end runs, the watcher
// (real chokidar, real temp folders) runs only while a run is active, the manifest and out-of-scope
// alerts reach the snapshot, the evidence lands in the journal, and the manifest exports as JSON.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunManifestSchema } from '../../shared/run-watch-contract.js';
import type { Snapshot } from '../../shared/ui-contract.js';
import { fixtureIn, journalEvents } from '../support/fixtures.js';
import { startTestCore, type TestCore } from '../support/start-core.js';

let t: TestCore | undefined;
let home: string;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
  rmSync(home, { recursive: true, force: true });
});

async function startWatching(policy?: object): Promise<TestCore> {
  home = realpathSync(mkdtempSync(join(tmpdir(), 'cc-monitor-home-')));
  mkdirSync(join(home, 'Documents'));
  let policyFile: string | undefined;
  if (policy) {
    policyFile = join(home, 'policy.json');
    writeFileSync(policyFile, JSON.stringify(policy));
  }
  return startTestCore({ home, watch: true, ...(policyFile ? { policyFile } : { policyFile: undefined }) });
}

const SESSION = '5b0e6f3c-9a41-4c7e-8d2f-1f6a3b9c7e21';
const snapshot = () => t!.core.getSnapshot();
const until = <T>(check: () => T, timeout = 5000) => vi.waitFor(check, { timeout, interval: 20 });

describe('run monitor in the core', () => {
  it('watches only while a run is active: manifest inside the scope, linked alert outside, JSON export', async () => {
    t = await startWatching();
    expect(snapshot().watch).toMatchObject({ enabled: true, state: 'idle' });
    await t.hook(fixtureIn('input/sessionstart-startup.json', t.projectDir));
    await until(() => expect(snapshot().watch.state).toBe('watching'));
    expect(snapshot().runs).toMatchObject([{ sessionId: SESSION, active: true }]);
    expect(snapshot().watch.watching).toEqual(expect.arrayContaining([t.projectDir, home]));

    writeFileSync(join(t.projectDir, 'src', 'refunds', 'new.ts'), 'export {};\n');
    await until(() => expect(snapshot().runs[0]?.files).toMatchObject({ total: 1, created: 1 }));

    // The agent announces a write outside the scope (denied by policy), then the file appears anyway
    // (a script did it): the change is linked to the tool call that named it.
    const outside = join(home, 'Documents', 'notes.txt');
    const announce = fixtureIn<Record<string, unknown>>('input/pretooluse-write.json', t.projectDir);
    announce['tool_input'] = { file_path: outside, content: 'x' };
    const answer = await t.hook(announce);
    expect(answer.json).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny' } });
    writeFileSync(outside, 'x');
    await until(() => expect(snapshot().alerts[0]).toMatchObject({ sessionId: SESSION, path: outside, change: 'created', violation: 'outside', severity: 'medium', toolUseId: 'toolu_01Bv6sNq4XeL8mRt2WcK9Hd7', recorded: true }));
    expect(snapshot().runs[0]?.outOfScope).toBe(1);
    const evidence = (await journalEvents(t.dataDir)).filter((e) => e.name === 'file.out_of_scope');
    expect(evidence).toHaveLength(1);
    expect(evidence[0]!.attributes).toMatchObject({ 'session.id': SESSION, 'file.change': 'created', tool_use_id: 'toolu_01Bv6sNq4XeL8mRt2WcK9Hd7' });

    const exported = await t.ui('exportManifest', { sessionId: SESSION });
    expect(exported.status).toBe(200);
    const manifest = RunManifestSchema.parse(exported.json);
    expect(manifest.files.map((f) => f.path)).toEqual([join(t.projectDir, 'src', 'refunds', 'new.ts')]);
    expect(manifest.outOfScope).toMatchObject([{ path: outside, toolUseId: 'toolu_01Bv6sNq4XeL8mRt2WcK9Hd7' }]);
    expect(manifest.coverage.watched).toEqual(expect.arrayContaining([t.projectDir, home]));

    // The run ends: the watcher stops, and later changes are nobody's business.
    await t.hook({ ...fixtureIn<Record<string, unknown>>('input/sessionend.json', t.projectDir), session_id: SESSION });
    await until(() => expect(snapshot().watch.state).toBe('idle'));
    expect(snapshot().runs[0]).toMatchObject({ active: false, status: 'ended', endReason: 'session-end' });
    writeFileSync(join(home, 'Documents', 'later.txt'), 'y');
    await new Promise((r) => setTimeout(r, 300));
    expect(snapshot().alerts).toHaveLength(1);
    expect((await t.ui('exportManifest', { sessionId: SESSION })).status).toBe(200);
  });

  it('Claude Code\'s lifecycle: Stop leaves the run waiting, the snapshot shows it ended as soon as the SessionEnd hook call returns, and a pushed snapshot follows within a second', async () => {
    t = await startWatching();
    const pushed: { at: number; snapshot: Snapshot }[] = [];
    t.core.onSnapshot((s) => pushed.push({ at: Date.now(), snapshot: s }));
    await t.hook(fixtureIn('input/sessionstart-startup.json', t.projectDir));
    await t.hook(fixtureIn('input/userpromptsubmit.json', t.projectDir));
    expect(snapshot().runs).toMatchObject([{ sessionId: SESSION, status: 'active', active: true }]);
    await t.hook(fixtureIn('input/stop.json', t.projectDir));
    expect(snapshot().runs).toMatchObject([{ sessionId: SESSION, status: 'waiting', active: false }]);
    expect(snapshot().runs[0]).not.toHaveProperty('endedAt');
    const sent = Date.now();
    await t.hook(fixtureIn('input/sessionend.json', t.projectDir));
    expect(snapshot().runs).toMatchObject([{ sessionId: SESSION, status: 'ended', active: false, endReason: 'session-end' }]);
    const push = await until(() => {
      const p = pushed.find((x) => x.at >= sent && x.snapshot.runs[0]?.status === 'ended');
      expect(p).toBeDefined();
      return p!;
    }, 1000);
    expect(push.at - sent).toBeLessThan(1000);
  });

  it('a file changed after run A\'s SessionEnd while run B is active is charged to B only', async () => {
    t = await startWatching();
    const start = (sid: string) => t!.hook({ ...fixtureIn<Record<string, unknown>>('input/userpromptsubmit.json', t!.projectDir), session_id: sid });
    await start('run-a');
    await start('run-b');
    await until(() => expect(snapshot().watch.state).toBe('watching'));
    await t.hook({ ...fixtureIn<Record<string, unknown>>('input/sessionend.json', t.projectDir), session_id: 'run-a' });
    const file = join(home, 'Documents', 'after-a.txt');
    writeFileSync(file, 'x');
    await until(() => expect(snapshot().alerts.filter((a) => a.path === file)).toHaveLength(1));
    await new Promise((r) => setTimeout(r, 150));
    expect(snapshot().alerts.filter((a) => a.path === file).map((a) => a.sessionId)).toEqual(['run-b']);
    const runs = Object.fromEntries(snapshot().runs.map((r) => [r.sessionId, r]));
    expect(runs['run-a']).toMatchObject({ status: 'ended', outOfScope: 0 });
    expect(runs['run-b']).toMatchObject({ status: 'active', outOfScope: 1 });
  });

  it('two sequential short sessions leave no active run, and the watcher stops', async () => {
    t = await startWatching();
    for (const sid of ['short-1', 'short-2']) {
      const read = fixtureIn<Record<string, unknown>>('input/pretooluse-read.json', t.projectDir);
      read['tool_input'] = { file_path: join(t.projectDir, 'src', 'refunds') };
      for (const payload of [fixtureIn<Record<string, unknown>>('input/sessionstart-startup.json', t.projectDir), fixtureIn<Record<string, unknown>>('input/userpromptsubmit.json', t.projectDir), read, fixtureIn<Record<string, unknown>>('input/stop.json', t.projectDir), fixtureIn<Record<string, unknown>>('input/sessionend.json', t.projectDir)]) {
        expect((await t.hook({ ...payload, session_id: sid })).status).toBe(200);
      }
    }
    expect(snapshot().runs.map((r) => [r.sessionId, r.status, r.endReason]).sort()).toEqual([['short-1', 'ended', 'session-end'], ['short-2', 'ended', 'session-end']]);
    await until(() => expect(snapshot().watch.state).toBe('idle'));
  });

  it('Claude Code\'s own files under the core\'s home: its bookkeeping is silent, a write to ~/.claude/settings.json is a high-severity alert', async () => {
    t = await startWatching();
    const claude = join(home, '.claude');
    mkdirSync(join(claude, 'sessions'), { recursive: true });
    mkdirSync(join(claude, 'plugins', 'store'), { recursive: true });
    await t.hook(fixtureIn('input/sessionstart-startup.json', t.projectDir));
    await until(() => expect(snapshot().watch.state).toBe('watching'));
    writeFileSync(join(claude, 'sessions', '48213.json'), JSON.stringify({ pid: 48213, sessionId: SESSION }));
    writeFileSync(join(claude, 'plugins', 'store', 'index.json'), '{}');
    writeFileSync(join(home, '.claude.json'), '{"numStartups":3}');
    const settings = join(claude, 'settings.json');
    writeFileSync(settings, '{"hooks":{}}');
    await until(() => expect(snapshot().alerts.find((a) => a.path === settings)).toMatchObject({ violation: 'forbidden', severity: 'high', recorded: true }));
    await until(async () => expect(RunManifestSchema.parse((await t!.ui('exportManifest', { sessionId: SESSION })).json).totals.clientBookkeeping).toBeGreaterThanOrEqual(3));
    expect(snapshot().alerts.map((a) => a.path)).toEqual([settings]);
    const evidence = (await journalEvents(t.dataDir)).filter((e) => e.name === 'file.out_of_scope');
    expect(evidence.map((e) => e.attributes['scope.severity'])).toEqual(['high']);
  });

  it('reports an unknown run clearly and applies watch.enabled = false from policy', async () => {
    t = await startWatching({ watch: { enabled: false } });
    expect((await t.ui('exportManifest', { sessionId: 'nope' })).json).toMatchObject({ error: { code: 'unknown_run' } });
    await t.hook(fixtureIn('input/sessionstart-startup.json', t.projectDir));
    await until(() => expect(snapshot().runs).toHaveLength(1));
    expect(snapshot().watch).toMatchObject({ enabled: false, offByPolicy: true, state: 'idle', watching: [] });
    const manifest = RunManifestSchema.parse((await t.ui('exportManifest', { sessionId: SESSION })).json);
    expect(manifest.note).toMatch(/turned off/);
  });
});
