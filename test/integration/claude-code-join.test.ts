// What a backend needs to join the companion's records with Claude Code's own `claude_code.tool_decision`
// events, checked on the wire: the real core, the official OTLP exporters and a real receiver that
// decodes what they send. Claude Code sends a PreToolUse (with the call's tool_use_id) and, when an
// `ask` rule still wants a prompt, a PermissionRequest for the same call without it.
//
// docs/telemetry.md shows a record from this test: COWORK_JOIN_EXAMPLE_OUT=<file> writes the
// PermissionRequest's approval.decided as received (http/json run) to that file.
import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { traceIdForRun } from '../../electron/core/evidence/trace-context-policy.js';
import { fixtureIn } from '../support/fixtures.js';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedRecord } from '../support/otlp-receiver.js';
import { startTestCore, type TestCore } from '../support/start-core.js';

let receiver: OtlpReceiver;
let t: TestCore | undefined;

beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(async () => {
  await t?.dispose();
  t = undefined;
  await receiver.close();
});

const TOOL_USE_ID = 'toolu_01PushRefundRetry7Hc2Xq9';

/** The PermissionRequest fixture in the test's project folder, and the PreToolUse Claude Code sends before it. */
function toolCall(projectDir: string) {
  const permissionRequest = fixtureIn<Record<string, unknown>>('input/permissionrequest-bash.json', projectDir);
  const { permission_suggestions: _suggestions, ...call } = permissionRequest;
  const preToolUse = { ...call, hook_event_name: 'PreToolUse', tool_use_id: TOOL_USE_ID };
  return { preToolUse, permissionRequest };
}

/** Sends a hook payload, waits for it in the inbox, and decides it as the person would. */
async function decide(payload: unknown, verdict: 'approve' | 'deny', reason?: string) {
  const answer = t!.hook(payload);
  await t!.waitForPending(1);
  const [item] = t!.core.getSnapshot().pending;
  await t!.core.callUi(verdict, { id: item!.id, contentHash: item!.contentHash, ...(reason ? { reason } : {}) });
  return { item: item!, answer: (await answer).json as { hookSpecificOutput: Record<string, unknown> } };
}

const start = (protocol: string) =>
  startTestCore({
    otlpUrl: receiver.url,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: protocol, COWORK_COMPANION_USER_EMAIL: 'dana.kovac@example.com' },
    evidence: { backoffMs: () => 100 },
  });

const find = (event: string, hook: string) => (r: ReceivedRecord) => r.eventName === event && r.attributes['hook_event_name'] === hook;

describe.each([['http/json'], ['http/protobuf']])('%s', (protocol) => {
  it("a PermissionRequest decision carries its PreToolUse's tool_use_id, Claude Code's vocabulary and the person as user.name", async () => {
    t = await start(protocol);
    const { preToolUse, permissionRequest } = toolCall(t.projectDir);

    const pre = await decide(preToolUse, 'approve');
    expect(pre.answer.hookSpecificOutput).toMatchObject({ hookEventName: 'PreToolUse', permissionDecision: 'allow' });
    const perm = await decide(permissionRequest, 'deny', 'not to origin');
    expect(perm.item.toolUseId).toBe(TOOL_USE_ID); // the card shows it too
    expect(perm.answer.hookSpecificOutput).toMatchObject({ hookEventName: 'PermissionRequest', decision: { behavior: 'deny' } });

    await receiver.waitFor((rs) => rs.filter((r) => r.eventName === 'approval.decided').length === 2);
    const preDecided = receiver.records.find(find('approval.decided', 'PreToolUse'))!;
    const permRequested = receiver.records.find(find('approval.requested', 'PermissionRequest'))!;
    const permDecided = receiver.records.find(find('approval.decided', 'PermissionRequest'))!;

    // Claude Code's vocabulary beside the companion's own.
    expect(preDecided.attributes).toMatchObject({ decision: 'allow', 'claude_code.decision': 'accept', 'claude_code.source': 'hook', tool_use_id: TOOL_USE_ID });
    expect(permDecided.attributes).toMatchObject({ decision: 'deny', 'decision.source': 'user', 'claude_code.decision': 'reject', 'claude_code.source': 'hook' });
    // The PermissionRequest's records name the call, as the PreToolUse's do.
    expect(permRequested.attributes['tool_use_id']).toBe(TOOL_USE_ID);
    expect(permDecided.attributes['tool_use_id']).toBe(TOOL_USE_ID);
    // Same run, same trace (the trace context is made from session + prompt, not from the call id).
    const run = traceIdForRun(String(permissionRequest['session_id']), String(permissionRequest['prompt_id']));
    expect([preDecided.traceId, permRequested.traceId, permDecided.traceId]).toEqual([run, run, run]);
    expect(permRequested.spanId).toBe(permDecided.spanId);
    // The person: the OS account as user.name, the configured address as user.email, no user.id.
    for (const r of [preDecided, permDecided]) {
      expect(r.attributes).toMatchObject({ 'user.name': userInfo().username, 'user.email': 'dana.kovac@example.com' });
      expect(r.attributes).not.toHaveProperty('user.id');
    }

    const out = process.env['COWORK_JOIN_EXAMPLE_OUT'];
    if (out && protocol === 'http/json') writeFileSync(out, `${JSON.stringify({ ...permDecided, resource: permDecided.resource }, null, 2)}\n`);
  });
});

describe('never made up', () => {
  it('a PermissionRequest that follows no PreToolUse the companion allowed has no tool_use_id on the wire', async () => {
    t = await start('http/json');
    const { preToolUse, permissionRequest } = toolCall(t.projectDir);
    // The PreToolUse was denied: Claude Code would not ask about it any more (this is another call).
    await decide(preToolUse, 'deny');
    await decide(permissionRequest, 'approve');
    await receiver.waitFor((rs) => rs.filter((r) => r.eventName === 'approval.decided').length === 2);
    for (const r of receiver.records.filter((x) => x.attributes['hook_event_name'] === 'PermissionRequest')) {
      expect(r.attributes).not.toHaveProperty('tool_use_id');
    }
    expect(receiver.records.find(find('approval.decided', 'PermissionRequest'))!.attributes).toMatchObject({ decision: 'allow', 'claude_code.decision': 'accept' });
  });
});
