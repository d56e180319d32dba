/** Sets `key` as the newest entry of `map` and keeps at most `max` entries, dropping the oldest
 *  inserted (a Map iterates in insertion order): for memos and "recently seen" sets that must not grow. */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value as K);
}
