// Which rules a run's signals meet: sliding windows, the same action for `repeated`, high severity
// for out-of-scope, one firing per rule until resolved, and newer signals only after a resolution.
import { describe, expect, it } from 'vitest';
import { EscalationRuleSchema, type EscalationRule } from '../../shared/escalation-contract.js';
import { escalatedOutcome, firingRules, prunedSignals, signalHorizonMs, signalsOfEvidence, strongestAction, type EscalationSignal } from '../../electron/core/escalation/index.js';
import { ManualClock } from '../support/manual-clock.js';

const MIN = 60_000;
const rule = (id: string, when: unknown, action = 'hold'): EscalationRule => EscalationRuleSchema.parse({ id, when, action });
const none = { active: new Set<string>(), countFrom: new Map<string, number>() };

describe('escalation rules over a run', () => {
  it('fires when N signals fall within the window, and not when they are spread wider', () => {
    const clock = new ManualClock();
    const rules = [rule('tool-errors', { toolErrors: { atLeast: 3, withinMinutes: 5 } })];
    const signals: EscalationSignal[] = [];
    const add = (kind: EscalationSignal['kind'], evidenceId: string) => signals.push({ kind, time: clock.now(), evidenceId });
    add('toolErrors', 'e1');
    clock.advance(3 * MIN);
    add('toolErrors', 'e2');
    add('denials', 'd1'); // another kind: not counted
    clock.advance(2 * MIN + 1); // e1 is now just outside the 5 minutes
    add('toolErrors', 'e3');
    expect(firingRules(rules, signals, clock.now(), none)).toEqual([]);
    clock.advance(MIN);
    add('toolErrors', 'e4');
    const [fired] = firingRules(rules, signals, clock.now(), none);
    expect(fired?.rule.id).toBe('tool-errors');
    expect(fired?.signals.map((s) => s.evidenceId)).toEqual(['e2', 'e3', 'e4']);
  });

  it('fires a rule once until it is resolved, then counts only later signals', () => {
    const rules = [rule('denials', { denials: { atLeast: 2, withinMinutes: 10 } })];
    const t = 1_000_000;
    const signals: EscalationSignal[] = [{ kind: 'denials', time: t }, { kind: 'denials', time: t + 1 }];
    expect(firingRules(rules, signals, t + 2, { active: new Set(['denials']), countFrom: new Map() })).toEqual([]);
    // Resolved at t + 1: the two signals before it do not fire the rule again…
    const resolved = { active: new Set<string>(), countFrom: new Map([['denials', t + 1]]) };
    expect(firingRules(rules, signals, t + 2, resolved)).toEqual([]);
    // …two new ones do.
    signals.push({ kind: 'denials', time: t + 3 }, { kind: 'denials', time: t + 4 });
    expect(firingRules(rules, signals, t + 5, resolved).map((f) => f.signals.length)).toEqual([2]);
  });

  it('counts the same action for repeated requests, not any request', () => {
    const rules = [rule('loop', { repeated: { atLeast: 3, withinMinutes: 1 } })];
    const s = (actionKey: string, time: number): EscalationSignal => ({ kind: 'repeated', time, actionKey });
    expect(firingRules(rules, [s('a', 1), s('b', 2), s('a', 3), s('c', 4)], 5, none)).toEqual([]);
    expect(firingRules(rules, [s('a', 1), s('b', 2), s('a', 3), s('a', 4)], 5, none)[0]?.signals.map((x) => x.time)).toEqual([1, 3, 4]);
  });

  it('fires on any one high-severity change outside the scope; a count of all changes otherwise', () => {
    const high = rule('protected', { outOfScope: { severity: 'high' } }, 'stop');
    const many = rule('many', { outOfScope: { atLeast: 2, withinMinutes: 5 } }, 'notify');
    const medium: EscalationSignal = { kind: 'outOfScope', time: 1, severity: 'medium' };
    expect(firingRules([high, many], [medium], 2, none)).toEqual([]);
    const both = firingRules([high, many], [medium, { kind: 'outOfScope', time: 2, severity: 'high' }], 3, none);
    expect(both.map((f) => [f.rule.id, f.signals.length])).toEqual([
      ['protected', 1],
      ['many', 2],
    ]);
  });

  it('takes the strongest action, keeps signals within the longest window and a bounded count', () => {
    expect(strongestAction(['notify', 'stop', 'hold'])).toBe('stop');
    expect(strongestAction(['notify'])).toBe('notify');
    expect(strongestAction([])).toBeUndefined();
    const rules = [rule('a', { denials: { atLeast: 1, withinMinutes: 5 } }), rule('b', { gated: { atLeast: 1, withinMinutes: 30 } })];
    expect(signalHorizonMs(rules)).toBe(30 * MIN);
    const signals: EscalationSignal[] = [
      { kind: 'denials', time: 0 },
      ...Array.from({ length: 5 }, (_, i): EscalationSignal => ({ kind: 'gated', time: 31 * MIN + i })),
    ];
    const kept = prunedSignals(signals, 40 * MIN, 30 * MIN, 3);
    expect(kept.map((s) => s.time)).toEqual([31 * MIN + 2, 31 * MIN + 3, 31 * MIN + 4]);
  });
});

describe('what a run is told and what counts', () => {
  const run = { ruleId: 'tool-errors', why: '3 tool errors within 5 minutes', contact: 'Security desk <secdesk@example.com>' };
  const allow = { kind: 'decide', verdict: 'allow', source: 'rule', reason: 'ok', rule: 'rule:r1' } as const;
  const deny = { kind: 'decide', verdict: 'deny', source: 'rule', reason: 'no', rule: 'rule:r2' } as const;

  it('stop denies everything, naming the rule, why and the contact; hold sends even allowed calls to a person; a deny stays a deny', () => {
    const stopped = escalatedOutcome(allow, { action: 'stop', ...run });
    expect(stopped).toMatchObject({ kind: 'decide', verdict: 'deny', source: 'policy', rule: 'escalation:tool-errors' });
    expect(stopped.kind === 'decide' && stopped.reason).toContain('tool-errors fired (3 tool errors within 5 minutes)');
    expect(stopped.kind === 'decide' && stopped.reason).toContain('Security desk <secdesk@example.com>');
    expect(escalatedOutcome(allow, { action: 'hold', ...run })).toEqual({ kind: 'ask', personOnly: true, freshAnswer: true, reason: expect.stringContaining('every request of this run waits for a person') });
    expect(escalatedOutcome(deny, { action: 'hold', ...run })).toBe(deny);
    expect(escalatedOutcome({ kind: 'ask', reason: 'Shell commands need a person.' }, { action: 'hold', ...run })).toMatchObject({ kind: 'ask', personOnly: true, reason: expect.stringMatching(/waits for a person.* Shell commands need a person\.$/) });
    expect(escalatedOutcome(allow, undefined)).toBe(allow);
  });

  it('reads denials (not its own), deny-rule hits, out-of-scope changes and the agent’s failed calls from records', () => {
    const ev = (name: string, attributes: Record<string, string | number | boolean>) => ({ eventId: `id-${name}`, name, time: 1, attributes: { 'session.id': 's', tool_use_id: 'tu', ...attributes } }) as never;
    expect(signalsOfEvidence(ev('approval.decided', { decision: 'deny', 'decision.source': 'user' }))?.signals).toEqual([{ kind: 'denials', evidenceId: 'id-approval.decided', toolUseId: 'tu' }]);
    expect(signalsOfEvidence(ev('approval.decided', { decision: 'deny', 'decision.source': 'rule', 'decision.rule': 'rule:x' }))?.signals.map((s) => s.kind)).toEqual(['denials', 'gated']);
    expect(signalsOfEvidence(ev('approval.decided', { decision: 'deny', 'decision.source': 'policy', 'decision.rule': 'escalation:tool-errors' }))).toBeUndefined();
    expect(signalsOfEvidence(ev('approval.decided', { decision: 'allow', 'decision.source': 'rule' }))).toBeUndefined();
    expect(signalsOfEvidence(ev('file.out_of_scope', { 'scope.severity': 'high' }))?.signals[0]).toMatchObject({ kind: 'outOfScope', severity: 'high' });
    for (const name of ['tool_result', 'claude_code.tool_result']) {
      expect(signalsOfEvidence(ev('agent.log', { 'event.name': name, success: 'false' }))?.signals[0]?.kind).toBe('toolErrors');
      expect(signalsOfEvidence(ev('agent.log', { 'event.name': name, success: 'true' }))).toBeUndefined();
    }
    expect(signalsOfEvidence(ev('agent.log', { 'event.name': 'api_error' }))?.signals[0]?.kind).toBe('toolErrors');
    expect(signalsOfEvidence(ev('agent.log', { 'event.name': 'claude_code.api_error' }))?.signals[0]?.kind).toBe('toolErrors');
    expect(signalsOfEvidence(ev('agent.log', { 'event.name': 'user_prompt' }))).toBeUndefined();
    expect(signalsOfEvidence({ eventId: 'x', name: 'approval.decided', time: 1, attributes: { decision: 'deny' } })).toBeUndefined();
  });
});
