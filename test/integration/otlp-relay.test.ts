// The local OTLP relay: Claude Code's own OTel logs POSTed to the companion's /v1/logs (OTLP/HTTP JSON or
// protobuf) are redacted, journaled and shipped to the organisation's collector with the companion's evidence.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeverityNumber } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, journalEvents } from '../support/fixtures.js';
import { rawRequest } from '../support/http-client.js';
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

/** The fixture's records, sent an hour ago (the relay keeps a record's own time within a day of now). */
const SENT_MS = Date.now() - 3_600_000;
const logs = (): Record<string, unknown> => {
  const body = fixture('otel-logs.json') as { resourceLogs: { scopeLogs: { logRecords: { timeUnixNano?: string }[] }[] }[] };
  body.resourceLogs.forEach((rl) => rl.scopeLogs.forEach((sl) => sl.logRecords.forEach((r, i) => (r.timeUnixNano = String((BigInt(SENT_MS) + BigInt(i) * 1000n) * 1_000_000n)))));
  return body;
};

async function start(extra: { limitBytes?: number } = {}): Promise<TestCore> {
  const policyFile = join(mkdtempSync(join(tmpdir(), 'cc-pol-')), 'policy.json');
  writeFileSync(policyFile, JSON.stringify({ telemetry: { endpoint: `${receiver.url}/v1/logs`, redaction: { identity: 'hmac', hmacKey: 'k'.repeat(40) } } }));
  return startTestCore({ otlpUrl: receiver.url, policyFile, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }, evidence: { backoffMs: () => 100, ...extra } });
}

function post(body: string | Buffer, headers: Record<string, string> = {}, token: string | null = t!.agentToken) {
  return rawRequest(`${t!.core.agentApiUrl}/v1/logs`, {
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body,
  });
}

describe('POST /v1/logs', () => {
  it('delivers Claude Code records to the collector, redacted, with the run ids intact', async () => {
    t = await start();
    const res = await post(JSON.stringify(logs()));
    expect(res.status).toBe(200);
    expect(res.json).toEqual({});
    const relayed = await receiver.waitFor((rs) => rs.filter((r) => r.eventName === 'agent.log').length === 2);
    const decision = relayed.find((r) => r.attributes['event.name'] === 'tool_decision')!;
    expect(decision.attributes).toMatchObject({
      'relay.source': 'claude-code',
      'session.id': 'sess-relay',
      'prompt.id': 'prompt-relay',
      tool_use_id: 'toolu_relay_1',
      // Claude Code's own words under agent.<key>: its `decision` must not read as the companion's.
      'agent.decision': 'reject',
      source: 'hook',
      'event.sequence': 7,
    });
    expect(decision.attributes).not.toHaveProperty('decision');
    expect(decision.attributes['user.email']).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(decision.attributes['redaction.policy']).toMatch(/^identity=hmac/);
    // The agent's own time (the exporter's float conversion may move it by a millisecond).
    expect(Math.abs(Number(BigInt(decision.timeUnixNano ?? 0) / 1_000_000n) - SENT_MS)).toBeLessThanOrEqual(1);
    const result = relayed.find((r) => r.attributes['event.name'] === 'tool_result')!;
    expect(result.attributes).toMatchObject({ tool_use_id: 'toolu_relay_2', duration_ms: 12 });
    expect(JSON.stringify(receiver.records)).not.toContain('dana.kovac@example.com');
    expect(JSON.stringify(await journalEvents(t.dataDir))).not.toContain('dana.kovac@example.com');
  });

  it('answers partialSuccess for invalid records and keeps the valid ones', async () => {
    t = await start();
    const body = logs() as { resourceLogs: { scopeLogs: { logRecords: unknown[] }[] }[] };
    // Not a record, and a key that is no key: refused. A value the relay does not take (none, a map) is
    // left out and its record kept.
    body.resourceLogs[0]!.scopeLogs[0]!.logRecords.push('not a record', { attributes: [{ key: '', value: { stringValue: 'v' } }] }, { attributes: [{ key: 'x', value: {} }] });
    const res = await post(JSON.stringify(body));
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ partialSuccess: { rejectedLogRecords: 2, errorMessage: 'a log record is not an object' } });
    await expect.poll(async () => (await journalEvents(t!.dataDir)).filter((e) => e.name === 'agent.log').length).toBe(3);
  });

  it('refuses what is not authenticated, too large, malformed or protobuf', async () => {
    t = await start();
    const text = JSON.stringify(logs());
    expect((await post(text, {}, null)).status).toBe(401);
    expect((await post(text, {}, 'x'.repeat(43))).status).toBe(401);
    expect((await post(text, { Origin: 'http://evil.example' })).status).toBe(403);
    const big = await post(JSON.stringify({ resourceLogs: [], pad: 'a'.repeat(4 * 1024 * 1024) }));
    expect(big.status).toBe(413);
    // 1,001 empty records fit in a few KiB but would each become a journal line: refused whole.
    const many = await post(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: Array.from({ length: 1001 }, () => ({})) }] }] }));
    expect(many.status).toBe(413);
    expect(many.text).toContain('too_many_records');
    const notJson = await post('{"resourceLogs": [');
    expect(notJson.status).toBe(400);
    expect(notJson.text).toContain('malformed_json');
    const wrongShape = await post(JSON.stringify({ resourceLogs: 'nope' }));
    expect(wrongShape.status).toBe(400);
    expect(wrongShape.text).toContain('resourceLogs');
    const xml = await post('<logs/>', { 'Content-Type': 'application/xml' });
    expect(xml.status).toBe(415);
    expect(xml.text).toContain('application/x-protobuf');
    expect((await rawRequest(`${t.core.agentApiUrl}/v1/logs`, { method: 'GET', headers: { Authorization: `Bearer ${t.agentToken}` } })).status).toBe(405);
    expect((await journalEvents(t.dataDir)).filter((e) => e.name === 'agent.log')).toHaveLength(0);
  });

  it('collector down then up: each accepted record is delivered exactly once', async () => {
    receiver.behave((n) => (n < 3 ? { status: 503 } : {}));
    t = await start();
    expect((await post(JSON.stringify(logs()))).status).toBe(200);
    const ids = (await journalEvents(t.dataDir)).filter((e) => e.name === 'agent.log').map((e) => String(e.attributes['event.id']));
    expect(ids).toHaveLength(2);
    await receiver.waitFor(() => ids.every((id) => receiver.deliveries().has(id)), 15_000);
    await expect.poll(() => t!.core.getSnapshot().evidence.queued, { timeout: 10_000 }).toBe(0);
    for (const id of ids) expect(receiver.deliveries().get(id)).toBe(1);
  });

  it('a journal at its disk budget answers 429 with Retry-After and records nothing', async () => {
    receiver.behave(() => ({ status: 503 }));
    t = await start({ limitBytes: 1 });
    await expect.poll(() => t!.core.getSnapshot().evidence.journalBytes).toBeGreaterThan(0);
    const res = await fetch(`${t.core.agentApiUrl}/v1/logs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${t.agentToken}` },
      body: JSON.stringify(logs()),
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(await res.json()).toMatchObject({ error: { code: 'journal_full' } });
    expect((await journalEvents(t.dataDir)).filter((e) => e.name === 'agent.log')).toHaveLength(0);
  });
});

// The official generated OTLP code (protobufjs, a devDependency) to build requests and read answers.
interface ProtoType {
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
  fromObject(o: unknown): unknown;
  toObject(message: unknown, options: Record<string, unknown>): unknown;
}
const logsV1 = (createRequire(import.meta.url)('otlp-proto-codec/build/src/generated/root.js') as {
  opentelemetry: { proto: { collector: { logs: { v1: { ExportLogsServiceRequest: ProtoType; ExportLogsServiceResponse: ProtoType } } } } };
}).opentelemetry.proto.collector.logs.v1;
const toProtobuf = (json: unknown): Buffer => Buffer.from(logsV1.ExportLogsServiceRequest.encode(logsV1.ExportLogsServiceRequest.fromObject(json)).finish());

async function postProtobuf(body: Uint8Array, headers: Record<string, string> = {}): Promise<{ status: number; type: string | null; bytes: Uint8Array }> {
  const res = await fetch(`${t!.core.agentApiUrl}/v1/logs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-protobuf', Authorization: `Bearer ${t!.agentToken}`, ...headers },
    body,
  });
  return { status: res.status, type: res.headers.get('content-type'), bytes: new Uint8Array(await res.arrayBuffer()) };
}

/** Claude Code's exporter as the OTel JS SDK makes it: a LoggerProvider batching into the OTLP/HTTP protobuf exporter (one export at a time). */
function protobufAgent(token: string) {
  const exporter = new OTLPLogExporter({ url: `${t!.core.agentApiUrl}/v1/logs`, headers: { Authorization: `Bearer ${token}` } });
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'claude-code', 'service.version': '2.1.332' }),
    processors: [new BatchLogRecordProcessor({ exporter })],
  });
  return { logger: provider.getLogger('com.anthropic.claude_code.events'), provider };
}

describe('POST /v1/logs in protobuf', () => {
  it('the OTel SDK\'s protobuf exporter reaches the collector through the relay, once, across an outage', async () => {
    receiver.behave((n) => (n < 3 ? { status: 503 } : {}));
    t = await start();
    const agent = protobufAgent(t.agentToken);
    for (const [i, name] of ['user_prompt', 'tool_result'].entries()) {
      agent.logger.emit({
        severityNumber: SeverityNumber.INFO,
        body: `claude_code.${name}`,
        timestamp: SENT_MS + i,
        attributes: { 'event.name': name, 'session.id': 'sess-proto', 'prompt.id': 'prompt-proto', 'user.email': 'dana.kovac@example.com', success: true, duration_ms: 12, cost_usd: 0.25 },
      });
    }
    await agent.provider.forceFlush();
    await agent.provider.shutdown();
    const journaled = (await journalEvents(t.dataDir)).filter((e) => e.name === 'agent.log');
    expect(journaled.map((e) => e.attributes['event.name'])).toEqual(['user_prompt', 'tool_result']);
    const ids = journaled.map((e) => String(e.attributes['event.id']));
    await receiver.waitFor(() => ids.every((id) => receiver.deliveries().has(id)), 15_000);
    await expect.poll(() => t!.core.getSnapshot().evidence.queued, { timeout: 10_000 }).toBe(0);
    for (const id of ids) expect(receiver.deliveries().get(id)).toBe(1);
    const result = receiver.records.find((r) => r.attributes['event.name'] === 'tool_result')!;
    expect(result.attributes).toMatchObject({ 'relay.source': 'claude-code', 'session.id': 'sess-proto', success: true, duration_ms: 12, cost_usd: 0.25 });
    expect(Math.abs(Number(BigInt(result.timeUnixNano ?? 0) / 1_000_000n) - (SENT_MS + 1))).toBeLessThanOrEqual(1);
    expect(JSON.stringify(receiver.records)).not.toContain('dana.kovac@example.com');
  });

  it('answers an ExportLogsServiceResponse in protobuf, with partial success', async () => {
    t = await start();
    const ok = await postProtobuf(toProtobuf(logs()));
    expect(ok.status).toBe(200);
    expect(ok.type).toBe('application/x-protobuf');
    expect(ok.bytes).toHaveLength(0); // an empty ExportLogsServiceResponse: all taken
    const body = logs() as { resourceLogs: { scopeLogs: { logRecords: unknown[] }[] }[] };
    body.resourceLogs[0]!.scopeLogs[0]!.logRecords.push({ attributes: [{ key: '', value: { stringValue: 'v' } }] });
    const partial = await postProtobuf(toProtobuf(body));
    expect(partial.status).toBe(200);
    const answer = logsV1.ExportLogsServiceResponse.toObject(logsV1.ExportLogsServiceResponse.decode(partial.bytes), { longs: Number });
    expect(answer).toEqual({ partialSuccess: { rejectedLogRecords: 1, errorMessage: 'an attribute has no valid "key"' } });
    await expect.poll(async () => (await journalEvents(t!.dataDir)).filter((e) => e.name === 'agent.log').length).toBe(4);
  });

  it('refuses malformed protobuf (400, the reason in a google.rpc.Status), too many records or bytes (413, gzip bombs too) with nothing recorded; takes gzip', async () => {
    t = await start();
    const truncated = toProtobuf(logs()).subarray(0, 40);
    const bad = await postProtobuf(truncated);
    expect(bad.status).toBe(400);
    expect(bad.type).toBe('application/x-protobuf');
    // google.rpc.Status: code 3 (INVALID_ARGUMENT), then the message as text
    expect([...bad.bytes.subarray(0, 2)]).toEqual([0x08, 0x03]);
    expect(Buffer.from(bad.bytes).toString('utf8')).toContain('runs past the end');
    const many = await postProtobuf(toProtobuf({ resourceLogs: [{ scopeLogs: [{ logRecords: Array.from({ length: 1001 }, () => ({ severityText: 'x' })) }] }] }));
    expect(many.status).toBe(413);
    expect(Buffer.from(many.bytes).toString('utf8')).toContain('at most 1000 log records');
    const big = await postProtobuf(new Uint8Array(4 * 1024 * 1024 + 1));
    expect(big.status).toBe(413);
    // gzip (OTEL_EXPORTER_OTLP_COMPRESSION=gzip): the limit holds for what it inflates to.
    const bomb = await postProtobuf(gzipSync(Buffer.alloc(5 * 1024 * 1024)), { 'Content-Encoding': 'gzip' });
    expect(bomb.status).toBe(413);
    expect(Buffer.from(bomb.bytes).toString('utf8')).toContain('inflates to more than');
    expect((await postProtobuf(toProtobuf(logs()), { 'Content-Encoding': 'gzip' })).status).toBe(400);
    expect((await postProtobuf(toProtobuf(logs()), { 'Content-Encoding': 'br' })).status).toBe(415);
    expect((await journalEvents(t.dataDir)).filter((e) => e.name === 'agent.log')).toHaveLength(0);
    const zipped = await postProtobuf(gzipSync(toProtobuf(logs())), { 'Content-Encoding': 'gzip' });
    expect(zipped.status).toBe(200);
    expect((await journalEvents(t.dataDir)).filter((e) => e.name === 'agent.log')).toHaveLength(2);
  });

  it('a journal at its disk budget answers 429 with Retry-After in protobuf too', async () => {
    receiver.behave(() => ({ status: 503 }));
    t = await start({ limitBytes: 1 });
    await expect.poll(() => t!.core.getSnapshot().evidence.journalBytes).toBeGreaterThan(0);
    const res = await fetch(`${t.core.agentApiUrl}/v1/logs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-protobuf', Authorization: `Bearer ${t.agentToken}` },
      body: toProtobuf(logs()),
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    expect((await journalEvents(t.dataDir)).filter((e) => e.name === 'agent.log')).toHaveLength(0);
  });
});

/** A varint, for building protobuf by hand (what the official encoder would not make: a bomb). */
const varint = (n: number): number[] => (n < 0x80 ? [n] : [(n & 0x7f) | 0x80, ...varint(n >>> 7)]);
const nestedValue = (levels: number): unknown => {
  let v: unknown = { stringValue: 'x' };
  for (let i = 0; i < levels; i++) v = { arrayValue: { values: [v] } };
  return v;
};
const oneRecord = (record: unknown) => ({ resourceLogs: [{ scopeLogs: [{ logRecords: [record] }] }] });
const agentLogs = async (): Promise<number> => (await journalEvents(t!.dataDir)).filter((e) => e.name === 'agent.log').length;

describe('POST /v1/logs against hostile requests', () => {
  it('refuses small bodies that would cost much to read (empty sub-messages, attributes, nesting) whole, in both encodings, and then takes a normal batch', async () => {
    t = await start();
    // ~500,000 empty ScopeLogs in one ResourceLogs: 1 MB of protobuf, ~1 KB gzipped.
    const empties = Buffer.alloc(1_000_000);
    for (let i = 0; i < empties.length; i += 2) empties[i] = 0x12;
    const bomb = await postProtobuf(gzipSync(Buffer.from([0x0a, ...varint(empties.length), ...empties])), { 'Content-Encoding': 'gzip' });
    expect(bomb.status).toBe(413);
    expect([...bomb.bytes.subarray(0, 2)]).toEqual([0x08, 0x08]); // RESOURCE_EXHAUSTED
    expect(Buffer.from(bomb.bytes).toString('utf8')).toContain('at most 20000 entries');
    const jsonBomb = await post(gzipSync(`{"resourceLogs":[{"scopeLogs":[${Array.from({ length: 300_000 }, () => '{}').join(',')}]}]}`), { 'Content-Encoding': 'gzip' });
    expect(jsonBomb.status).toBe(413);
    expect(jsonBomb.json).toMatchObject({ error: { code: 'too_many_entries' } });

    const attributes = oneRecord({ attributes: Array.from({ length: 10_000 }, (_, i) => ({ key: `k${i}`, value: {} })) });
    expect((await post(JSON.stringify(attributes))).json).toMatchObject({ error: { code: 'too_many_attributes' } });
    const manyAttributes = await postProtobuf(toProtobuf(attributes));
    expect(manyAttributes.status).toBe(413);
    expect(Buffer.from(manyAttributes.bytes).toString('utf8')).toContain('at most 128 attributes');

    const deep = oneRecord({ attributes: [{ key: 'a', value: nestedValue(9) }] });
    const deepJson = await post(JSON.stringify(deep));
    expect(deepJson.status).toBe(400);
    expect(deepJson.json).toMatchObject({ error: { code: 'too_deep' } });
    expect((await postProtobuf(toProtobuf(deep))).status).toBe(400);

    // The inflated body may be at most 1 MiB.
    const inflated = await post(gzipSync(JSON.stringify({ ...logs(), pad: 'a'.repeat(1024 * 1024) })), { 'Content-Encoding': 'gzip' });
    expect(inflated.status).toBe(413);
    expect(inflated.json).toMatchObject({ error: { code: 'body_too_large' } });
    expect(await agentLogs()).toBe(0);

    expect((await post(gzipSync(JSON.stringify(logs())), { 'Content-Encoding': 'gzip' })).status).toBe(200);
    expect((await postProtobuf(gzipSync(toProtobuf(logs())), { 'Content-Encoding': 'gzip' })).status).toBe(200);
    expect(await agentLogs()).toBe(4);
  });

  it('counts each record as a journal line against the relay\'s share of the journal, not the body\'s bytes alone', async () => {
    t = await start({ limitBytes: 300_000 });
    // 1,000 empty records are ~3 KB of JSON but ~300 KB of journal: past the relay's 225 KB share.
    const many = await post(JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: Array.from({ length: 1000 }, () => ({})) }] }] }));
    expect(many.status).toBe(429);
    expect(many.json).toMatchObject({ error: { code: 'journal_full' } });
    expect(await agentLogs()).toBe(0);
    expect((await post(JSON.stringify(logs()))).status).toBe(200);
    expect(await agentLogs()).toBe(2);
  });
});
