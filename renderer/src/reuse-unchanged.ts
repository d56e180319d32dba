// Structural sharing between snapshots: the core sends every pending request each time, but a
// decision changes one of a thousand. Keeping the old object for each unchanged one lets memoised
// components skip it, and keeping the old array when nothing changed lets the whole list skip.
import { jsonEqual } from './json-equal.js';

/** `next`, with each element that equals the element of the same id in `previous` replaced by that
 *  one; `previous` itself when the two hold the same elements in the same order. */
export function reuseUnchanged<T extends { id: string }>(previous: T[], next: readonly T[]): T[] {
  const byId = new Map(previous.map((p) => [p.id, p]));
  let same = previous.length === next.length;
  const result = next.map((item, i) => {
    const old = byId.get(item.id);
    const kept = old !== undefined && jsonEqual(old, item) ? old : item;
    if (kept !== previous[i]) same = false;
    return kept;
  });
  return same ? previous : result;
}
