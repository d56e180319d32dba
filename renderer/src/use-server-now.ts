// The current time on the core's clock (countdowns are against the core's deadlines), ticking with
// the shared clock. Small components use it, so a tick redraws a line of text, not a whole card.
import { useCompanionStore } from './store/companion-store.js';
import { useNow } from './use-now.js';

export function useServerNow(intervalMs = 1000): number {
  const offset = useCompanionStore((s) => s.clockOffsetMs);
  return useNow(intervalMs) + offset;
}
