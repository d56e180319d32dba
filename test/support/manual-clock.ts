// A Clock the test moves by hand: timers fire in time order, each at its own instant.
import type { Clock } from '../../electron/core/app/companion-core-types.js';

export class ManualClock implements Clock {
  private timers: { at: number; fn: () => void; live: boolean }[] = [];

  constructor(public t = 1_700_000_000_000) {}

  now = (): number => this.t;

  setTimeout(fn: () => void, ms: number) {
    const timer = { at: this.t + ms, fn, live: true };
    this.timers.push(timer);
    return { cancel: () => (timer.live = false) };
  }

  /** Timers still due to fire (a stopped service must leave none). */
  get pending(): number {
    return this.timers.filter((x) => x.live).length;
  }

  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = this.timers.filter((x) => x.live && x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.t = next.at;
      next.live = false;
      next.fn();
    }
    this.t = end;
  }
}
