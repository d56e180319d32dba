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
import { CoreError, type Clock } from '../base/index.js';
import { newEvidenceEvent, type EvidenceEvent, type EvidenceSink } from '../evidence/index.js';
import { firingRules, prunedSignals, signalHorizonMs, strongestAction, type EscalationSignal, type RuleFiring } from './escalation-policy.js';

/** At most this many signals of one kind per run (the largest `atLeast` a rule may ask for). */
const SIGNALS_PER_KIND = 1000;
/** At most this many runs with signals are kept (the least recently signalled go first). */
const MAX_RUNS = 500;
/** Ids of the records that met a rule, put on `escalation.raised`: the newest this many. */
const MAX_IDS = 50;

// What the file holds is the view, with bounds on what a restart will take back.
const StoredEscalationSchema = EscalationViewSchema.extend({
  escalationId: z.string().min(1).max(256),
  ruleId: z.string().min(1).max(256),
  ruleTitle: z.string().max(200).optional(),
  sessionId: z.string().min(1).max(4096),
});
const StoredSchema = z.object({ v: z.literal(1), escalations: z.array(StoredEscalationSchema).max(10_000) });

export interface EscalationServiceDeps {
  clock: Clock;
  evidence: EvidenceSink;
  rules: () => readonly EscalationRule[];
  contact: () => EscalationContact | undefined;
  /** Where holds and stops are kept across restarts (a sealed state file). */
  store?: { read(): string | undefined; write(text: string): void };
  /** The person at the keyboard, put on `escalation.resolved`. */
  person?: { [ATTR.userName]?: string; [ATTR.userEmail]?: string };
  onError: (error: unknown) => void;
}

/** What the wiring needs to know about a run before deciding a request. */
export interface RunEscalation {
  action: 'hold' | 'stop';
  escalation: EscalationView;
}

export class EscalationService {
  private readonly signals = new Map<string, EscalationSignal[]>();
  /** Active escalations by id. */
  private readonly active = new Map<string, EscalationView>();
  /** Per run and rule: when a person last resolved it (only later signals count). */
  private readonly countFrom = new Map<string, Map<string, number>>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly deps: EscalationServiceDeps) {
    const text = deps.store?.read();
    if (text === undefined) return;
    try {
      const parsed = StoredSchema.parse(JSON.parse(text));
      for (const e of parsed.escalations) this.active.set(e.escalationId, e);
    } catch (error) {
      deps.onError(new Error(`escalations.json could not be read, so no escalation was restored: ${String((error as Error).message ?? error)}`));
    }
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One signal of one run. Rules it completes fire at once (the hold or stop applies to the very
   *  next request); their `escalation.raised` records follow. */
  signal(sessionId: string, signal: Omit<EscalationSignal, 'time'> & { time?: number }): void {
    const rules = this.deps.rules();
    if (rules.length === 0 || sessionId === '') return;
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
    const kept = prunedSignals(list, now, signalHorizonMs(rules), SIGNALS_PER_KIND);
    this.signals.set(sessionId, kept);
    while (this.signals.size > MAX_RUNS) this.signals.delete(this.signals.keys().next().value!);
    const activeRules = new Set([...this.active.values()].filter((e) => e.sessionId === sessionId).map((e) => e.ruleId));
    const fired = firingRules(rules, kept, now, { active: activeRules, countFrom: this.countFrom.get(sessionId) ?? new Map() });
    for (const f of fired) this.raise(sessionId, f, now);
  }

  /** The hold or stop in force for a run (the strongest), if any. */
  runState(sessionId: string): RunEscalation | undefined {
    const mine = [...this.active.values()].filter((e) => e.sessionId === sessionId && e.action !== 'notify');
    const action = strongestAction(mine.map((e) => e.action));
    if (action === undefined || action === 'notify') return undefined;
    return { action, escalation: mine.find((e) => e.action === action)! };
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

  /** A run ended: its signals go (its escalations stay until a person resolves them: Claude Code can
   *  resume a session under the same id). */
  endRun(sessionId: string): void {
    this.signals.delete(sessionId);
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
    this.active.set(view.escalationId, contact ? { ...view, contact } : view);
    this.changed();
    void this.deps.evidence.record(raisedEvent(view, f.signals, contact, now)).catch(this.deps.onError);
  }

  private changed(): void {
    try {
      const kept = [...this.active.values()].filter((e) => e.action !== 'notify');
      this.deps.store?.write(JSON.stringify({ v: 1, escalations: kept }));
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
    ...(evidenceIds.length > 0 ? { [ATTR.escalationEvidenceIds]: evidenceIds.join(','), [ATTR.escalationCauseEventId]: evidenceIds.at(-1) } : {}),
    ...(toolUseIds.length > 0 ? { [ATTR.escalationToolUseIds]: toolUseIds.join(',') } : {}),
    ...(contact?.name !== undefined ? { [ATTR.escalationContactName]: contact.name } : {}),
    ...(contact?.email !== undefined ? { [ATTR.escalationContactEmail]: contact.email } : {}),
    ...(contact?.url !== undefined ? { [ATTR.escalationContactUrl]: contact.url } : {}),
    [ATTR.sessionId]: view.sessionId,
  });
}
