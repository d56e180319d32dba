// Evidence delivery end to end: the real core, the official OTLP exporters, and a real receiver
// that decodes JSON and protobuf bodies and misbehaves on demand.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { journalEvents } from '../support/fixtures.js';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
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

const start = (env: Record<string, string> = {}) =>
  startTestCore({
    otlpUrl: receiver.url,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...env },
    evidence: { backoffMs: () => 100 },
  });

async function readsAllowed(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await t!.hook({
      session_id: 'sess-e',
      prompt_id: 'prompt-e',
      cwd: t!.projectDir,
      hook_event_name: 'PreToolUse',
      tool_name: 'Read',
      tool_input: { file_path: join(t!.projectDir, `f${i}.ts`) },
      tool_use_id: `toolu_${i}`,
    });
    expect(JSON.stringify(res.json)).toContain('"allow"');
  }
}

async function journalIds(): Promise<string[]> {
  return (await journalEvents(t!.dataDir)).map((e) => String(e.attributes['event.id']));
}

describe.each([['http/json'], ['http/protobuf']])('%s', (protocol) => {
  it('delivers every event with its attributes and resource', async () => {
    t = await start({ OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=test,team=payments' });
    await readsAllowed(3);
    const ids = await journalIds();
    await receiver.waitFor(() => ids.every((id) => receiver.deliveries().has(id)));
    expect(receiver.requests.at(-1)?.contentType).toContain(protocol === 'http/json' ? 'json' : 'protobuf');
    const decided = receiver.records.filter((r) => r.eventName === 'approval.decided');
    expect(decided).toHaveLength(3);
    expect(decided[0]!.attributes).toMatchObject({ 'session.id': 'sess-e', 'prompt.id': 'prompt-e', tool_use_id: 'toolu_0', decision: 'allow', 'decision.source': 'policy' });
    expect(decided[0]!.resource).toMatchObject({ 'service.name': 'cowork-companion', 'deployment.environment': 'test', team: 'payments', 'os.type': 'linux' });
    expect(typeof decided[0]!.resource['host.name']).toBe('string');
    // The collector has the records a moment before the shipper hears back and moves its cursor.
    await expect.poll(() => t!.core.getSnapshot().evidence).toMatchObject({ protocol, collectorReachable: true, queued: 0 });
  });
});

describe('collector failures', () => {
  it('collector down (503), then up: every event arrives exactly once', async () => {
    let up = false;
    receiver.behave(() => (up ? {} : { status: 503, headers: { 'Retry-After': '0' } }));
    t = await start();
    await readsAllowed(5);
    // The exporter gives up on 503s without saying which status it saw: reported as not delivering.
    await expect.poll(() => t!.core.getSnapshot().evidence.collectorReachable, { timeout: 10_000 }).toBe(false);
    expect(t.core.getSnapshot().evidence.lastError).toMatch(/retrying/);
    expect(t.core.getSnapshot().evidence.queued).toBeGreaterThan(0);
    expect(receiver.records).toHaveLength(0);
    up = true;
    const ids = await journalIds();
    await receiver.waitFor(() => ids.every((id) => receiver.deliveries().has(id)), 15_000);
    expect([...receiver.deliveries().values()].every((n) => n === 1)).toBe(true);
    await expect.poll(() => t!.core.getSnapshot().evidence.queued).toBe(0);
  });

  it('429 with Retry-After is honoured, then delivered', async () => {
    const times: number[] = [];
    receiver.behave((n) => {
      times.push(Date.now());
      return n === 0 ? { status: 429, headers: { 'Retry-After': '1' } } : {};
    });
    t = await start();
    await readsAllowed(1);
    const ids = await journalIds();
    await receiver.waitFor(() => ids.every((id) => receiver.deliveries().has(id)), 15_000);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(900);
  });

  it('400: the batch is refused, kept in rejected.jsonl, never retried; later events flow', async () => {
    receiver.behave((n) => (n === 0 ? { status: 400, body: '{"message":"bad"}' } : {}));
    t = await start();
    await expect.poll(() => t!.core.getSnapshot().evidence.rejected, { timeout: 10_000 }).toBeGreaterThan(0);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(join(t.dataDir, 'journal', 'rejected.jsonl'), 'utf8')).toContain('scope.changed');
    await readsAllowed(1);
    await receiver.waitFor((rs) => rs.some((r) => r.eventName === 'approval.decided'));
    expect(receiver.records.some((r) => r.eventName === 'scope.changed')).toBe(false);
  });

  it('connection resets and slow answers: delivered, once', async () => {
    receiver.behave((n) => (n < 2 ? { reset: true } : { delayMs: 400 }));
    t = await start();
    await readsAllowed(2);
    const ids = await journalIds();
    await receiver.waitFor(() => ids.every((id) => receiver.deliveries().has(id)), 20_000);
    expect([...receiver.deliveries().values()].every((n) => n === 1)).toBe(true);
  });
});

describe('correlation, schema and redaction', () => {
  it('one run shares a trace; each request has its own span; an agent traceparent is honoured', async () => {
    t = await start();
    await readsAllowed(2);
    const agentTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    await t.hook(
      { session_id: 'other', cwd: t.projectDir, hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: { file_path: join(t.projectDir, 'x') }, tool_use_id: 'toolu_tp' },
      { traceparent: `00-${agentTrace}-00f067aa0ba902b7-01` },
    );
    await receiver.waitFor((rs) => rs.filter((r) => r.eventName === 'approval.decided').length === 3);
    const decided = receiver.records.filter((r) => r.eventName === 'approval.decided');
    expect(decided[0]!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(decided[0]!.traceId).toBe(decided[1]!.traceId); // same session + prompt
    expect(decided[0]!.spanId).not.toBe(decided[1]!.spanId);
    // Decided as they arrived: each request's one record is its decision (no approval.requested).
    expect(decided.every((r) => r.attributes['decision.immediate'] === true)).toBe(true);
    expect(receiver.records.some((r) => r.eventName === 'approval.requested')).toBe(false);
    expect(decided[2]!.traceId).toBe(agentTrace);
  });

  it('every journalled event matches the documented schema', async () => {
    const { validateEvidenceAttributes } = await import('../../shared/evidence-schema.js');
    t = await start();
    await readsAllowed(1);
    await t.hook({ session_id: 's', cwd: t.projectDir, hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: { file_path: '/etc/passwd' }, tool_use_id: 'toolu_out' });
    const answer = t.hook({ session_id: 's', cwd: t.projectDir, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'ls' }, tool_use_id: 'toolu_b' });
    await t.waitForPending(1);
    const [item] = t.core.getSnapshot().pending;
    await t.core.callUi('deny', { id: item!.id, contentHash: item!.contentHash, reason: 'not now' });
    await answer;
    const events = await journalEvents(t.dataDir);
    expect(events.length).toBeGreaterThanOrEqual(7);
    for (const e of events) {
      const v = validateEvidenceAttributes(e.name as never, e.attributes);
      expect(v, `${e.name}: ${JSON.stringify(v)}`).toMatchObject({ ok: true });
    }
  });

  it.each([
    ['drop', (v: unknown) => v === undefined],
    ['hmac', (v: unknown) => typeof v === 'string' && v.startsWith('hmac-sha256:')],
  ])('identity %s: the collector never sees the e-mail or the OS account, and the policy endpoint wins', async (identity, check) => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const policyFile = join(mkdtempSync(join(tmpdir(), 'cc-pol-')), 'policy.json');
    writeFileSync(
      policyFile,
      JSON.stringify({ telemetry: { endpoint: `${receiver.url}/v1/logs`, redaction: { identity, hmacKey: 'k'.repeat(40) } } }),
    );
    t = await startTestCore({
      otlpUrl: receiver.url,
      policyFile,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', COWORK_COMPANION_USER_EMAIL: 'dana.kovac@example.com' },
      evidence: { backoffMs: () => 100 },
    });
    const answer = t.hook({ session_id: 's', cwd: t.projectDir, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'ls' }, tool_use_id: 'toolu_b' });
    await t.waitForPending(1);
    const [item] = t.core.getSnapshot().pending;
    await t.core.callUi('deny', { id: item!.id, contentHash: item!.contentHash, reason: 'ask dana.kovac@example.com first' });
    await answer;
    await receiver.waitFor((rs) => rs.some((r) => r.eventName === 'approval.decided'));
    const decided = receiver.records.find((r) => r.eventName === 'approval.decided')!;
    expect(check(decided.attributes['user.email'])).toBe(true);
    expect(check(decided.attributes['user.name'])).toBe(true); // the OS account, redacted the same way
    expect(decided.attributes).not.toHaveProperty('user.id');
    expect(JSON.stringify(receiver.records)).not.toContain('dana.kovac@example.com');
    expect(JSON.stringify(await journalEvents(t.dataDir))).not.toContain('dana.kovac@example.com');
    expect(t.core.getSnapshot().evidence.configSource).toBe('policy');
  });
});

describe('bad collector input', () => {
  it('a collector that answers 200 with garbage still counts as accepted (the records arrived)', async () => {
    receiver.behave(() => ({ status: 200, body: '<html>not otlp</html>', headers: { 'Content-Type': 'text/html' } }));
    t = await start();
    await readsAllowed(1);
    await expect.poll(() => t!.core.getSnapshot().evidence.queued, { timeout: 10_000 }).toBe(0);
    expect(t.core.getSnapshot().evidence.collectorReachable).toBe(true);
  });

  it('an endpoint with a bad scheme is reported, and evidence waits in the journal', async () => {
    t = await startTestCore({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://collector.example.com' }, evidence: { backoffMs: () => 100 } });
    await readsAllowed(1);
    await expect.poll(() => t!.core.getSnapshot().evidence.lastError ?? '', { timeout: 10_000 }).toMatch(/not usable/);
    expect(t.core.getSnapshot().evidence.queued).toBeGreaterThan(0);
    expect(t.core.getSnapshot().evidence.collectorReachable).toBe(false);
  });
});
