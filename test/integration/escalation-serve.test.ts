// The example policy, exactly as written, under a real `serve` (the built CLI) with the real
// bash hook client: three failed tool calls (PostToolUseFailure hooks) within five minutes hold the
// run — the next call the scope would allow waits for a person, IT's deny rule still denies — the
// hold survives a restart, a person resumes it in the Inbox, and the organisation's collector gets
// `escalation.raised` (ERROR, with the contact and the failed calls) and `escalation.resolved`,
// joined by session.id to the agent's own relayed events; the agent's relayed failed tool results
// count for the same rule.
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Snapshot } from '../../shared/ui-contract.js';
import { runScopeCommand } from '../../electron/cli/scope-command.js';
import { runShellClient } from '../support/hook-clients.js';
import { rawRequest } from '../support/http-client.js';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { killServeProcesses, startServe, type ServeProcess } from '../support/serve-process.js';

const EXAMPLE = `{
  "escalation": {
    "contact": { "name": "Security desk", "email": "secdesk@example.com" },
    "rules": [{ "id": "tool-errors", "when": { "toolErrors": { "atLeast": 3, "withinMinutes": 5 } }, "action": "hold" }]
  },
  "rules": [{ "toolName": "mcp__github__*", "effect": "deny" }]
}`;

const SESSION = 'sess-escalation-serve';
const dirs: string[] = [];
let receiver: OtlpReceiver | undefined;
afterEach(async () => {
  killServeProcesses();
  await receiver?.close();
  receiver = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface Ui {
  call(method: string, body: unknown): Promise<{ status: number; json: unknown }>;
  snapshot(): Promise<Snapshot>;
}

/** The person's window: the ready line's one-time address traded for a session. */
async function uiOf(ready: { agentApiUrl: string; uiUrl: string }): Promise<Ui> {
  const pairing = new URL(ready.uiUrl).hash.replace('#token=', '');
  const session = await rawRequest(`${ready.agentApiUrl}/ui/session`, { headers: { Authorization: `Bearer ${pairing}` } });
  const token = (session.json as { sessionToken: string }).sessionToken;
  const call = (method: string, body: unknown) => rawRequest(`${ready.agentApiUrl}/ui/api/${method}`, { headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  return { call, snapshot: async () => (await call('getSnapshot', {})).json as Snapshot };
}

describe('escalation under serve: the example policy as written', () => {
  it('three failed tool calls hold the run until a person resumes it, across a restart; the collector gets the escalation joined to the run', async () => {
    receiver = await startOtlpReceiver();
    const dir = mkdtempSync(join(tmpdir(), 'cc-esc-serve-'));
    dirs.push(dir);
    const dataDir = join(dir, 'data');
    const project = realpathSync(mkdtempSync(join(tmpdir(), 'cc-esc-project-')));
    dirs.push(project);
    writeFileSync(join(project, 'notes.txt'), 'hello\n');
    const policyFile = join(dir, 'policy.json');
    writeFileSync(policyFile, EXAMPLE);
    await runScopeCommand('add', project, { dataDir, json: true, mode: 'read', out: new PassThrough() });

    const serve = (): ServeProcess =>
      startServe({ dataDir, args: ['--port', '0', '--no-watch', '--policy', policyFile], env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver!.url, OTEL_BLRP_SCHEDULE_DELAY: '50' } });
    const hook = async (payload: Record<string, unknown>) => {
      const run = await runShellClient(JSON.stringify({ session_id: SESSION, cwd: project, ...payload }), { dataDir });
      return run.stdout.trim() === '' ? undefined : (JSON.parse(run.stdout) as { hookSpecificOutput?: { permissionDecision: string; permissionDecisionReason?: string } }).hookSpecificOutput;
    };
    const read = (id: string) => hook({ hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: { file_path: join(project, 'notes.txt') }, tool_use_id: id });
    const failed = (id: string) => hook({ hook_event_name: 'PostToolUseFailure', tool_name: 'Bash', tool_input: { command: 'make test' }, tool_use_id: id, error: 'Command failed with exit code 2' });

    let s = serve();
    const ready = await s.ready;
    let ui = await uiOf(ready);
    expect((await read('toolu_read_0'))?.permissionDecision).toBe('allow'); // control: the scope allows it

    // Two failures are not three; a third within the five minutes holds the run.
    await failed('toolu_fail_1');
    await failed('toolu_fail_2');
    expect((await ui.snapshot()).escalations).toEqual([]);
    await failed('toolu_fail_3');
    const [held] = (await ui.snapshot()).escalations;
    expect(held).toMatchObject({ ruleId: 'tool-errors', sessionId: SESSION, kind: 'toolErrors', action: 'hold', severity: 'error', count: 3, atLeast: 3, withinMinutes: 5, contact: { name: 'Security desk', email: 'secdesk@example.com' } });

    // IT's deny rule still denies at once; the read the scope allows now waits for a person.
    const github = await hook({ hook_event_name: 'PreToolUse', tool_name: 'mcp__github__create_issue', tool_input: { title: 'x' }, tool_use_id: 'toolu_gh' });
    expect(github?.permissionDecision).toBe('deny');
    expect(github?.permissionDecisionReason).toMatch(/a rule denies this/);
    const waiting = read('toolu_read_1');
    await vi.waitFor(async () => expect((await ui.snapshot()).pending).toHaveLength(1), { timeout: 5000, interval: 50 });
    const card = (await ui.snapshot()).pending[0]!;
    expect(card).toMatchObject({ toolName: 'Read', sessionId: SESSION });
    expect(card.note).toContain('The escalation rule tool-errors fired (3 tool errors within 5 minutes)');

    // A restart (the waiting agent is told the companion stops) keeps the hold.
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect((await waiting)?.permissionDecision).toBe('deny');
    expect(readFileSync(join(dataDir, 'escalations.json'), 'utf8')).toContain('tool-errors');
    // The agent (the same account) deletes the state file while the companion is down: its seal puts it back.
    rmSync(join(dataDir, 'escalations.json'));
    s = serve();
    ui = await uiOf(await s.ready);
    expect((await ui.snapshot()).escalations).toMatchObject([{ escalationId: held!.escalationId, action: 'hold' }]);
    expect((await ui.snapshot()).integrity.alerts.map((a) => a.file)).toContain('escalations.json');
    // Deleted with its seal: the journal's escalation.raised puts the hold back (and says so).
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    rmSync(join(dataDir, 'escalations.json'));
    rmSync(join(dataDir, 'seals', 'escalations.json.seal'));
    s = serve();
    ui = await uiOf(await s.ready);
    expect((await ui.snapshot()).escalations).toMatchObject([{ escalationId: held!.escalationId, action: 'hold', ruleId: 'tool-errors', count: 3 }]);
    expect((await ui.snapshot()).integrity.alerts).toContainEqual(expect.objectContaining({ file: 'escalations.json', reason: expect.stringContaining('the journal recorded') }));
    const again = read('toolu_read_2');
    await vi.waitFor(async () => expect((await ui.snapshot()).pending.filter((p) => p.agentWaiting)).toHaveLength(1), { timeout: 5000, interval: 50 });

    // The agent's own token cannot resume its run; the person can, with one call, and the waiting read goes through.
    const token = readFileSync(join(dataDir, 'agent-token'), 'utf8').trim();
    const url = JSON.parse(readFileSync(join(dataDir, 'agent-endpoint.json'), 'utf8')).url as string;
    const byAgent = await rawRequest(`${url}/ui/api/resolveEscalation`, { headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify({ escalationId: held!.escalationId, how: 'resume' }) });
    expect(byAgent.status).toBe(403);
    expect((await ui.snapshot()).escalations).toHaveLength(1);
    expect((await ui.call('resolveEscalation', { escalationId: held!.escalationId, how: 'resume' })).status).toBe(200);
    expect((await again)?.permissionDecision).toBe('allow');
    expect((await ui.snapshot()).escalations).toEqual([]);
    expect((await read('toolu_read_3'))?.permissionDecision).toBe('allow');

    // The agent's own telemetry for the same run, relayed; the collector joins it with the escalation by session.id.
    const relayed = await rawRequest(`${url}/v1/logs`, {
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), body: { stringValue: 'claude_code.user_prompt' }, attributes: [{ key: 'event.name', value: { stringValue: 'user_prompt' } }, { key: 'session.id', value: { stringValue: SESSION } }] }] }] }] }),
    });
    expect(relayed.status).toBe(200);
    const got = await receiver.waitFor((rs) => ['escalation.raised', 'escalation.resolved', 'agent.log'].every((n) => rs.some((r) => r.eventName === n && r.attributes['session.id'] === SESSION)), 20_000);
    const raised = got.filter((r) => r.eventName === 'escalation.raised');
    expect(raised).toHaveLength(1);
    expect(raised[0]!.severityText).toBe('ERROR');
    expect(raised[0]!.attributes).toMatchObject({
      'escalation.id': held!.escalationId,
      'escalation.rule': 'tool-errors',
      'escalation.kind': 'toolErrors',
      'escalation.action': 'hold',
      'escalation.severity': 'ERROR',
      'escalation.count': 3,
      'escalation.tool_use_ids': 'toolu_fail_1,toolu_fail_2,toolu_fail_3',
      'escalation.contact.name': 'Security desk',
      'escalation.contact.email': 'secdesk@example.com',
    });
    expect(got.find((r) => r.eventName === 'escalation.resolved')?.attributes).toMatchObject({ 'escalation.id': held!.escalationId, 'escalation.resolution': 'resume', 'escalation.action': 'hold' });

    // The same rule counts the agent's own reports: three failed tool results relayed for another run
    // (one a hook has named: a relayed session id alone makes no run) hold it.
    await runShellClient(JSON.stringify({ session_id: 'sess-relayed', cwd: project, hook_event_name: 'SessionStart', source: 'startup' }), { dataDir });
    const failures = [1, 2, 3].map((i) => ({
      timeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
      body: { stringValue: 'claude_code.tool_result' },
      attributes: [
        { key: 'event.name', value: { stringValue: 'tool_result' } },
        { key: 'session.id', value: { stringValue: 'sess-relayed' } },
        { key: 'tool_use_id', value: { stringValue: `toolu_relayed_${i}` } },
        { key: 'success', value: { stringValue: 'false' } },
      ],
    }));
    const sent = await rawRequest(`${url}/v1/logs`, { headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: failures }] }] }) });
    expect(sent.status).toBe(200);
    expect((await ui.snapshot()).escalations).toMatchObject([{ ruleId: 'tool-errors', sessionId: 'sess-relayed', action: 'hold', count: 3 }]);
    const relayedRaised = await receiver.waitFor((rs) => rs.some((r) => r.eventName === 'escalation.raised' && r.attributes['session.id'] === 'sess-relayed'), 20_000);
    const ids = String(relayedRaised.find((r) => r.eventName === 'escalation.raised' && r.attributes['session.id'] === 'sess-relayed')!.attributes['escalation.evidence_ids']).split(',');
    const agentLogs = relayedRaised.filter((r) => r.eventName === 'agent.log' && r.attributes['session.id'] === 'sess-relayed').map((r) => r.attributes['event.id']);
    expect(ids).toHaveLength(3);
    expect(ids.every((id) => agentLogs.includes(id))).toBe(true);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  }, 60_000);
});
