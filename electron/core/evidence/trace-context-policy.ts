// W3C trace context for evidence (https://www.w3.org/TR/trace-context/). A run is one Claude Code
// session and one prompt within it: every record of that run shares a trace id derived from
// (session.id, prompt.id), and each request (approval) gets its own span id. The ids are derived,
// not random, so they are the same after a restart, in every process (the core, the CLI), and can be
// recomputed by anyone who has the session and prompt ids. When the agent passes a valid
// `traceparent` (hook payload field, or TRACEPARENT forwarded by the hook client), its trace id is
// used and its span becomes the parent of ours, so our records sit inside the agent's own trace.
import { hash } from 'node:crypto';
import { setBounded } from '../base/index.js';

export const TRACE_DOMAIN = 'cowork-companion/trace/v1';
export const SPAN_DOMAIN = 'cowork-companion/span/v1';

/** W3C trace-flags bit 0. */
export const TRACE_FLAG_SAMPLED = 0x01;

export interface ParsedTraceparent {
  traceId: string;
  parentSpanId: string;
  sampled: boolean;
  /** The trace-flags byte as sent (0..255). */
  traceFlags: number;
}

export interface TraceContext {
  /** 32 lowercase hex chars, never all zeros. */
  traceId: string;
  /** 16 lowercase hex chars, never all zeros: this request's span. */
  spanId: string;
  /** The agent's span, when it passed a valid traceparent. */
  parentSpanId?: string;
  /** Trace flags to send with the record: the agent's, or sampled for derived ids. */
  traceFlags: number;
  /** Where the trace id came from. */
  source: 'agent' | 'derived';
}

/** A hex id that is all zeros is invalid in W3C trace context: flip the last digit to 1. */
export function nonZeroHex(hex: string): string {
  return /^0+$/.test(hex) ? `${hex.slice(0, -1)}1` : hex;
}

/** The first `bytes` bytes of SHA-256(input) as hex. One-shot hash: a fifth of the cost of createHash. */
function digestHex(input: string, bytes: number): string {
  return hash('sha256', input, 'hex').slice(0, 2 * bytes);
}

/** The last few trace ids derived: a run's trace id is asked for on every record of its requests,
 *  mostly of the run just asked for (`last`, compared without building the memo's key). */
const recentTraceIds = new Map<string, string>();
let last: { sessionId: string; promptId: string; traceId: string } | undefined;

/** First 16 bytes of SHA-256(`cowork-companion/trace/v1\0<session>\0<prompt>`), 32 hex chars. */
export function traceIdForRun(sessionId: string, promptId?: string): string {
  const prompt = promptId ?? '';
  if (last?.sessionId === sessionId && last.promptId === prompt) return last.traceId;
  const input = `${TRACE_DOMAIN}\0${sessionId}\0${prompt}`;
  let traceId = recentTraceIds.get(input);
  if (traceId === undefined) {
    traceId = nonZeroHex(digestHex(input, 16));
    setBounded(recentTraceIds, input, traceId, 256);
  }
  last = { sessionId, promptId: prompt, traceId };
  return traceId;
}

/** First 8 bytes of SHA-256(`cowork-companion/span/v1\0<request id>`), 16 hex chars. */
export function spanIdForRequest(requestId: string): string {
  // Not memoised: each request asks once or twice, and the hash costs less than keeping a memo.
  return nonZeroHex(digestHex(`${SPAN_DOMAIN}\0${requestId}`, 8));
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * Strict W3C traceparent, version 00 only: `00-<32 hex trace-id>-<16 hex parent-id>-<2 hex flags>`,
 * 55 characters, lowercase hex, trace-id and parent-id not all zeros. Surrounding spaces/tabs (HTTP
 * optional whitespace) are ignored; anything else that is off gives undefined.
 */
export function parseTraceparent(header: string | undefined | null): ParsedTraceparent | undefined {
  if (typeof header !== 'string') return undefined;
  const value = header.replace(/^[ \t]+|[ \t]+$/g, '');
  if (value.length !== 55) return undefined;
  const m = TRACEPARENT.exec(value);
  if (!m) return undefined;
  const [, traceId, parentSpanId, flags] = m as unknown as [string, string, string, string];
  if (/^0+$/.test(traceId) || /^0+$/.test(parentSpanId)) return undefined;
  const traceFlags = Number.parseInt(flags, 16);
  return { traceId, parentSpanId, sampled: (traceFlags & TRACE_FLAG_SAMPLED) === TRACE_FLAG_SAMPLED, traceFlags };
}

/** `00-<traceId>-<spanId>-<flags>`, e.g. to pass our span on as a parent. */
export function formatTraceparent(ctx: Pick<TraceContext, 'traceId' | 'spanId' | 'traceFlags'>): string {
  return `00-${ctx.traceId}-${ctx.spanId}-${(ctx.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

/**
 * The trace context of one request: the agent's trace when it passed a valid traceparent, otherwise
 * the run's derived trace. The span id is always this request's own (approval id or event id), so
 * `approval.requested` and `approval.decided` of one request share a span.
 */
export function traceContextFor(input: { sessionId: string; promptId?: string | undefined; requestId: string; traceparent?: string | undefined }): TraceContext {
  const spanId = spanIdForRequest(input.requestId);
  const agent = parseTraceparent(input.traceparent);
  if (agent) return { traceId: agent.traceId, spanId, parentSpanId: agent.parentSpanId, traceFlags: agent.traceFlags, source: 'agent' };
  return { traceId: traceIdForRun(input.sessionId, input.promptId), spanId, traceFlags: TRACE_FLAG_SAMPLED, source: 'derived' };
}
