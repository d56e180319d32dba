// Escalations: each run's recent signals (tool errors, denials, out-of-scope changes, gated calls,
// repeated requests), the rules of the managed policy over them (escalation-policy.ts), and the
// escalations in force until a person resolves them. A firing is recorded as `escalation.raised`; a
// person's resume or stop as `escalation.resolved`. Holds and stops are kept in a sealed state file,
// so a restart (or a crash) does not release a run a rule stopped.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  escalationSeverity,
  EscalationViewSchema,
  ruleCondition,
  type EscalationAction,
  type EscalationContact,
  type EscalationResolution,
  type EscalationRule,
  type EscalationView,
} from '../../../shared/escalation-contract.js';
import { ATTR, EVENT_NAMES } from '../../../shared/telemetry-events.js';
import { CoreError, setBounded, type Clock } from '../base/index.js';
import { newEvidenceEvent, type EvidenceEvent, type EvidenceSink } from '../evidence/index.js';
import { escalationOfRecord, firingRules, prunedSignals, resolutionOfRecord, signalHorizonMs, strongestAction, type EscalationSignal, type RuleFiring } from './escalation-policy.js';

/** At most this many signals of one kind per run (the largest `atLeast` a rule may ask for). */
const SIGNALS_PER_KIND = 1000;
/** At most this many runs with signals in a rule's window are tracked. A run is never dropped while
 *  its signals count (an agent naming made-up runs would reset its own count): past this, every run
 *  is held (fail closed) until the windows age out. */
const MAX_RUNS = 10_000;
/** Ids of the records that met a rule, put on `escalation.raised`: the newest this many. */
const MAX_IDS = 50;
/** Runs a hook has named, remembered (least recently seen go first) so a relayed record can only
 *  count for a run the companion knows: the relay's session.id is the agent's word. */
const MAX_SEEN_RUNS = 10_000;
/** At most this many holds and stops are kept (and written). None is ever dropped to make room (that
 *  would release a run): past this, every run is held (fail closed) until people resolve some.
 *  Notices are dropped first, oldest first. */
export const MAX_ACTIVE_ESCALATIONS = 10_000;
/** A session id longer than a hook payload may carry is no run of ours. */
const MAX_SESSION_ID = 4096;

// What the file holds is the view, with bounds on what a restart will take back.
const StoredEscalationSchema = EscalationViewSchema.extend({
  escalationId: z.string().min(1).max(256),
  ruleId: z.string().min(1).max(256),
  ruleTitle: z.string().max(200).optional(),
  sessionId: z.string().min(1).max(MAX_SESSION_ID),
});
// Entry by entry: one entry a restart cannot take back costs that entry only, never every hold.
const StoredFileSchema = z.object({ v: z.literal(1), escalations: z.array(z.unknown()) });

export interface EscalationServiceDeps {
  clock: Clock;
  evidence: EvidenceSink;
  rules: () => readonly EscalationRule[];
  contact: () => EscalationContact | undefined;
  /** Where holds and stops are kept across restarts (a sealed state file). */
  store?: { read(): string | undefined; write(text: string): void };
  /** The person at the keyboard, put on `escalation.resolved`. */
  person?: { [ATTR.userName]?: string; [ATTR.userEmail]?: string };
  /** The state file could not be taken back whole (reported like a changed state file). */
  reportUnreadable?: (reason: string) => void;
  /** The bounds (tests make them small): runs with counting signals, holds and stops kept. */
  limits?: { runs?: number; active?: number };
  onError: (error: unknown) => void;
}

/** What the wiring needs to know about a run before deciding a request. */
export interface RunEscalation {
  action: 'hold' | 'stop';
  escalation: EscalationView;
  /** Why, when it is not a rule's count (every run held: more to track than fits). */
  why?: string;
}

/** The hold every run is under while there is more to track than fits (not stored: it lasts as long
 *  as the excess; a person answers each request meanwhile). */
export const CAPACITY_RULE = 'escalation-capacity';
function capacityView(sessionId: string, now: number): EscalationView {
  return { escalationId: CAPACITY_RULE, ruleId: CAPACITY_RULE, sessionId, kind: 'repeated', action: 'hold', severity: 'error', count: 0, atLeast: 0, withinMinutes: 0, highOnly: false, raisedAt: new Date(now).toISOString() };
}

export class EscalationService {
  private readonly signals = new Map<string, EscalationSignal[]>();
  /** Active escalations by id. */
  private readonly active = new Map<string, EscalationView>();
  /** Per run and rule: when a person last resolved it (only later signals count). */
  private readonly countFrom = new Map<string, Map<string, number>>();
  private readonly listeners = new Set<() => void>();

  /** Runs a hook named, least recently seen first (the value is unused). */
  private readonly seenRuns = new Map<string, true>();
  private readonly maxRuns: number;
  private readonly maxActive: number;
  /** The journal shows more holds and stops in force than fit (see overCapacity). */
  private journalOverflow = false;

  constructor(private readonly deps: EscalationServiceDeps) {
    this.maxRuns = deps.limits?.runs ?? MAX_RUNS;
    this.maxActive = deps.limits?.active ?? MAX_ACTIVE_ESCALATIONS;
    const text = deps.store?.read();
    if (text === undefined) return;
    const unreadable = (why: string) => (deps.reportUnreadable ?? ((r: string) => deps.onError(new Error(r))))(why);
    let entries: unknown[];
    try {
      entries = StoredFileSchema.parse(JSON.parse(text)).escalations;
    } catch (error) {
      unreadable(`it could not be read (${String((error as Error).message ?? error).slice(0, 200)}); holds and stops are taken from the journal instead`);
      return;
    }
    let bad = 0;
    for (const raw of entries) {
      const e = StoredEscalationSchema.safeParse(raw);
      if (e.success) this.active.set(e.data.escalationId, e.data);
      else bad += 1;
    }
    if (bad > 0) unreadable(`${bad} of its ${entries.length} escalations could not be read and were left out (the journal's record of them is used instead)`);
  }

  /**
   * What the journal recorded (escalation.raised and .resolved, oldest first), read once at start:
   * a hold or stop the journal shows in force is restored even when the state file lost it (deleted
   * with its seal, or a crash before it was written); a resolution the journal shows wins over the file
   * (a crash after recording a person's answer, before the file was written). Returns how many holds
   * and stops the file lacked.
   */
  reconcile(journal: Iterable<EvidenceEvent>): number {
    const fromJournal = new Map<string, EscalationView>();
    const resolved = new Map<string, EscalationResolution>();
    for (const e of journal) {
      const raised = escalationOfRecord(e);
      if (raised) {
        // The same bounds as the state file's entries (one schema says what a restart takes back).
        const bounded = StoredEscalationSchema.safeParse(raised);
        if (bounded.success) fromJournal.set(raised.escalationId, bounded.data);
        continue;
      }
      const r = resolutionOfRecord(e);
      if (r) resolved.set(r.escalationId, r.how);
    }
    let lacked = 0;
    for (const [id, e] of fromJournal) {
      if (resolved.get(id) === 'resume' || this.active.has(id)) continue;
      if (this.active.size >= this.maxActive) {
        this.journalOverflow = true; // more than fits: every run is held rather than some released
        break;
      }
      this.active.set(id, e);
      lacked += 1;
    }
    for (const [id, how] of resolved) {
      const e = this.active.get(id);
      if (!e) continue;
      if (how === 'resume') this.active.delete(id);
      else if (!e.keptStopped) this.active.set(id, { ...e, action: 'stop', severity: 'error', keptStopped: true });
    }
    if (lacked > 0 || resolved.size > 0) this.changed();
    return lacked;
  }

  /** A hook named this run (its signals may count from now on). */
  runSeen(sessionId: string): void {
    if (sessionId === '' || sessionId.length > MAX_SESSION_ID) return;
    setBounded(this.seenRuns, sessionId, true, MAX_SEEN_RUNS);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One signal of one run. Rules it completes fire at once (the hold or stop applies to the very
   *  next request); their `escalation.raised` records follow. */
  signal(sessionId: string, signal: Omit<EscalationSignal, 'time'> & { time?: number }): void {
    const rules = this.deps.rules();
    // Only a run a hook named: a relayed record cannot make up runs (nor fill the state file).
    if (rules.length === 0 || !this.seenRuns.has(sessionId)) return;
    const now = this.deps.clock.now();
    const list = this.signals.get(sessionId) ?? [];
    // One failed call reported twice (the PostToolUseFailure hook and the agent's relayed tool_result)
    // is one error: the second report only adds its record id.
    const same = signal.toolUseId !== undefined ? list.find((s) => s.kind === signal.kind && s.toolUseId === signal.toolUseId) : undefined;
    if (same) {
      if (same.evidenceId === undefined && signal.evidenceId !== undefined) same.evidenceId = signal.evidenceId;
      return;
    }
    this.signals.delete(sessionId); // re-inserted last: the map's order is least recently signalled first
    list.push({ ...signal, time: signal.time ?? now });
    const horizonMs = signalHorizonMs(rules);
    const kept = prunedSignals(list, now, horizonMs, SIGNALS_PER_KIND);
    this.signals.set(sessionId, kept);
    this.dropAgedRuns(now, horizonMs);
    const activeRules = new Set([...this.active.values()].filter((e) => e.sessionId === sessionId).map((e) => e.ruleId));
    const fired = firingRules(rules, kept, now, { active: activeRules, countFrom: this.countFrom.get(sessionId) ?? new Map() });
    for (const f of fired) this.raise(sessionId, f, now);
  }

  /** The hold or stop in force for a run (the strongest), if any. */
  runState(sessionId: string): RunEscalation | undefined {
    const mine = this.holdsAndStops().filter((e) => e.sessionId === sessionId);
    const action = strongestAction(mine.map((e) => e.action));
    if (action === 'hold' || action === 'stop') return { action, escalation: mine.find((e) => e.action === action)! };
    const full = this.overCapacity();
    if (full) return { action: 'hold', escalation: capacityView(sessionId, this.deps.clock.now()), why: full };
    return undefined;
  }

  /** Why every run is held now (more to track than fits), if it is. */
  overCapacity(): string | undefined {
    if (this.signals.size > this.maxRuns) return `more than ${this.maxRuns.toLocaleString('en')} runs have recent signals, more than it can track`;
    if (this.holdsAndStops().length >= this.maxActive || this.journalOverflow) return `${this.maxActive.toLocaleString('en')} or more holds and stops are in force, more than it can keep`;
    return undefined;
  }

  /** Runs whose signals have all left every rule's window go, least recently signalled first. */
  private dropAgedRuns(now: number, horizonMs: number): void {
    if (this.signals.size <= this.maxRuns) return;
    for (const [run, list] of this.signals) {
      if (this.signals.size <= this.maxRuns) break;
      if (list.every((x) => x.time <= now - horizonMs)) this.signals.delete(run);
    }
  }

  views(): EscalationView[] {
    const contact = this.deps.contact();
    // The contact as the policy says it now (it may have changed since the rule fired).
    return [...this.active.values()].map((e) => (contact ? { ...e, contact } : e));
  }

  /**
   * A person's answer (UI channel only): `resume` ends it (the run goes on; a notice is dismissed);
   * `stop` keeps the run stopped (a hold becomes a stop). Recorded before it takes effect.
   */
  async resolve(escalationId: string, how: EscalationResolution): Promise<void> {
    const e = this.active.get(escalationId);
    if (!e) throw new CoreError('not_found', 'This escalation is no longer active.');
    if (how === 'stop' && e.action === 'notify') throw new CoreError('invalid_request', 'A notice cannot stop a run; dismiss it instead.');
    const now = this.deps.clock.now();
    await this.deps.evidence.record(
      newEvidenceEvent(EVENT_NAMES.escalationResolved, now, {
        [ATTR.escalationId]: e.escalationId,
        [ATTR.escalationRule]: e.ruleId,
        [ATTR.escalationAction]: e.action,
        [ATTR.escalationResolution]: how,
        [ATTR.sessionId]: e.sessionId,
        ...this.deps.person,
      }),
    );
    if (this.active.get(escalationId) !== e) return;
    if (how === 'resume') {
      this.active.delete(escalationId);
      const from = this.countFrom.get(e.sessionId) ?? new Map<string, number>();
      from.set(e.ruleId, now);
      this.countFrom.set(e.sessionId, from);
    } else {
      this.active.set(escalationId, { ...e, action: 'stop', severity: 'error', keptStopped: true });
    }
    this.changed();
  }

  private raise(sessionId: string, f: RuleFiring, now: number): void {
    const c = ruleCondition(f.rule);
    const view: EscalationView = {
      escalationId: randomUUID(),
      ruleId: f.rule.id,
      ...(f.rule.title !== undefined ? { ruleTitle: f.rule.title } : {}),
      sessionId,
      kind: c.kind,
      action: f.rule.action,
      severity: escalationSeverity(f.rule),
      count: f.signals.length,
      atLeast: c.atLeast,
      withinMinutes: c.withinMinutes,
      highOnly: c.highOnly,
      raisedAt: new Date(now).toISOString(),
    };
    const contact = this.deps.contact();
    // Past the bound every run is held anyway: a further hold adds nothing, and a stop is kept only
    // up to twice the bound (a flood of made-up runs must not grow the file without end).
    const holds = this.holdsAndStops().length;
    if (holds >= this.maxActive && (view.action === 'hold' || holds >= 2 * this.maxActive)) {
      void this.deps.evidence.record(raisedEvent(view, f.signals, contact, now)).catch(this.deps.onError);
      return;
    }
    this.active.set(view.escalationId, contact ? { ...view, contact } : view);
    // Room is made by dropping notices only (they block nothing); holds and stops stay (see overCapacity).
    for (const [id, e] of this.active) {
      if (this.active.size <= this.maxActive) break;
      if (e.action === 'notify') this.active.delete(id);
    }
    this.changed();
    void this.deps.evidence.record(raisedEvent(view, f.signals, contact, now)).catch(this.deps.onError);
  }

  /** What blocks a run (and is kept across restarts): every escalation but notices. */
  private holdsAndStops(): EscalationView[] {
    return [...this.active.values()].filter((e) => e.action !== 'notify');
  }

  private changed(): void {
    try {
      this.deps.store?.write(JSON.stringify({ v: 1, escalations: this.holdsAndStops() }));
    } catch (error) {
      this.deps.onError(error);
    }
    for (const l of this.listeners) l();
  }
}

/** Why, in words: "3 tool errors within 5 minutes", "1 high-severity change outside the scope". */
export function escalationWhy(e: Pick<EscalationView, 'kind' | 'count' | 'withinMinutes' | 'highOnly'>): string {
  const what: Record<EscalationView['kind'], [string, string]> = {
    toolErrors: ['tool error', 'tool errors'],
    denials: ['denied request', 'denied requests'],
    outOfScope: e.highOnly ? ['high-severity change outside the scope', 'high-severity changes outside the scope'] : ['change outside the scope', 'changes outside the scope'],
    gated: ['call a deny or ask rule covers', 'calls a deny or ask rule covers'],
    repeated: ['identical request', 'identical requests'],
  };
  const [one, many] = what[e.kind];
  return `${e.count} ${e.count === 1 ? one : many} within ${e.withinMinutes} minute${e.withinMinutes === 1 ? '' : 's'}`;
}

/** How the agent and the evidence name whom to contact. */
export function contactText(contact: EscalationContact | undefined): string {
  if (!contact) return 'the user';
  const parts = [contact.name, contact.email ? `<${contact.email}>` : undefined, contact.url].filter((p): p is string => p !== undefined);
  return parts.length > 0 ? parts.join(' ') : 'the user';
}

function raisedEvent(view: EscalationView, signals: readonly EscalationSignal[], contact: EscalationContact | undefined, now: number): EvidenceEvent {
  const evidenceIds = signals.flatMap((s) => (s.evidenceId ? [s.evidenceId] : [])).slice(-MAX_IDS);
  const toolUseIds = [...new Set(signals.flatMap((s) => (s.toolUseId ? [s.toolUseId] : [])))].slice(-MAX_IDS);
  const action: EscalationAction = view.action;
  const reason = `Escalation rule ${view.ruleId} fired: ${escalationWhy(view)} (action: ${action}).`;
  return newEvidenceEvent(EVENT_NAMES.escalationRaised, now, {
    [ATTR.escalationId]: view.escalationId,
    [ATTR.escalationKind]: view.kind,
    [ATTR.escalationReason]: reason,
    [ATTR.escalationRule]: view.ruleId,
    [ATTR.escalationAction]: action,
    [ATTR.escalationSeverity]: view.severity === 'error' ? 'ERROR' : 'WARN',
    [ATTR.escalationCount]: view.count,
    [ATTR.escalationThreshold]: view.atLeast,
    [ATTR.escalationWindowMinutes]: view.withinMinutes,
    ...(view.highOnly ? { [ATTR.escalationHighOnly]: true } : {}),
    ...(evidenceIds.length > 0 ? { [ATTR.escalationEvidenceIds]: evidenceIds.join(','), [ATTR.escalationCauseEventId]: evidenceIds.at(-1) } : {}),
    ...(toolUseIds.length > 0 ? { [ATTR.escalationToolUseIds]: toolUseIds.join(',') } : {}),
    ...(contact?.name !== undefined ? { [ATTR.escalationContactName]: contact.name } : {}),
    ...(contact?.email !== undefined ? { [ATTR.escalationContactEmail]: contact.email } : {}),
    ...(contact?.url !== undefined ? { [ATTR.escalationContactUrl]: contact.url } : {}),
    [ATTR.sessionId]: view.sessionId,
  });
}
