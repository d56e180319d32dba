// The evidence of one approval: every record carries the request's correlation (session, prompt,
// tool call, cwd) and shares its run's trace and the request's span, so a backend can join it with
// the agent's own telemetry. One builder per event, so `approval.decided` is made in one place.
import type { DecidingEvent, ToolPayload, Verdict } from '../../../shared/agent-api-contract.js';
import type { EvidenceAttributeInput } from '../../../shared/evidence-schema.js';
import { ATTR, CLAUDE_CODE_HOOK_SOURCE, EVENT_NAMES, type DecisionSource } from '../../../shared/telemetry-events.js';
import { newEvidenceEvent, traceContextFor, type EvidenceEvent } from '../evidence/index.js';
import { claudeCodeVocabulary } from './claude-code-vocabulary-policy.js';

/** Who decided in the UI: the OS account (`user.name`) and, when configured, an e-mail address. */
export type PersonIdentity = Pick<EvidenceAttributeInput<typeof EVENT_NAMES.approvalDecided>, typeof ATTR.userName | typeof ATTR.userEmail>;

export interface DecisionFacts {
  verdict: Verdict;
  source: DecisionSource;
  reason: string;
  latencyMs: number;
  /** The policy rule that decided (automatic decisions). */
  rule?: string;
  /** Put on decisions made by a person. */
  person?: PersonIdentity;
  /** Bash: whether it runs in the OS sandbox the companion keeps. */
  sandboxed?: boolean;
  /** Decided as it arrived, without a person: this record is the request's only one. */
  immediate?: true;
}

/** The agent's W3C trace context, when it passes one (payload field or forwarded header). */
function traceparentOf(payload: ToolPayload): string | undefined {
  const v = (payload as Record<string, unknown>)['traceparent'];
  return typeof v === 'string' ? v : undefined;
}

/** `tool_use_id`: on a PermissionRequest, the broker has put there the id of the PreToolUse of the
 *  same call when it saw one (Claude Code sends none). The trace context does not use it. */
function correlation(p: ToolPayload, approvalId: string) {
  return {
    [ATTR.sessionId]: p.session_id,
    [ATTR.promptId]: p.prompt_id,
    [ATTR.toolUseId]: p.tool_use_id,
    [ATTR.toolName]: p.tool_name,
    [ATTR.hookEvent]: p.hook_event_name as DecidingEvent,
    [ATTR.cwd]: p.cwd,
    [ATTR.approvalId]: approvalId,
  } satisfies EvidenceAttributeInput<typeof EVENT_NAMES.approvalWithdrawn>;
}

/** The request's trace and span: the agent's trace when it passed one, else the run's derived one. */
function traceOf(payload: ToolPayload, approvalId: string): { traceId: string; spanId: string } {
  const ctx = traceContextFor({ sessionId: payload.session_id, promptId: payload.prompt_id, requestId: approvalId, traceparent: traceparentOf(payload) });
  return { traceId: ctx.traceId, spanId: ctx.spanId };
}

export function requestedEvent(payload: ToolPayload, approvalId: string, now: number): EvidenceEvent {
  return newEvidenceEvent(EVENT_NAMES.approvalRequested, now, correlation(payload, approvalId), traceOf(payload, approvalId));
}

/** `reason`: why it left undecided, when it was not the agent's connection closing (a hold expired). */
export function withdrawnEvent(payload: ToolPayload, approvalId: string, now: number, reason?: string): EvidenceEvent {
  const attributes = { ...correlation(payload, approvalId), ...(reason !== undefined ? { [ATTR.withdrawnReason]: reason } : {}) };
  return newEvidenceEvent(EVENT_NAMES.approvalWithdrawn, now, attributes, traceOf(payload, approvalId));
}

export interface HoldFacts {
  source: 'user' | 'timeout' | 'policy';
  /** What the agent is told (a deny for the call in front of it). */
  reason: string;
  latencyMs: number;
  /** ISO time the hold ends. */
  expiresAt: string;
  rule?: string;
  person?: PersonIdentity;
}

export function heldEvent(payload: ToolPayload, approvalId: string, now: number, h: HoldFacts): EvidenceEvent {
  const attributes = {
    ...correlation(payload, approvalId),
    [ATTR.decision]: 'hold',
    [ATTR.decisionSource]: h.source,
    [ATTR.decisionLatencyMs]: h.latencyMs,
    [ATTR.decisionReason]: h.reason,
    ...(h.rule !== undefined ? { [ATTR.decisionRule]: h.rule } : {}),
    [ATTR.holdExpiresAt]: h.expiresAt,
    [ATTR.claudeCodeDecision]: 'reject' as const,
    [ATTR.claudeCodeSource]: CLAUDE_CODE_HOOK_SOURCE,
    ...(h.source === 'user' ? h.person : {}),
  } satisfies EvidenceAttributeInput<typeof EVENT_NAMES.approvalHeld>;
  return newEvidenceEvent(EVENT_NAMES.approvalHeld, now, attributes, traceOf(payload, approvalId));
}

/** Built by assignment, not spreads (it is made for every decision, the automatic ones at disk
 *  speed): the keys go in the same order, and newEvidenceEvent drops the ones left undefined. */
export function decidedEvent(payload: ToolPayload, approvalId: string, now: number, d: DecisionFacts): EvidenceEvent {
  const vocabulary = claudeCodeVocabulary(d.verdict);
  const attributes: EvidenceAttributeInput<typeof EVENT_NAMES.approvalDecided> = Object.assign(correlation(payload, approvalId), {
    [ATTR.decision]: d.verdict,
    [ATTR.decisionSource]: d.source,
    [ATTR.decisionLatencyMs]: d.latencyMs,
    [ATTR.decisionReason]: d.reason,
    [ATTR.decisionRule]: d.rule,
    [ATTR.decisionImmediate]: d.immediate ? (true as const) : undefined,
    [ATTR.claudeCodeDecision]: vocabulary[ATTR.claudeCodeDecision],
    [ATTR.claudeCodeSource]: vocabulary[ATTR.claudeCodeSource],
  });
  if (d.source === 'user' && d.person) Object.assign(attributes, d.person);
  if (d.sandboxed !== undefined) attributes[ATTR.sandboxed] = d.sandboxed;
  return newEvidenceEvent(EVENT_NAMES.approvalDecided, now, attributes, traceOf(payload, approvalId));
}

/** A state file was changed behind the core's back; the change was refused. */
export function stateTamperedEvent(file: string, reason: string, now: number, entry?: { item: { id: string; sessionId: string } }): EvidenceEvent {
  return newEvidenceEvent(EVENT_NAMES.stateTampered, now, {
    [ATTR.stateFile]: file,
    [ATTR.stateReason]: reason,
    ...(entry ? { [ATTR.approvalId]: entry.item.id, [ATTR.sessionId]: entry.item.sessionId } : {}),
  });
}
