// The pending queue. A request waits here until a person (UI channel only), the policy or its time
// budget settles it. Every settlement is recorded as evidence BEFORE the waiting agent is answered.
// Identical requests from one run share one item. Hold means "not now, a person will look later": the
// waiting agent is answered at once (a deny for the call, saying it is on hold and how to retry), the
// item stays until `holdHours` end, approving it later lets the identical retry through once, and a
// retry while it is held hears the same. A run that floods the inbox is paused and the person asked once. A PermissionRequest (which Claude Code sends without a
// tool_use_id) carries the id of the PreToolUse of the same call, when the broker allowed one.
import { randomUUID } from 'node:crypto';
import { coreText } from '../../../shared/core-messages.js';
import type { ToolPayload, Verdict } from '../../../shared/agent-api-contract.js';
import type { DecisionSource } from '../../../shared/telemetry-events.js';
import type { ChangePreview, PreviewRef } from '../../../shared/change-preview-contract.js';
import type { ApprovalItem, BashSandbox, DecisionRecord } from '../../../shared/ui-contract.js';
import { CoreError, type Clock } from '../base/index.js';
import type { EvidenceEvent, EvidenceSink } from '../evidence/index.js';
import { actionKey, previewRef, type PolicyOutcome, type ResolvedRequest } from '../requests/index.js';
import { DEFAULT_HOLD_HOURS } from '../../../shared/managed-policy-contract.js';
import { decidedEvent, heldEvent, requestedEvent, withdrawnEvent, type DecisionFacts, type HoldFacts, type PersonIdentity } from './approval-evidence.js';
import { PreToolUseLedger } from './pre-tool-use-ledger.js';
import type { RuleOffer } from './rule-matching-policy.js';

export interface Settlement {
  approvalId: string;
  verdict: Verdict;
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
  /** Identical calls that joined this item (each is its own tool call: the decision is recorded for each). */
  joined: ToolPayload[];
  settling: boolean;
}

/** What survives a restart (pending.json). */
export interface StoredEntry {
  item: ApprovalItem;
  payload: ToolPayload;
  received: number;
}

export type PreviewDetail = 'card' | 'whole';

export interface BrokerDeps {
  clock: Clock;
  evidence: EvidenceSink;
  /** Who decides in the UI (OS user; e-mail when configured): put on decisions by a person. */
  person?: PersonIdentity;
  /** The rule "allow for this run" / "always allow" would create for a request, or why there is none. */
  proposeRule?: (request: ResolvedRequest) => RuleOffer;
  /** Requests per minute from one run before it is paused. */
  stormPerMinute?: () => number;
  /** What an unanswered request becomes when its budget ends (managed policy): denied and gone
   *  (default), or held for the person. Never allowed: a countdown must not decide for the person. */
  onTimeout?: () => 'deny' | 'hold';
  /** How long a held item stays before it is withdrawn (managed policy `approvals.holdHours`). */
  holdHours?: () => number;
  /** Pending and held items, written on every change so they survive a restart (what `load` gives is
   *  taken as is: the wiring checks it first, see pending-store.ts). */
  persist?: { load(): StoredEntry[]; save(entries: StoredEntry[]): void };
  /** Whether a call runs in the OS sandbox the companion keeps, and where it can write there
   *  (undefined: not a question for it). */
  sandbox?: (payload: ToolPayload) => BashSandbox | undefined;
  /** Recent decisions from before the restart (rebuilt from the journal), newest first. */
  history?: readonly DecisionRecord[];
  /** Each decision as Recent decisions shows it (the wiring keeps what it named for after a restart). */
  onDecision?: (record: DecisionRecord) => void;
  /** What the call would change, against the disk now: with the first diff lines a card shows, or the
   *  whole diff. A snapshot carries only a reference to it (see PreviewRefSchema). */
  preview?: (payload: ToolPayload, detail: PreviewDetail) => ChangePreview | undefined;
}

const RECENT_LIMIT = 50;

/** What the agent is told when its call is put on hold (a deny for that call). */
export function holdMessage(heldUntil: string, waitedSeconds?: number): string {
  return waitedSeconds === undefined
    ? coreText('decision.heldByUser', { until: heldUntil })
    : coreText('decision.heldByTimeout', { seconds: waitedSeconds, until: heldUntil });
}

export class ApprovalsBrokerService {
  private readonly entries = new Map<string, Entry>();
  private readonly recent: DecisionRecord[] = [];
  private readonly listeners = new Set<() => void>();
  /** Approved while no agent waited: the next identical request passes at once (one use). */
  private readonly retryGrants = new Map<string, { approvalId: string }>();
  private readonly paused = new Map<string, { since: number; reason: string }>();
  private readonly arrivals = new Map<string, number[]>();
  /** PreToolUse calls the agent was allowed, for the PermissionRequest that may follow each. */
  private readonly preToolUses = new PreToolUseLedger();
  private version = 0;
  private saveTimer: { cancel(): void } | undefined;

  constructor(private readonly deps: BrokerDeps) {
    const now = deps.clock.now();
    this.recent.push(...(deps.history ?? []).slice(0, RECENT_LIMIT));
    for (const stored of deps.persist?.load() ?? []) {
      // The agent's connection did not survive the restart: the item waits for the person or a retry.
      // The preview is made afresh: the file may have changed while the companion was not running.
      const item = withPreview({ ...stored.item, agentWaiting: false }, previewRef(deps.preview?.(stored.payload, 'whole')));
      const entry: Entry = { ...stored, item, timer: undefined, waiters: [], joined: [], settling: false };
      if (entry.item.held) {
        // A hold keeps its end (never longer than the policy allows from now); one already over is withdrawn at once.
        const until = Math.min(Date.parse(entry.item.heldUntil ?? '') || Infinity, now + this.holdMs());
        entry.item = { ...entry.item, heldUntil: new Date(until).toISOString() };
        entry.timer = deps.clock.setTimeout(() => void this.holdEnded(entry), Math.max(0, until - now));
      }
      this.entries.set(stored.item.id, entry);
    }
  }

  /**
   * Queue a request (or join an identical one); `settled` resolves once the outcome is durably
   * recorded. `waiter` identifies this connection for `withdraw`. `earlierApproval: false`: a held
   * card a person approved after the agent stopped waiting does not answer this retry (the run is held).
   */
  async submit(request: ResolvedRequest, budgetMs: number, note?: string, options: { earlierApproval?: boolean } = {}): Promise<Submitted> {
    const { contentHash: hash } = request;
    const now = this.deps.clock.now();
    let waiter!: Waiter;
    const settled = new Promise<Settlement>((resolve) => (waiter = resolve));

    const grant = options.earlierApproval === false ? undefined : this.retryGrants.get(request.actionKey);
    if (grant) {
      this.retryGrants.delete(request.actionKey);
      const s = await this.decideWithoutPerson(request, { verdict: 'allow', source: 'user', reason: coreText('decision.approvedWhileAway'), rule: `held-approval:${grant.approvalId}` });
      waiter(s);
      return { item: undefined, settled, waiter };
    }

    // Coalesce: the same action from the same run joins the item already on screen (not while the run
    // is held: that card came before the hold and does not say it; this request gets its own).
    for (const entry of options.earlierApproval === false ? [] : this.entries.values()) {
      if (entry.settling || entry.item.sessionId !== request.payload.session_id || entry.item.contentHash !== hash) continue;
      if (entry.item.held) {
        waiter(await this.answerRetryWhileHeld(entry, request.payload));
        return { item: undefined, settled, waiter };
      }
      entry.waiters.push(waiter);
      if (request.payload.tool_use_id !== entry.payload.tool_use_id) entry.joined.push(request.payload);
      entry.item = { ...entry.item, duplicates: entry.item.duplicates + 1, agentWaiting: true, expiresAt: new Date(now + budgetMs).toISOString() };
      entry.timer?.cancel();
      entry.timer = this.deps.clock.setTimeout(() => void this.expire(entry.item.id), budgetMs);
      this.changed();
      return { item: entry.item, settled, waiter };
    }

    const pause = this.checkStorm(request.payload.session_id, now);
    if (pause) {
      const s = await this.decideWithoutPerson(request, { verdict: 'deny', source: 'policy', reason: pause, rule: 'storm.pause' });
      waiter(s);
      return { item: undefined, settled, waiter };
    }

    const id = randomUUID();
    const payload = this.paired(request.payload, now);
    const offer = this.deps.proposeRule?.(request);
    const sandbox = this.deps.sandbox?.(payload);
    const preview = previewRef(this.deps.preview?.(payload, 'whole'));
    const item: ApprovalItem = {
      id,
      hookEvent: payload.hook_event_name,
      sessionId: payload.session_id,
      promptId: payload.prompt_id,
      toolUseId: payload.tool_use_id,
      toolName: payload.tool_name,
      cwd: payload.cwd,
      targets: request.display,
      receivedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + budgetMs).toISOString(),
      held: false,
      ...(this.deps.onTimeout?.() === 'hold' ? { onTimeout: 'hold' as const } : {}),
      ...(note ? { note } : {}),
      contentHash: hash,
      agentWaiting: true,
      duplicates: 0,
      isRead: request.isRead,
      ...offer,
      ...(sandbox ? { sandbox } : {}),
      ...(preview ? { preview } : {}),
    };
    await this.deps.evidence.record(requestedEvent(payload, id, now));
    const timer = this.deps.clock.setTimeout(() => void this.expire(id), budgetMs);
    this.entries.set(id, { item, payload, received: now, timer, waiters: [waiter], joined: [], settling: false });
    this.changed();
    return { item, settled, waiter };
  }

  /** A decision made without a person (policy or remembered rule): one durable record that carries the
   *  request too (`decision.immediate`), before the agent is answered. */
  async decideWithoutPerson(request: ResolvedRequest, d: { verdict: Verdict; source: DecisionSource; reason: string; rule: string }): Promise<Settlement> {
    const now = this.deps.clock.now();
    const payload = this.paired(request.payload, now);
    const approvalId = randomUUID();
    // No separate approval.requested: the decision carries every attribute it would (issue 17), so an
    // automatic decision costs one record, one line of the group commit and one exported log record.
    await this.deps.evidence.record(this.decided(payload, approvalId, now, { ...d, latencyMs: 0, immediate: true }));
    if (d.verdict === 'allow') this.allowed(payload, now);
    this.remember({ approvalId, toolName: payload.tool_name, sessionId: payload.session_id, decision: d.verdict, source: d.source, reason: d.reason, decidedAt: new Date(now).toISOString(), cwd: payload.cwd, targets: request.display, rule: d.rule });
    this.changed({ inbox: false }); // nothing waited: pending.json is as it was
    return { approvalId, verdict: d.verdict, source: d.source, reason: d.reason };
  }

  /** Scope, rules or policy changed: settle what they can now decide without a person. `policy`
   *  judges each waiting request afresh (the disk may have changed since it arrived). */
  async reevaluate(policy: (payload: ToolPayload) => PolicyOutcome): Promise<void> {
    let refreshed = false;
    for (const [id, entry] of [...this.entries]) {
      if (entry.settling) continue;
      // What a card says about the sandbox follows it (a folder shared since the card came, say).
      const sandbox = this.deps.sandbox?.(entry.payload);
      if (JSON.stringify(sandbox) !== JSON.stringify(entry.item.sandbox)) {
        const { sandbox: _was, ...item } = entry.item;
        entry.item = sandbox ? { ...item, sandbox } : item;
        refreshed = true;
      }
      // And its diff follows the file (changed on disk since the card came).
      const preview = previewRef(this.deps.preview?.(entry.payload, 'whole'));
      if (preview?.revision !== entry.item.preview?.revision) {
        entry.item = withPreview(entry.item, preview);
        refreshed = true;
      }
      if (entry.item.held || !entry.item.agentWaiting) continue;
      const outcome = policy(entry.payload);
      if (outcome.kind === 'decide') await this.settle(id, { verdict: outcome.verdict, source: outcome.source, reason: outcome.reason, rule: outcome.rule }).catch(() => undefined);
    }
    if (refreshed) this.changed();
  }

  approve(id: string, hash: string): Promise<void> {
    return this.decideByUser(id, hash, 'allow', coreText('decision.approved'));
  }

  deny(id: string, hash: string, reason?: string): Promise<void> {
    const why = reason?.trim() ? coreText('decision.deniedWithReason', { reason: reason.trim() }) : coreText('decision.denied');
    return this.decideByUser(id, hash, 'deny', why);
  }

  /** Not now: recorded, then the waiting agent is told at once that it is on hold (see holdMessage). */
  async hold(id: string, hash: string): Promise<void> {
    const entry = this.live(id, hash);
    if (entry.item.held) return;
    await this.putOnHold(entry, 'user');
  }

  /** A pending item's diff lines (the first ones, or all), against the file as it is now. */
  previewLines(id: string, hash: string, whole: boolean): ChangePreview | undefined {
    return this.deps.preview?.(this.live(id, hash).payload, whole ? 'whole' : 'card');
  }

  /** The payload behind a pending item (for proposing rules). */
  payloadOf(id: string): ToolPayload | undefined {
    return this.entries.get(id)?.payload;
  }

  /**
   * Approve or deny the pending reads of one run that the person saw: `shown` names each card (id +
   * content hash). Only those are decided, and only if each is still pending, unchanged, a read and of
   * this run; a read that arrived after the person looked stays pending. Bulk decisions only ever
   * cover reads. Returns how many were decided.
   */
  async decideRunReads(sessionId: string, verdict: Verdict, shown: readonly { id: string; contentHash: string }[]): Promise<number> {
    const ids = [...new Map(shown.map((s) => [s.id, s])).values()]
      .filter(({ id, contentHash }) => {
        const e = this.entries.get(id);
        return e !== undefined && !e.settling && e.item.sessionId === sessionId && e.item.isRead && e.item.contentHash === contentHash;
      })
      .map((s) => s.id);
    const reason = coreText(verdict === 'allow' ? 'decision.readsApproved' : 'decision.readsDenied');
    for (const id of ids) await this.decideUnchecked(id, verdict, reason);
    return ids.length;
  }

  pausedRuns(): { sessionId: string; since: string; reason: string }[] {
    return [...this.paused].map(([sessionId, p]) => ({ sessionId, since: new Date(p.since).toISOString(), reason: p.reason }));
  }

  resumeRun(sessionId: string): void {
    if (!this.paused.delete(sessionId)) throw new CoreError('not_paused', 'This run is not paused.');
    this.arrivals.delete(sessionId);
    this.changed();
  }

  /** One agent connection stopped waiting. The item leaves the inbox when nobody waits any more,
   *  unless it is held (then it stays for the person until its hold ends). */
  async withdraw(id: string, waiter?: Waiter): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry || entry.settling) return;
    entry.waiters = waiter ? entry.waiters.filter((w) => w !== waiter) : [];
    if (entry.waiters.length > 0 || entry.item.held) return;
    await this.remove(entry);
  }

  /** Answer everyone still waiting with a deny (shutdown: fail closed). Items stay for the restart. */
  async denyAll(reason: string): Promise<void> {
    for (const entry of this.entries.values()) {
      entry.timer?.cancel();
      const waiters = entry.waiters;
      entry.waiters = [];
      const told = waiters.length > 0 ? { told: { at: new Date(this.deps.clock.now()).toISOString(), message: reason } } : {};
      entry.item = { ...entry.item, agentWaiting: false, ...told };
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
    const reason = coreText('run.paused', { limit });
    this.paused.set(sessionId, { since: now, reason });
    this.changed();
    return reason;
  }

  private async decideByUser(id: string, hash: string, verdict: Verdict, reason: string): Promise<void> {
    this.live(id, hash);
    await this.decideUnchecked(id, verdict, reason);
  }

  private async decideUnchecked(id: string, verdict: Verdict, reason: string): Promise<void> {
    const entry = this.entries.get(id);
    if (entry && !entry.item.agentWaiting && verdict === 'allow') {
      // Nobody is waiting (held past its budget, or from before a restart): let the retry through.
      this.retryGrants.set(actionKey(entry.payload), { approvalId: id });
    }
    await this.settle(id, { verdict, source: 'user', reason, person: this.deps.person });
  }

  private async expire(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry || entry.settling || entry.item.held) return;
    const seconds = Math.round((this.deps.clock.now() - entry.received) / 1000);
    const deny = { verdict: 'deny' as const, source: 'timeout' as const, reason: coreText('decision.timeout', { seconds }) };
    // A hold that cannot be recorded is a deny (settle answers the agent even when that fails too).
    if (entry.item.onTimeout === 'hold') await this.putOnHold(entry, 'timeout', seconds).catch(() => this.settle(id, deny));
    else await this.settle(id, deny);
  }

  private holdMs(): number {
    return (this.deps.holdHours?.() ?? DEFAULT_HOLD_HOURS) * 3_600_000;
  }

  /** Records the hold (one record per call it answers), then answers whoever waits; the item stays,
   *  held until `holdHours` from now. Throws (the item unchanged, its budget running) when it cannot be recorded. */
  private async putOnHold(entry: Entry, source: 'user' | 'timeout', waitedSeconds?: number): Promise<void> {
    const now = this.deps.clock.now();
    const heldUntil = new Date(now + this.holdMs()).toISOString();
    const message = holdMessage(heldUntil, waitedSeconds);
    const facts: HoldFacts = { source, reason: message, latencyMs: now - entry.received, expiresAt: heldUntil, ...(source === 'user' ? { person: this.deps.person } : {}) };
    const budget = entry.timer;
    entry.timer = undefined;
    budget?.cancel();
    try {
      await Promise.all([entry.payload, ...entry.joined].map((payload) => this.deps.evidence.record(heldEvent(payload, entry.item.id, now, facts))));
    } catch (error) {
      if (this.entries.get(entry.item.id) === entry && !entry.settling && entry.waiters.length > 0) {
        entry.timer = this.deps.clock.setTimeout(() => void this.expire(entry.item.id), Math.max(0, Date.parse(entry.item.expiresAt) - this.deps.clock.now()));
      }
      throw new CoreError('journal_failed', `The hold could not be recorded, so nothing changed: ${String((error as Error).message ?? error)}`);
    }
    // Decided or withdrawn while the hold was being recorded: that outcome stands.
    if (this.entries.get(entry.item.id) !== entry || entry.settling) return;
    const waiters = entry.waiters;
    entry.waiters = [];
    entry.joined = [];
    const told = waiters.length > 0 ? { told: { at: new Date(now).toISOString(), message } } : {};
    entry.item = { ...entry.item, held: true, heldUntil, agentWaiting: false, ...told };
    entry.timer = this.deps.clock.setTimeout(() => void this.holdEnded(entry), this.holdMs());
    for (const w of waiters) w({ approvalId: entry.item.id, verdict: 'deny', source: source === 'user' ? 'user' : 'timeout', reason: message });
    this.changed();
  }

  /** The agent retried an action that is on hold: it hears the same at once (recorded first). */
  private async answerRetryWhileHeld(entry: Entry, payload: ToolPayload): Promise<Settlement> {
    const id = entry.item.id;
    const now = this.deps.clock.now();
    const heldUntil = entry.item.heldUntil ?? new Date(now).toISOString();
    const message = holdMessage(heldUntil);
    try {
      await this.deps.evidence.record(heldEvent(payload, id, now, { source: 'policy', rule: `held:${id}`, reason: message, latencyMs: 0, expiresAt: heldUntil }));
    } catch {
      return { approvalId: id, verdict: 'deny', source: 'policy', reason: coreText('decision.journalFailed') };
    }
    if (this.entries.get(id) === entry) {
      entry.item = { ...entry.item, duplicates: entry.item.duplicates + 1, told: { at: new Date(now).toISOString(), message } };
      this.changed();
    }
    return { approvalId: id, verdict: 'deny', source: 'policy', reason: message };
  }

  /** The hold ran out with no decision: the item leaves the inbox, with evidence saying so. */
  private holdEnded(entry: Entry): Promise<void> {
    if (this.entries.get(entry.item.id) !== entry || entry.settling) return Promise.resolve();
    return this.remove(entry, `The hold ended at ${entry.item.heldUntil ?? 'its expiry'} with no decision in Cowork Companion; the request was withdrawn.`);
  }

  /** Takes an undecided item out of the inbox and records that it was withdrawn (and why, if not the agent leaving). */
  private async remove(entry: Entry, reason?: string): Promise<void> {
    entry.settling = true;
    entry.timer?.cancel();
    this.entries.delete(entry.item.id);
    this.changed();
    await this.deps.evidence.record(withdrawnEvent(entry.payload, entry.item.id, this.deps.clock.now(), reason)).catch(() => undefined);
  }

  /** The `approval.decided` record of one call: made in approval-evidence.ts, with what only the
   *  wiring knows (whether it runs sandboxed) added here, for every way a decision is made. */
  private decided(payload: ToolPayload, id: string, now: number, facts: DecisionFacts): EvidenceEvent {
    const sandboxed = this.deps.sandbox?.(payload)?.sandboxed;
    return decidedEvent(payload, id, now, sandboxed === undefined ? facts : { ...facts, sandboxed });
  }

  private live(id: string, hash: string): Entry {
    const entry = this.entries.get(id);
    if (!entry || entry.settling) {
      throw new CoreError('not_pending', 'This request is no longer pending (it was decided, timed out or withdrawn).');
    }
    if (entry.item.contentHash !== hash) {
      throw new CoreError('content_changed', 'The request changed since it was shown; review it again.');
    }
    return entry;
  }

  private async settle(id: string, d: Omit<DecisionFacts, 'latencyMs'>): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry || entry.settling) return;
    entry.settling = true; // no second decision can start while this one is being recorded
    entry.timer?.cancel();
    const { verdict, source, reason } = d;
    const now = this.deps.clock.now();
    const facts = { ...d, latencyMs: now - entry.received };
    // One record per tool call the answer reaches, so each call's tool_use_id has its decision.
    const events = [entry.payload, ...entry.joined].map((payload) => this.decided(payload, id, now, facts));
    let outcome: Settlement = { approvalId: id, verdict, source, reason };
    let failure: unknown;
    try {
      await Promise.all(events.map((event) => this.deps.evidence.record(event)));
    } catch (error) {
      // Not recorded means not decided: the agent gets a deny, the person gets an error.
      failure = error;
      this.retryGrants.delete(actionKey(entry.payload));
      outcome = { approvalId: id, verdict: 'deny', source, reason: coreText('decision.journalFailed') };
    }
    this.entries.delete(id);
    // Only an agent that hears "allow" goes on to the call (and to a PermissionRequest for it).
    if (outcome.verdict === 'allow' && entry.waiters.length > 0) this.allowed(entry.payload, now);
    this.remember({
      approvalId: id,
      toolName: entry.item.toolName,
      sessionId: entry.item.sessionId,
      decision: outcome.verdict,
      source,
      reason: outcome.reason,
      decidedAt: new Date(now).toISOString(),
      cwd: entry.item.cwd,
      targets: entry.item.targets,
      ...(d.rule !== undefined ? { rule: d.rule } : {}),
    });
    for (const w of entry.waiters) w(outcome);
    this.changed();
    if (failure !== undefined) {
      throw new CoreError('journal_failed', `The decision could not be recorded, so the agent was denied: ${String((failure as Error).message ?? failure)}`);
    }
  }

  /** A PermissionRequest without a tool_use_id gets the one of the PreToolUse it follows, when there is one. */
  private paired(payload: ToolPayload, now: number): ToolPayload {
    if (payload.hook_event_name !== 'PermissionRequest' || payload.tool_use_id) return payload;
    const toolUseId = this.preToolUses.take(payload, now);
    return toolUseId ? { ...payload, tool_use_id: toolUseId } : payload;
  }

  /** The agent was answered "allow" for this call: a PreToolUse may be followed by a PermissionRequest. */
  private allowed(payload: ToolPayload, now: number): void {
    if (payload.hook_event_name === 'PreToolUse') this.preToolUses.remember(payload, now);
  }

  private remember(record: DecisionRecord): void {
    this.deps.onDecision?.(record);
    this.recent.unshift(record);
    this.recent.length = Math.min(this.recent.length, RECENT_LIMIT);
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

  /** `inbox: false`: only the recent decisions changed (nothing for pending.json to keep). */
  private changed({ inbox = true }: { inbox?: boolean } = {}): void {
    this.version += 1;
    if (this.deps.persist && inbox) this.saveTimer ??= this.deps.clock.setTimeout(() => this.save(), 100);
    for (const l of this.listeners) l();
  }
}

function withPreview(item: ApprovalItem, preview: PreviewRef | undefined): ApprovalItem {
  const { preview: _was, ...rest } = item;
  return preview ? { ...rest, preview } : rest;
}
