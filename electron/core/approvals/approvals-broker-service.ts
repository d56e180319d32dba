// The pending queue. A request waits here until a person (UI channel only), the policy or its time
// budget settles it. Every settlement is recorded as evidence BEFORE the waiting agent is answered.
// Identical requests from one run share one item; a held item outlives the agent's wait, and
// approving it later lets the same action through when the agent retries; a run that floods the
// inbox is paused and the person asked once.
import { createHash, randomUUID } from 'node:crypto';
import type { DecidingEvent, ToolPayload } from '../../../shared/agent-api-contract.js';
import { extractTargets } from '../../../shared/action-targets.js';
import { ATTR, EVENT_NAMES, type DecisionSource } from '../../../shared/telemetry-events.js';
import type { ApprovalItem, DecisionRecord, RuleDraft } from '../../../shared/ui-contract.js';
import type { Clock } from '../app/companion-core-types.js';
import { newEvidenceEvent, type EvidenceEvent } from '../evidence/evidence-event.js';
import type { EvidenceSink } from '../evidence/evidence-recorder.js';
import { traceContextFor } from '../evidence/trace-context-policy.js';
import { UiCallError } from '../base/ui-call-error.js';

export interface Settlement {
  approvalId: string;
  verdict: 'allow' | 'deny';
  source: DecisionSource;
  reason: string;
}

type Waiter = (s: Settlement) => void;

/** `item` is absent when the request was answered at once (a retry of an approved held action,
 *  or a paused run). `waiter` identifies this connection for `withdraw`. */
export interface Submitted {
  item: ApprovalItem | undefined;
  settled: Promise<Settlement>;
  waiter: Waiter;
}

interface Entry {
  item: ApprovalItem;
  payload: ToolPayload;
  received: number;
  timer: { cancel(): void } | undefined;
  waiters: Waiter[];
  settling: boolean;
}

/** What survives a restart (pending.json). */
export interface StoredEntry {
  item: ApprovalItem;
  payload: ToolPayload;
  received: number;
}

export interface BrokerDeps {
  clock: Clock;
  evidence: EvidenceSink;
  /** Who decides in the UI (OS user; e-mail when configured): put on decisions by a person. */
  person?: { 'user.id'?: string; 'user.email'?: string };
  /** Whether an action only reads, and the rule a grant would create. */
  describe?: (payload: ToolPayload) => { isRead: boolean; proposedRule?: RuleDraft };
  /** Requests per minute from one run before it is paused. */
  stormPerMinute?: () => number;
  /** What an unanswered request becomes when its budget ends (managed policy): denied and gone
   *  (default), or held for the person. Never allowed: a countdown must not decide for the person. */
  onTimeout?: () => 'deny' | 'hold';
  /** Pending and held items, written on every change so they survive a restart. */
  persist?: { load(): StoredEntry[]; save(entries: StoredEntry[]): void };
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

/** Same run, same tool, same input: the same action (an approved held item lets it through). */
const actionKey = (payload: ToolPayload): string => `${payload.session_id}\0${payload.tool_name}\0${JSON.stringify(payload.tool_input)}`;

export class ApprovalsBrokerService {
  private readonly entries = new Map<string, Entry>();
  private readonly recent: DecisionRecord[] = [];
  private readonly listeners = new Set<() => void>();
  /** Approved while no agent waited: the next identical request passes at once (one use). */
  private readonly retryGrants = new Map<string, { approvalId: string }>();
  private readonly paused = new Map<string, { since: number; reason: string }>();
  private readonly arrivals = new Map<string, number[]>();
  private version = 0;
  private saveTimer: { cancel(): void } | undefined;

  constructor(private readonly deps: BrokerDeps) {
    for (const stored of deps.persist?.load() ?? []) {
      // The agent's connection did not survive the restart: the item waits for the person or a retry.
      this.entries.set(stored.item.id, { ...stored, item: { ...stored.item, agentWaiting: false }, timer: undefined, waiters: [], settling: false });
    }
  }

  /** Every event of one request shares its run's trace and the request's span. */
  private traced(event: EvidenceEvent, payload: ToolPayload, requestId: string): EvidenceEvent {
    const ctx = traceContextFor({ sessionId: payload.session_id, promptId: payload.prompt_id, requestId, traceparent: traceparentOf(payload) });
    return { ...event, trace: { traceId: ctx.traceId, spanId: ctx.spanId } };
  }

  /**
   * Queue a request (or join an identical one); `settled` resolves once the outcome is durably
   * recorded. `waiter` identifies this connection for `withdraw`.
   */
  async submit(payload: ToolPayload, budgetMs: number, note?: string): Promise<Submitted> {
    const now = this.deps.clock.now();
    let waiter!: Waiter;
    const settled = new Promise<Settlement>((resolve) => (waiter = resolve));
    const hash = contentHash(payload);

    const grant = this.retryGrants.get(actionKey(payload));
    if (grant) {
      this.retryGrants.delete(actionKey(payload));
      const s = await this.decideWithoutPerson(payload, 'allow', 'user', 'Approved in Cowork Companion while the agent was away; allowed on retry.', `held-approval:${grant.approvalId}`);
      waiter(s);
      return { item: undefined, settled, waiter };
    }

    // Coalesce: the same action from the same run joins the item already on screen.
    for (const entry of this.entries.values()) {
      if (entry.settling || entry.item.sessionId !== payload.session_id || entry.item.contentHash !== hash) continue;
      entry.waiters.push(waiter);
      entry.item = { ...entry.item, duplicates: entry.item.duplicates + 1, agentWaiting: true, expiresAt: new Date(now + budgetMs).toISOString() };
      entry.timer?.cancel();
      entry.timer = this.deps.clock.setTimeout(() => void this.expire(entry.item.id), budgetMs);
      this.changed();
      return { item: entry.item, settled, waiter };
    }

    const pause = this.checkStorm(payload.session_id, now);
    if (pause) {
      const s = await this.decideWithoutPerson(payload, 'deny', 'policy', pause, 'storm.pause');
      waiter(s);
      return { item: undefined, settled, waiter };
    }

    const id = randomUUID();
    const described = this.deps.describe?.(payload);
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
      ...(this.deps.onTimeout?.() === 'hold' ? { onTimeout: 'hold' as const } : {}),
      ...(note ? { note } : {}),
      contentHash: hash,
      agentWaiting: true,
      duplicates: 0,
      isRead: described?.isRead ?? false,
      ...(described?.proposedRule ? { proposedRule: described.proposedRule } : {}),
    };
    await this.deps.evidence.record(
      this.traced(newEvidenceEvent(EVENT_NAMES.approvalRequested, now, { ...this.correlation(payload), [ATTR.approvalId]: id }), payload, id),
    );
    const timer = this.deps.clock.setTimeout(() => void this.expire(id), budgetMs);
    this.entries.set(id, { item, payload, received: now, timer, waiters: [waiter], settling: false });
    this.changed();
    return { item, settled, waiter };
  }

  /** A decision made without a person (policy or remembered rule): recorded exactly like one. */
  async decideWithoutPerson(payload: ToolPayload, verdict: 'allow' | 'deny', source: DecisionSource, reason: string, rule: string): Promise<Settlement> {
    const now = this.deps.clock.now();
    const approvalId = randomUUID();
    const base = { ...this.correlation(payload), [ATTR.approvalId]: approvalId };
    await this.deps.evidence.record(this.traced(newEvidenceEvent(EVENT_NAMES.approvalRequested, now, base), payload, approvalId));
    await this.deps.evidence.record(
      this.traced(
        newEvidenceEvent(EVENT_NAMES.approvalDecided, now, {
          ...base,
          [ATTR.decision]: verdict,
          [ATTR.decisionSource]: source,
          [ATTR.decisionLatencyMs]: 0,
          [ATTR.decisionReason]: reason,
          [ATTR.decisionRule]: rule,
        }),
        payload,
        approvalId,
      ),
    );
    this.remember({ approvalId, toolName: payload.tool_name, sessionId: payload.session_id, decision: verdict, source, reason, decidedAt: new Date(now).toISOString() });
    this.changed();
    return { approvalId, verdict, source, reason };
  }

  /** Scope, rules or policy changed: settle what they can now decide without a person. */
  async reevaluate(
    policy: (payload: ToolPayload) => { kind: 'ask' } | { kind: 'decide'; verdict: 'allow' | 'deny'; reason: string; source?: DecisionSource },
  ): Promise<void> {
    for (const [id, entry] of [...this.entries]) {
      if (entry.settling || entry.item.held || !entry.item.agentWaiting) continue;
      const outcome = policy(entry.payload);
      if (outcome.kind === 'decide') await this.settle(id, outcome.verdict, outcome.source ?? 'policy', outcome.reason).catch(() => undefined);
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

  /** The payload behind a pending item (for proposing rules). */
  payloadOf(id: string): ToolPayload | undefined {
    return this.entries.get(id)?.payload;
  }

  /** Approve or deny every pending read of one run (bulk decisions only ever cover reads). */
  async decideRunReads(sessionId: string, verdict: 'allow' | 'deny'): Promise<number> {
    const ids = [...this.entries.values()].filter((e) => !e.settling && e.item.sessionId === sessionId && e.item.isRead).map((e) => e.item.id);
    const reason = verdict === 'allow' ? 'Approved in Cowork Companion (all reads of this run).' : 'Denied in Cowork Companion (all reads of this run).';
    for (const id of ids) await this.decideUnchecked(id, verdict, reason);
    return ids.length;
  }

  pausedRuns(): { sessionId: string; since: string; reason: string }[] {
    return [...this.paused].map(([sessionId, p]) => ({ sessionId, since: new Date(p.since).toISOString(), reason: p.reason }));
  }

  resumeRun(sessionId: string): void {
    if (!this.paused.delete(sessionId)) throw new UiCallError('not_paused', 'This run is not paused.', 404);
    this.arrivals.delete(sessionId);
    this.changed();
  }

  /** One agent connection stopped waiting. The item leaves the inbox when nobody waits any more,
   *  unless it is held (then it stays for the person, and a later approval serves the retry). */
  async withdraw(id: string, waiter?: Waiter): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry || entry.settling) return;
    entry.waiters = waiter ? entry.waiters.filter((w) => w !== waiter) : [];
    if (entry.waiters.length > 0) return;
    if (entry.item.held) {
      entry.timer?.cancel();
      entry.item = { ...entry.item, agentWaiting: false };
      this.changed();
      return;
    }
    entry.settling = true;
    entry.timer?.cancel();
    this.entries.delete(id);
    this.changed();
    await this.deps.evidence
      .record(this.traced(newEvidenceEvent(EVENT_NAMES.approvalWithdrawn, this.deps.clock.now(), { ...this.correlation(entry.payload), [ATTR.approvalId]: id }), entry.payload, id))
      .catch(() => undefined);
  }

  /** Answer everyone still waiting with a deny (shutdown: fail closed). Items stay for the restart. */
  async denyAll(reason: string): Promise<void> {
    for (const entry of this.entries.values()) {
      entry.timer?.cancel();
      const waiters = entry.waiters;
      entry.waiters = [];
      entry.item = { ...entry.item, agentWaiting: false };
      for (const w of waiters) w({ approvalId: entry.item.id, verdict: 'deny', source: 'timeout', reason });
    }
    this.save();
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

  private checkStorm(sessionId: string, now: number): string | undefined {
    const existing = this.paused.get(sessionId);
    if (existing) return existing.reason;
    const limit = this.deps.stormPerMinute?.() ?? 60;
    const times = (this.arrivals.get(sessionId) ?? []).filter((t) => t > now - 60_000);
    times.push(now);
    this.arrivals.set(sessionId, times);
    if (times.length <= limit) return undefined;
    const reason = `Cowork Companion paused this run: more than ${limit} requests in a minute. Wait for the user to resume the run in Cowork Companion.`;
    this.paused.set(sessionId, { since: now, reason });
    this.changed();
    return reason;
  }

  private async decideByUser(id: string, hash: string, verdict: 'allow' | 'deny', reason: string): Promise<void> {
    this.live(id, hash);
    await this.decideUnchecked(id, verdict, reason);
  }

  private async decideUnchecked(id: string, verdict: 'allow' | 'deny', reason: string): Promise<void> {
    const entry = this.entries.get(id);
    if (entry && !entry.item.agentWaiting && verdict === 'allow') {
      // Nobody is waiting (held past its budget, or from before a restart): let the retry through.
      this.retryGrants.set(actionKey(entry.payload), { approvalId: id });
    }
    await this.settle(id, verdict, 'user', reason);
  }

  private expire(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return Promise.resolve();
    const seconds = Math.round((this.deps.clock.now() - entry.received) / 1000);
    if (entry.item.onTimeout === 'hold' && !entry.item.held) entry.item = { ...entry.item, held: true };
    if (entry.item.held) return this.answerHeld(entry, seconds);
    const reason = `No decision in Cowork Companion within ${seconds} s, so it is denied (fail-closed). Ask the user to review it in Cowork Companion, then retry.`;
    return this.settle(id, 'deny', 'timeout', reason);
  }

  /** A held item's budget ended: the agent hears "on hold" (recorded), the item stays. */
  private async answerHeld(entry: Entry, seconds: number): Promise<void> {
    const reason = `This action is on hold in Cowork Companion for review by the user (waited ${seconds} s). Do not retry until the user says so; once approved, the same action will be allowed.`;
    const now = this.deps.clock.now();
    await this.deps.evidence
      .record(
        this.traced(
          newEvidenceEvent(EVENT_NAMES.approvalDecided, now, {
            ...this.correlation(entry.payload),
            [ATTR.approvalId]: entry.item.id,
            [ATTR.decision]: 'deny',
            [ATTR.decisionSource]: 'timeout',
            [ATTR.decisionLatencyMs]: now - entry.received,
            [ATTR.decisionReason]: reason,
          }),
          entry.payload,
          entry.item.id,
        ),
      )
      .catch(() => undefined);
    const waiters = entry.waiters;
    entry.waiters = [];
    entry.timer = undefined;
    entry.item = { ...entry.item, agentWaiting: false };
    for (const w of waiters) w({ approvalId: entry.item.id, verdict: 'deny', source: 'timeout', reason });
    this.changed();
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
    entry.timer?.cancel();
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
      this.retryGrants.delete(actionKey(entry.payload));
      outcome = { approvalId: id, verdict: 'deny', source, reason: 'Cowork Companion could not record the decision (journal write failed), so the action is denied.' };
    }
    this.entries.delete(id);
    this.remember({ approvalId: id, toolName: entry.item.toolName, sessionId: entry.item.sessionId, decision: outcome.verdict, source, reason: outcome.reason, decidedAt: new Date(now).toISOString() });
    for (const w of entry.waiters) w(outcome);
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

  /** Writes pending.json now (shutdown) — otherwise at most every 100 ms (bursts of requests). */
  save(): void {
    this.saveTimer?.cancel();
    this.saveTimer = undefined;
    try {
      this.deps.persist?.save([...this.entries.values()].filter((e) => !e.settling).map(({ item, payload, received }) => ({ item, payload, received })));
    } catch {
      // A full disk must not take the inbox down; the items are still on screen and in the journal.
    }
  }

  private changed(): void {
    this.version += 1;
    if (this.deps.persist) this.saveTimer ??= this.deps.clock.setTimeout(() => this.save(), 100);
    for (const l of this.listeners) l();
  }
}
