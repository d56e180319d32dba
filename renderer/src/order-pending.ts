// The card being looked at must never move down: items keep the place they first had, and
// anything new goes to the end, whatever order the core sends.

/** Ids in display order: previous order minus gone items, then new ids in the order received. */
export function mergeOrder(previous: readonly string[], current: readonly string[]): string[] {
  const present = new Set(current);
  const kept = previous.filter((id) => present.has(id));
  const order = [...kept];
  const known = new Set(kept);
  for (const id of current) {
    if (known.has(id)) continue;
    known.add(id);
    order.push(id);
  }
  return order;
}
