// The escalation service: a rule fires at once on the signal that meets it (the hold applies to the
// next request), its record is valid evidence with the rule, counts, evidence ids and contact, a
// person's resume or stop is recorded, and holds and stops come back after a restart.
import { describe, expect, it } from 'vitest';
import { validateEvidenceAttributes } from '../../shared/evidence-schema.js';
import { EscalationRuleSchema } from '../../shared/escalation-contract.js';
import { ATTR, EVENT_NAMES } from '../../shared/telemetry-events.js';
import { EscalationService } from '../../electron/core/escalation/index.js';
import type { EvidenceEvent } from '../../electron/core/evidence/index.js';
import { ManualClock } from '../support/manual-clock.js';

const RULES = [
  EscalationRuleSchema.parse({ id: 'tool-errors', when: { toolErrors: { atLeast: 3, withinMinutes: 5 } }, action: 'hold' }),
  EscalationRuleSchema.parse({ id: 'denied', when: { denials: { atLeast: 2, withinMinutes: 5 } }, action: 'notify' }),
];
const CONTACT = { name: 'Security desk', email: 'secdesk@example.com' };

function setup(file: { text?: string } = {}, seen: readonly string[] = ['s1', 's2'], limits?: { runs?: number; active?: number }) {
  const clock = new ManualClock();
  const events: EvidenceEvent[] = [];
  const errors: unknown[] = [];
  const unreadable: string[] = [];
  const service = new EscalationService({
    clock,
    evidence: { record: async (e) => void events.push(e) },
    rules: () => RULES,
    contact: () => CONTACT,
    store: { read: () => file.text, write: (t) => (file.text = t) },
    person: { [ATTR.userName]: 'ana' },
    reportUnreadable: (why) => unreadable.push(why),
    onError: (e) => errors.push(e),
    ...(limits ? { limits } : {}),
  });
  for (const run of seen) service.runSeen(run);
  return { clock, events, errors, unreadable, service, file };
}

describe('EscalationService', () => {
  it('holds a run on the signal that meets the rule and records why, with the evidence and the contact', async () => {
    const { service, events, clock } = setup();
    service.signal('s1', { kind: 'toolErrors', evidenceId: 'ev-1', toolUseId: 'tu-1' });
    service.signal('s2', { kind: 'toolErrors', evidenceId: 'other-run' });
    clock.advance(60_000);
    service.signal('s1', { kind: 'toolErrors', evidenceId: 'ev-2', toolUseId: 'tu-2' });
    expect(service.runState('s1')).toBeUndefined();
    service.signal('s1', { kind: 'toolErrors', toolUseId: 'tu-3' });
    expect(service.runState('s1')?.action).toBe('hold');
    expect(service.runState('s2')).toBeUndefined();
    await Promise.resolve();
    const raised = events.filter((e) => e.name === EVENT_NAMES.escalationRaised);
    expect(raised).toHaveLength(1);
    expect(validateEvidenceAttributes(EVENT_NAMES.escalationRaised, raised[0]!.attributes).ok).toBe(true);
    expect(raised[0]!.attributes).toMatchObject({
      [ATTR.escalationRule]: 'tool-errors',
      [ATTR.escalationAction]: 'hold',
      [ATTR.escalationSeverity]: 'ERROR',
      [ATTR.escalationCount]: 3,
      [ATTR.escalationThreshold]: 3,
      [ATTR.escalationWindowMinutes]: 5,
      [ATTR.escalationEvidenceIds]: 'ev-1,ev-2',
      [ATTR.escalationToolUseIds]: 'tu-1,tu-2,tu-3',
      [ATTR.escalationContactName]: 'Security desk',
      [ATTR.escalationContactEmail]: 'secdesk@example.com',
      [ATTR.sessionId]: 's1',
    });
    // A fourth error does not fire it again while it is active.
    service.signal('s1', { kind: 'toolErrors' });
    expect(service.views()).toHaveLength(1);
  });

  it('counts a failed call reported by the hook and by the relayed log once, keeping the record id', async () => {
    const { service, events } = setup();
    service.signal('s1', { kind: 'toolErrors', toolUseId: 'tu-1' });
    service.signal('s1', { kind: 'toolErrors', toolUseId: 'tu-1', evidenceId: 'log-1' });
    service.signal('s1', { kind: 'toolErrors', toolUseId: 'tu-2' });
    expect(service.views()).toEqual([]);
    service.signal('s1', { kind: 'toolErrors', evidenceId: 'api-error' }); // no tool call: never a duplicate
    await Promise.resolve();
    expect(events[0]?.attributes).toMatchObject({ [ATTR.escalationCount]: 3, [ATTR.escalationEvidenceIds]: 'log-1,api-error', [ATTR.escalationToolUseIds]: 'tu-1,tu-2' });
  });

  it('resumes on a person’s word (recorded), and fires again only on new signals', async () => {
    const { service, events } = setup();
    for (let i = 0; i < 3; i += 1) service.signal('s1', { kind: 'toolErrors' });
    const [view] = service.views();
    await service.resolve(view!.escalationId, 'resume');
    expect(service.runState('s1')).toBeUndefined();
    const resolved = events.find((e) => e.name === EVENT_NAMES.escalationResolved);
    expect(resolved && validateEvidenceAttributes(EVENT_NAMES.escalationResolved, resolved.attributes).ok).toBe(true);
    expect(resolved?.attributes).toMatchObject({ [ATTR.escalationResolution]: 'resume', [ATTR.escalationRule]: 'tool-errors', [ATTR.userName]: 'ana', [ATTR.sessionId]: 's1' });
    service.signal('s1', { kind: 'toolErrors' });
    expect(service.runState('s1')).toBeUndefined();
    await expect(service.resolve(view!.escalationId, 'resume')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a notice blocks nothing and can be dismissed; a hold kept stopped becomes a stop', async () => {
    const { service } = setup();
    service.signal('s1', { kind: 'denials' });
    service.signal('s1', { kind: 'denials' });
    const [notice] = service.views();
    expect(notice).toMatchObject({ action: 'notify', severity: 'warn', count: 2, contact: CONTACT });
    expect(service.runState('s1')).toBeUndefined();
    await expect(service.resolve(notice!.escalationId, 'stop')).rejects.toMatchObject({ code: 'invalid_request' });
    for (let i = 0; i < 3; i += 1) service.signal('s1', { kind: 'toolErrors' });
    const hold = service.views().find((v) => v.action === 'hold')!;
    await service.resolve(hold.escalationId, 'stop');
    expect(service.runState('s1')).toMatchObject({ action: 'stop', escalation: { keptStopped: true } });
  });

  it('keeps holds and stops across a restart (notices are not kept)', () => {
    const first = setup();
    for (let i = 0; i < 3; i += 1) first.service.signal('s1', { kind: 'toolErrors' });
    first.service.signal('s1', { kind: 'denials' });
    first.service.signal('s1', { kind: 'denials' });
    expect(first.service.views()).toHaveLength(2);
    const again = setup(first.file);
    expect(again.service.runState('s1')?.action).toBe('hold');
    expect(again.service.views().map((v) => v.action)).toEqual(['hold']);
  });

  it('takes back every entry it can read: one bad entry costs itself only, and is reported', () => {
    const first = setup();
    for (let i = 0; i < 3; i += 1) first.service.signal('s1', { kind: 'toolErrors' });
    const stored = JSON.parse(first.file.text!) as { v: 1; escalations: unknown[] };
    const text = JSON.stringify({ v: 1, escalations: [{ nope: 1 }, { ...(stored.escalations[0] as object), sessionId: 'x'.repeat(5000) }, ...stored.escalations] });
    const again = setup({ text });
    expect(again.service.runState('s1')?.action).toBe('hold');
    expect(again.unreadable).toEqual([expect.stringContaining('2 of its 3 escalations could not be read')]);
    const garbage = setup({ text: '{"v":1,"escal' });
    expect(garbage.service.views()).toEqual([]);
    expect(garbage.unreadable).toEqual([expect.stringContaining('could not be read')]);
  });

  it('counts signals only for runs a hook named: a relayed session id cannot make up runs', () => {
    const { service, file } = setup({}, []);
    const forged = ['y'.repeat(5000), 'never-seen'];
    for (const run of forged) for (let i = 0; i < 3; i += 1) service.signal(run, { kind: 'toolErrors' });
    expect(service.views()).toEqual([]);
    expect(file.text).toBeUndefined();
    service.runSeen('y'.repeat(5000)); // longer than any hook payload's session_id: never a run
    for (let i = 0; i < 3; i += 1) service.signal('y'.repeat(5000), { kind: 'toolErrors' });
    expect(service.views()).toEqual([]);
    service.runSeen('never-seen');
    for (let i = 0; i < 3; i += 1) service.signal('never-seen', { kind: 'toolErrors' });
    expect(service.runState('never-seen')?.action).toBe('hold');
  });

  it('puts back from the journal a hold the state file lost, and takes a resolution the file missed', async () => {
    const first = setup();
    for (let i = 0; i < 3; i += 1) first.service.signal('s1', { kind: 'toolErrors' });
    for (let i = 0; i < 3; i += 1) first.service.signal('s2', { kind: 'toolErrors' });
    await Promise.resolve();
    const [forS1, forS2] = first.service.views();
    await first.service.resolve(forS2!.escalationId, 'resume');
    // The file and its seal deleted: the journal still holds s1's hold (and s2's resume).
    const lost = setup({});
    expect(lost.service.reconcile(first.events)).toBe(1);
    expect(lost.service.runState('s1')?.escalation).toMatchObject({ escalationId: forS1!.escalationId, ruleId: 'tool-errors', count: 3, atLeast: 3, withinMinutes: 5 });
    expect(lost.service.runState('s2')).toBeUndefined();
    expect(lost.file.text).toContain(forS1!.escalationId);
    // Stopped by a person, then the app died before the file was written: the journal's word wins.
    const stale = setup({ text: first.file.text! });
    await first.service.resolve(forS1!.escalationId, 'stop');
    expect(stale.service.reconcile(first.events)).toBe(0);
    expect(stale.service.runState('s1')).toMatchObject({ action: 'stop', escalation: { keptStopped: true } });
    const resumed = setup({ text: first.file.text! });
    expect(resumed.service.reconcile([...first.events, { ...first.events.find((e) => e.name === EVENT_NAMES.escalationResolved)!, attributes: { [ATTR.escalationId]: forS1!.escalationId, [ATTR.escalationResolution]: 'resume' } }])).toBe(0);
    expect(resumed.service.runState('s1')).toBeUndefined();
  });
});

describe('EscalationService under a flood of made-up runs (fail closed)', () => {
  it('never drops a run whose signals still count, nor a hold, to make room: past the bounds every run is held', () => {
    const { service } = setup({}, ['real'], { runs: 50, active: 20 });
    service.signal('real', { kind: 'toolErrors' });
    service.signal('real', { kind: 'toolErrors' });
    // The agent names more runs than fit (hooks of its own), one signal each.
    for (let i = 0; i < 60; i++) {
      service.runSeen(`fake-${i}`);
      service.signal(`fake-${i}`, { kind: 'toolErrors' });
    }
    // Over the bound: every run waits for a person, the real one and any other.
    expect(service.runState('someone-else')).toMatchObject({ action: 'hold', why: expect.stringContaining('more than it can track') });
    // The real run's count survived: its third error (its hook names it again) fires its own rule.
    service.runSeen('real');
    service.signal('real', { kind: 'toolErrors' });
    expect(service.views().find((v) => v.sessionId === 'real')).toMatchObject({ ruleId: 'tool-errors', count: 3, action: 'hold' });
  });

  it('drops notices before anything else, and holds every run once holds alone fill the store', () => {
    const { service, clock, file } = setup({}, [], { active: 20 });
    const fire = (run: string, kind: 'toolErrors' | 'denials', times: number) => {
      service.runSeen(run);
      for (let i = 0; i < times; i++) service.signal(run, { kind });
    };
    fire('noticed', 'denials', 2);
    expect(service.views().map((v) => v.action)).toEqual(['notify']);
    for (let i = 0; i < 30; i++) {
      fire(`held-${i}`, 'toolErrors', 3);
      clock.advance(6 * 60_000); // windows age out: only the holds fill the store
    }
    expect(service.views().some((v) => v.action === 'notify')).toBe(false);
    expect(service.views().filter((v) => v.action === 'hold')).toHaveLength(20);
    // A restart takes every hold back and is still over the bound.
    const again = setup({ text: file.text! }, [], { active: 20 });
    expect(again.service.runState('held-0')?.escalation.ruleId).toBe('tool-errors');
    expect(again.service.runState('another')?.escalation.ruleId).toBe('escalation-capacity');
    expect(service.runState('held-0')).toMatchObject({ action: 'hold', escalation: { ruleId: 'tool-errors' } });
    expect(service.runState('a-new-run')).toMatchObject({ action: 'hold', escalation: { ruleId: 'escalation-capacity' }, why: expect.stringContaining('holds and stops are in force') });
  });
});
