// The relay's protobuf reader against the official opentelemetry-proto code as generated for the OTel JS
// SDK (protobufjs, installed as the devDependency otlp-proto-codec): whatever that encodes, the relay
// reads as the OTLP/HTTP JSON encoding says (ids hex, 64-bit integers as strings, bytes base64).
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeOtlpLogsProtobuf, encodeOtlpLogsResponse, encodeRpcStatus, ProtobufError } from '../../electron/core/evidence/otlp-logs-protobuf.js';
import { checkRelayRequest, RELAY_MAX_ENTRIES, relayedRecords, RelayLimitError } from '../../electron/core/evidence/otlp-relay-policy.js';

interface ProtoType {
  encode(message: unknown): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
  fromObject(o: unknown): unknown;
  toObject(message: unknown, options: Record<string, unknown>): unknown;
}
const root = createRequire(import.meta.url)('otlp-proto-codec/build/src/generated/root.js') as {
  opentelemetry: { proto: { collector: { logs: { v1: { ExportLogsServiceRequest: ProtoType; ExportLogsServiceResponse: ProtoType } } } } };
};
const { ExportLogsServiceRequest: Req, ExportLogsServiceResponse: Res } = root.opentelemetry.proto.collector.logs.v1;

/** Encodes with the official code from the OTLP JSON shape (ids hex, bytes base64). */
function encodeOfficial(json: unknown): Uint8Array {
  const withBytes = JSON.parse(JSON.stringify(json), (k: string, v: unknown) => ((k === 'traceId' || k === 'spanId') && typeof v === 'string' ? Buffer.from(v, 'hex') : v));
  return Req.encode(Req.fromObject(withBytes)).finish();
}

const scalar = fc.oneof(
  fc.record({ stringValue: fc.string({ unit: 'grapheme', maxLength: 12 }) }),
  fc.record({ boolValue: fc.boolean() }),
  fc.record({ intValue: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String) }),
  // Finite: this property goes through the OTLP JSON shape, where ±Infinity (like NaN) has no number.
  fc.record({ doubleValue: fc.double({ noNaN: true, noDefaultInfinity: true }) }),
  fc.record({ bytesValue: fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b).toString('base64')) }),
);
const anyValue = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    // within the relay's limits (8 deep, 20,000 entries per request): past them is refused, tested below
    { depthSize: 'small', withCrossShrink: true, maxDepth: 4 },
    scalar,
    fc.record({ arrayValue: fc.record({ values: fc.array(tie('v'), { maxLength: 3 }) }) }),
    fc.record({ kvlistValue: fc.record({ values: fc.array(fc.record({ key: fc.string({ maxLength: 6 }), value: tie('v') }), { maxLength: 3 }) }) }),
  ),
})).v;
const keyValues = fc.array(fc.record({ key: fc.string({ minLength: 1, maxLength: 10 }), value: anyValue }), { maxLength: 4 });
const hexId = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Buffer.from(b).toString('hex'));
const logRecord = fc.record(
  {
    timeUnixNano: fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }).map(String),
    observedTimeUnixNano: fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }).map(String),
    severityNumber: fc.integer({ min: 1, max: 24 }),
    severityText: fc.string({ minLength: 1, maxLength: 5 }),
    body: anyValue,
    attributes: keyValues.filter((a) => a.length > 0),
    droppedAttributesCount: fc.integer({ min: 1, max: 2 ** 32 - 1 }),
    flags: fc.integer({ min: 1, max: 2 ** 32 - 1 }),
    traceId: hexId(16),
    spanId: hexId(8),
    eventName: fc.string({ minLength: 1, maxLength: 10 }),
  },
  { requiredKeys: [] },
);
const request = fc.record({
  resourceLogs: fc.array(
    fc.record({
      resource: fc.record({ attributes: keyValues.filter((a) => a.length > 0) }),
      scopeLogs: fc.array(
        fc.record({ scope: fc.record({ name: fc.string({ minLength: 1, maxLength: 6 }), version: fc.string({ minLength: 1, maxLength: 4 }) }), logRecords: fc.array(logRecord, { maxLength: 3 }) }),
        { maxLength: 2 },
      ),
    }),
    { maxLength: 2 },
  ),
});

/** What the JSON shape should be: the official decoder's object, with ids as hex. */
function officialJson(bytes: Uint8Array): unknown {
  const o = Req.toObject(Req.decode(bytes), { longs: String, bytes: String, enums: Number, defaults: false, oneofs: false }) as Record<string, unknown>;
  return JSON.parse(JSON.stringify(o), (k: string, v: unknown) => ((k === 'traceId' || k === 'spanId') && typeof v === 'string' ? Buffer.from(v, 'base64').toString('hex') : v));
}

describe('decodeOtlpLogsProtobuf', () => {
  it('reads what the official OTLP code encodes, as the OTLP JSON encoding has it', () => {
    fc.assert(
      fc.property(request, (req) => {
        const bytes = encodeOfficial(req);
        const ours = decodeOtlpLogsProtobuf(bytes, 1000);
        // The official decoder leaves out empty lists; ours gives every resource and scope a list, and
        // skips records' bodies (the relay does not read them).
        const strip = (v: unknown): unknown => JSON.parse(JSON.stringify(v), (k, x: unknown) => (k === 'body' || (Array.isArray(x) && x.length === 0) ? undefined : x));
        expect(strip(ours)).toEqual(strip(officialJson(bytes)));
        // and it equals what was sent (doubles and -0 aside, which JSON cannot tell apart anyway)
        expect(strip(ours)).toEqual(strip(JSON.parse(JSON.stringify(req))));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the relay the same records as the JSON encoding of the same request', () => {
    const json = {
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'claude-code' } }] },
          scopeLogs: [
            {
              logRecords: [
                {
                  timeUnixNano: '1796220000123456789',
                  body: { stringValue: 'claude_code.tool_result' },
                  attributes: [
                    { key: 'event.name', value: { stringValue: 'tool_result' } },
                    { key: 'session.id', value: { stringValue: 's-1' } },
                    { key: 'duration_ms', value: { intValue: '12' } },
                    { key: 'big', value: { intValue: '-9223372036854775808' } },
                    { key: 'success', value: { boolValue: true } },
                    { key: 'cost', value: { doubleValue: 0.25 } },
                    { key: 'bytes', value: { bytesValue: 'YUBiLmV4YW1wbGU=' } },
                  ],
                  traceId: '0af7651916cd43dd8448eb211c80319c',
                },
              ],
            },
          ],
        },
      ],
    };
    const now = 1796220000000;
    expect(relayedRecords(decodeOtlpLogsProtobuf(encodeOfficial(json), 1000), 'claude-code', now)).toEqual(relayedRecords(json, 'claude-code', now));
  });

  it('refuses what is not an ExportLogsServiceRequest, saying why', () => {
    const good = encodeOfficial({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ attributes: [{ key: 'k', value: { stringValue: 'v' } }] }] }] }] });
    const cases: [Uint8Array, RegExp][] = [
      [good.subarray(0, good.length - 1), /past the end/],
      [Uint8Array.from([0x0a, 0x05, 0x01]), /past the end/],
      [Uint8Array.from([0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), /longer than 10 bytes/],
      [Uint8Array.from([0x00]), /field number 0/],
      [Uint8Array.from([0x13]), /wire type 3 is not used/],
      [Uint8Array.from([0x08, 0x01]), /wrong wire type/], // resourceLogs as a number
      [Uint8Array.from([0x0a, 0x06, 0x12, 0x04, 0x12, 0x02, 0x08, 0x01]), /a time has the wrong wire type/], // a record's time as a varint,
      // a key that is not UTF-8
      [encodeOfficial({ resourceLogs: [{ resource: { attributes: [{ key: 'k', value: { stringValue: 'v' } }] } }] }).map((b) => (b === 0x6b ? 0xff : b)), /UTF-8/],
    ];
    for (const [bytes, reason] of cases) expect(() => decodeOtlpLogsProtobuf(bytes, 1000), Buffer.from(bytes).toString('hex')).toThrow(reason);
    for (const [bytes] of cases) expect(() => decodeOtlpLogsProtobuf(bytes, 1000)).toThrow(ProtobufError);
  });

  it('stops reading at the relay\'s limits, refusing with the limit crossed', () => {
    const limitOf = (bytes: Uint8Array, maxRecords = 1000): string => {
      try {
        decodeOtlpLogsProtobuf(bytes, maxRecords);
        return 'taken';
      } catch (error) {
        return error instanceof RelayLimitError ? error.limit : String(error);
      }
    };
    const nested = (levels: number): unknown => {
      let v: unknown = { stringValue: 'x' };
      for (let i = 0; i < levels; i++) v = i % 2 ? { arrayValue: { values: [v] } } : { kvlistValue: { values: [{ key: 'k', value: v }] } };
      return v;
    };
    const withAttributes = (n: number) => ({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ attributes: Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: {} })) }] }] }] });
    const records = (n: number) => ({ resourceLogs: [{ scopeLogs: [{ logRecords: Array.from({ length: n }, () => ({ severityText: 'x' })) }] }] });
    const cases: [string, unknown, string][] = [
      ['8 levels of lists and maps', { resourceLogs: [{ scopeLogs: [{ logRecords: [{ attributes: [{ key: 'a', value: nested(8) }] }] }] }] }, 'taken'],
      ['9 levels', { resourceLogs: [{ scopeLogs: [{ logRecords: [{ attributes: [{ key: 'a', value: nested(9) }] }] }] }] }, 'too_deep'],
      ['9 levels in a resource attribute', { resourceLogs: [{ resource: { attributes: [{ key: 'a', value: nested(9) }] } }] }, 'too_deep'],
      ['a body 40 levels deep (not read)', { resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: nested(40) }] }] }] }, 'taken'],
      ['128 attributes', withAttributes(128), 'taken'],
      ['129 attributes', withAttributes(129), 'too_many_attributes'],
      ['10,000 attributes', withAttributes(10_000), 'too_many_attributes'],
      ['11 records, 11 taken', records(11), 'taken'],
      ['30,000 empty scope logs', { resourceLogs: [{ scopeLogs: Array.from({ length: 30_000 }, () => ({})) }] }, 'too_many_entries'],
      ['30,000 empty resource logs', { resourceLogs: Array.from({ length: 30_000 }, () => ({})) }, 'too_many_entries'],
      ['200 records of 100 attributes', { resourceLogs: [{ scopeLogs: [{ logRecords: Array.from({ length: 200 }, () => withAttributes(100).resourceLogs[0]!.scopeLogs[0]!.logRecords[0]) }] }] }, 'too_many_entries'],
      ['a list of 30,000 values', { resourceLogs: [{ scopeLogs: [{ logRecords: [{ attributes: [{ key: 'a', value: { arrayValue: { values: Array.from({ length: 30_000 }, () => ({})) } } }] }] }] }] }, 'too_many_entries'],
    ];
    for (const [what, json, want] of cases) {
      expect(limitOf(encodeOfficial(json)), what).toBe(want);
      // The JSON encoding of the same request meets the same limit.
      let json_: string = 'taken';
      try {
        checkRelayRequest(JSON.parse(JSON.stringify(json)));
      } catch (error) {
        json_ = error instanceof RelayLimitError ? error.limit : String(error);
      }
      expect(json_, `${what} (JSON)`).toBe(want);
    }
    expect(limitOf(encodeOfficial(records(11)), 10)).toBe('too_many_records');
    expect(decodeOtlpLogsProtobuf(encodeOfficial({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: nested(40), severityText: 'x' }] }] }] }), 1000)).toEqual({
      resourceLogs: [{ scopeLogs: [{ logRecords: [{ severityText: 'x' }] }] }],
    });
  });

  it('a gzip-sized bomb of ~500,000 empty sub-messages in 1 MiB is refused after reading the first entries only', () => {
    // ResourceLogs { ScopeLogs {} × n }: 2 bytes each.
    const n = 500_000;
    const inner = new Uint8Array(2 * n);
    for (let i = 0; i < n; i++) inner.set([0x12, 0x00], 2 * i);
    const len = [(inner.length & 0x7f) | 0x80, ((inner.length >> 7) & 0x7f) | 0x80, inner.length >> 14];
    const bytes = Uint8Array.from([0x0a, ...len, ...inner]);
    expect(() => decodeOtlpLogsProtobuf(bytes, 1000)).toThrow(`at most ${RELAY_MAX_ENTRIES} entries`);
  });

  it('never throws anything but its own errors on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeOtlpLogsProtobuf(bytes, 5);
        } catch (error) {
          expect(error instanceof ProtobufError || error instanceof RelayLimitError).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('encodeOtlpLogsResponse', () => {
  it('is an ExportLogsServiceResponse the official code reads, partial success included', () => {
    expect(encodeOtlpLogsResponse({})).toHaveLength(0);
    const partial = encodeOtlpLogsResponse({ partialSuccess: { rejectedLogRecords: 300, errorMessage: 'a log record is not an object — ü' } });
    expect(Res.toObject(Res.decode(partial), { longs: String })).toEqual({ partialSuccess: { rejectedLogRecords: '300', errorMessage: 'a log record is not an object — ü' } });
  });

  it('a refusal is a google.rpc.Status: code 1, message 2', () => {
    const bytes = encodeRpcStatus(3, 'bad');
    expect([...bytes]).toEqual([0x08, 0x03, 0x12, 0x03, 0x62, 0x61, 0x64]);
  });
});
