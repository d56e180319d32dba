// The broker with a manual clock: budgets, holds and the stale-decision guard, deterministically.
import { describe, expect, it } from 'vitest';
import type { ToolPayload } from '../../shared/agent-api-contract.js';
import { ApprovalsBrokerService } from '../../electron/core/approvals-broker-service.js';
import type { Clock } from '../../electron/core/companion-core-types.js';
import type { EvidenceEvent } from '../../electron/core/evidence-event.js';
import { UiCallError } from '../../electron/core/ui-call-error.js';
import { fixture } from '../support/fixtures.js';

class ManualClock implements Clock {
  t = 1_000_000;
  private timers: { at: number; fn: () => void; live: boolean }[] = [];
  now = (): number => this.t;
  setTimeout(fn: () => void, ms: number) {
    const timer = { at: this.t + ms, fn, live: true };
    this.timers.push(timer);
    return { cancel: () => (timer.live = false) };
  }
  advance(ms: number): void {
    this.t += ms;
    for (const timer of this.timers) if (timer.live && timer.at <= this.t) (timer.live = false), timer.fn();
  }
}

function setup(failWrites = false) {
  const clock = new ManualClock();
  const recorded: EvidenceEvent[] = [];
  const evidence = {
    record: async (e: EvidenceEvent) => {
      if (failWrites && e.name === 'approval.decided') throw new Error('ENOSPC: no space left on device');
      recorded.push(e);
    },
  };
  return { clock, recorded, broker: new ApprovalsBrokerService({ clock, evidence }) };
}
const payload = (): ToolPayload => fixture<ToolPayload>('input/pretooluse-write.json');

describe('approvals broker', () => {
  it('queues, approves and records latency from arrival to decision', async () => {
    const { broker, clock, recorded } = setup();
    const { item, settled } = await broker.submit(payload(), 60_000);
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
    const { settled } = await broker.submit(payload(), 5000);
    clock.advance(4999);
    expect(broker.pending()).toHaveLength(1);
    clock.advance(1);
    await expect(settled).resolves.toMatchObject({ verdict: 'deny', source: 'timeout' });
  });

  it('a held item still ends in a deny that says it is on hold', async () => {
    const { broker, clock } = setup();
    const { item, settled } = await broker.submit(payload(), 5000);
    broker.hold(item.id, item.contentHash);
    expect(broker.pending()[0]!.held).toBe(true);
    clock.advance(5000);
    const s = await settled;
    expect(s.verdict).toBe('deny');
    expect(s.reason).toMatch(/on hold/);
  });

  it('gives each request its own item, even for identical payloads', async () => {
    const { broker } = setup();
    const a = await broker.submit(payload(), 5000);
    const b = await broker.submit(payload(), 5000);
    expect(a.item.id).not.toBe(b.item.id);
    expect(a.item.contentHash).toBe(b.item.contentHash);
    await broker.approve(b.item.id, b.item.contentHash);
    expect(broker.pending().map((i) => i.id)).toEqual([a.item.id]);
  });

  it('binds a decision to what was shown', async () => {
    const { broker } = setup();
    const { item } = await broker.submit(payload(), 5000);
    const other = await broker.submit({ ...payload(), tool_input: { file_path: '/etc/passwd', content: 'x' } }, 5000);
    expect(other.item.contentHash).not.toBe(item.contentHash);
    await expect(broker.approve(item.id, other.item.contentHash)).rejects.toMatchObject({ code: 'content_changed' });
    expect(broker.pending()).toHaveLength(2);
  });

  it('refuses a decision after the request ended', async () => {
    const { broker, clock } = setup();
    const { item } = await broker.submit(payload(), 1000);
    clock.advance(1000);
    await expect(broker.approve(item.id, item.contentHash)).rejects.toBeInstanceOf(UiCallError);
    await expect(broker.deny('no-such-id', 'x')).rejects.toMatchObject({ code: 'not_pending', status: 409 });
  });

  it('turns an approval it cannot record into a deny for the agent and an error for the person', async () => {
    const { broker } = setup(true);
    const { item, settled } = await broker.submit(payload(), 5000);
    await expect(broker.approve(item.id, item.contentHash)).rejects.toMatchObject({ code: 'journal_failed' });
    await expect(settled).resolves.toMatchObject({ verdict: 'deny' });
  });

  it('notifies listeners on every change', async () => {
    const { broker } = setup();
    let n = 0;
    broker.onChange(() => n++);
    const { item } = await broker.submit(payload(), 5000);
    broker.hold(item.id, item.contentHash);
    await broker.deny(item.id, item.contentHash, 'no');
    expect(n).toBe(3);
    expect(broker.recentDecisions()[0]).toMatchObject({ decision: 'deny', reason: 'Denied in Cowork Companion: no' });
  });
});
