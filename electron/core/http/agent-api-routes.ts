// The agent-facing API. An agent token can submit a request and wait for its answer — nothing else.
// It is shown either as a bearer token (Claude Code's http hooks) or by a request proof (the command
// hook client, which never sends the token and checks the answer proof: request-proofs.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { secretsEqual } from '../base/index.js';
import { AGENT_API_ROUTES, DECIDING_EVENTS, parseHookPayload, toolAnswer, type DecidingEvent } from '../../../shared/agent-api-contract.js';
import { handleOtlpLogs, type OtlpRelayContext } from './otlp-relay-route.js';
import { coreText } from '../../../shared/core-messages.js';
import type { ApprovalsBrokerService } from '../approvals/index.js';
import type { ApprovalPolicy, ResolvedRequest, ToolCall } from '../requests/index.js';
import type { HookObservation } from '../watch/index.js';
import { HttpError, bearerToken, parseJsonText, readBodyText, requireJsonContentType, sendJson, type BodyText } from './http-guards.js';
import { acceptProof, proofHeaders, type NonceLedger } from './request-proofs.js';

export interface AgentApiContext {
  agentToken: string;
  /** The nonces of recent proof requests (each is accepted once). */
  nonces: NonceLedger;
  broker: ApprovalsBrokerService;
  budgetMs: () => number;
  policy: ApprovalPolicy;
  /** Resolves a tool call once; the same value goes to the run tracker, the policy and the broker. */
  resolve: <P extends ToolCall>(payload: P) => ResolvedRequest<P>;
  bodyLimit: number;
  /** Shutting down: new requests are answered with a deny at once. */
  closing: () => boolean;
  onError: (error: unknown) => void;
  /** Events that need no decision (SessionStart, SessionEnd, Stop…): run lifecycle. */
  onLifecycle?: (payload: { hook_event_name: string; session_id: string }) => void;
  /** Every valid payload, deciding or not, before any decision (run tracking, announced paths);
   *  tool calls come with their resolution. */
  observe?: (payload: HookObservation, request?: ResolvedRequest<ToolCall>) => void;
  /** The agent's own OTel logs (POST /v1/logs) into the evidence journal; absent: 404. */
  relay?: OtlpRelayContext;
}

const UNRECORDED = 'Cowork Companion could not record this request (journal write failed), so it is denied. Ask the user to check the companion.';

export function isAgentRoute(pathname: string): boolean {
  return pathname.startsWith('/hooks/') || pathname === AGENT_API_ROUTES.health || pathname === AGENT_API_ROUTES.otlpLogs;
}

export async function handleAgentRoute(req: IncomingMessage, res: ServerResponse, pathname: string, ctx: AgentApiContext): Promise<void> {
  // Browsers always send Origin on cross-origin requests; agents never do.
  if (req.headers.origin !== undefined) throw new HttpError(403, 'origin_refused', 'Requests from web pages are refused.');
  const readBody = await authenticate(req, res, ctx);
  if (pathname === AGENT_API_ROUTES.health) return sendJson(res, 200, { ok: true });
  if (pathname === AGENT_API_ROUTES.otlpLogs && ctx.relay) {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST.');
    return handleOtlpLogs(req, res, ctx.relay, readBody);
  }
  if (pathname !== AGENT_API_ROUTES.claudeCodeHook) throw new HttpError(404, 'not_found', `No agent route ${pathname}.`);
  if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST.');
  requireJsonContentType(req);
  // Claude Code's http hooks treat any non-2xx answer as "carry on with the normal flow", so a call
  // that names a tool the companion will not take is answered 2xx with a deny. Only calls that are
  // not a hook at all (unauthenticated, from a page, not JSON, no hook event) get a 4xx.
  const text = await readBody();
  if (!text.ok) {
    res.setHeader('Connection', 'close'); // the rest of the body is not read
    return sendJson(res, 200, toolAnswer(eventIn(text.prefix), 'deny', `Cowork Companion refuses requests larger than ${ctx.bodyLimit} bytes; the action is denied.`));
  }
  const body = parseJsonText(text.text);
  const parsed = parseHookPayload(body);
  if (!parsed.ok) {
    const event = decidingEventOf(body);
    if (event) return sendJson(res, 200, toolAnswer(event, 'deny', `Cowork Companion could not read this request (${parsed.message}), so the action is denied.`));
    throw new HttpError(400, 'invalid_payload', `Not a Claude Code hook payload: ${parsed.message}`);
  }
  const hook = parsed.hook;
  if (hook.kind === 'other') {
    ctx.observe?.(hook.payload as HookObservation, toolCallOf(hook.payload, ctx));
    ctx.onLifecycle?.(hook.payload);
    return sendJson(res, 200, {});
  }

  const header = req.headers['traceparent'];
  const payload = typeof header === 'string' && hook.payload['traceparent'] === undefined ? { ...hook.payload, traceparent: header } : hook.payload;
  const request = ctx.resolve(payload);
  ctx.observe?.(payload as HookObservation, request);
  const event = payload.hook_event_name as DecidingEvent;
  if (ctx.closing()) {
    return sendJson(res, 200, toolAnswer(event, 'deny', coreText('decision.shutdown')));
  }
  const outcome = ctx.policy(request);
  if (outcome.kind === 'decide') {
    const s = await ctx.broker
      .decideWithoutPerson(request, { verdict: outcome.verdict, source: outcome.source, reason: outcome.reason, rule: outcome.rule })
      .catch((error: unknown) => (ctx.onError(error), undefined));
    if (!s) return sendJson(res, 200, toolAnswer(event, 'deny', UNRECORDED));
    return sendJson(res, 200, toolAnswer(event, s.verdict, s.reason));
  }
  let submitted: Awaited<ReturnType<ApprovalsBrokerService['submit']>>;
  try {
    submitted = await ctx.broker.submit(request, ctx.budgetMs(), outcome.reason, { earlierApproval: outcome.freshAnswer !== true });
  } catch (error) {
    // Unrecorded means undecidable: answer a deny in a 2xx (a non-2xx would let Claude Code proceed).
    ctx.onError(error);
    return sendJson(res, 200, toolAnswer(event, 'deny', UNRECORDED));
  }
  const { item, settled, waiter } = submitted;
  let answered = false;
  res.on('close', () => {
    if (!answered && item) void ctx.broker.withdraw(item.id, waiter);
  });
  const settlement = await settled;
  answered = true;
  sendJson(res, 200, toolAnswer(event, settlement.verdict, settlement.reason));
}

/**
 * Either credential: the bearer token, or a request proof. One that is sent must be valid. Returns how
 * to read the body: a proof covers the body, so a proof request's body is read (and checked) here.
 */
async function authenticate(req: IncomingMessage, res: ServerResponse, ctx: AgentApiContext): Promise<(limit?: number) => Promise<BodyText>> {
  const proof = proofHeaders(req);
  const token = bearerToken(req);
  if (!proof && !token) {
    throw new HttpError(401, 'token_missing', 'Send the agent token as "Authorization: Bearer <token>", or a request proof (as "cowork-companion hook" does).');
  }
  if (token !== undefined && !secretsEqual(token, ctx.agentToken)) throw new HttpError(401, 'token_invalid', 'The agent token is not valid.');
  if (!proof) return (limit = ctx.bodyLimit) => readBodyText(req, limit);
  const text = await readBodyText(req, ctx.bodyLimit, 0);
  // A 4xx here is safe: only the command hook client sends proofs, and it denies on any unproven answer.
  if (!text.ok) throw new HttpError(413, 'body_too_large', `The body is larger than ${ctx.bodyLimit} bytes, so its proof cannot be checked.`, true);
  acceptProof(req, res, proof, text.text, ctx.agentToken, ctx.nonces);
  return () => Promise.resolve(text);
}

/** PostToolUse and friends name a tool call too (the run tracker links file changes to it). */
function toolCallOf(payload: Record<string, unknown>, ctx: AgentApiContext): ResolvedRequest<ToolCall> | undefined {
  const { tool_name: tool, tool_input: input, cwd } = payload;
  if (typeof tool !== 'string' || typeof cwd !== 'string' || !input || typeof input !== 'object' || Array.isArray(input)) return undefined;
  try {
    return ctx.resolve(payload as unknown as ToolCall);
  } catch {
    return undefined;
  }
}

/** The deciding event a body names, when it names one (it may be invalid otherwise). */
function decidingEventOf(body: unknown): DecidingEvent | undefined {
  const name = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>)['hook_event_name'] : undefined;
  return DECIDING_EVENTS.find((e) => e === name);
}

/** The event an oversized body names near its start (the answer's shape depends on it); PreToolUse
 *  when it cannot be told — every tool call passes PreToolUse first. */
function eventIn(prefix: string): DecidingEvent {
  const m = /"hook_event_name"\s*:\s*"(PreToolUse|PermissionRequest)"/.exec(prefix);
  return (m?.[1] as DecidingEvent | undefined) ?? 'PreToolUse';
}
