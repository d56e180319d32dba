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
/** A longer text value is cut (with a marker): a collector refuses a batch over its body limit whole. */
export const RELAY_VALUE_MAX_CHARS = 8192;
/** Records per request: Claude Code's exporter sends at most 512 at a time. */
export const RELAY_MAX_RECORDS = 1000;
/** Attributes on one log record (Claude Code's carry about 20). More refuses the whole request rather than
 *  keep a cut record: which ones were dropped would be the sender's choice, and nothing says it. */
export const RELAY_MAX_ATTRIBUTES = 128;
/** AnyValue lists and maps inside one another: deeper refuses the request. */
export const RELAY_MAX_DEPTH = 8;
/** Everything a request makes the relay read: resource logs, scope logs, records, attributes (of
 *  resources, scopes and records) and the values inside lists and maps. It bounds the work per request
 *  whatever the bytes say: an empty sub-message is 2 bytes of protobuf, so 1 MiB could hold ~500,000.
 *  A full Claude Code batch (512 records of ~20 attributes) is about 11,000. */
export const RELAY_MAX_ENTRIES = 20_000;
/** Journal bytes a relayed record takes beyond its share of the body: its line's event id, time,
 *  redaction policy, source and framing. */
export const RELAY_RECORD_JOURNAL_BYTES = 300;

/** Which of the limits above a request crosses. */
export type RelayLimit = 'too_many_records' | 'too_many_attributes' | 'too_many_entries' | 'too_deep';

/** A request past one of the relay's limits: refused whole, nothing of it recorded. */
export class RelayLimitError extends Error {
  constructor(
    readonly limit: RelayLimit,
    message: string,
  ) {
    super(message);
  }
}

/** What a request costs the relay, counted as each entry is met and before any work on it (in the
 *  protobuf reader and in checkRelayRequest alike), so a hostile request stops at the first limit it
 *  crosses instead of being read whole. */
export class RelayBudget {
  private entries = 0;
  private records = 0;

  constructor(private readonly maxRecords = RELAY_MAX_RECORDS) {}

  entry(n = 1): void {
    this.entries += n;
    if (this.entries > RELAY_MAX_ENTRIES) throw new RelayLimitError('too_many_entries', `A request may carry at most ${RELAY_MAX_ENTRIES} entries (records, attributes, values in lists and maps) in all`);
  }

  record(n = 1): void {
    this.records += n;
    if (this.records > this.maxRecords) throw new RelayLimitError('too_many_records', `A request may carry at most ${this.maxRecords} log records`);
    this.entry(n);
  }

  /** A record's attributes, `count` of them so far (including the one being met). */
  attributes(count: number): void {
    if (count > RELAY_MAX_ATTRIBUTES) throw new RelayLimitError('too_many_attributes', `A log record may carry at most ${RELAY_MAX_ATTRIBUTES} attributes`);
  }

  /** A value met at `depth` (an attribute's own value is 0, a value in its list or map 1, …). */
  depth(depth: number): void {
    if (depth > RELAY_MAX_DEPTH) throw new RelayLimitError('too_deep', `Values in lists and maps may nest at most ${RELAY_MAX_DEPTH} deep`);
  }
}

/** Journal bytes a batch is expected to take: each record becomes a journal line of its own. */
export function relayJournalBytes(records: number, bodyBytes: number): number {
  return records * RELAY_RECORD_JOURNAL_BYTES + bodyBytes;
}

const field = (o: unknown, key: string): unknown => (o !== null && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>)[key] : undefined);
const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function checkValue(v: unknown, depth: number, budget: RelayBudget): void {
  if (v === undefined) return; // a map entry without a value: nothing to read
  budget.depth(depth);
  const values = listOf(field(field(v, 'arrayValue'), 'values'));
  budget.entry(values.length);
  for (const e of values) checkValue(e, depth + 1, budget);
  const pairs = listOf(field(field(v, 'kvlistValue'), 'values'));
  budget.entry(pairs.length);
  for (const kv of pairs) checkValue(field(kv, 'value'), depth + 1, budget);
}

function checkAttributes(raw: unknown, budget: RelayBudget): void {
  const attributes = listOf(raw);
  budget.entry(attributes.length);
  for (const kv of attributes) checkValue(field(kv, 'value'), 0, budget);
}

/**
 * Throws RelayLimitError when a request in the OTLP JSON shape crosses a limit: the same limits, counted
 * the same way, as the protobuf reader applies while it reads. Lengths are counted before their entries
 * are walked. Only what the relay reads is walked (a record's body is not); a wrong shape is left to the
 * schema and relayedRecords.
 */
export function checkRelayRequest(body: unknown, budget = new RelayBudget()): void {
  const resourceLogs = listOf(field(body, 'resourceLogs'));
  budget.entry(resourceLogs.length);
  for (const rl of resourceLogs) {
    checkAttributes(field(field(rl, 'resource'), 'attributes'), budget);
    const scopeLogs = listOf(field(rl, 'scopeLogs'));
    budget.entry(scopeLogs.length);
    for (const sl of scopeLogs) {
      checkAttributes(field(field(sl, 'scope'), 'attributes'), budget);
      const records = listOf(field(sl, 'logRecords'));
      budget.record(records.length);
      for (const r of records) {
        const attributes = field(r, 'attributes');
        budget.attributes(listOf(attributes).length);
        checkAttributes(attributes, budget);
      }
    }
  }
}

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
  if (list.length > RELAY_MAX_ATTRIBUTES) return `a log record has more than ${RELAY_MAX_ATTRIBUTES} attributes`;
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
