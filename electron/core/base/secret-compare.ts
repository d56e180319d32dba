// One constant-time comparison for every secret and proof the core checks (tokens, HMAC proofs,
// integrity tags). Hashing first makes the lengths equal, so a length never leaks through timing.
import { createHash, timingSafeEqual } from 'node:crypto';

export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
