// History after a restart, through the real core: decisions (a person's and the policy's), a run with a
// file change inside the scope and one outside it (real chokidar, real temp folders), then the core
// closes and a new one starts on the same data folder: Recent decisions, the runs with their counts,
// the out-of-scope alert and the run's manifest export are all there, rebuilt from the journal.
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCompanionCore } from '../../electron/core/app/companion-core.js';
import type { CompanionCore } from '../../electron/core/app/companion-core-types.js';
import { RunManifestSchema } from '../../shared/run-watch-contract.js';
import { validateEvidenceAttributes } from '../../shared/evidence-schema.js';
import { fixtureIn, journalEvents } from '../support/fixtures.js';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { startTestCore, type TestCore } from '../support/start-core.js';

const SESSION = '5b0e6f3c-9a41-4c7e-8d2f-1f6a3b9c7e21';
const until = <T>(check: () => T, timeout = 5000) => vi.waitFor(check, { timeout, interval: 20 });

let first: TestCore | undefined;
let second: CompanionCore | undefined;
let sink: OtlpReceiver | undefined;
let home: string;
afterEach(async () => {
  await second?.close();
  await first?.dispose();
  await sink?.close();
  first = second = sink = undefined;
  rmSync(home, { recursive: true, force: true });
});

describe('history after a restart', () => {
  it('recent decisions, runs with their manifest counts, out-of-scope alerts and the manifest export survive', async () => {
    home = realpathSync(mkdtempSync(join(tmpdir(), 'cc-history-home-')));
    mkdirSync(join(home, 'Documents'));
    first = await startTestCore({ home, watch: true });
    const t = first;
    const snapshot = () => t.core.getSnapshot();

    await t.hook(fixtureIn('input/sessionstart-startup.json', t.projectDir));
    await until(() => expect(snapshot().watch.state).toBe('watching'));
    writeFileSync(join(t.projectDir, 'src', 'refunds', 'new.ts'), 'export {};\n');
    await until(() => expect(snapshot().runs[0]?.files).toMatchObject({ total: 1, created: 1 }));

    // The policy denies a write outside the scope; then the file appears anyway (out-of-scope alert).
    const outside = join(home, 'Documents', 'notes.txt');
    const write = fixtureIn<Record<string, unknown>>('input/pretooluse-write.json', t.projectDir);
    write['tool_input'] = { file_path: outside, content: 'x' };
    expect((await t.hook(write)).json).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny' } });
    writeFileSync(outside, 'x');
    await until(() => expect(snapshot().alerts[0]).toMatchObject({ path: outside, recorded: true }));

    // A person approves a command of another run, which is still going when the companion stops.
    const bash = t.hook({ session_id: 'run-2', cwd: t.projectDir, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'npm run build' }, tool_use_id: 'toolu_b' });
    await t.waitForPending(1);
    const [item] = snapshot().pending;
    await t.core.callUi('approve', { id: item!.id, contentHash: item!.contentHash });
    expect((await bash).json).toMatchObject({ hookSpecificOutput: { permissionDecision: 'allow' } });

    await t.hook({ ...fixtureIn<Record<string, unknown>>('input/sessionend.json', t.projectDir), session_id: SESSION });
    await until(() => expect(snapshot().runs.find((r) => r.sessionId === SESSION)?.status).toBe('ended'));
    const before = snapshot();
    await t.core.close();
    // Every run event the core wrote is valid evidence.
    const runEvents = (await journalEvents(t.dataDir)).filter((e) => e.name.startsWith('run.'));
    expect(runEvents.map((e) => [e.name, e.attributes['session.id']]).sort()).toEqual([
      ['run.ended', SESSION], ['run.ended', 'run-2'], ['run.started', SESSION], ['run.started', 'run-2'],
    ]);
    for (const e of runEvents) expect(validateEvidenceAttributes(e.name, e.attributes)).toMatchObject({ ok: true });
    // A line added to the journal behind the core's back (untagged) is not trusted for history either.
    const [forged] = (await journalEvents(t.dataDir)).filter((e) => e.name === 'approval.decided');
    const segment = readdirSync(join(t.dataDir, 'journal')).filter((f) => f.endsWith('.jsonl')).sort().at(-1)!;
    appendFileSync(join(t.dataDir, 'journal', segment), `${JSON.stringify({ v: 1, eventId: 'forged', name: 'approval.decided', time: Date.now(), attributes: { ...forged!.attributes, 'approval.id': 'forged-id', decision: 'allow', 'decision.reason': 'forged' } })}\n`);

    sink = await startOtlpReceiver();
    second = await createCompanionCore({ dataDir: t.dataDir, port: 0, home, watch: true, webUi: false, env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url } });
    const after = second.getSnapshot();

    expect(after.recent.map((d) => d.approvalId)).not.toContain('forged-id');
    expect(after.recent).toHaveLength(2);
    expect(after.recent).toEqual(before.recent);
    expect(after.recent[0]).toMatchObject({ toolName: 'Bash', decision: 'allow', source: 'user', cwd: t.projectDir, targets: { command: 'npm run build' } });
    expect(after.recent[1]).toMatchObject({ toolName: 'Write', decision: 'deny', source: 'policy', cwd: t.projectDir, targets: { paths: [outside] }, rule: expect.stringMatching(/^scope\./) });

    const runs = Object.fromEntries(after.runs.map((r) => [r.sessionId, r]));
    expect(runs[SESSION]).toMatchObject({ active: false, status: 'ended', endReason: 'session-end', files: { total: 1, created: 1 }, outOfScope: 1, cwd: t.projectDir });
    expect(runs[SESSION]!.startedAt).toBe(before.runs.find((r) => r.sessionId === SESSION)!.startedAt);
    // Still going when the companion stopped: ended by the shutdown, as recorded — never shown live.
    expect(runs['run-2']).toMatchObject({ active: false, status: 'ended', endReason: 'shutdown' });
    expect(after.runs.every((r) => !r.active)).toBe(true);

    expect(after.alerts).toEqual(before.alerts.map(({ forbiddenReason: _, ...a }) => a));

    const manifest = RunManifestSchema.parse(await second.callUi('exportManifest', { sessionId: SESSION }));
    expect(manifest).toMatchObject({ sessionId: SESSION, active: false, endReason: 'session-end', totals: { files: 1, created: 1, outOfScope: 1 } });
    expect(manifest.outOfScope).toMatchObject([{ path: outside, violation: 'outside', toolUseId: 'toolu_01Bv6sNq4XeL8mRt2WcK9Hd7' }]);
    expect(manifest.note).toMatch(/Rebuilt from the evidence journal/);
    await expect(second.callUi('exportManifest', { sessionId: 'never-seen' })).rejects.toMatchObject({ code: 'unknown_run' });
  });
});
