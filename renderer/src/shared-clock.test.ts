import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sharedClock } from './shared-clock.js';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(new Date('2026-11-25T10:00:00.000Z'));
});
afterEach(() => vi.useRealTimers());

describe('sharedClock', () => {
  it('is one clock per interval, ticking every listener from one timer', () => {
    const clock = sharedClock(1000);
    expect(sharedClock(1000)).toBe(clock);
    const a = vi.fn();
    const b = vi.fn();
    const offA = clock.subscribe(a);
    const offB = clock.subscribe(b);
    expect(vi.getTimerCount()).toBe(1);
    const start = clock.read();
    vi.advanceTimersByTime(1000);
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(1);
    expect(clock.read()).toBe(start + 1000);
    offA();
    offB();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('reads the same value between ticks, and a fresh one when idle for an interval', () => {
    const clock = sharedClock(5000);
    const first = clock.read();
    vi.advanceTimersByTime(1200);
    expect(clock.read()).toBe(first);
    vi.advanceTimersByTime(4000);
    expect(clock.read()).toBe(first + 5200);
  });
});
