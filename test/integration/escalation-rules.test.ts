// Each escalation condition and action through the real core (HTTP hook endpoint, the OTLP relay,
// the managed policy file, the journal, the file watcher): tool errors from the agent's relayed logs
// stop a run (and what already waits is denied); denials notify and block nothing; a gated call
// stops at once; repeated identical requests stop; a change of a protected place holds the run.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixtureIn, journalEvents } from '../support/fixtures.js';
import { rawRequest } from '../support/http-client.js';
import { startTestCore, type TestCore } from '../support/start-core.js';

let t: TestCore | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await t?.dispose();
  t = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

type Answer = { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason?: string } };
let n = 0;
const pre = (tool_name: string, tool_input: Record<string, unknown>, session = 'run-1') => ({ session_id: session, cwd: t!.projectDir, hook_event_name: 'PreToolUse', tool_name, tool_input, tool_use_id: `toolu_${(n += 1)}` });
const read = (session = 'run-1') => pre('Read', { file_path: join(t!.projectDir, 'notes.txt') }, session);
const answer = async (res: Promise<{ json: unknown }>) => ((await res).json as Answer).hookSpecificOutput;
const until = <T>(check: () => T) => vi.waitFor(check, { timeout: 5000, interval: 20 });

async function withPolicy(policy: object, extra: Parameters<typeof startTestCore>[0] = {}): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cc-esc-'));
  dirs.push(dir);
  const policyFile = join(dir, 'policy.json');
  writeFileSync(policyFile, JSON.stringify(policy));
  t = await startTestCore({ policyFile, ...extra });
  writeFileSync(join(t.projectDir, 'notes.txt'), 'hello\n');
}

function relay(records: { name: string; session: string; attrs?: Record<string, string> }[]) {
  const logRecords = records.map((r) => ({
    timeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
    body: { stringValue: `claude_code.${r.name}` },
    attributes: [
      { key: 'event.name', value: { stringValue: r.name } },
      { key: 'session.id', value: { stringValue: r.session } },
      ...Object.entries(r.attrs ?? {}).map(([key, v]) => ({ key, value: { stringValue: v } })),
    ],
  }));
  return rawRequest(`${t!.core.agentApiUrl}/v1/logs`, {
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${t!.agentToken}` },
    body: JSON.stringify({ resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'claude-code' } }] }, scopeLogs: [{ logRecords }] }] }),
  });
}

describe('escalation conditions and actions', () => {
  it("tool errors in the agent's relayed logs stop the run: what waits is denied, later calls are denied naming the rule and the contact; another run goes on", async () => {
    await withPolicy({
      escalation: { contact: { name: 'Security desk', url: 'https://help.example.com/sec' }, rules: [{ id: 'agent-errors', when: { toolErrors: { atLeast: 2, withinMinutes: 5 } }, action: 'stop' }] },
    });
    const waiting = answer(t!.hook(pre('Bash', { command: 'make deploy' })));
    await t!.waitForPending(1);
    // A successful result is no error; one failed result and one API error are two.
    expect((await relay([{ name: 'tool_result', session: 'run-1', attrs: { success: 'true', tool_use_id: 'toolu_ok' } }])).status).toBe(200);
    expect(t!.core.getSnapshot().escalations).toEqual([]);
    expect((await relay([{ name: 'tool_result', session: 'run-1', attrs: { success: 'false', tool_use_id: 'toolu_bad' } }, { name: 'api_error', session: 'run-1' }])).status).toBe(200);
    const denied = await waiting;
    expect(denied.permissionDecision).toBe('deny');
    expect(denied.permissionDecisionReason).toMatch(/stopped this run: the escalation rule agent-errors fired \(2 tool errors within 5 minutes\).*contact: Security desk https:\/\/help\.example\.com\/sec\./);
    const next = await answer(t!.hook(read()));
    expect(next.permissionDecision).toBe('deny');
    expect(next.permissionDecisionReason).toBe(denied.permissionDecisionReason);
    expect((await answer(t!.hook(read('run-2')))).permissionDecision).toBe('allow');

    const journal = await journalEvents(t!.dataDir);
    const failures = journal.filter((e) => e.name === 'agent.log' && (e.attributes['event.name'] === 'api_error' || e.attributes['success'] === 'false')).map((e) => e.attributes['event.id']);
    const raised = journal.find((e) => e.name === 'escalation.raised')!;
    expect(raised.attributes).toMatchObject({ 'escalation.rule': 'agent-errors', 'escalation.action': 'stop', 'escalation.evidence_ids': failures.join(','), 'escalation.tool_use_ids': 'toolu_bad', 'escalation.contact.url': 'https://help.example.com/sec', 'session.id': 'run-1' });
    // The stop's own denials are not denials it counts, and carry its rule.
    const stopDecisions = journal.filter((e) => e.name === 'approval.decided' && e.attributes['decision.rule'] === 'escalation:agent-errors');
    expect(stopDecisions).toHaveLength(2);

    // Kept stopped, then resumed: the run goes on.
    const [e] = t!.core.getSnapshot().escalations;
    await t!.core.callUi('resolveEscalation', { escalationId: e!.escalationId, how: 'stop' });
    expect(t!.core.getSnapshot().escalations[0]).toMatchObject({ action: 'stop', keptStopped: true });
    expect((await answer(t!.hook(read()))).permissionDecision).toBe('deny');
    await t!.core.callUi('resolveEscalation', { escalationId: e!.escalationId, how: 'resume' });
    expect((await answer(t!.hook(read()))).permissionDecision).toBe('allow');
    const resolved = (await journalEvents(t!.dataDir)).filter((x) => x.name === 'escalation.resolved').map((x) => x.attributes['escalation.resolution']);
    expect(resolved).toEqual(['stop', 'resume']);
  }, 30_000);

  it('relayed errors count only for a run a hook named, and a SessionEnd the agent sends does not clear its count', async () => {
    await withPolicy({ escalation: { rules: [{ id: 'agent-errors', when: { toolErrors: { atLeast: 2, withinMinutes: 5 } }, action: 'stop' }] } });
    // A session no hook ever named: accepted and recorded as evidence, never an escalation.
    expect((await relay([{ name: 'api_error', session: 'made-up' }, { name: 'api_error', session: 'made-up' }])).status).toBe(200);
    expect(t!.core.getSnapshot().escalations).toEqual([]);
    expect((await answer(t!.hook(read()))).permissionDecision).toBe('allow');
    expect((await relay([{ name: 'api_error', session: 'run-1' }])).status).toBe(200);
    const end = await t!.hook({ session_id: 'run-1', cwd: t!.projectDir, hook_event_name: 'SessionEnd', reason: 'other' });
    expect(end.status).toBe(200);
    expect((await relay([{ name: 'api_error', session: 'run-1' }])).status).toBe(200);
    await until(() => expect(t!.core.getSnapshot().escalations).toMatchObject([{ ruleId: 'agent-errors', sessionId: 'run-1', count: 2 }]));
  });

  it('a failed call seen by the hook and in the relayed log counts once; an interrupted call is no error', async () => {
    await withPolicy({ escalation: { rules: [{ id: 'errors', when: { toolErrors: { atLeast: 2, withinMinutes: 5 } }, action: 'stop' }] } });
    const failure = (id: string, extra: Record<string, unknown> = {}) => t!.hook({ session_id: 'run-1', cwd: t!.projectDir, hook_event_name: 'PostToolUseFailure', tool_name: 'Bash', tool_input: { command: 'make' }, tool_use_id: id, error: 'exit 2', ...extra });
    await failure('toolu_a');
    expect((await relay([{ name: 'tool_result', session: 'run-1', attrs: { success: 'false', tool_use_id: 'toolu_a' } }])).status).toBe(200);
    await failure('toolu_b', { is_interrupt: true });
    expect(t!.core.getSnapshot().escalations).toEqual([]);
    expect((await answer(t!.hook(read()))).permissionDecision).toBe('allow');
    await failure('toolu_c');
    expect(t!.core.getSnapshot().escalations).toMatchObject([{ ruleId: 'errors', count: 2 }]);
    const raised = (await journalEvents(t!.dataDir)).find((e) => e.name === 'escalation.raised');
    expect(raised?.attributes['escalation.tool_use_ids']).toBe('toolu_a,toolu_c');
  }, 30_000);

  it('denials notify: a banner and the record, nothing blocked; a notice is dismissed, never "kept stopped"', async () => {
    await withPolicy({
      rules: [{ toolName: 'Bash', match: { kind: 'command-prefix', prefix: 'rm' }, effect: 'deny' }],
      escalation: { rules: [{ id: 'denied-twice', when: { denials: { atLeast: 2, withinMinutes: 10 } }, action: 'notify' }] },
    });
    expect((await answer(t!.hook(pre('Bash', { command: 'rm -rf build' })))).permissionDecision).toBe('deny');
    expect(t!.core.getSnapshot().escalations).toEqual([]);
    expect((await answer(t!.hook(pre('Bash', { command: 'rm -rf dist' })))).permissionDecision).toBe('deny');
    const [notice] = t!.core.getSnapshot().escalations;
    expect(notice).toMatchObject({ ruleId: 'denied-twice', kind: 'denials', action: 'notify', severity: 'warn', count: 2 });
    expect((await answer(t!.hook(read()))).permissionDecision).toBe('allow');
    expect((await t!.ui('resolveEscalation', { escalationId: notice!.escalationId, how: 'stop' })).status).toBe(400);
    await t!.core.callUi('resolveEscalation', { escalationId: notice!.escalationId, how: 'resume' });
    expect(t!.core.getSnapshot().escalations).toEqual([]);
    const raised = (await journalEvents(t!.dataDir)).find((e) => e.name === 'escalation.raised');
    expect(raised?.attributes).toMatchObject({ 'escalation.severity': 'WARN', 'escalation.count': 2 });
  }, 30_000);

  it('a gated capability attempted stops the run at once (an ask rule, before anyone is asked; a deny rule counts too)', async () => {
    await withPolicy({
      rules: [
        { toolName: 'Bash', match: { kind: 'command-prefix', prefix: 'curl' }, effect: 'ask' },
        { toolName: 'mcp__github__*', effect: 'deny' },
      ],
      escalation: { rules: [{ id: 'gated', when: { gated: { atLeast: 1, withinMinutes: 60 } }, action: 'stop' }] },
    });
    const curl = await answer(t!.hook(pre('Bash', { command: 'curl https://example.com' })));
    expect(curl.permissionDecision).toBe('deny');
    expect(curl.permissionDecisionReason).toMatch(/escalation rule gated fired \(1 call a deny or ask rule covers within 60 minutes\).*contact: the user\./);
    expect(t!.core.getSnapshot().pending).toEqual([]);
    // Asking whether a call is gated does not count as a use of the rule: one call, one hit.
    expect(t!.core.getSnapshot().rules.find((r) => r.effect === 'ask')?.hits).toBe(1);
    expect((await answer(t!.hook(read()))).permissionDecision).toBe('deny');
    // Another run: IT's deny rule denies (its reason), and that hit stops this run too.
    const gh = await answer(t!.hook(pre('mcp__github__create_issue', { title: 'x' }, 'run-2')));
    expect(gh.permissionDecisionReason).toMatch(/a rule denies this/);
    expect((await answer(t!.hook(read('run-2')))).permissionDecisionReason).toMatch(/stopped this run/);
  }, 30_000);

  it('repeated identical requests stop the run; different requests do not count together', async () => {
    await withPolicy({ escalation: { rules: [{ id: 'loop', when: { repeated: { atLeast: 3, withinMinutes: 1 } }, action: 'stop' }] } });
    expect((await answer(t!.hook(read()))).permissionDecision).toBe('allow');
    expect((await answer(t!.hook(pre('Read', { file_path: join(t!.projectDir, 'other.txt') })))).permissionDecision).toBe('allow');
    expect((await answer(t!.hook(read()))).permissionDecision).toBe('allow');
    const third = await answer(t!.hook(read()));
    expect(third.permissionDecision).toBe('deny');
    expect(third.permissionDecisionReason).toMatch(/rule loop fired \(3 identical requests within 1 minute\)/);
  }, 30_000);

  it('a change of a protected place during a run holds it: the next call the scope allows waits for a person', async () => {
    const home = realpathSync(mkdtempSync(join(tmpdir(), 'cc-esc-home-')));
    dirs.push(home);
    mkdirSync(join(home, 'secrets'));
    await withPolicy(
      { forbiddenPaths: [join(home, 'secrets')], escalation: { rules: [{ id: 'protected', when: { outOfScope: { severity: 'high' } }, action: 'hold' }] } },
      { home, watch: true },
    );
    const session = fixtureIn<Record<string, unknown>>('input/sessionstart-startup.json', t!.projectDir);
    await t!.hook(session);
    await until(() => expect(t!.core.getSnapshot().watch.state).toBe('watching'));
    writeFileSync(join(home, 'secrets', 'token.txt'), 'x');
    await until(() => expect(t!.core.getSnapshot().escalations).toMatchObject([{ ruleId: 'protected', kind: 'outOfScope', action: 'hold', highOnly: true }]));
    const sessionId = String(session['session_id']);
    const waiting = answer(t!.hook(read(sessionId)));
    await t!.waitForPending(1);
    expect(t!.core.getSnapshot().pending[0]!.note).toMatch(/escalation rule protected fired \(1 high-severity change outside the scope/);
    const [e] = t!.core.getSnapshot().escalations;
    await t!.core.callUi('resolveEscalation', { escalationId: e!.escalationId, how: 'resume' });
    expect((await waiting).permissionDecision).toBe('allow');
    const raised = (await journalEvents(t!.dataDir)).find((x) => x.name === 'escalation.raised');
    const change = (await journalEvents(t!.dataDir)).find((x) => x.name === 'file.out_of_scope');
    expect(raised?.attributes['escalation.evidence_ids']).toBe(change?.attributes['event.id']);
  }, 30_000);

  it("a person's own escalation rule (Settings) applies beside IT's; refused for IT's ids and while IT turns them off", async () => {
    await withPolicy({ escalation: { rules: [{ id: 'it-rule', when: { denials: { atLeast: 5, withinMinutes: 5 } }, action: 'notify' }] } });
    expect(t!.core.getSnapshot().escalationRules).toEqual({ policy: [expect.objectContaining({ id: 'it-rule' })], personal: [], personalAllowed: true });
    const mine = { id: 'my-loop', when: { repeated: { atLeast: 2, withinMinutes: 1 } }, action: 'stop' };
    expect((await t!.ui('setEscalationRules', { rules: [{ ...mine, id: 'it-rule' }] })).status).toBe(400);
    expect((await t!.ui('setEscalationRules', { rules: [mine, mine] })).status).toBe(400); // ids unique
    expect((await t!.ui('setEscalationRules', { rules: [mine] })).status).toBe(200);
    expect(t!.core.getSnapshot().escalationRules.personal).toEqual([mine]);
    expect((await answer(t!.hook(read()))).permissionDecision).toBe('allow');
    expect((await answer(t!.hook(read()))).permissionDecisionReason).toMatch(/rule my-loop fired/);
    // The agent's token cannot change them.
    expect((await t!.ui('setEscalationRules', { rules: [] }, t!.agentToken)).status).toBe(403);
    expect(t!.core.getSnapshot().escalationRules.personal).toHaveLength(1);
  }, 30_000);

  it("IT's escalation.allowPersonalRules: false shows people's rules as off and refuses new ones", async () => {
    await withPolicy({ escalation: { allowPersonalRules: false } });
    expect(t!.core.getSnapshot().escalationRules.personalAllowed).toBe(false);
    const res = await t!.ui('setEscalationRules', { rules: [{ id: 'mine', when: { denials: { atLeast: 1, withinMinutes: 1 } }, action: 'stop' }] });
    expect(res.status).toBe(403);
  }, 30_000);
});
