// The walking skeleton end to end: hook payload → pending → decided via the UI contract → Claude Code
// answer → evidence in the journal and at a real OTLP/HTTP receiver.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, fixtureIn } from '../support/fixtures.js';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { DecisionJournalService } from '../../electron/core/evidence/decision-journal-service.js';
import { startTestCore, type TestCore } from '../support/start-core.js';

let receiver: OtlpReceiver;
let t: TestCore;

beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await t?.dispose();
  await receiver.close();
});

const journalLines = (dataDir: string) => new DecisionJournalService(join(dataDir, 'journal')).readAll();

describe('approval flow', () => {
  it('approves a PreToolUse request from the UI and exports exactly one decision record', async () => {
    // A write into a read-only shared folder asks a person.
    t = await startTestCore({ otlpUrl: receiver.url, share: 'read' });
    const payload = fixtureIn('input/pretooluse-write.json', t.projectDir);
    const answer = t.hook(payload);
    await t.waitForPending(1);
    const [item] = t.core.getSnapshot().pending;
    expect(item).toMatchObject({
      hookEvent: 'PreToolUse',
      toolName: 'Write',
      sessionId: payload['session_id'],
      promptId: payload['prompt_id'],
      toolUseId: payload['tool_use_id'],
      cwd: payload['cwd'],
      held: false,
      targets: { paths: [`${t.projectDir}/src/refunds/retryPolicy.ts`] },
      note: expect.stringMatching(/read-only/),
    });

    const decided = await t.ui('approve', { id: item!.id, contentHash: item!.contentHash });
    expect(decided.status).toBe(200);
    const res = await answer;
    expect(res.status).toBe(200);
    const expected = fixture<{ hookSpecificOutput: Record<string, unknown> }>('output/pretooluse-allow.json');
    expect(Object.keys((res.json as typeof expected).hookSpecificOutput).sort()).toEqual(Object.keys(expected.hookSpecificOutput).sort());
    expect(res.json).toMatchObject({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow' } });

    // Journal before answer: the decision is already on disk when the agent has its answer.
    const decisions = journalLines(t.dataDir).filter((e) => e.name === 'approval.decided');
    expect(decisions).toHaveLength(1);
    expect(t.core.getSnapshot().pending).toHaveLength(0);

    await receiver.waitFor((rs) => rs.some((r) => r.eventName === 'approval.decided'));
    await t.dispose(); // flushes telemetry
    const records = receiver.records.filter((r) => r.eventName === 'approval.decided');
    expect(records).toHaveLength(1);
    const rec = records[0]!;
    expect(rec.attributes).toMatchObject({
      'session.id': payload['session_id'],
      'prompt.id': payload['prompt_id'],
      tool_use_id: payload['tool_use_id'],
      tool_name: 'Write',
      decision: 'allow',
      'decision.source': 'user',
      cwd: payload['cwd'],
      'event.id': decisions[0]!.attributes['event.id'],
    });
    expect(typeof rec.attributes['decision.latency_ms']).toBe('number');
    expect(rec.resource['service.name']).toBe('cowork-companion');
    expect(rec.resource['service.version']).toMatch(/^\d+\.\d+\.\d+/);
    expect(receiver.records.filter((r) => r.eventName === 'approval.requested')).toHaveLength(1);
  });

  it('denies a PermissionRequest with the reason the person gave', async () => {
    t = await startTestCore({ otlpUrl: receiver.url });
    const answer = t.hook(fixtureIn('input/permissionrequest-bash.json', t.projectDir));
    await t.waitForPending(1);
    const [item] = t.core.getSnapshot().pending;
    expect(item).toMatchObject({ hookEvent: 'PermissionRequest', toolName: 'Bash', targets: { command: 'git push origin feature/refund-retry' } });
    expect((await t.ui('deny', { id: item!.id, contentHash: item!.contentHash, reason: 'needs a reviewed PR' })).status).toBe(200);
    const res = await answer;
    expect(res.json).toEqual({
      hookSpecificOutput: {
        hookEventName: 'PermissionRequest',
        decision: { behavior: 'deny', message: 'Denied in Cowork Companion: needs a reviewed PR', interrupt: false },
      },
    });
    expect(t.core.getSnapshot().recent[0]).toMatchObject({ decision: 'deny', source: 'user', toolName: 'Bash' });
  });

  it('denies when the budget runs out (fail-closed) and records decision.source = timeout', async () => {
    t = await startTestCore({ otlpUrl: receiver.url, budgetMs: 300 });
    expect(t.core.getSnapshot().approvalTiming).toEqual({ timeoutSeconds: 0.3, onTimeout: 'deny', holdHours: 24, source: 'command-line', fixedByPolicy: [] });
    const res = await t.hook(fixtureIn('input/pretooluse-bash.json', t.projectDir));
    expect(res.json).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny' } });
    expect(JSON.stringify(res.json)).toMatch(/No decision in Cowork Companion/);
    const decided = journalLines(t.dataDir).find((e) => e.name === 'approval.decided');
    expect(decided?.attributes).toMatchObject({ decision: 'deny', 'decision.source': 'timeout' });
  });

  it('takes the budget and the default action from managed policy, over the command line', async () => {
    const policyFile = join(mkdtempSync(join(tmpdir(), 'cc-policy-')), 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ approvals: { timeoutSeconds: 5, onTimeout: 'hold', holdHours: 8 } }));
    t = await startTestCore({ otlpUrl: receiver.url, budgetMs: 60_000, policyFile });
    const answer = t.hook(fixture('input/pretooluse-webfetch.json'));
    await t.waitForPending(1);
    const [item] = t.core.getSnapshot().pending;
    expect(Date.parse(item!.expiresAt) - Date.parse(item!.receivedAt)).toBe(5000);
    expect(item!.onTimeout).toBe('hold');
    expect(t.core.getSnapshot().approvalTiming).toEqual({ timeoutSeconds: 5, onTimeout: 'hold', holdHours: 8, source: 'policy', fixedByPolicy: ['timeoutSeconds', 'onTimeout', 'holdHours'] });
    await t.ui('deny', { id: item!.id, contentHash: item!.contentHash });
    expect((await answer).json).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny' } });
  });

  it('answers a held request within seconds of the hold, not when its budget ends, and records the hold first', async () => {
    const policyFile = join(mkdtempSync(join(tmpdir(), 'cc-policy-')), 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ approvals: { holdHours: 2 } }));
    t = await startTestCore({ otlpUrl: receiver.url, budgetMs: 120_000, policyFile });
    const answer = t.hook(fixture('input/pretooluse-webfetch.json'));
    await t.waitForPending(1);
    const [item] = t.core.getSnapshot().pending;
    const heldAt = Date.now();
    expect((await t.ui('hold', { id: item!.id, contentHash: item!.contentHash })).status).toBe(200);
    const res = await answer;
    expect(Date.now() - heldAt).toBeLessThan(2000);
    expect(res.json).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny', permissionDecisionReason: expect.stringMatching(/on hold in Cowork Companion.*Retry exactly the same action after the user approves it/) } });
    // The journal had the hold before the agent had its answer; nothing was decided.
    const lines = journalLines(t.dataDir);
    const held = lines.find((e) => e.name === 'approval.held');
    expect(held?.attributes).toMatchObject({ decision: 'hold', 'decision.source': 'user', 'approval.id': item!.id, 'decision.reason': (res.json as { hookSpecificOutput: { permissionDecisionReason: string } }).hookSpecificOutput.permissionDecisionReason });
    expect(Date.parse(String(held!.attributes['hold.expires_at'])) - heldAt).toBeGreaterThan(2 * 3_600_000 - 5000);
    expect(lines.some((e) => e.name === 'approval.decided')).toBe(false);
    const after = t.core.getSnapshot().pending[0];
    expect(after).toMatchObject({ id: item!.id, held: true, agentWaiting: false, heldUntil: held!.attributes['hold.expires_at'], told: { message: held!.attributes['decision.reason'] } });
    // Only holdHours comes from the policy (it names nothing else): the budget is the command line's, and
    // onTimeout, though the schema fills in its default, is not shown as fixed.
    expect(t.core.getSnapshot().approvalTiming).toMatchObject({ source: 'command-line', onTimeout: 'deny', fixedByPolicy: ['holdHours'] });
  });

  it.each([0, 169, 1.5])('refuses a policy whose approvals.holdHours is %s (whole hours, 1 to 168): reported, the default stays', async (holdHours) => {
    const policyFile = join(mkdtempSync(join(tmpdir(), 'cc-policy-')), 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ approvals: { holdHours } }));
    t = await startTestCore({ otlpUrl: receiver.url, policyFile, share: false });
    expect(t.core.getSnapshot().scope.policyError).toContain('approvals.holdHours');
    expect(t.core.getSnapshot().approvalTiming.holdHours).toBe(24);
  });

  it('refuses a second decision and a decision on changed content', async () => {
    t = await startTestCore({ otlpUrl: receiver.url });
    const answer = t.hook(fixtureIn('input/pretooluse-bash.json', t.projectDir));
    await t.waitForPending(1);
    const [item] = t.core.getSnapshot().pending;
    const wrongHash = await t.ui('approve', { id: item!.id, contentHash: 'deadbeefdeadbeef' });
    expect(wrongHash.status).toBe(409);
    expect(wrongHash.json).toMatchObject({ error: { code: 'content_changed' } });
    expect((await t.ui('deny', { id: item!.id, contentHash: item!.contentHash })).status).toBe(200);
    const again = await t.ui('approve', { id: item!.id, contentHash: item!.contentHash });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ error: { code: 'not_pending' } });
    expect((await answer).json).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny' } });
    expect(journalLines(t.dataDir).filter((e) => e.name === 'approval.decided')).toHaveLength(1);
  });

  it('acknowledges non-deciding events without queueing anything', async () => {
    t = await startTestCore({ otlpUrl: receiver.url });
    for (const name of ['sessionstart-startup', 'stop', 'sessionend', 'posttooluse-write', 'userpromptsubmit', 'notification-permission-prompt']) {
      const res = await t.hook(fixture(`input/${name}.json`));
      expect(res.status, name).toBe(200);
      expect(res.json, name).toEqual({});
    }
    const unknown = await t.hook({ session_id: 's', cwd: '/x', hook_event_name: 'SomeFutureEvent' });
    expect(unknown.json).toEqual({});
    expect(t.core.getSnapshot().pending).toHaveLength(0);
  });

  it('withdraws the item when the agent stops waiting', async () => {
    t = await startTestCore({ otlpUrl: receiver.url });
    const controller = new AbortController();
    const { request } = await import('node:http');
    const req = request(`${t.core.agentApiUrl}/hooks/claude-code`, {
      method: 'POST',
      signal: controller.signal,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${t.agentToken}` },
    });
    req.on('error', () => undefined);
    req.end(JSON.stringify(fixtureIn('input/pretooluse-bash.json', t.projectDir)));
    await t.waitForPending(1);
    controller.abort();
    // The item leaves the inbox at once; its evidence follows once fsynced.
    const withdrawn = () => journalLines(t.dataDir).some((e) => e.name === 'approval.withdrawn');
    const deadline = Date.now() + 3000;
    while ((t.core.getSnapshot().pending.length > 0 || !withdrawn()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(t.core.getSnapshot().pending).toHaveLength(0);
    expect(withdrawn()).toBe(true);
  });

  it('answers deny when the journal cannot be written (fail-closed, nothing queued)', async () => {
    t = await startTestCore({ otlpUrl: receiver.url, share: false, prepare: (dir) => writeFileSync(join(dir, 'journal'), 'not a folder') });
    const res = await t.hook(fixture('input/pretooluse-edit.json'));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny' } });
    expect(JSON.stringify(res.json)).toMatch(/could not record/);
    expect(t.core.getSnapshot().pending).toHaveLength(0);
  });

  it('denies what is pending when the companion shuts down', async () => {
    t = await startTestCore({ otlpUrl: receiver.url });
    const answer = t.hook(fixture('input/pretooluse-mcp.json'));
    await t.waitForPending(1);
    await t.dispose();
    const res = await answer;
    expect(res.json).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny' } });
    expect(JSON.stringify(res.json)).toMatch(/shutting down/);
  });
});

describe('decisions without a person', () => {
  it('records a policy decision like a person\'s, with the rule that matched', async () => {
    t = await startTestCore({
      otlpUrl: receiver.url,
      policy: () => ({ kind: 'decide', verdict: 'allow', source: 'policy', reason: 'Allowed by test policy', rule: 'test.allow-all' }),
    });
    const res = await t.hook(fixture('input/pretooluse-read.json'));
    expect(res.json).toMatchObject({ hookSpecificOutput: { permissionDecision: 'allow', permissionDecisionReason: 'Allowed by test policy' } });
    expect(t.core.getSnapshot().pending).toHaveLength(0);
    const decided = journalLines(t.dataDir).filter((e) => e.name === 'approval.decided');
    expect(decided).toHaveLength(1);
    expect(decided[0]!.attributes).toMatchObject({ decision: 'allow', 'decision.source': 'policy', 'decision.rule': 'test.allow-all' });
    await receiver.waitFor((rs) => rs.some((r) => r.eventName === 'approval.decided'));
    expect(receiver.records.find((r) => r.eventName === 'approval.decided')?.attributes['decision.source']).toBe('policy');
  });
});
