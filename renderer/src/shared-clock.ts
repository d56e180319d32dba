// One timer per interval for the whole window: a thousand countdowns tick together from a single
// setInterval instead of one timer and one re-render cascade each. The timer runs only while
// someone listens.

export interface SharedClock {
  /** Current time (ms) as of the last tick; stable between ticks, as useSyncExternalStore needs. */
  read(): number;
  subscribe(listener: () => void): () => void;
}

const clocks = new Map<number, SharedClock>();

export function sharedClock(intervalMs: number): SharedClock {
  let clock = clocks.get(intervalMs);
  if (!clock) {
    clock = createClock(intervalMs);
    clocks.set(intervalMs, clock);
  }
  return clock;
}

function createClock(intervalMs: number): SharedClock {
  const listeners = new Set<() => void>();
  let now = Date.now();
  let timer: ReturnType<typeof setInterval> | undefined;
  const tick = () => {
    now = Date.now();
    for (const listener of listeners) listener();
  };
  return {
    read() {
      // Idle clocks go stale; refresh once a whole interval has passed, so reads stay stable.
      if (timer === undefined && Date.now() - now >= intervalMs) now = Date.now();
      return now;
    },
    subscribe(listener) {
      listeners.add(listener);
      if (timer === undefined) {
        now = Date.now(); // waking up: the last reading may be most of an interval old
        timer = setInterval(tick, intervalMs);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer !== undefined) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
  };
}
