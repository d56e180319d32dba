// OTLP/HTTP logs in protobuf (what Claude Code and the OTel SDKs send by default) read into the shape of
// the OTLP/HTTP JSON encoding, so one policy (otlp-relay-policy.ts) reads both: ids as hex, 64-bit
// integers as decimal strings, bytes as base64, AnyValue as its `stringValue`/`intValue`/… member.
// Hand-written for the few messages of opentelemetry-proto's logs service rather than a protobuf
// library at run time: the OpenTelemetry JS SDK itself encodes OTLP this way since 0.300 (its
// otlp-transformer dropped protobufjs), and these messages are small and stable. Checked against the
// official generated code in test/unit/otlp-logs-protobuf.test.ts. Pure.
//
// It reads no more than the relay's limits allow (RelayBudget: records, attributes, nesting, entries in
// all), counting each entry before decoding it, so a small hostile body is refused after bounded work.
// A record's body is skipped, not decoded: the relay keeps attributes only, and a body may be a deep or
// wide AnyValue.
//
// Messages (opentelemetry/proto/collector/logs/v1/logs_service.proto, logs/v1/logs.proto,
// common/v1/common.proto, resource/v1/resource.proto), field numbers as there.

import { RelayBudget } from './otlp-relay-policy.js';

export class ProtobufError extends Error {}

type Json = Record<string, unknown>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

class Reader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.end) throw new ProtobufError('a number runs past the end of its message');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result & 0xffffffffffffffffn;
    }
    throw new ProtobufError('a number is longer than 10 bytes');
  }

  /** A varint that must fit a length or a small count. Up to 4 bytes read without BigInt (tags and
   *  lengths are read for every field, so they are the bulk of the work on a body of many small fields). */
  small(what: string): number {
    const start = this.pos;
    let result = 0;
    for (let i = 0; i < 4 && this.pos < this.end; i++) {
      const b = this.buf[this.pos++]!;
      result |= (b & 0x7f) << (7 * i);
      if ((b & 0x80) === 0) return result;
    }
    this.pos = start;
    const v = this.varint();
    if (v > 0x7fffffffn) throw new ProtobufError(`${what} is too large`);
    return Number(v);
  }

  fixed(bytes: 4 | 8): Uint8Array {
    if (this.pos + bytes > this.end) throw new ProtobufError('a fixed-size field runs past the end of its message');
    const out = this.buf.subarray(this.pos, this.pos + bytes);
    this.pos += bytes;
    return out;
  }

  /** A length-delimited field's bounds. */
  span(): [number, number] {
    const len = this.small('a length');
    if (this.pos + len > this.end) throw new ProtobufError('a field runs past the end of its message');
    const start = this.pos;
    this.pos += len;
    return [start, this.pos];
  }

  sub(): Reader {
    const [start, end] = this.span();
    return new Reader(this.buf, start, end);
  }

  bytes(): Uint8Array {
    const [start, end] = this.span();
    return this.buf.subarray(start, end);
  }

  string(): string {
    try {
      return utf8.decode(this.bytes());
    } catch {
      throw new ProtobufError('a text field is not valid UTF-8');
    }
  }

  /** Past a varint without reading its value. */
  skipVarint(): void {
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtobufError('a number runs past the end of its message');
      if ((this.buf[this.pos++]! & 0x80) === 0) return;
    }
    throw new ProtobufError('a number is longer than 10 bytes');
  }

  skip(wire: number): void {
    if (wire === 0) this.skipVarint();
    else if (wire === 1) this.fixed(8);
    else if (wire === 2) this.span();
    else if (wire === 5) this.fixed(4);
    else throw new ProtobufError(`wire type ${wire} is not used by OTLP`);
  }

  /** Each field of this message: its number and wire type, the reader placed at its value. */
  *fields(): Generator<[number, number]> {
    while (!this.done()) {
      const tag = this.small('a field tag');
      const field = tag >>> 3;
      if (field === 0) throw new ProtobufError('field number 0');
      yield [field, tag & 7];
    }
  }
}

function wireIs(wire: number, want: number, what: string): void {
  if (wire !== want) throw new ProtobufError(`${what} has the wrong wire type (${wire})`);
}

const signed64 = (v: bigint): string => BigInt.asIntN(64, v).toString();
const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.length);
const unsigned64 = (b: Uint8Array): string => view(b).getBigUint64(0, true).toString();
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const base64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');

function anyValue(r: Reader, depth: number, budget: RelayBudget): Json {
  budget.depth(depth);
  let out: Json = {};
  for (const [field, wire] of r.fields()) {
    // A oneof: the last member seen wins (as protobuf decoders do).
    if (field === 1) {
      wireIs(wire, 2, 'stringValue');
      out = { stringValue: r.string() };
    } else if (field === 2) {
      wireIs(wire, 0, 'boolValue');
      out = { boolValue: r.varint() !== 0n };
    } else if (field === 3) {
      wireIs(wire, 0, 'intValue');
      out = { intValue: signed64(r.varint()) };
    } else if (field === 4) {
      wireIs(wire, 1, 'doubleValue');
      out = { doubleValue: view(r.fixed(8)).getFloat64(0, true) };
    } else if (field === 5) {
      wireIs(wire, 2, 'arrayValue');
      out = { arrayValue: { values: repeated(r.sub(), budget, (s) => anyValue(s, depth + 1, budget)) } };
    } else if (field === 6) {
      wireIs(wire, 2, 'kvlistValue');
      out = { kvlistValue: { values: repeated(r.sub(), budget, (s) => keyValue(s, budget, depth + 1)) } };
    } else if (field === 7) {
      wireIs(wire, 2, 'bytesValue');
      out = { bytesValue: base64(r.bytes()) };
    } else {
      r.skip(wire);
    }
  }
  return out;
}

/** ArrayValue / KeyValueList: field 1, repeated. */
function repeated(r: Reader, budget: RelayBudget, one: (r: Reader) => Json): Json[] {
  const out: Json[] = [];
  for (const [field, wire] of r.fields()) {
    if (field === 1) {
      wireIs(wire, 2, 'a list entry');
      budget.entry();
      out.push(one(r.sub()));
    } else {
      r.skip(wire);
    }
  }
  return out;
}

function keyValue(r: Reader, budget: RelayBudget, depth = 0): Json {
  const out: Json = { key: '' };
  for (const [field, wire] of r.fields()) {
    if (field === 1) {
      wireIs(wire, 2, 'key');
      out['key'] = r.string();
    } else if (field === 2) {
      wireIs(wire, 2, 'value');
      out['value'] = anyValue(r.sub(), depth, budget);
    } else {
      r.skip(wire);
    }
  }
  return out;
}

/** Resource and InstrumentationScope: their attributes (field `attributesField`) and scalar fields. */
function withAttributes(r: Reader, budget: RelayBudget, attributesField: number, fields: Record<number, [string, 'string' | 'uint32']>): Json {
  const out: Json = {};
  const attributes: Json[] = [];
  for (const [field, wire] of r.fields()) {
    const known = fields[field];
    if (field === attributesField) {
      wireIs(wire, 2, 'attributes');
      budget.entry();
      attributes.push(keyValue(r.sub(), budget));
    } else if (known?.[1] === 'string') {
      wireIs(wire, 2, known[0]);
      out[known[0]] = r.string();
    } else if (known?.[1] === 'uint32') {
      wireIs(wire, 0, known[0]);
      out[known[0]] = Number(r.varint() & 0xffffffffn);
    } else {
      r.skip(wire);
    }
  }
  if (attributes.length > 0) out['attributes'] = attributes;
  return out;
}
// Resource: 1 attributes, 2 dropped_attributes_count. InstrumentationScope: 1 name, 2 version, 3 attributes, 4 dropped.
const RESOURCE: Record<number, [string, 'string' | 'uint32']> = { 2: ['droppedAttributesCount', 'uint32'] };
const SCOPE: Record<number, [string, 'string' | 'uint32']> = { 1: ['name', 'string'], 2: ['version', 'string'], 4: ['droppedAttributesCount', 'uint32'] };

function logRecord(r: Reader, budget: RelayBudget): Json {
  const out: Json = {};
  const attributes: Json[] = [];
  for (const [field, wire] of r.fields()) {
    switch (field) {
      case 1:
      case 11:
        wireIs(wire, 1, 'a time');
        out[field === 1 ? 'timeUnixNano' : 'observedTimeUnixNano'] = unsigned64(r.fixed(8));
        break;
      case 2:
        wireIs(wire, 0, 'severityNumber');
        out['severityNumber'] = Number(BigInt.asIntN(32, r.varint()));
        break;
      case 3:
        wireIs(wire, 2, 'severityText');
        out['severityText'] = r.string();
        break;
      case 5:
        // Not used by the relay: skipped, its nesting and size never read.
        wireIs(wire, 2, 'body');
        r.span();
        break;
      case 6:
        wireIs(wire, 2, 'attributes');
        budget.attributes(attributes.length + 1);
        budget.entry();
        attributes.push(keyValue(r.sub(), budget));
        break;
      case 7:
        wireIs(wire, 0, 'droppedAttributesCount');
        out['droppedAttributesCount'] = Number(r.varint() & 0xffffffffn);
        break;
      case 8:
        wireIs(wire, 5, 'flags');
        out['flags'] = view(r.fixed(4)).getUint32(0, true);
        break;
      case 9:
      case 10: {
        wireIs(wire, 2, field === 9 ? 'traceId' : 'spanId');
        const id = r.bytes();
        if (id.length > 0) out[field === 9 ? 'traceId' : 'spanId'] = hex(id);
        break;
      }
      case 12:
        wireIs(wire, 2, 'eventName');
        out['eventName'] = r.string();
        break;
      default:
        r.skip(wire);
    }
  }
  if (attributes.length > 0) out['attributes'] = attributes;
  return out;
}

/**
 * An ExportLogsServiceRequest in its JSON shape, without the records' bodies. Throws ProtobufError for a
 * body that is not one (the reason in words), RelayLimitError at the first of the relay's limits it
 * crosses (`maxRecords` log records among them). Unknown fields are skipped, as protobuf readers do
 * (newer senders may add some).
 */
export function decodeOtlpLogsProtobuf(body: Uint8Array, maxRecords: number): Json {
  const budget = new RelayBudget(maxRecords);
  const top = new Reader(body, 0, body.length);
  const resourceLogs: Json[] = [];
  for (const [field, wire] of top.fields()) {
    if (field !== 1) {
      top.skip(wire);
      continue;
    }
    wireIs(wire, 2, 'resourceLogs');
    budget.entry();
    const rl = top.sub();
    const out: Json = {};
    const scopeLogs: Json[] = [];
    for (const [f, w] of rl.fields()) {
      if (f === 1) {
        wireIs(w, 2, 'resource');
        out['resource'] = withAttributes(rl.sub(), budget, 1, RESOURCE);
      } else if (f === 2) {
        wireIs(w, 2, 'scopeLogs');
        budget.entry();
        const sl = rl.sub();
        const scope: Json = {};
        const logRecords: Json[] = [];
        for (const [g, x] of sl.fields()) {
          if (g === 1) {
            wireIs(x, 2, 'scope');
            scope['scope'] = withAttributes(sl.sub(), budget, 3, SCOPE);
          } else if (g === 2) {
            wireIs(x, 2, 'logRecords');
            budget.record();
            logRecords.push(logRecord(sl.sub(), budget));
          } else if (g === 3) {
            wireIs(x, 2, 'schemaUrl');
            scope['schemaUrl'] = sl.string();
          } else {
            sl.skip(x);
          }
        }
        scopeLogs.push({ ...scope, logRecords });
      } else if (f === 3) {
        wireIs(w, 2, 'schemaUrl');
        out['schemaUrl'] = rl.string();
      } else {
        rl.skip(w);
      }
    }
    resourceLogs.push({ ...out, scopeLogs });
  }
  return { resourceLogs };
}

function varintBytes(v: bigint): number[] {
  const out: number[] = [];
  let n = BigInt.asUintN(64, v);
  while (n >= 0x80n) {
    out.push(Number(n & 0x7fn) | 0x80);
    n >>= 7n;
  }
  out.push(Number(n));
  return out;
}

function lengthDelimited(field: number, bytes: Uint8Array | number[]): number[] {
  return [...varintBytes(BigInt((field << 3) | 2)), ...varintBytes(BigInt(bytes.length)), ...bytes];
}

/** An ExportLogsServiceResponse: empty on full success, else partial_success (rejected count, reason). */
export function encodeOtlpLogsResponse(answer: { partialSuccess?: { rejectedLogRecords: number; errorMessage: string } }): Uint8Array {
  const p = answer.partialSuccess;
  if (!p) return new Uint8Array(0);
  const inner = [...(p.rejectedLogRecords !== 0 ? [0x08, ...varintBytes(BigInt(p.rejectedLogRecords))] : []), ...(p.errorMessage !== '' ? lengthDelimited(2, new TextEncoder().encode(p.errorMessage)) : [])];
  return Uint8Array.from(lengthDelimited(1, inner));
}

/** A google.rpc.Status (1 code, 2 message): the body of a refused OTLP/HTTP protobuf request. */
export function encodeRpcStatus(code: number, message: string): Uint8Array {
  return Uint8Array.from([...(code !== 0 ? [0x08, ...varintBytes(BigInt(code))] : []), ...(message !== '' ? lengthDelimited(2, new TextEncoder().encode(message)) : [])]);
}
