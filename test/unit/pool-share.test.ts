// The watchers' share of libuv's thread pool: never more calls in flight than its slots, in the
// order asked, and a stopped watcher's waiting calls end without holding or leaking a slot.
import { describe, expect, it } from 'vitest';
import { PoolShare, threadPoolSize, WATCH_POOL_SLOTS } from '../../electron/core/watch/pool-share.js';

/** A task that finishes when told, recording the most calls in flight at once. */
function gate(share: PoolShare, stats: { max: number; started: number[] }, id: number) {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const task = async (): Promise<number> => {
    stats.started.push(id);
    stats.max = Math.max(stats.max, share.inFlight);
    await opened;
    return id;
  };
  return { task, open };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('PoolShare', () => {
  it('leaves one of libuv\'s pool threads to the journal, at whatever size the pool is', () => {
    expect(threadPoolSize({})).toBe(4);
    expect(threadPoolSize({ UV_THREADPOOL_SIZE: '16' })).toBe(16);
    expect(threadPoolSize({ UV_THREADPOOL_SIZE: '0' })).toBe(1);
    expect(threadPoolSize({ UV_THREADPOOL_SIZE: 'many' })).toBe(1);
    expect(threadPoolSize({ UV_THREADPOOL_SIZE: '5000' })).toBe(1024);
    expect(WATCH_POOL_SLOTS).toBe(Math.max(1, threadPoolSize() - 1));
  });

  it('runs at most `slots` calls at once, in the order they were asked', async () => {
    const share = new PoolShare(2);
    const owner = {};
    const stats = { max: 0, started: [] as number[] };
    const gates = Array.from({ length: 6 }, (_, i) => gate(share, stats, i));
    const results = gates.map((g) => share.run(owner, () => false, g.task));
    await settle();
    expect(stats.started).toEqual([0, 1]);
    gates[1]!.open();
    await settle();
    expect(stats.started).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(stats.max).toBe(2);
    expect(share.inFlight).toBe(0);
  });

  it('a dropped owner\'s waiting calls end undefined without running; the others keep their turns and the slots', async () => {
    const share = new PoolShare(2);
    const closed = {};
    const open = {};
    const stats = { max: 0, started: [] as number[] };
    const busy = [gate(share, stats, 0), gate(share, stats, 1)];
    const running = busy.map((g) => share.run(open, () => false, g.task));
    const dropped = [10, 11, 12].map((id) => share.run(closed, () => false, gate(share, stats, id).task));
    const later = gate(share, stats, 20);
    const kept = share.run(open, () => false, later.task);
    share.drop(closed);
    expect(await Promise.all(dropped)).toEqual([undefined, undefined, undefined]);
    expect(share.inFlight).toBe(2); // the dropped calls took no slot
    busy[0]!.open();
    later.open();
    await settle();
    expect(stats.started).toEqual([0, 1, 20]);
    busy[1]!.open();
    expect(await Promise.all([...running, kept])).toEqual([0, 1, 20]);
    expect(share.inFlight).toBe(0);
    // Still exactly two slots: two start at once, the third waits.
    const again = Array.from({ length: 3 }, (_, i) => gate(share, stats, 30 + i));
    const more = again.map((g) => share.run(open, () => false, g.task));
    await settle();
    expect(share.inFlight).toBe(2);
    for (const g of again) g.open();
    await Promise.all(more);
    expect(stats.max).toBe(2);
  });

  it('a call whose owner stopped before its turn does not run, and passes its slot on', async () => {
    const share = new PoolShare(1);
    const stats = { max: 0, started: [] as number[] };
    let stopped = false;
    const first = gate(share, stats, 0);
    const a = share.run({}, () => false, first.task);
    const b = share.run({}, () => stopped, gate(share, stats, 1).task);
    const c = share.run({}, () => false, async () => 2);
    stopped = true;
    first.open();
    expect(await Promise.all([a, b, c])).toEqual([0, undefined, 2]);
    expect(stats.started).toEqual([0]);
    expect(share.inFlight).toBe(0);
  });

  it('a call that fails gives its slot back and its caller gets the error', async () => {
    const share = new PoolShare(1);
    await expect(share.run({}, () => false, () => Promise.reject(new Error('EACCES')))).rejects.toThrow('EACCES');
    expect(share.inFlight).toBe(0);
    expect(await share.run({}, () => false, async () => 'next')).toBe('next');
  });
});
