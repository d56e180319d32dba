// Deep equality for data that came from JSON (snapshots): lets the store keep the objects of what
// did not change, so React skips the cards and groups that look the same. Runs on every pending
// request of every snapshot, so it allocates nothing and only recurses into objects.

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const isArray = Array.isArray(a);
  if (isArray !== Array.isArray(b)) return false;
  if (isArray) {
    const left = a as unknown[];
    const right = b as unknown[];
    if (left.length !== right.length) return false;
    for (let i = 0; i < left.length; i++) if (!same(left[i], right[i])) return false;
    return true;
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  // An optional field present as undefined on one side counts as absent (JSON drops it anyway).
  let defined = 0;
  for (const key in left) {
    const value = left[key];
    if (value === undefined) continue;
    defined++;
    if (!same(value, right[key])) return false;
  }
  for (const key in right) if (right[key] !== undefined) defined--;
  return defined === 0;
}

const same = (x: unknown, y: unknown): boolean => x === y || (typeof x === 'object' && jsonEqual(x, y));
