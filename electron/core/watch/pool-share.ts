// A cap on how many of the file watchers' file system calls wait in libuv's thread pool at once.
// The pool is the process's one queue, first in first out, and a decision's durable journal write
// waits in it too: a folder walk with dozens of listings queued put each answer behind them. One
// share for every watcher of the process, so more roots do not mean more in the queue (and, first in
// first out, one root's walk is ahead of another's looks for its length). Other users of
// the pool (sealed state writes, the decision-targets append, DNS, crypto) make few, short calls.

/** libuv's pool size as libuv reads it at its start: UV_THREADPOOL_SIZE's leading digits, 0 → 1, at most 1024; unset → 4. */
export function threadPoolSize(env: Record<string, string | undefined> = process.env): number {
  const text = env.UV_THREADPOOL_SIZE;
  if (text === undefined) return 4;
  const n = Number.parseInt(text, 10);
  return Math.min(1024, Math.max(1, Number.isNaN(n) ? 0 : n));
}

/** The pool slots the watchers may fill: one thread of the pool is always left to the journal and the
 *  rest of the core (a walk of 6,000 folders with 3 of 4: journal writes meanwhile p50 ~0.5 ms, against
 *  1.5–4 ms with 32 listings per root; bench/decision-profile.md). */
export const WATCH_POOL_SLOTS = Math.max(1, threadPoolSize() - 1);

interface Waiter {
  owner: object;
  go: (run: boolean) => void;
}

export class PoolShare {
  private free: number;
  private readonly queue: Waiter[] = [];

  constructor(readonly slots: number) {
    this.free = slots;
  }

  /** Calls in flight now (tests). */
  get inFlight(): number {
    return this.slots - this.free;
  }

  /**
   * Runs `task` once a slot is free, in the order asked; undefined without running it if `owner`
   * was dropped meanwhile or `stopped()` says so when its turn comes.
   */
  async run<T>(owner: object, stopped: () => boolean, task: () => Promise<T>): Promise<T | undefined> {
    if (this.free > 0) this.free--;
    // Woken by a finishing task, the slot is handed over; dropped, no slot is held.
    else if (!(await new Promise<boolean>((go) => this.queue.push({ owner, go })))) return undefined;
    try {
      return stopped() ? undefined : await task();
    } finally {
      const next = this.queue.shift();
      if (next) next.go(true);
      else this.free++;
    }
  }

  /** `owner` stopped: its waiting calls end now (undefined), without a slot. */
  drop(owner: object): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i]!.owner !== owner) continue;
      const [waiter] = this.queue.splice(i, 1);
      waiter!.go(false);
    }
  }
}
