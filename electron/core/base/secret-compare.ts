// One constant-time comparison for every secret and proof the core checks (tokens, HMAC proofs,
// integrity tags). Hashing first makes the lengths equal, so a length never leaks through timing.
import { hash, timingSafeEqual } from 'node:crypto';

const sha256 = (text: string): Buffer => hash('sha256', text, 'buffer');

// The expected side is most often the same secret call after call (the agent token on every hook):
// its digest is kept. Only server-held values are compared to decide that, never what was given.
let lastExpected: { text: string; digest: Buffer } | undefined;

export function secretsEqual(given: string, expected: string): boolean {
  if (lastExpected?.text !== expected) lastExpected = { text: expected, digest: sha256(expected) };
  return timingSafeEqual(sha256(given), lastExpected.digest);
}
