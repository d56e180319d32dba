// A real OTLP/HTTP logs receiver for tests: decodes what the exporter POSTs (OTLP JSON) into flat records.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Scalar = string | number | boolean | undefined;

export interface ReceivedRecord {
  eventName: string | undefined;
  body: Scalar;
  attributes: Record<string, Scalar>;
  resource: Record<string, Scalar>;
  timeUnixNano: string | undefined;
  traceId: string | undefined;
  spanId: string | undefined;
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
        });
      }
    }
  }
  return out;
}

export interface OtlpReceiver {
  url: string;
  records: ReceivedRecord[];
  requests: { path: string; contentType: string | undefined; headers: IncomingMessage['headers'] }[];
  /** Resolves when `predicate` holds for the received records (polls). */
  waitFor(predicate: (records: ReceivedRecord[]) => boolean, timeoutMs?: number): Promise<ReceivedRecord[]>;
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const records: ReceivedRecord[] = [];
  const requests: OtlpReceiver['requests'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', contentType: req.headers['content-type'], headers: req.headers });
      if (req.method !== 'POST' || req.url !== '/v1/logs') {
        res.writeHead(404).end();
        return;
      }
      try {
        records.push(...decodeOtlpJson(JSON.parse(Buffer.concat(chunks).toString('utf8')) as LogsRequest));
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    records,
    requests,
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(records)) {
        if (Date.now() > deadline) throw new Error(`OTLP receiver: condition not met within ${timeoutMs} ms; got ${records.length} records`);
        await new Promise((r) => setTimeout(r, 25));
      }
      return records;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
