// The pending queue. A request waits here until a person (UI channel only), the policy or its time
// budget settles it. Every settlement is recorded as evidence BEFORE the waiting agent is answered.
import { createHash, randomUUID } from 'node:crypto';
import type { DecidingEvent, ToolPayload } from '../../shared/agent-api-contract.js';
import { extractTargets } from '../../shared/action-targets.js';
import { ATTR, EVENT_NAMES, type DecisionSource } from '../../shared/telemetry-events.js';
import type { ApprovalItem, DecisionRecord } from '../../shared/ui-contract.js';
import type { Clock } from './companion-core-types.js';
import { newEvidenceEvent } from './evidence-event.js';
import type { EvidenceSink } from './evidence-recorder.js';
import { UiCallError } from './ui-call-error.js';
import { traceContextFor } from './trace-context-policy.js';

export interface Settlement {
  approvalId: string;
  verdict: 'allow' | 'deny';
  source: DecisionSource;
  reason: string;
}

interface Entry {
  item: ApprovalItem;
  payload: ToolPayload;
  received: number;
  timer: { cancel(): void };
  settle: (s: Settlement) => void;
  settling: boolean;
}

const RECENT_LIMIT = 50;

/** The agent's W3C trace context, when it passes one (payload field or forwarded header). */
function traceparentOf(payload: ToolPayload): string | undefined {
  const v = (payload as Record<string, unknown>)['traceparent'];
  return typeof v === 'string' ? v : undefined;
}

export function contentHash(payload: ToolPayload): string {
  const shown = JSON.stringify([payload.hook_event_name, payload.session_id, payload.tool_name, payload.tool_input]);
  return createHash('sha256').update(shown).digest('hex').slice(0, 16);
}

export class ApprovalsBrokerService {
  private readonly entries = new Map<string, Entry>();
  private readonly recent: DecisionRecord[] = [];
  private readonly listeners = new Set<() => void>();
  private version = 0;

  constructor(
    private readonly deps: {
      clock: Clock;
      evidence: EvidenceSink;
      /** Who decides in the UI (OS user; e-mail when configured): put on decisions by a person. */
      person?: { 'user.id'?: string; 'user.email'?: string };
    },
  ) {}

  /** Every event of one request shares its run's trace and the request's span. */
  private traced<E extends { trace?: unknown }>(event: E, payload: ToolPayload, requestId: string): E {
    const ctx = traceContextFor({ sessionId: payload.session_id, promptId: payload.prompt_id, requestId, traceparent: traceparentOf(payload) });
    return { ...event, trace: { traceId: ctx.traceId, spanId: ctx.spanId } };
  }

  /** Queue a request; `settled` resolves once the outcome is durably recorded. */
  async submit(payload: ToolPayload, budgetMs: number, note?: string): Promise<{ item: ApprovalItem; settled: Promise<Settlement> }> {
    const now = this.deps.clock.now();
    const id = randomUUID();
    const item: ApprovalItem = {
      id,
      hookEvent: payload.hook_event_name,
      sessionId: payload.session_id,
      promptId: payload.prompt_id,
      toolUseId: payload.tool_use_id,
      toolName: payload.tool_name,
      cwd: payload.cwd,
      targets: extractTargets(payload.tool_name, payload.tool_input),
      receivedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + budgetMs).toISOString(),
      held: false,
      ...(note ? { note } : {}),
      contentHash: contentHash(payload),
    };
    await this.deps.evidence.record(
      this.traced(newEvidenceEvent(EVENT_NAMES.approvalRequested, now, { ...this.correlation(payload), [ATTR.approvalId]: id }), payload, id),
    );
    let settle!: (s: Settlement) => void;
    const settled = new Promise<Settlement>((resolve) => (settle = resolve));
    const timer = this.deps.clock.setTimeout(() => void this.expire(id), budgetMs);
    this.entries.set(id, { item, payload, received: now, timer, settle, settling: false });
    this.changed();
    return { item, settled };
  }

  /** A decision made without a person (policy or remembered rule): recorded exactly like one. */
  async decideWithoutPerson(payload: ToolPayload, verdict: 'allow' | 'deny', source: DecisionSource, reason: string, rule: string): Promise<Settlement> {
    const now = this.deps.clock.now();
    const approvalId = randomUUID();
    const base = { ...this.correlation(payload), [ATTR.approvalId]: approvalId };
    await this.deps.evidence.record(this.traced(newEvidenceEvent(EVENT_NAMES.approvalRequested, now, base), payload, approvalId));
    await this.deps.evidence.record(
      this.traced(newEvidenceEvent(EVENT_NAMES.approvalDecided, now, {
        ...base,
        [ATTR.decision]: verdict,
        [ATTR.decisionSource]: source,
        [ATTR.decisionLatencyMs]: 0,
        [ATTR.decisionReason]: reason,
        [ATTR.decisionRule]: rule,
      }), payload, approvalId),
    );
    this.remember({ approvalId, toolName: payload.tool_name, sessionId: payload.session_id, decision: verdict, source, reason, decidedAt: new Date(now).toISOString() });
    this.changed();
    return { approvalId, verdict, source, reason };
  }

  /** Scope or policy changed: settle what the policy can now decide on its own. */
  async reevaluate(policy: (payload: ToolPayload) => { kind: 'ask' } | { kind: 'decide'; verdict: 'allow' | 'deny'; reason: string }): Promise<void> {
    for (const [id, entry] of [...this.entries]) {
      if (entry.settling || entry.item.held) continue;
      const outcome = policy(entry.payload);
      if (outcome.kind === 'decide') await this.settle(id, outcome.verdict, 'policy', outcome.reason).catch(() => undefined);
    }
  }

  approve(id: string, hash: string): Promise<void> {
    return this.decideByUser(id, hash, 'allow', 'Approved in Cowork Companion');
  }

  deny(id: string, hash: string, reason?: string): Promise<void> {
    const why = reason?.trim() ? `Denied in Cowork Companion: ${reason.trim()}` : 'Denied in Cowork Companion.';
    return this.decideByUser(id, hash, 'deny', why);
  }

  hold(id: string, hash: string): void {
    const entry = this.live(id, hash);
    entry.item = { ...entry.item, held: true };
    this.changed();
  }

  /** The agent stopped waiting (connection closed): the item leaves the inbox, the fact is recorded. */
  async withdraw(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry || entry.settling) return;
    entry.settling = true;
    entry.timer.cancel();
    this.entries.delete(id);
    this.changed();
    await this.deps.evidence
      .record(this.traced(newEvidenceEvent(EVENT_NAMES.approvalWithdrawn, this.deps.clock.now(), { ...this.correlation(entry.payload), [ATTR.approvalId]: id }), entry.payload, id))
      .catch(() => undefined);
  }

  /** Deny everything still waiting (shutdown): fail closed. */
  async denyAll(reason: string): Promise<void> {
    await Promise.all([...this.entries.keys()].map((id) => this.settle(id, 'deny', 'timeout', reason)));
  }

  pending(): ApprovalItem[] {
    return [...this.entries.values()].filter((e) => !e.settling).map((e) => e.item);
  }

  recentDecisions(): DecisionRecord[] {
    return [...this.recent];
  }

  get stateVersion(): number {
    return this.version;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async decideByUser(id: string, hash: string, verdict: 'allow' | 'deny', reason: string): Promise<void> {
    this.live(id, hash);
    await this.settle(id, verdict, 'user', reason);
  }

  private expire(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return Promise.resolve();
    const seconds = Math.round((this.deps.clock.now() - entry.received) / 1000);
    const reason = entry.item.held
      ? `This action is on hold in Cowork Companion for review by the user. Do not retry until the user says so.`
      : `No decision in Cowork Companion within ${seconds} s, so it is denied (fail-closed). Ask the user to review it in Cowork Companion, then retry.`;
    return this.settle(id, 'deny', 'timeout', reason);
  }

  private live(id: string, hash: string): Entry {
    const entry = this.entries.get(id);
    if (!entry || entry.settling) {
      throw new UiCallError('not_pending', 'This request is no longer pending (it was decided, timed out or withdrawn).', 409);
    }
    if (entry.item.contentHash !== hash) {
      throw new UiCallError('content_changed', 'The request changed since it was shown; review it again.', 409);
    }
    return entry;
  }

  private async settle(id: string, verdict: 'allow' | 'deny', source: DecisionSource, reason: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry || entry.settling) return;
    entry.settling = true; // no second decision can start while this one is being recorded
    entry.timer.cancel();
    const now = this.deps.clock.now();
    const event = this.traced(
      newEvidenceEvent(EVENT_NAMES.approvalDecided, now, {
        ...this.correlation(entry.payload),
        [ATTR.approvalId]: id,
        [ATTR.decision]: verdict,
        [ATTR.decisionSource]: source,
        [ATTR.decisionLatencyMs]: now - entry.received,
        [ATTR.decisionReason]: reason,
        ...(source === 'user' ? this.deps.person : {}),
      }),
      entry.payload,
      id,
    );
    let outcome: Settlement = { approvalId: id, verdict, source, reason };
    let failure: unknown;
    try {
      await this.deps.evidence.record(event);
    } catch (error) {
      // Not recorded means not decided: the agent gets a deny, the person gets an error.
      failure = error;
      outcome = { approvalId: id, verdict: 'deny', source, reason: 'Cowork Companion could not record the decision (journal write failed), so the action is denied.' };
    }
    this.entries.delete(id);
    this.remember({
      approvalId: id,
      toolName: entry.item.toolName,
      sessionId: entry.item.sessionId,
      decision: outcome.verdict,
      source,
      reason: outcome.reason,
      decidedAt: new Date(now).toISOString(),
    });
    entry.settle(outcome);
    this.changed();
    if (failure !== undefined) {
      throw new UiCallError('journal_failed', `The decision could not be recorded, so the agent was denied: ${String((failure as Error).message ?? failure)}`, 500);
    }
  }

  private remember(record: DecisionRecord): void {
    this.recent.unshift(record);
    this.recent.length = Math.min(this.recent.length, RECENT_LIMIT);
  }

  private correlation(p: ToolPayload): Record<string, string | undefined> {
    return {
      [ATTR.sessionId]: p.session_id,
      [ATTR.promptId]: p.prompt_id,
      [ATTR.toolUseId]: p.tool_use_id,
      [ATTR.toolName]: p.tool_name,
      [ATTR.hookEvent]: p.hook_event_name as DecidingEvent,
      [ATTR.cwd]: p.cwd,
    };
  }

  private changed(): void {
    this.version += 1;
    for (const l of this.listeners) l();
  }
}
