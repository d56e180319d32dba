// Which escalation rules a run's recent signals meet. Pure: the service (escalation-service.ts) keeps
// each run's signals and its active escalations, and asks this after every signal.
//   - Each rule counts one kind of signal in a sliding window that ends now (`withinMinutes`).
//   - `repeated` counts the same action (actionKey) only: N identical requests, not N requests.
//   - `outOfScope` with `severity: "high"` counts only changes of protected places.
//   - A rule fires once per run until a person resolves it; after that only newer signals count, so
//     resuming a run does not fire the rule again on the signals that already fired it.
import { ESCALATION_ACTIONS, ruleCondition, type EscalationAction, type EscalationRule, type EscalationSignalKind } from '../../../shared/escalation-contract.js';

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
