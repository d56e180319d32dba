// A real OTLP/HTTP logs receiver for tests: decodes what the exporter POSTs (OTLP JSON) into flat records.
import { createServer, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

// Protobuf bodies are decoded with the official opentelemetry-proto definitions as generated for
// the OpenTelemetry JS SDK (an earlier @opentelemetry/otlp-transformer, installed under an alias).
interface ProtoType {
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options: Record<string, unknown>): unknown;
}
const protoRoot = createRequire(import.meta.url)('otlp-proto-codec/build/src/generated/root.js') as {
  opentelemetry: { proto: { collector: { logs: { v1: { ExportLogsServiceRequest: ProtoType } } } } };
};

export function decodeOtlpProtobuf(body: Buffer): ReceivedRecord[] {
  const T = protoRoot.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
  const obj = T.toObject(T.decode(body), { longs: String, bytes: String, defaults: false }) as LogsRequest;
  // bytes come back base64: convert ids to the hex the JSON encoding uses.
  for (const rl of obj.resourceLogs ?? []) {
    for (const sl of rl.scopeLogs ?? []) {
      for (const r of sl.logRecords ?? []) {
        if (r.traceId) r.traceId = Buffer.from(r.traceId, 'base64').toString('hex');
        if (r.spanId) r.spanId = Buffer.from(r.spanId, 'base64').toString('hex');
      }
    }
  }
  return decodeOtlpJson(obj);
}

/** How the receiver answers one request (default: 200). */
export interface Behaviour {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  delayMs?: number;
  /** Destroy the connection without answering. */
  reset?: boolean;
}

export type Scalar = string | number | boolean | undefined;

export interface ReceivedRecord {
  eventName: string | undefined;
  body: Scalar;
  attributes: Record<string, Scalar>;
  resource: Record<string, Scalar>;
  timeUnixNano: string | undefined;
  traceId: string | undefined;
  spanId: string | undefined;
  severityText?: string;
}

interface AnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface KeyValue {
  key: string;
  value: AnyValue;
}

function scalar(v: AnyValue | undefined): Scalar {
  if (!v) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  return undefined;
}

function attrs(list: KeyValue[] | undefined): Record<string, Scalar> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, scalar(kv.value)]));
}

interface LogsRequest {
  resourceLogs?: {
    resource?: { attributes?: KeyValue[] };
    scopeLogs?: {
      logRecords?: {
        eventName?: string;
        body?: AnyValue;
        attributes?: KeyValue[];
        timeUnixNano?: string;
        traceId?: string;
        spanId?: string;
        severityText?: string;
      }[];
    }[];
  }[];
}

export function decodeOtlpJson(body: LogsRequest): ReceivedRecord[] {
  const out: ReceivedRecord[] = [];
  for (const rl of body.resourceLogs ?? []) {
    const resource = attrs(rl.resource?.attributes);
    for (const sl of rl.scopeLogs ?? []) {
      for (const r of sl.logRecords ?? []) {
        out.push({
          eventName: r.eventName,
          body: scalar(r.body),
          attributes: attrs(r.attributes),
          resource,
          timeUnixNano: r.timeUnixNano,
          traceId: r.traceId || undefined,
          spanId: r.spanId || undefined,
          ...(r.severityText ? { severityText: r.severityText } : {}),
        });
      }
    }
  }
  return out;
}

export interface OtlpReceiver {
  url: string;
  records: ReceivedRecord[];
  /** Decide the answer per request (n counts every POST, from 0). */
  behave(fn: ((n: number) => Behaviour) | undefined): void;
  /** Records accepted, keyed by event.id, with how often each arrived. */
  deliveries(): Map<string, number>;
  requests: { path: string; contentType: string | undefined; headers: IncomingMessage['headers'] }[];
  /** Resolves when `predicate` holds for the received records (polls). */
  waitFor(predicate: (records: ReceivedRecord[]) => boolean, timeoutMs?: number): Promise<ReceivedRecord[]>;
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const records: ReceivedRecord[] = [];
  const requests: OtlpReceiver['requests'] = [];
  let behaviour: ((n: number) => Behaviour) | undefined;
  let posts = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', contentType: req.headers['content-type'], headers: req.headers });
      if (req.method !== 'POST' || req.url !== '/v1/logs') {
        res.writeHead(404).end();
        return;
      }
      const b = behaviour?.(posts++) ?? {};
      const answer = (): void => {
        if (b.reset) {
          req.socket.destroy();
          return;
        }
        const status = b.status ?? 200;
        if (status >= 200 && status < 300) {
          try {
            const body = Buffer.concat(chunks);
            const json = req.headers['content-type']?.includes('json');
            records.push(...(json ? decodeOtlpJson(JSON.parse(body.toString('utf8')) as LogsRequest) : decodeOtlpProtobuf(body)));
          } catch {
            res.writeHead(400).end('undecodable');
            return;
          }
        }
        res.writeHead(status, { 'Content-Type': 'application/json', ...b.headers }).end(b.body ?? '{}');
      };
      if (b.delayMs) setTimeout(answer, b.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    records,
    requests,
    behave(fn) {
      behaviour = fn;
    },
    deliveries() {
      const m = new Map<string, number>();
      for (const r of records) {
        const id = String(r.attributes['event.id']);
        m.set(id, (m.get(id) ?? 0) + 1);
      }
      return m;
    },
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(records)) {
        if (Date.now() > deadline) throw new Error(`OTLP receiver: condition not met within ${timeoutMs} ms; got ${records.length} records`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return records;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
