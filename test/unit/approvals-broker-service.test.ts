// The broker with a manual clock: budgets, holds and the stale-decision guard, deterministically.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ToolPayload } from '../../shared/agent-api-contract.js';
import { ApprovalsBrokerService, holdMessage, type PreviewDetail, type StoredEntry } from '../../electron/core/approvals/approvals-broker-service.js';
import { LEDGER_LIMITS } from '../../electron/core/approvals/pre-tool-use-ledger.js';
import type { EvidenceEvent } from '../../electron/core/evidence/evidence-event.js';
import { CoreError } from '../../electron/core/base/index.js';
import { cardPreview, changePreview, readPreviewFile } from '../../electron/core/requests/index.js';
import { fixture } from '../support/fixtures.js';
import { resolved } from '../support/resolve.js';
import { ManualClock } from '../support/manual-clock.js';

/** submit() as the agent API does it: the payload resolved once, then queued. */
const submit = (b: ApprovalsBrokerService, p: ToolPayload, budgetMs: number, note?: string) => b.submit(resolved(p), budgetMs, note);

/** submit() for a request that waits in the inbox (not answered at once). */
async function queue(b: ApprovalsBrokerService, p: ToolPayload, budgetMs: number, note?: string) {
  const r = await submit(b, p, budgetMs, note);
  if (!r.item) throw new Error('expected the request to wait in the inbox');
  return { ...r, item: r.item };
}


function setup(failWrites = false) {
  const clock = new ManualClock(1_000_000);
  const recorded: EvidenceEvent[] = [];
  const evidence = {
    record: async (e: EvidenceEvent) => {
      if (failWrites && e.name === 'approval.decided') throw new Error('ENOSPC: no space left on device');
      recorded.push(e);
    },
  };
  return { clock, recorded, broker: new ApprovalsBrokerService({ clock, evidence }) };
}
const HOUR = 3_600_000;

/** What outlives one broker: pending.json (in memory), the clock and the evidence. */
function restartable() {
  let stored: StoredEntry[] = [];
  const persist = { load: () => stored, save: (e: StoredEntry[]) => void (stored = e) };
  const recorded: EvidenceEvent[] = [];
  return { persist, clock: new ManualClock(1_000_000), recorded, evidence: { record: async (e: EvidenceEvent) => void recorded.push(e) } };
}
const payload = (): ToolPayload => fixture<ToolPayload>('input/pretooluse-write.json');

describe('approvals broker', () => {
  it('an automatic decision is one record carrying the request, and the agent is answered only once it is durable', async () => {
    const clock = new ManualClock(1_000_000);
    const waiting: { event: EvidenceEvent; durable: () => void }[] = [];
    const evidence = { record: (event: EvidenceEvent) => new Promise<void>((durable) => waiting.push({ event, durable })) };
    const broker = new ApprovalsBrokerService({ clock, evidence });
    let answered = false;
    const decided = broker.decideWithoutPerson(resolved(payload()), { verdict: 'allow', source: 'policy', reason: 'in scope', rule: 'scope' }).then(() => (answered = true));
    await Promise.resolve();
    expect(waiting.map((w) => w.event.name)).toEqual(['approval.decided']);
    // Everything approval.requested would say, and that it is the request's only record.
    expect(waiting[0]!.event.attributes).toMatchObject({
      'session.id': payload().session_id, 'tool_name': payload().tool_name, 'hook_event_name': 'PreToolUse', 'cwd': payload().cwd,
      'decision': 'allow', 'decision.source': 'policy', 'decision.latency_ms': 0, 'decision.immediate': true,
    });
    await new Promise((r) => setImmediate(r));
    expect(answered).toBe(false);
    waiting[0]!.durable();
    await decided;
    expect(answered).toBe(true);
  });

  it('queues, approves and records latency from arrival to decision', async () => {
    const { broker, clock, recorded } = setup();
    const { item, settled } = await queue(broker, payload(), 60_000);
    expect(broker.pending()).toEqual([item]);
    clock.advance(1234);
    await broker.approve(item.id, item.contentHash);
    await expect(settled).resolves.toMatchObject({ verdict: 'allow', source: 'user' });
    expect(broker.pending()).toEqual([]);
    const decided = recorded.find((e) => e.name === 'approval.decided')!;
    expect(decided.attributes['decision.latency_ms']).toBe(1234);
    expect(decided.attributes['event.id']).toBe(decided.eventId);
  });

  it('denies at the end of the budget, never allows', async () => {
    const { broker, clock } = setup();
    const { settled } = await queue(broker, payload(), 5000);
    clock.advance(4999);
    expect(broker.pending()).toHaveLength(1);
    clock.advance(1);
    await expect(settled).resolves.toMatchObject({ verdict: 'deny', source: 'timeout' });
  });

  it('applies the policy default action on timeout: hold keeps the item (agent told "on hold"), approving it serves the retry', async () => {
    const clock = new ManualClock(1_000_000);
    const recorded: EvidenceEvent[] = [];
    const broker = new ApprovalsBrokerService({ clock, evidence: { record: async (e) => void recorded.push(e) }, onTimeout: () => 'hold' });
    const { item, settled } = await queue(broker, payload(), 5000);
    expect(item.onTimeout).toBe('hold');
    clock.advance(5000);
    await expect(settled).resolves.toMatchObject({ verdict: 'deny', source: 'timeout', reason: expect.stringContaining('on hold') });
    expect(recorded.find((e) => e.name === 'approval.decided')).toBeUndefined();
    expect(recorded.find((e) => e.name === 'approval.held')?.attributes).toMatchObject({ 'decision.source': 'timeout', decision: 'hold', 'decision.latency_ms': 5000 });
    expect(broker.pending()).toMatchObject([{ id: item.id, held: true, agentWaiting: false, heldUntil: new Date(clock.now() + 24 * HOUR).toISOString() }]);
    await broker.approve(item.id, item.contentHash);
    const retry = await submit(broker, payload(), 5000);
    expect(retry.item).toBeUndefined();
    await expect(retry.settled).resolves.toMatchObject({ verdict: 'allow' });
  });

  it('hold answers the waiting agent at once with the hold message, recorded (approval.held) before the answer', async () => {
    const clock = new ManualClock(1_000_000);
    const log: string[] = [];
    const recorded: EvidenceEvent[] = [];
    const person = { 'user.name': 'dana' };
    const broker = new ApprovalsBrokerService({ clock, person, evidence: { record: async (e) => void (recorded.push(e), log.push(`recorded ${e.name}`)) } });
    const { item, settled } = await queue(broker, payload(), 300_000);
    void settled.then((s) => log.push(`answered ${s.verdict}`));
    clock.advance(1500);
    await broker.hold(item.id, item.contentHash);
    await Promise.resolve();
    // No clock time passes after the hold: the agent does not wait for its budget.
    expect(log).toEqual(['recorded approval.requested', 'recorded approval.held', 'answered deny']);
    const s = await settled;
    const heldUntil = new Date(clock.now() + 24 * HOUR).toISOString();
    expect(s).toMatchObject({ verdict: 'deny', source: 'user', reason: holdMessage(heldUntil) });
    expect(s.reason).toMatch(/on hold in Cowork Companion.*Retry exactly the same action after the user approves it; approving it lets exactly this action through once/);
    expect(recorded.at(-1)!.attributes).toMatchObject({
      decision: 'hold',
      'decision.source': 'user',
      'decision.reason': s.reason,
      'decision.latency_ms': 1500,
      'hold.expires_at': heldUntil,
      'user.name': 'dana',
      'claude_code.decision': 'reject',
    });
    expect(broker.pending()).toMatchObject([{ id: item.id, held: true, agentWaiting: false, heldUntil, told: { at: new Date(clock.now()).toISOString(), message: s.reason } }]);
    // The budget's timer is gone: nothing more is recorded when it would have ended.
    clock.advance(300_000);
    expect(recorded.at(-1)!.name).toBe('approval.held');
  });

  it('a hold that cannot be recorded changes nothing: the person gets an error, the agent keeps waiting', async () => {
    const clock = new ManualClock(1_000_000);
    const broker = new ApprovalsBrokerService({ clock, evidence: { record: async (e) => { if (e.name === 'approval.held') throw new Error('ENOSPC'); } } });
    const { item, settled } = await queue(broker, payload(), 5000);
    await expect(broker.hold(item.id, item.contentHash)).rejects.toMatchObject({ code: 'journal_failed' });
    expect(broker.pending()).toMatchObject([{ id: item.id, held: false, agentWaiting: true }]);
    clock.advance(5000);
    await expect(settled).resolves.toMatchObject({ verdict: 'deny', source: 'timeout' });
  });

  it('approving a held item lets exactly one identical retry through; a retry before that hears "on hold" at once', async () => {
    const { broker, recorded } = setup();
    const { item } = await queue(broker, payload(), 5000);
    await broker.hold(item.id, item.contentHash);
    const early = await submit(broker, payload(), 5000);
    expect(early.item).toBeUndefined();
    await expect(early.settled).resolves.toMatchObject({ verdict: 'deny', reason: expect.stringContaining('on hold') });
    expect(recorded.at(-1)!.attributes).toMatchObject({ decision: 'hold', 'decision.source': 'policy', 'decision.rule': `held:${item.id}` });
    expect(broker.pending()).toMatchObject([{ id: item.id, held: true, duplicates: 1 }]);
    await broker.approve(item.id, item.contentHash);
    expect(broker.pending()).toHaveLength(0);
    const retry = await submit(broker, payload(), 5000);
    expect(retry.item).toBeUndefined();
    await expect(retry.settled).resolves.toMatchObject({ verdict: 'allow', source: 'user' });
    expect(recorded.at(-1)!.attributes['decision.rule']).toBe(`held-approval:${item.id}`);
    // One use only: the next identical request asks again.
    expect((await submit(broker, payload(), 5000)).item).toBeDefined();
  });

  it('an approval given while away does not answer the retry of a run an escalation now holds (the grant waits)', async () => {
    const { broker } = setup();
    const { item } = await queue(broker, payload(), 5000);
    await broker.hold(item.id, item.contentHash);
    await broker.approve(item.id, item.contentHash);
    const held = await broker.submit(resolved(payload()), 5000, 'held by a rule', { earlierApproval: false });
    expect(held.item).toBeDefined();
    await broker.deny(held.item!.id, held.item!.contentHash, 'not now');
    await expect(held.settled).resolves.toMatchObject({ verdict: 'deny', source: 'user' });
    // Resumed: the person's earlier approval still answers the retry, once.
    await expect((await submit(broker, payload(), 5000)).settled).resolves.toMatchObject({ verdict: 'allow', source: 'user' });
  });

  it('a request of a run an escalation holds gets a card of its own, not the one shown before the hold', async () => {
    const { broker } = setup();
    const { item: before } = await queue(broker, payload(), 5000);
    const held = await broker.submit(resolved(payload()), 5000, 'held by a rule', { earlierApproval: false });
    expect(held.item?.id).toBeDefined();
    expect(held.item!.id).not.toBe(before.id);
    expect(broker.pending().find((p) => p.id === before.id)?.duplicates).toBe(0);
  });

  it('denying a held item ends it: the retry is asked afresh', async () => {
    const { broker } = setup();
    const { item } = await queue(broker, payload(), 5000);
    await broker.hold(item.id, item.contentHash);
    await broker.deny(item.id, item.contentHash, 'no');
    expect(broker.pending()).toHaveLength(0);
    expect((await submit(broker, payload(), 5000)).item).toBeDefined();
  });

  it('withdraws a held item when its hold ends (policy holdHours), with evidence saying so', async () => {
    const clock = new ManualClock(1_000_000);
    const recorded: EvidenceEvent[] = [];
    const broker = new ApprovalsBrokerService({ clock, evidence: { record: async (e) => void recorded.push(e) }, holdHours: () => 2 });
    const { item } = await queue(broker, payload(), 5000);
    await broker.hold(item.id, item.contentHash);
    const heldUntil = new Date(clock.now() + 2 * HOUR).toISOString();
    expect(broker.pending()[0]!.heldUntil).toBe(heldUntil);
    // The agent's connection closing does not end a hold.
    await broker.withdraw(item.id);
    clock.advance(2 * HOUR - 1);
    expect(broker.pending()).toHaveLength(1);
    clock.advance(1);
    expect(broker.pending()).toHaveLength(0);
    expect(recorded.at(-1)).toMatchObject({ name: 'approval.withdrawn', attributes: { 'approval.id': item.id, 'withdrawn.reason': expect.stringContaining(`hold ended at ${heldUntil}`) } });
    await expect(broker.approve(item.id, item.contentHash)).rejects.toMatchObject({ code: 'not_pending' });
  });

  it('after a restart: a held item keeps its expiry and what the agent was told; a waiting one says it was told of the shutdown', async () => {
    const { persist, clock, recorded, evidence } = restartable();
    const first = new ApprovalsBrokerService({ clock, evidence, persist, holdHours: () => 3 });
    const held = await queue(first, payload(), 60_000);
    await first.hold(held.item.id, held.item.contentHash);
    const heldItem = first.pending()[0]!;
    const waiting = await queue(first, { ...payload(), tool_input: { file_path: '/x/other', content: '' } }, 60_000);
    await first.denyAll('Cowork Companion is shutting down; the action is denied. Retry when it is running.');
    clock.advance(HOUR);
    const second = new ApprovalsBrokerService({ clock, evidence, persist, holdHours: () => 3 });
    const byId = new Map(second.pending().map((i) => [i.id, i]));
    expect(byId.get(held.item.id)).toMatchObject({ held: true, heldUntil: heldItem.heldUntil, told: heldItem.told });
    expect(heldItem.told!.message).toContain('on hold');
    expect(byId.get(waiting.item.id)).toMatchObject({ held: false, told: { at: new Date(1_000_000).toISOString(), message: expect.stringContaining('shutting down') } });
    // The hold ends when it was going to, not 3 h after the restart.
    clock.advance(2 * HOUR);
    expect(second.pending().map((i) => i.id)).toEqual([waiting.item.id]);
    expect(recorded.at(-1)).toMatchObject({ name: 'approval.withdrawn', attributes: { 'approval.id': held.item.id } });
  });

  it('at start, withdraws (with evidence) a held item whose hold ended while the companion was stopped', async () => {
    const { persist, clock, recorded, evidence } = restartable();
    const first = new ApprovalsBrokerService({ clock, evidence, persist });
    const { item } = await queue(first, payload(), 60_000);
    await first.hold(item.id, item.contentHash);
    await first.denyAll('shutting down');
    clock.advance(25 * HOUR);
    const second = new ApprovalsBrokerService({ clock, evidence, persist });
    clock.advance(0);
    expect(second.pending()).toEqual([]);
    expect(recorded.at(-1)).toMatchObject({ name: 'approval.withdrawn', attributes: { 'approval.id': item.id, 'withdrawn.reason': expect.stringContaining('hold ended') } });
  });

  it('pauses a run that floods the inbox, and asks the person once', async () => {
    const clock = new ManualClock(1_000_000);
    const broker = new ApprovalsBrokerService({ clock, evidence: { record: async () => undefined }, stormPerMinute: () => 5 });
    for (let i = 0; i < 5; i++) await queue(broker, { ...payload(), tool_input: { file_path: `/x/${i}`, content: '' } }, 60_000);
    const sixth = await submit(broker, { ...payload(), tool_input: { file_path: '/x/6', content: '' } }, 60_000);
    expect(sixth.item).toBeUndefined();
    await expect(sixth.settled).resolves.toMatchObject({ verdict: 'deny', source: 'policy', reason: expect.stringMatching(/paused/) });
    expect(broker.pausedRuns()).toHaveLength(1);
    expect(broker.pending()).toHaveLength(5);
    const other = await submit(broker, { ...payload(), session_id: 'calm-run' }, 60_000);
    expect(other.item).toBeDefined();
    broker.resumeRun(payload().session_id);
    expect(broker.pausedRuns()).toHaveLength(0);
    expect((await submit(broker, { ...payload(), tool_input: { file_path: '/x/7', content: '' } }, 60_000)).item).toBeDefined();
  });

  it('approves all pending reads of one run in one action, and only reads', async () => {
    const clock = new ManualClock(1_000_000);
    const broker = new ApprovalsBrokerService({ clock, evidence: { record: async () => undefined } });
    const read = (i: number) => ({ ...payload(), tool_name: 'Read', tool_input: { file_path: `/r/${i}` } });
    const reads = [await queue(broker, read(1), 60_000), await queue(broker, read(2), 60_000)];
    const write = await queue(broker, payload(), 60_000);
    const shown = [...reads, write].map((r) => ({ id: r.item.id, contentHash: r.item.contentHash }));
    expect(await broker.decideRunReads(payload().session_id, 'allow', shown)).toBe(2);
    for (const r of reads) await expect(r.settled).resolves.toMatchObject({ verdict: 'allow', source: 'user' });
    expect(broker.pending().map((i) => i.id)).toEqual([write.item.id]);
  });

  it('decides only the reads the person saw: a later read, a changed card or another run\'s stays pending', async () => {
    const clock = new ManualClock(1_000_000);
    const broker = new ApprovalsBrokerService({ clock, evidence: { record: async () => undefined } });
    const read = (i: number, session = payload().session_id) => ({ ...payload(), session_id: session, tool_name: 'Read', tool_input: { file_path: `/r/${i}` } });
    const seen = await queue(broker, read(1), 60_000);
    const stale = await queue(broker, read(2), 60_000);
    const other = await queue(broker, read(3, 'other-run'), 60_000);
    const late = await queue(broker, read(4), 60_000); // arrived after the person looked
    const shown = [
      { id: seen.item.id, contentHash: seen.item.contentHash },
      { id: seen.item.id, contentHash: seen.item.contentHash }, // named twice: decided once
      { id: stale.item.id, contentHash: 'not-what-is-pending' },
      { id: other.item.id, contentHash: other.item.contentHash },
      { id: 'gone', contentHash: 'x' },
    ];
    expect(await broker.decideRunReads(payload().session_id, 'allow', shown)).toBe(1);
    await expect(seen.settled).resolves.toMatchObject({ verdict: 'allow', source: 'user' });
    expect(broker.pending().map((i) => i.id).sort()).toEqual([stale.item.id, other.item.id, late.item.id].sort());
    expect(await broker.decideRunReads(payload().session_id, 'deny', [{ id: late.item.id, contentHash: late.item.contentHash }])).toBe(1);
    await expect(late.settled).resolves.toMatchObject({ verdict: 'deny' });
  });

  it('keeps pending and held items across a restart; approving one then serves the retry', async () => {
    let stored: import('../../electron/core/approvals/approvals-broker-service.js').StoredEntry[] = [];
    const persist = { load: () => stored, save: (e: typeof stored) => void (stored = e) };
    const clock = new ManualClock(1_000_000);
    const first = new ApprovalsBrokerService({ clock, evidence: { record: async () => undefined }, persist });
    const { item } = await queue(first, payload(), 60_000);
    await first.denyAll('shutting down');
    expect(stored).toHaveLength(1);
    const second = new ApprovalsBrokerService({ clock, evidence: { record: async () => undefined }, persist });
    expect(second.pending()).toMatchObject([{ id: item.id, agentWaiting: false }]);
    // The agent reconnects with the same request: it joins the same item, no duplicate card.
    const again = await queue(second, payload(), 60_000);
    expect(again.item.id).toBe(item.id);
    expect(second.pending()).toHaveLength(1);
    await second.approve(item.id, item.contentHash);
    await expect(again.settled).resolves.toMatchObject({ verdict: 'allow' });
  });

  it('coalesces identical requests of one run into one item; one answer serves both', async () => {
    const { broker } = setup();
    const a = await queue(broker, payload(), 5000);
    const b = await queue(broker, payload(), 5000);
    expect(b.item.id).toBe(a.item.id);
    expect(broker.pending()).toHaveLength(1);
    expect(broker.pending()[0]!.duplicates).toBe(1);
    const other = await queue(broker, { ...payload(), session_id: 'another-run' }, 5000);
    expect(other.item.id).not.toBe(a.item.id);
    await broker.approve(a.item.id, a.item.contentHash);
    await expect(a.settled).resolves.toMatchObject({ verdict: 'allow' });
    await expect(b.settled).resolves.toMatchObject({ verdict: 'allow' });
    expect(broker.pending().map((i) => i.id)).toEqual([other.item.id]);
  });

  it('keeps the same command from another folder apart: no shared card, no approval served to it', async () => {
    const { broker, clock } = setup();
    const here = { ...payload(), tool_name: 'Bash', tool_input: { command: 'rm -rf build' }, cwd: '/work/shared-project' };
    const home = { ...here, cwd: '/home/dana' };
    const a = await queue(broker, here, 5000);
    const b = await queue(broker, home, 5000);
    expect(b.item.id).not.toBe(a.item.id);
    expect(b.item.contentHash).not.toBe(a.item.contentHash);
    // Held past its budget, then approved: only a retry from the same folder is let through.
    broker.hold(a.item.id, a.item.contentHash);
    clock.advance(5000);
    await expect(a.settled).resolves.toMatchObject({ verdict: 'deny', reason: expect.stringMatching(/on hold/) });
    await broker.approve(a.item.id, a.item.contentHash);
    expect((await submit(broker, home, 5000)).item).toBeDefined();
    const retry = await submit(broker, here, 5000);
    expect(retry.item).toBeUndefined();
    await expect(retry.settled).resolves.toMatchObject({ verdict: 'allow' });
  });

  it('binds a decision to what was shown', async () => {
    const { broker } = setup();
    const { item } = await queue(broker, payload(), 5000);
    const other = await queue(broker, { ...payload(), tool_input: { file_path: '/etc/passwd', content: 'x' } }, 5000);
    expect(other.item.contentHash).not.toBe(item.contentHash);
    await expect(broker.approve(item.id, other.item.contentHash)).rejects.toMatchObject({ code: 'content_changed' });
    expect(broker.pending()).toHaveLength(2);
  });

  it('refuses a decision after the request ended', async () => {
    const { broker, clock } = setup();
    const { item } = await queue(broker, payload(), 1000);
    clock.advance(1000);
    await expect(broker.approve(item.id, item.contentHash)).rejects.toBeInstanceOf(CoreError);
    await expect(broker.deny('no-such-id', 'x')).rejects.toMatchObject({ code: 'not_pending' });
  });

  it('turns an approval it cannot record into a deny for the agent and an error for the person', async () => {
    const { broker } = setup(true);
    const { item, settled } = await queue(broker, payload(), 5000);
    await expect(broker.approve(item.id, item.contentHash)).rejects.toMatchObject({ code: 'journal_failed' });
    await expect(settled).resolves.toMatchObject({ verdict: 'deny' });
  });

  it('notifies listeners on every change', async () => {
    const { broker } = setup();
    let n = 0;
    broker.onChange(() => n++);
    const { item } = await queue(broker, payload(), 5000);
    await broker.hold(item.id, item.contentHash);
    await broker.deny(item.id, item.contentHash, 'no');
    expect(n).toBe(3);
    expect(broker.recentDecisions()[0]).toMatchObject({ decision: 'deny', reason: 'Denied in Cowork Companion: no' });
  });

  it('keeps with each recent decision where the call ran, what it named and what decided it', async () => {
    const { broker } = setup();
    const p = payload();
    const { item } = await queue(broker, p, 5000);
    await broker.deny(item.id, item.contentHash);
    expect(broker.recentDecisions()[0]).toMatchObject({ cwd: p.cwd, targets: { paths: [p.tool_input['file_path']] } });
    expect(broker.recentDecisions()[0]?.rule).toBeUndefined();
    await broker.decideWithoutPerson(resolved({ ...p, tool_use_id: 'toolu_other' }), { verdict: 'deny', source: 'policy', reason: 'outside', rule: 'scope.outside' });
    expect(broker.recentDecisions()[0]).toMatchObject({ decision: 'deny', rule: 'scope.outside', cwd: p.cwd, targets: { paths: [p.tool_input['file_path']] } });
  });
});

describe('a PermissionRequest carries the tool_use_id of the PreToolUse it follows', () => {
  /** Claude Code's PermissionRequest (no tool_use_id), and the PreToolUse it sends before it for the same call. */
  const permissionRequest = (): ToolPayload => fixture<ToolPayload>('input/permissionrequest-bash.json');
  const preToolUse = (toolUseId = 'toolu_01PushRefundRetry0000000'): ToolPayload => {
    const { permission_suggestions: _s, ...call } = permissionRequest() as ToolPayload & { permission_suggestions?: unknown };
    return { ...call, hook_event_name: 'PreToolUse', tool_use_id: toolUseId } as ToolPayload;
  };
  const records = (recorded: EvidenceEvent[], hook: string) => recorded.filter((e) => e.attributes['hook_event_name'] === hook);

  it('after a PreToolUse a person allowed: on the card, approval.requested and approval.decided', async () => {
    const { broker, clock, recorded } = setup();
    const pre = await queue(broker, preToolUse(), 60_000);
    await broker.approve(pre.item.id, pre.item.contentHash);
    clock.advance(40);
    const perm = await queue(broker, permissionRequest(), 60_000);
    expect(perm.item.toolUseId).toBe('toolu_01PushRefundRetry0000000');
    await broker.deny(perm.item.id, perm.item.contentHash, 'not to origin');
    const [requested, decided] = records(recorded, 'PermissionRequest');
    expect(requested).toMatchObject({ name: 'approval.requested', attributes: { tool_use_id: 'toolu_01PushRefundRetry0000000' } });
    expect(decided).toMatchObject({ name: 'approval.decided', attributes: { tool_use_id: 'toolu_01PushRefundRetry0000000', decision: 'deny', 'claude_code.decision': 'reject' } });
  });

  it('after a PreToolUse the policy allowed, when the policy decides the PermissionRequest too', async () => {
    const { broker, recorded } = setup();
    const rule = { source: 'rule' as const, reason: 'Allowed by a rule.', rule: 'rule:git-push' };
    await broker.decideWithoutPerson(resolved(preToolUse()), { verdict: 'allow', ...rule });
    await broker.decideWithoutPerson(resolved(permissionRequest()), { verdict: 'allow', ...rule });
    expect(records(recorded, 'PermissionRequest').map((e) => e.attributes['tool_use_id'])).toEqual(['toolu_01PushRefundRetry0000000']);
  });

  it('not after a PreToolUse the agent was denied (Claude Code sends no PermissionRequest for a blocked call)', async () => {
    const { broker, recorded } = setup();
    const pre = await queue(broker, preToolUse(), 60_000);
    await broker.deny(pre.item.id, pre.item.contentHash);
    const perm = await queue(broker, permissionRequest(), 60_000);
    expect(perm.item.toolUseId).toBeUndefined();
    expect(records(recorded, 'PermissionRequest')[0]!.attributes).not.toHaveProperty('tool_use_id');
  });

  it('not after a PreToolUse that timed out (the agent was denied)', async () => {
    const { broker, clock } = setup();
    const pre = await queue(broker, preToolUse(), 1000);
    clock.advance(1000);
    await expect(pre.settled).resolves.toMatchObject({ verdict: 'deny', source: 'timeout' });
    expect((await queue(broker, permissionRequest(), 60_000)).item.toolUseId).toBeUndefined();
  });

  it('not after a held PreToolUse approved when nobody waited (the approval serves a retry, not that call)', async () => {
    const { broker, clock, recorded } = setup();
    const pre = await queue(broker, preToolUse(), 1000);
    await broker.hold(pre.item.id, pre.item.contentHash);
    clock.advance(1000);
    await expect(pre.settled).resolves.toMatchObject({ verdict: 'deny' }); // the agent hears "on hold"
    await broker.approve(pre.item.id, pre.item.contentHash);
    await submit(broker, permissionRequest(), 60_000);
    const [requested] = records(recorded, 'PermissionRequest');
    expect(requested!.attributes).not.toHaveProperty('tool_use_id');
  });

  it('not when no PreToolUse was seen', async () => {
    const { broker, recorded } = setup();
    const perm = await queue(broker, permissionRequest(), 60_000);
    await broker.withdraw(perm.item.id);
    expect(perm.item.toolUseId).toBeUndefined();
    expect(recorded.map((e) => e.attributes['tool_use_id'])).toEqual([undefined, undefined]);
  });

  it('not when the PermissionRequest comes after the pairing window', async () => {
    const { broker, clock } = setup();
    await broker.decideWithoutPerson(resolved(preToolUse()), { verdict: 'allow', source: 'policy', reason: 'ok', rule: 'scope.shared-folder' });
    clock.advance(LEDGER_LIMITS.windowMs + 1);
    expect((await queue(broker, permissionRequest(), 60_000)).item.toolUseId).toBeUndefined();
  });

  it('keeps the id across a restart (it is part of the stored request)', async () => {
    let stored: import('../../electron/core/approvals/approvals-broker-service.js').StoredEntry[] = [];
    const persist = { load: () => stored, save: (e: typeof stored) => void (stored = e) };
    const clock = new ManualClock(1_000_000);
    const first = new ApprovalsBrokerService({ clock, evidence: { record: async () => undefined }, persist });
    await first.decideWithoutPerson(resolved(preToolUse()), { verdict: 'allow', source: 'policy', reason: 'ok', rule: 'scope.shared-folder' });
    await queue(first, permissionRequest(), 60_000);
    first.save();
    const recorded: EvidenceEvent[] = [];
    const second = new ApprovalsBrokerService({ clock, evidence: { record: async (e) => void recorded.push(e) }, persist });
    const [item] = second.pending();
    await second.deny(item!.id, item!.contentHash);
    expect(recorded[0]!.attributes).toMatchObject({ hook_event_name: 'PermissionRequest', tool_use_id: 'toolu_01PushRefundRetry0000000' });
  });
});

describe('change previews on cards', () => {
  // A real file in a temp folder, read the way the wiring reads it; a drawn card gets 2 diff lines.
  function previewSetup() {
    const dir = mkdtempSync(join(tmpdir(), 'broker-preview-'));
    const file = join(dir, 'retry.ts');
    writeFileSync(file, 'a\nb\nc\nd\ne\n');
    const preview = (p: ToolPayload, detail: PreviewDetail) => {
      const full = changePreview(p.tool_name, p.tool_input, () => readPreviewFile(String(p.tool_input['file_path'])));
      return detail === 'whole' ? full : cardPreview(full, 2);
    };
    const edit = { ...fixture<ToolPayload>('input/pretooluse-edit.json'), tool_input: { file_path: file, old_string: 'c', new_string: 'C' } };
    return { dir, file, preview, edit, clock: new ManualClock(1_000_000), evidence: { record: async () => undefined } };
  }

  it('a snapshot carries a revision of the preview, a card gets its first lines, the whole diff on request; a changed file makes a new revision', async () => {
    const { dir, file, preview, edit, clock, evidence } = previewSetup();
    try {
      const broker = new ApprovalsBrokerService({ clock, evidence, preview });
      const { item } = await queue(broker, edit, 60_000);
      expect(Object.keys(item.preview ?? {}).sort()).toEqual(['kind', 'revision']);
      expect(item.preview?.kind).toBe('file-change');
      expect(broker.previewLines(item.id, item.contentHash, false)).toMatchObject({ diff: { totalLines: 6, shownLines: 2 } });
      expect(broker.previewLines(item.id, item.contentHash, true)).toMatchObject({ diff: { totalLines: 6, shownLines: 6 } });
      expect(() => broker.previewLines(item.id, 'stale', true)).toThrow(CoreError);

      await broker.reevaluate(() => ({ kind: 'ask' }));
      expect(broker.pending()[0]!.preview).toEqual(item.preview);
      writeFileSync(file, 'a\nb\nd\n');
      await broker.reevaluate(() => ({ kind: 'ask' }));
      expect(broker.pending()[0]!.preview?.revision).not.toBe(item.preview?.revision);
      expect(broker.previewLines(item.id, item.contentHash, false)).toMatchObject({ edits: [{ status: 'not-found' }] });
      expect(broker.pending()[0]!.contentHash).toBe(item.contentHash);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('items restored after a restart get a preview made afresh (never the one in the file)', async () => {
    const { dir, preview, edit, clock, evidence } = previewSetup();
    try {
      const first = new ApprovalsBrokerService({ clock, evidence, preview });
      const { item } = await queue(first, edit, 60_000);
      const forged = { ...item, preview: { kind: 'bash' as const, revision: 'forged' } };
      const restored = new ApprovalsBrokerService({ clock, evidence, preview, persist: { load: () => [{ item: forged, payload: edit, received: 1 }], save: () => undefined } });
      expect(restored.pending()[0]!.preview).toEqual(item.preview);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
