// The agent's own OTLP log records (Claude Code's telemetry, POSTed to /v1/logs) turned into
// `agent.log` evidence: the record's attributes as sent (nested values as JSON text), its name in
// `event.name`, `relay.source`. Pure; redaction happens on the way into the journal, as for all evidence.
import type { OtlpLogsRequest } from '../../../shared/agent-api-contract.js';
import { ATTR } from '../../../shared/telemetry-events.js';
import type { AttributeValue } from './evidence-event.js';

export interface RelayedRecord {
  /** Epoch ms. */
  time: number;
  attributes: Record<string, AttributeValue>;
}

export interface RelayParse {
  records: RelayedRecord[];
  rejected: number;
  /** Why the first rejected record was refused. */
  firstProblem?: string;
}

/** Attributes the relay sets itself; an agent's value for them is not taken. */
const OWN = new Set<string>([ATTR.eventId, ATTR.redactionPolicy, ATTR.relaySource]);
const MAX_ATTRIBUTES = 128;

type Scalar = AttributeValue | undefined;

/** An OTLP AnyValue as one attribute value: scalars as they are, arrays and maps as JSON text. */
function anyValue(v: unknown): Scalar {
  if (v === null || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o['stringValue'] === 'string') return o['stringValue'];
  if (typeof o['boolValue'] === 'boolean') return o['boolValue'];
  if (typeof o['intValue'] === 'number' && Number.isSafeInteger(o['intValue'])) return o['intValue'];
  if (typeof o['intValue'] === 'string' && /^-?\d+$/.test(o['intValue'])) {
    const n = Number(o['intValue']);
    return Number.isSafeInteger(n) ? n : o['intValue']; // keep digits exact rather than round them
  }
  if (typeof o['doubleValue'] === 'number' && Number.isFinite(o['doubleValue'])) return o['doubleValue'];
  if ('arrayValue' in o || 'kvlistValue' in o || 'bytesValue' in o) return JSON.stringify(o);
  return undefined;
}

function recordOf(raw: unknown, source: string, now: number): RelayedRecord | string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return 'a log record is not an object';
  const r = raw as Record<string, unknown>;
  const list = r['attributes'] ?? [];
  if (!Array.isArray(list)) return 'a log record\'s "attributes" is not a list';
  if (list.length > MAX_ATTRIBUTES) return `a log record has more than ${MAX_ATTRIBUTES} attributes`;
  const attributes: Record<string, AttributeValue> = {};
  for (const kv of list) {
    const key = kv !== null && typeof kv === 'object' ? (kv as Record<string, unknown>)['key'] : undefined;
    if (typeof key !== 'string' || key === '' || key.length > 256) return 'an attribute has no valid "key"';
    const value = anyValue((kv as Record<string, unknown>)['value']);
    if (value === undefined) return `attribute ${JSON.stringify(key)} has no value the relay can read`;
    if (!OWN.has(key)) attributes[key] = value;
  }
  // OTLP's own event name (newer SDKs) when the record carries no `event.name` attribute.
  if (attributes[ATTR.agentEventName] === undefined && typeof r['eventName'] === 'string' && r['eventName'] !== '') {
    attributes[ATTR.agentEventName] = r['eventName'];
  }
  attributes[ATTR.relaySource] = source;
  const nanos = typeof r['timeUnixNano'] === 'string' || typeof r['timeUnixNano'] === 'number' ? Number(r['timeUnixNano']) : NaN;
  const time = Number.isFinite(nanos) && nanos > 0 ? Math.floor(nanos / 1e6) : now;
  return { time, attributes };
}

/** Every log record of the request; an invalid record is counted as rejected, the others kept. */
export function relayedRecords(body: OtlpLogsRequest, source: string, now: number): RelayParse {
  const out: RelayParse = { records: [], rejected: 0 };
  for (const rl of body.resourceLogs ?? []) {
    for (const sl of rl.scopeLogs ?? []) {
      for (const raw of sl.logRecords ?? []) {
        const r = recordOf(raw, source, now);
        if (typeof r === 'string') {
          out.rejected++;
          out.firstProblem ??= r;
        } else out.records.push(r);
      }
    }
  }
  return out;
}
