import { describe, expect, it } from 'vitest';
import { relayedRecords } from '../../electron/core/evidence/otlp-relay-policy.js';

const req = (...logRecords: unknown[]) => ({ resourceLogs: [{ scopeLogs: [{ logRecords }] }] });

describe('relayedRecords', () => {
  it('reads OTLP AnyValues: scalars as they are, big ints as digits, arrays and maps as JSON text', () => {
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
        ],
      }),
      'claude-code',
      1,
    );
    expect(out.rejected).toBe(0);
    expect(out.records).toEqual([
      {
        time: 1796220000123,
        attributes: { s: 'x', i: 42, big: '123456789012345678901', d: 1.5, b: false, a: '{"arrayValue":{"values":[{"stringValue":"y"}]}}', 'relay.source': 'claude-code' },
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
});
