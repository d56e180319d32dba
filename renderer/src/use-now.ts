// The current time, re-rendering its user every `intervalMs` (live ages and countdowns). Every user
// of an interval shares one timer (shared-clock.ts), so they all re-render in the same tick.
import { useSyncExternalStore } from 'react';
import { sharedClock } from './shared-clock.js';

export function useNow(intervalMs = 1000): number {
  const clock = sharedClock(intervalMs);
  return useSyncExternalStore(clock.subscribe, clock.read);
}
