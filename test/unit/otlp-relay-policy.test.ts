import { describe, expect, it } from 'vitest';
import { checkRelayRequest, relayedRecords } from '../../electron/core/evidence/otlp-relay-policy.js';

const req = (...logRecords: unknown[]) => ({ resourceLogs: [{ scopeLogs: [{ logRecords }] }] });

describe('relayedRecords', () => {
  it('reads OTLP AnyValues: scalars as they are, big ints as digits; lists, maps and bytes are left out (redaction reads keys and text)', () => {
    const out = relayedRecords(
      req({
        timeUnixNano: '1796220000123456789',
        attributes: [
          { key: 's', value: { stringValue: 'x' } },
          { key: 'i', value: { intValue: '42' } },
          { key: 'big', value: { intValue: '123456789012345678901' } },
          { key: 'd', value: { doubleValue: 1.5 } },
          { key: 'b', value: { boolValue: false } },
          { key: 'a', value: { arrayValue: { values: [{ stringValue: 'y' }] } } },
          { key: 'm', value: { kvlistValue: { values: [{ key: 'user.email', value: { stringValue: 'a@b.example' } }] } } },
          { key: 'bytes', value: { bytesValue: 'YUBiLmV4YW1wbGU=' } },
        ],
      }),
      'claude-code',
      1796220000000,
    );
    expect(out.rejected).toBe(0);
    expect(out.records).toEqual([
      {
        time: 1796220000123,
        attributes: { s: 'x', i: 42, big: '123456789012345678901', d: 1.5, b: false, 'relay.source': 'claude-code' },
      },
    ]);
  });

  it("never takes the relay's own attributes from the agent, and falls back to OTLP eventName and now", () => {
    const out = relayedRecords(
      req({
        eventName: 'tool_result',
        attributes: [
          { key: 'event.id', value: { stringValue: 'forged' } },
          { key: 'redaction.policy', value: { stringValue: 'identity=keep' } },
          { key: 'relay.source', value: { stringValue: 'spoof' } },
        ],
      }),
      'agent',
      777,
    );
    expect(out.records).toEqual([{ time: 777, attributes: { 'event.name': 'tool_result', 'relay.source': 'agent' } }]);
  });

  it('rejects unreadable records one by one, naming the first problem', () => {
    const out = relayedRecords(req(null, { attributes: 'x' }, { attributes: [{ key: '', value: { stringValue: 'v' } }] }, { attributes: [] }), 'a', 1);
    expect(out).toMatchObject({ rejected: 3, firstProblem: 'a log record is not an object' });
    expect(out.records).toHaveLength(1);
  });

  it("never reads as the companion's own evidence, nor crowds it out: its keys become agent.<key> (the run's join keys kept), values are cut, times kept near now", () => {
    const now = Date.parse('2026-12-02T10:00:00Z');
    const out = relayedRecords(
      req({
        timeUnixNano: String(BigInt(now + 400 * 24 * 3_600_000) * 1_000_000n),
        attributes: [
          { key: 'decision', value: { stringValue: 'accept' } },
          { key: 'approval.id', value: { stringValue: 'a-1' } },
          { key: 'Decision.Source', value: { stringValue: 'user' } },
          { key: 'session.id', value: { stringValue: 'S' } },
          { key: 'tool_use_id', value: { stringValue: 'toolu_1' } },
          { key: 'User.Email', value: { stringValue: 'x@example.com' } },
          { key: 'output', value: { stringValue: 'y'.repeat(20_000) } },
        ],
      }),
      'claude-code',
      now,
    );
    const [record] = out.records;
    expect(record!.time).toBe(now);
    expect(record!.attributes).toMatchObject({ 'agent.decision': 'accept', 'agent.approval.id': 'a-1', 'agent.decision.source': 'user', 'session.id': 'S', tool_use_id: 'toolu_1', 'user.email': 'x@example.com' });
    expect(record!.attributes).not.toHaveProperty('decision');
    expect(String(record!.attributes['output'])).toHaveLength(8192 + '…[cut]'.length);
  });
});

describe('checkRelayRequest', () => {
  it('leaves a wrong shape to the schema and the per-record checks (its limits are tested with the protobuf reader\'s)', () => {
    for (const body of [null, 'x', [], { resourceLogs: 'nope' }, { resourceLogs: [null, { scopeLogs: [{ logRecords: ['x', { attributes: 'x' }, { attributes: [null, { value: null }] }] }] }] }]) {
      expect(() => checkRelayRequest(body), JSON.stringify(body)).not.toThrow();
    }
  });
});
