// The agent's own OTLP log records (Claude Code's telemetry, POSTed to /v1/logs) turned into
// `agent.log` evidence: the record's scalar attributes (keys lower-cased, so the redaction's names
// match them), its name in `event.name`, `relay.source`. Pure; redaction happens on the way into the
// journal, as for all evidence. What the agent sends is the agent's word: it may never read as the
// companion's own evidence (its keys that the companion's records use become `agent.<key>`, except the
// ones that join it to its run), nor crowd it out (values cut, records capped in size and number).
import type { OtlpLogsRequest } from '../../../shared/agent-api-contract.js';
import { ATTR } from '../../../shared/telemetry-events.js';
import { IDENTITY_ATTRIBUTES } from '../../../shared/telemetry-policy-contract.js';
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
/** Keys kept as they are: the ones that join the agent's records to the run (the same names on the
 *  companion's records), and identity attributes, which the redaction knows by their exact names. */
const KEPT = new Set<string>([ATTR.sessionId, ATTR.promptId, ATTR.toolUseId, ATTR.agentEventName, ...IDENTITY_ATTRIBUTES]);
/** The companion's own attribute names: an agent's `decision` or `approval.id` must not read as one. */
const COMPANION_KEYS = new Set<string>(Object.values(ATTR));
const MAX_ATTRIBUTES = 128;
/** A longer text value is cut (with a marker): a collector refuses a batch over its body limit whole. */
export const RELAY_VALUE_MAX_CHARS = 8192;
/** Records per request: Claude Code's exporter sends at most 512 at a time. */
export const RELAY_MAX_RECORDS = 1000;
/** How far a record's own time may be from the companion's clock before the companion's time is used. */
const MAX_CLOCK_SKEW_MS = 24 * 60 * 60 * 1000;

type Scalar = AttributeValue | undefined;

/** An OTLP AnyValue as one attribute value: scalars only. Arrays, maps and bytes are not taken: nested
 *  names and encoded text would pass by the redaction, which reads keys and text. */
function anyValue(v: unknown): Scalar {
  if (v === null || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o['stringValue'] === 'string') return o['stringValue'].length > RELAY_VALUE_MAX_CHARS ? `${o['stringValue'].slice(0, RELAY_VALUE_MAX_CHARS)}…[cut]` : o['stringValue'];
  if (typeof o['boolValue'] === 'boolean') return o['boolValue'];
  if (typeof o['intValue'] === 'number' && Number.isSafeInteger(o['intValue'])) return o['intValue'];
  if (typeof o['intValue'] === 'string' && /^-?\d+$/.test(o['intValue'])) {
    const n = Number(o['intValue']);
    return Number.isSafeInteger(n) ? n : o['intValue']; // keep digits exact rather than round them
  }
  if (typeof o['doubleValue'] === 'number' && Number.isFinite(o['doubleValue'])) return o['doubleValue'];
  return undefined;
}

/** The key an agent's attribute is kept under. */
function keyOf(raw: string): string {
  const key = raw.toLowerCase();
  return COMPANION_KEYS.has(key) && !KEPT.has(key) ? `agent.${key}` : key;
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
    // Not a scalar (a list, a map, bytes) or nothing readable: left out, the record kept.
    if (value === undefined) continue;
    if (!OWN.has(key.toLowerCase())) attributes[keyOf(key)] = value;
  }
  // OTLP's own event name (newer SDKs) when the record carries no `event.name` attribute.
  if (attributes[ATTR.agentEventName] === undefined && typeof r['eventName'] === 'string' && r['eventName'] !== '') {
    attributes[ATTR.agentEventName] = r['eventName'];
  }
  attributes[ATTR.relaySource] = source;
  const nanos = typeof r['timeUnixNano'] === 'string' || typeof r['timeUnixNano'] === 'number' ? Number(r['timeUnixNano']) : NaN;
  const sent = Number.isFinite(nanos) && nanos > 0 ? Math.floor(nanos / 1e6) : now;
  const time = Math.abs(sent - now) <= MAX_CLOCK_SKEW_MS ? sent : now;
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
