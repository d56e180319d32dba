// POST /v1/logs: the agent's own OTLP/HTTP logs (JSON or protobuf), redacted and appended to the
// evidence journal, from which the outbox ships them to the organisation's collector with the
// companion's own evidence. A 200 is sent only after the journal append is durable, so an accepted
// record is never lost. A protobuf request is answered in protobuf (ExportLogsServiceResponse, or a
// google.rpc.Status for a refusal), as the OTLP/HTTP specification asks.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { OtlpLogsRequestSchema, type OtlpLogsResponse } from '../../../shared/agent-api-contract.js';
import { EVENT_NAMES } from '../../../shared/telemetry-events.js';
import {
  checkRelayRequest,
  decodeOtlpLogsProtobuf,
  encodeOtlpLogsResponse,
  encodeRpcStatus,
  newEvidenceEvent,
  ProtobufError,
  RELAY_MAX_RECORDS,
  relayedRecords,
  relayJournalBytes,
  RelayLimitError,
  type EvidenceEvent,
} from '../evidence/index.js';
import { HttpError, parseJsonText, sendJson, type BodyText } from './http-guards.js';

/** Bytes of a request body, as sent and as inflated alike (a full Claude Code batch is well under it):
 *  what is decoded is bounded here, and the work per entry by the relay's limits (otlp-relay-policy.ts). */
export const RELAY_BODY_LIMIT = 1024 * 1024;
/** Relays writing a batch to their journal now (one at a time each: a batch is checked against the budget first). */
const writing = new WeakSet<OtlpRelayContext>();
/** What `relay.source` may say; any other sender is `agent` (the name is the agent's word). */
const KNOWN_SOURCES = new Set(['claude-code']);
/** Seconds an agent's exporter should wait before retrying a refused batch (OTLP/HTTP throttling). */
export const RELAY_RETRY_AFTER_S = 30;

export interface OtlpRelayContext {
  /** Durably appends (redacted) to the journal; rejects when it cannot. */
  record(events: EvidenceEvent[]): Promise<void>;
  /** Taking `bytes` more would cross the relay's share of the journal's disk budget. */
  full(bytes: number): boolean;
  now(): number;
  onError(error: unknown): void;
  bodyLimit?: number;
}

type Encoding = 'json' | 'protobuf';

/** gRPC status codes for the google.rpc.Status of a refused protobuf request (by HTTP status). */
const RPC_CODE: Record<number, number> = { 400: 3, 413: 8, 415: 3, 429: 8, 503: 14 };

function refuse(res: ServerResponse, encoding: Encoding, status: number, code: string, message: string, extra: Record<string, string> = {}): void {
  if (encoding === 'json') return sendJson(res, status, { error: { code, message } }, extra);
  sendProtobuf(res, status, encodeRpcStatus(RPC_CODE[status] ?? 2, message), extra);
}

function sendProtobuf(res: ServerResponse, status: number, body: Uint8Array, extra: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { ...extra, 'Content-Type': 'application/x-protobuf', 'Content-Length': body.length, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

function retryLater(res: ServerResponse, encoding: Encoding, status: 429 | 503, code: string, message: string): void {
  refuse(res, encoding, status, code, message, { 'Retry-After': String(RELAY_RETRY_AFTER_S) });
}

/** Too deep is a shape the relay does not take (400); the others are too much at once (413). */
function limitRefusal(error: RelayLimitError): HttpError {
  const smaller = error.limit === 'too_many_records' || error.limit === 'too_many_entries' ? '; send smaller batches' : '';
  return new HttpError(error.limit === 'too_deep' ? 400 : 413, error.limit, `${error.message}${smaller}. Nothing of this request was recorded.`);
}

/** The request body as an OTLP logs request in its JSON shape (protobuf decoded into it), within the
 *  relay's limits: counted before the work on each entry, so a hostile body costs little to refuse. */
function parseBody(body: { text: string; bytes: Buffer }, encoding: Encoding): unknown {
  try {
    if (encoding === 'json') {
      const json = parseJsonText(body.text);
      checkRelayRequest(json);
      return json;
    }
    return decodeOtlpLogsProtobuf(body.bytes, RELAY_MAX_RECORDS);
  } catch (error) {
    if (error instanceof RelayLimitError) throw limitRefusal(error);
    if (error instanceof ProtobufError) throw new HttpError(400, 'malformed_protobuf', `The body is not an OTLP ExportLogsServiceRequest in protobuf: ${error.message}.`);
    throw error;
  }
}

/** The body as sent, or inflated when it came gzipped (OTEL_EXPORTER_OTLP_COMPRESSION=gzip): the size
 *  limit holds for the inflated body too, so a small bomb cannot fill memory (maxOutputLength stops the
 *  inflate as soon as its output passes the limit; it does not inflate all and check after). */
function unzipped(req: IncomingMessage, body: { text: string; bytes: Buffer }, limit: number): { text: string; bytes: Buffer } {
  const coding = req.headers['content-encoding']?.trim().toLowerCase();
  if (coding === undefined || coding === '' || coding === 'identity') return body;
  if (coding !== 'gzip') throw new HttpError(415, 'unsupported_encoding', `Content-Encoding ${coding} is not taken; send gzip or none.`);
  let bytes: Buffer;
  try {
    bytes = gunzipSync(body.bytes, { maxOutputLength: limit });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new HttpError(413, 'body_too_large', `The body inflates to more than ${limit} bytes; send smaller batches.`);
    throw new HttpError(400, 'malformed_gzip', `The body is not valid gzip: ${(error as Error).message}.`);
  }
  return { text: bytes.toString('utf8'), bytes };
}

export async function handleOtlpLogs(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: OtlpRelayContext,
  readBody: (limit?: number) => Promise<BodyText>,
): Promise<void> {
  const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  const encoding: Encoding | undefined = type === 'application/json' ? 'json' : type === 'application/x-protobuf' ? 'protobuf' : undefined;
  if (!encoding) throw new HttpError(415, 'unsupported_media_type', 'Send OTLP/HTTP logs as application/x-protobuf or application/json.');
  try {
    await relay(req, res, ctx, readBody, encoding);
  } catch (error) {
    // Answered in the request's own encoding: an OTLP exporter reads a protobuf Status, not JSON.
    if (encoding === 'protobuf' && error instanceof HttpError) {
      if (error.closeConnection) res.setHeader('Connection', 'close');
      return refuse(res, encoding, error.status, error.code, error.message);
    }
    throw error;
  }
}

async function relay(req: IncomingMessage, res: ServerResponse, ctx: OtlpRelayContext, readBody: (limit?: number) => Promise<BodyText>, encoding: Encoding): Promise<void> {
  const limit = ctx.bodyLimit ?? RELAY_BODY_LIMIT;
  const sent = await readBody(limit);
  if (!sent.ok) throw new HttpError(413, 'body_too_large', `The body is larger than ${limit} bytes; send smaller batches.`, true);
  const body = unzipped(req, sent, limit);
  const parsed = OtlpLogsRequestSchema.safeParse(parseBody(body, encoding));
  if (!parsed.success) throw new HttpError(400, 'invalid_payload', `Not an OTLP logs request: ${parsed.error.issues[0]?.path.join('.') || '(body)'}: ${parsed.error.issues[0]?.message ?? ''}`);
  const count = (parsed.data.resourceLogs ?? []).reduce((n, rl) => n + (rl.scopeLogs ?? []).reduce((m, sl) => m + (sl.logRecords?.length ?? 0), 0), 0);
  // One batch at a time, and none that would cross the relay's share of the budget (each record a
  // journal line of its own, on top of the body's bytes): the rest is kept for the companion's own decisions.
  if (writing.has(ctx) || ctx.full(relayJournalBytes(count, body.bytes.length))) return retryLater(res, encoding, 429, 'journal_full', 'The evidence journal cannot take more of the agent\'s records until the collector takes what is queued; retry later.');

  const service = parsed.data.resourceLogs?.[0]?.resource?.attributes?.find((a) => (a as { key?: unknown })?.key === 'service.name') as { value?: { stringValue?: unknown } } | undefined;
  const named = service?.value?.stringValue;
  const source = typeof named === 'string' && KNOWN_SOURCES.has(named) ? named : 'agent';
  const batch = relayedRecords(parsed.data, source, ctx.now());
  const events = batch.records.map((r) => newEvidenceEvent(EVENT_NAMES.agentLog, r.time, r.attributes as Parameters<typeof newEvidenceEvent<typeof EVENT_NAMES.agentLog>>[2]));
  writing.add(ctx);
  try {
    await ctx.record(events);
  } catch (error) {
    ctx.onError(error);
    return retryLater(res, encoding, 503, 'journal_unavailable', 'The evidence journal could not take these records; retry later.');
  } finally {
    writing.delete(ctx);
  }
  const answer: OtlpLogsResponse = batch.rejected > 0 ? { partialSuccess: { rejectedLogRecords: batch.rejected, errorMessage: batch.firstProblem ?? 'invalid log record' } } : {};
  if (encoding === 'protobuf') return sendProtobuf(res, 200, encodeOtlpLogsResponse(answer));
  sendJson(res, 200, answer);
}
