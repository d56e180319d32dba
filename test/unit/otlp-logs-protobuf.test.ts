// The relay's protobuf reader against the official opentelemetry-proto code as generated for the OTel JS
// SDK (protobufjs, installed as the devDependency otlp-proto-codec): whatever that encodes, the relay
// reads as the OTLP/HTTP JSON encoding says (ids hex, 64-bit integers as strings, bytes base64).
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeOtlpLogsProtobuf, encodeOtlpLogsResponse, encodeRpcStatus, ProtobufError, TooManyRecordsError } from '../../electron/core/evidence/otlp-logs-protobuf.js';
import { relayedRecords } from '../../electron/core/evidence/otlp-relay-policy.js';

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
  fc.record({ doubleValue: fc.double({ noNaN: true }) }),
  fc.record({ bytesValue: fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b).toString('base64')) }),
);
const anyValue = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
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
        // The official decoder leaves out empty lists; ours gives every resource and scope a list.
        const strip = (v: unknown): unknown => JSON.parse(JSON.stringify(v), (_k, x: unknown) => (Array.isArray(x) && x.length === 0 ? undefined : x));
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

  it('refuses values nested past 16 levels and stops reading past the record limit', () => {
    let v: unknown = { stringValue: 'x' };
    for (let i = 0; i < 40; i++) v = { arrayValue: { values: [v] } };
    expect(() => decodeOtlpLogsProtobuf(encodeOfficial({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: v }] }] }] }), 1000)).toThrow(/deeper than 16/);
    const many = encodeOfficial({ resourceLogs: [{ scopeLogs: [{ logRecords: Array.from({ length: 11 }, () => ({ severityText: 'x' })) }] }] });
    expect(decodeOtlpLogsProtobuf(many, 11)['resourceLogs']).toHaveLength(1);
    expect(() => decodeOtlpLogsProtobuf(many, 10)).toThrow(TooManyRecordsError);
  });

  it('never throws anything but its own errors on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeOtlpLogsProtobuf(bytes, 5);
        } catch (error) {
          expect(error instanceof ProtobufError || error instanceof TooManyRecordsError).toBe(true);
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
