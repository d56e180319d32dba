// Kill -9 between journal write and export, restart: every acknowledged event is delivered.
// Runs the built CLI (`npm test` builds first) as a real process, without the file watcher (its evidence
// of changes elsewhere on this machine would be noise here).
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { runScopeCommand } from '../../electron/cli/scope-command.js';
import { DecisionJournalService } from '../../electron/core/evidence/decision-journal-service.js';
import { rawRequest } from '../support/http-client.js';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { startServe } from '../support/serve-process.js';

let receiver: OtlpReceiver | undefined;
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  await receiver?.close();
});

async function serve(dataDir: string, otlp: string): Promise<{ child: ChildProcess; url: string }> {
  const s = startServe({ dataDir, env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp } });
  children.push(s.child);
  return { child: s.child, url: (await s.ready).agentApiUrl };
}

describe('crash recovery', () => {
  it('SIGKILL with undelivered evidence and a torn last line: restart delivers every acknowledged event', async () => {
    receiver = await startOtlpReceiver();
    let collectorUp = false;
    receiver.behave(() => (collectorUp ? {} : { status: 503, headers: { 'Retry-After': '0' } }));
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-crash-'));
    const project = realpathSync(mkdtempSync(join(tmpdir(), 'cc-crash-project-')));
    await runScopeCommand('add', project, { dataDir, json: true, mode: 'read', out: new PassThrough() });

    const first = await serve(dataDir, receiver.url);
    const token = readFileSync(join(dataDir, 'agent-token'), 'utf8').trim();
    for (let i = 0; i < 10; i++) {
      const res = await rawRequest(`${first.url}/hooks/claude-code`, {
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ session_id: 's', cwd: project, hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: { file_path: join(project, `f${i}`) }, tool_use_id: `toolu_${i}` }),
      });
      expect(JSON.stringify(res.json)).toContain('"allow"'); // acknowledged: it is on disk
    }
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    expect(receiver.records).toHaveLength(0);

    const journal = new DecisionJournalService(join(dataDir, 'journal'));
    const acknowledged = journal.readAll().map((e) => e.eventId);
    expect(acknowledged.length).toBe(12); // scope.changed + run.started + 10 automatic decisions (one record each)
    const segment = journal.segments().at(-1)!;
    appendFileSync(join(dataDir, 'journal', `evidence-${String(segment).padStart(10, '0')}.jsonl`), '{"v":1,"eventId":"half-writ');

    collectorUp = true;
    const second = await serve(dataDir, receiver.url);
    await receiver.waitFor(() => acknowledged.every((id) => receiver!.deliveries().has(id)), 20_000);
    expect(receiver.deliveries().has('half-writ')).toBe(false);
    second.child.kill('SIGTERM');
    expect(await new Promise((r) => second.child.once('exit', r))).toBe(0);
  });
});
