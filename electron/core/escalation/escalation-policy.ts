// Which escalation rules a run's recent signals meet. Pure: the service (escalation-service.ts) keeps
// each run's signals and its active escalations, and asks this after every signal.
//   - Each rule counts one kind of signal in a sliding window that ends now (`withinMinutes`).
//   - `repeated` counts the same action (actionKey) only: N identical requests, not N requests.
//   - `outOfScope` with `severity: "high"` counts only changes of protected places.
//   - A rule fires once per run until a person resolves it; after that only newer signals count, so
//     resuming a run does not fire the rule again on the signals that already fired it.
import { coreText } from '../../../shared/core-messages.js';
import { ESCALATION_ACTIONS, ESCALATION_RESOLUTIONS, ESCALATION_SIGNALS, ruleCondition, type EscalationAction, type EscalationResolution, type EscalationRule, type EscalationSignalKind, type EscalationView } from '../../../shared/escalation-contract.js';
import { ATTR, EVENT_NAMES } from '../../../shared/telemetry-events.js';
import type { EvidenceEvent } from '../evidence/index.js';
import type { PolicyOutcome } from '../requests/index.js';

export interface EscalationSignal {
  kind: EscalationSignalKind;
  /** Epoch ms. */
  time: number;
  /** The `event.id` of the companion's record that shows it (a decision, an out-of-scope change, a relayed log). */
  evidenceId?: string;
  /** The agent's tool call, when the signal is one (joins with Claude Code's own events). */
  toolUseId?: string;
  /** Out-of-scope changes: `high` for a protected place. */
  severity?: 'high' | 'medium';
  /** `repeated`: the action (same run, tool, input and folder) the request was. */
  actionKey?: string;
}

export interface RunRuleState {
  /** Rules that fired for this run and are not resolved yet. */
  active: ReadonlySet<string>;
  /** Per rule, when a person last resolved it for this run: only later signals count. */
  countFrom: ReadonlyMap<string, number>;
}

export interface RuleFiring {
  rule: EscalationRule;
  /** The signals in the window that met the rule (oldest first). */
  signals: EscalationSignal[];
}

const MINUTE_MS = 60_000;

/** The signals of `kind` that `rule` counts at `now` (for `repeated`, the largest group of one action). */
export function countedSignals(rule: EscalationRule, signals: readonly EscalationSignal[], now: number, countFrom = -Infinity): EscalationSignal[] {
  const c = ruleCondition(rule);
  const start = Math.max(now - c.withinMinutes * MINUTE_MS, countFrom);
  const inWindow = signals.filter((s) => s.kind === c.kind && s.time > start && s.time <= now && (!c.highOnly || s.severity === 'high'));
  if (c.kind !== 'repeated') return inWindow;
  const groups = new Map<string, EscalationSignal[]>();
  for (const s of inWindow) {
    if (s.actionKey === undefined) continue;
    const g = groups.get(s.actionKey) ?? [];
    g.push(s);
    groups.set(s.actionKey, g);
  }
  return [...groups.values()].reduce<EscalationSignal[]>((best, g) => (g.length > best.length ? g : best), []);
}

/** The rules that fire now for one run: met, and not already active. In the rules' order. */
export function firingRules(rules: readonly EscalationRule[], signals: readonly EscalationSignal[], now: number, state: RunRuleState): RuleFiring[] {
  const fired: RuleFiring[] = [];
  for (const rule of rules) {
    if (state.active.has(rule.id)) continue;
    const counted = countedSignals(rule, signals, now, state.countFrom.get(rule.id));
    if (counted.length >= ruleCondition(rule).atLeast) fired.push({ rule, signals: counted });
  }
  return fired;
}

/** The strongest of several actions in force for a run: stop over hold over notify. */
export function strongestAction(actions: Iterable<EscalationAction>): EscalationAction | undefined {
  let best = -1;
  for (const a of actions) best = Math.max(best, ESCALATION_ACTIONS.indexOf(a));
  return best < 0 ? undefined : ESCALATION_ACTIONS[best];
}

/** How far back a run's signals are needed: the longest window of any rule (none: nothing is kept). */
export function signalHorizonMs(rules: readonly EscalationRule[]): number {
  return rules.reduce((max, r) => Math.max(max, ruleCondition(r).withinMinutes * MINUTE_MS), 0);
}

/** A run's signals without those older than the horizon, and at most `perKind` of each kind (newest kept). */
export function prunedSignals(signals: readonly EscalationSignal[], now: number, horizonMs: number, perKind: number): EscalationSignal[] {
  const recent = signals.filter((s) => s.time > now - horizonMs);
  const seen = new Map<EscalationSignalKind, number>();
  const kept: EscalationSignal[] = [];
  for (let i = recent.length - 1; i >= 0; i -= 1) {
    const s = recent[i]!;
    const n = seen.get(s.kind) ?? 0;
    if (n >= perKind) continue;
    seen.set(s.kind, n + 1);
    kept.push(s);
  }
  return kept.reverse();
}

/** The rule prefix of decisions an escalation makes (`escalation:<rule id>`): they are not denials it counts. */
export const ESCALATION_DECISION_RULE = 'escalation:';

/**
 * The automatic outcome under a run's escalation. Stop: denied at once, naming the rule, why and whom
 * to contact. Hold: whatever the rules or the scope would allow goes to a person (who alone may
 * answer: `personOnly`), and the card says why; a deny stays a deny. No escalation: unchanged.
 */
export function escalatedOutcome(outcome: PolicyOutcome, run: { action: 'hold' | 'stop'; ruleId: string; why: string; contact: string } | undefined): PolicyOutcome {
  if (!run) return outcome;
  if (run.action === 'stop') {
    return { kind: 'decide', verdict: 'deny', source: 'policy', reason: coreText('escalation.stopped', { rule: run.ruleId, why: run.why, contact: run.contact }), rule: `${ESCALATION_DECISION_RULE}${run.ruleId}` };
  }
  if (outcome.kind === 'decide' && outcome.verdict === 'deny') return outcome;
  const held = coreText('escalation.held', { rule: run.ruleId, why: run.why });
  const reason = outcome.kind === 'ask' && outcome.reason ? `${held} ${outcome.reason}` : held;
  return { kind: 'ask', reason, personOnly: true, freshAnswer: true };
}

/** Claude Code's event names (`event.name`; some senders prefix `claude_code.`). */
const agentEvent = (name: unknown, event: string): boolean => name === event || name === `claude_code.${event}`;

/**
 * The signals one recorded event is, for the run it names: a denial (not one an escalation made;
 * a deny rule's is also `gated`), an out-of-scope change (with its severity), or the agent's own
 * report of a failed tool call or an API error (relayed `agent.log`). Everything else is none.
 */
export function signalsOfEvidence(e: EvidenceEvent): { sessionId: string; signals: Omit<EscalationSignal, 'time'>[] } | undefined {
  const a = e.attributes;
  const sessionId = a[ATTR.sessionId];
  if (typeof sessionId !== 'string' || sessionId === '') return undefined;
  const toolUseId = typeof a[ATTR.toolUseId] === 'string' && a[ATTR.toolUseId] !== '' ? (a[ATTR.toolUseId] as string) : undefined;
  const ids = { evidenceId: e.eventId, ...(toolUseId ? { toolUseId } : {}) };
  const signals: Omit<EscalationSignal, 'time'>[] = [];
  if (e.name === EVENT_NAMES.approvalDecided && a[ATTR.decision] === 'deny' && !String(a[ATTR.decisionRule] ?? '').startsWith(ESCALATION_DECISION_RULE)) {
    signals.push({ kind: 'denials', ...ids });
    if (a[ATTR.decisionSource] === 'rule') signals.push({ kind: 'gated', ...ids });
  } else if (e.name === EVENT_NAMES.fileOutOfScope) {
    signals.push({ kind: 'outOfScope', ...ids, severity: a[ATTR.scopeSeverity] === 'high' ? 'high' : 'medium' });
  } else if (e.name === EVENT_NAMES.agentLog) {
    const name = a[ATTR.agentEventName];
    const failed = agentEvent(name, 'tool_result') && (a['success'] === false || a['success'] === 'false');
    if (failed || agentEvent(name, 'api_error')) signals.push({ kind: 'toolErrors', ...ids });
  }
  return signals.length > 0 ? { sessionId, signals } : undefined;
}

const oneOf = <T extends string>(values: readonly T[], v: unknown): T | undefined => (values as readonly unknown[]).includes(v) ? (v as T) : undefined;
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);

/** A hold or stop as `escalation.raised` recorded it (for restoring what is in force; the service
 *  holds it to the bounds of its state file); else none. */
export function escalationOfRecord(e: EvidenceEvent): EscalationView | undefined {
  if (e.name !== EVENT_NAMES.escalationRaised) return undefined;
  const a = e.attributes;
  const action = oneOf(ESCALATION_ACTIONS, a[ATTR.escalationAction]);
  const kind = oneOf(ESCALATION_SIGNALS, a[ATTR.escalationKind]);
  const escalationId = text(a[ATTR.escalationId]);
  const ruleId = text(a[ATTR.escalationRule]);
  const sessionId = text(a[ATTR.sessionId]);
  if ((action !== 'hold' && action !== 'stop') || !kind || !escalationId || !ruleId || !sessionId) return undefined;
  return {
    escalationId,
    ruleId,
    sessionId,
    kind,
    action,
    severity: a[ATTR.escalationSeverity] === 'WARN' ? 'warn' : 'error',
    count: count(a[ATTR.escalationCount]) ?? 0,
    atLeast: count(a[ATTR.escalationThreshold]) ?? 0,
    withinMinutes: count(a[ATTR.escalationWindowMinutes]) ?? 0,
    highOnly: a[ATTR.escalationHighOnly] === true,
    raisedAt: new Date(e.time).toISOString(),
  };
}

/** A person's answer as `escalation.resolved` recorded it; else none. */
export function resolutionOfRecord(e: EvidenceEvent): { escalationId: string; how: EscalationResolution } | undefined {
  if (e.name !== EVENT_NAMES.escalationResolved) return undefined;
  const escalationId = text(e.attributes[ATTR.escalationId]);
  const how = oneOf(ESCALATION_RESOLUTIONS, e.attributes[ATTR.escalationResolution]);
  return escalationId && how ? { escalationId, how } : undefined;
}
