// Requests that prove the agent token instead of sending it (the command hook client): the headers are
// checked, the proof verified against the body, the nonce accepted once; every answer then carries an
// answer proof, so the client can tell this companion from a server a rewritten address file points at.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AGENT_PROOF_HEADERS, AGENT_PROOF_WINDOW_MS } from '../../../shared/agent-proof.js';
import { answerProof, secretsEqual, requestProof } from '../base/index.js';
import { HttpError, proveAnswers } from './http-guards.js';

export interface ProofHeaders {
  nonce: string;
  timestamp: string;
  proof: string;
}

const NONCE = /^[A-Za-z0-9_-]{22,128}$/; // base64url, at least 128 bits
const TIMESTAMP = /^[0-9]{1,15}$/;
const PROOF = /^[A-Za-z0-9_-]{43}$/; // base64url of 32 bytes

const refused = (code: string, message: string): HttpError => new HttpError(401, code, message);

/** The proof headers, when the request carries any; a partial or malformed set is refused. */
export function proofHeaders(req: IncomingMessage): ProofHeaders | undefined {
  const [nonce, timestamp, proof] = [AGENT_PROOF_HEADERS.nonce, AGENT_PROOF_HEADERS.timestamp, AGENT_PROOF_HEADERS.proof].map((name) => req.headers[name]);
  if (nonce === undefined && timestamp === undefined && proof === undefined) return undefined;
  if (typeof nonce !== 'string' || typeof timestamp !== 'string' || typeof proof !== 'string' || !NONCE.test(nonce) || !TIMESTAMP.test(timestamp) || !PROOF.test(proof)) {
    throw refused('proof_invalid', `Send ${AGENT_PROOF_HEADERS.nonce}, ${AGENT_PROOF_HEADERS.timestamp} and ${AGENT_PROOF_HEADERS.proof} together, each once and well-formed.`);
  }
  return { nonce, timestamp, proof };
}

/**
 * The nonces of recently verified requests, so a captured request cannot be sent again. Bounded: a
 * request older than the window is refused anyway, and a nonce is forgotten only by raising the floor
 * to its timestamp — a request stamped at or before the floor is refused — so no forgotten nonce is
 * ever accepted again (even when the clock is set back; then the client is refused until the clock
 * passes the floor, which fails closed).
 */
export class NonceLedger {
  private readonly seen = new Map<string, number>(); // nonce → timestamp, in arrival order
  private floor = Number.NEGATIVE_INFINITY;

  constructor(
    /** Wall-clock time: the timestamp comes from another process. */
    private readonly now: () => number = Date.now,
    private readonly windowMs = AGENT_PROOF_WINDOW_MS,
    private readonly capacity = 4096,
  ) {}

  /** Why a request stamped `timestamp` with `nonce` may not be accepted, or undefined when it may. */
  refusal(nonce: string, timestamp: number): 'stale' | 'replayed' | undefined {
    const now = this.now();
    if (timestamp < now - this.windowMs || timestamp > now + this.windowMs || timestamp <= this.floor) return 'stale';
    return this.seen.has(nonce) ? 'replayed' : undefined;
  }

  /** Records a verified request's nonce; false when it may not be accepted (seen meanwhile, stale). */
  claim(nonce: string, timestamp: number): boolean {
    if (this.refusal(nonce, timestamp) !== undefined) return false;
    const oldest = this.now() - this.windowMs;
    for (const [n, t] of this.seen) {
      if (t >= oldest && this.seen.size < this.capacity) break;
      this.forget(n, t);
    }
    this.seen.set(nonce, timestamp);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private forget(nonce: string, timestamp: number): void {
    this.seen.delete(nonce);
    this.floor = Math.max(this.floor, timestamp);
  }
}

/**
 * Verifies a proof request against its body and accepts its nonce; from then on every answer on `res`
 * (decisions and errors alike, through sendJson) carries the answer proof. Throws a 401 otherwise.
 */
export function acceptProof(req: IncomingMessage, res: ServerResponse, p: ProofHeaders, body: string, token: string, nonces: NonceLedger): void {
  const timestamp = Number(p.timestamp);
  const early = nonces.refusal(p.nonce, timestamp);
  if (early === 'stale') throw refused('proof_stale', 'The request proof is too old or too far ahead of this clock; make a new one.');
  const expected = requestProof(token, { timestamp: p.timestamp, nonce: p.nonce, method: req.method ?? '', target: req.url ?? '', body });
  if (!secretsEqual(p.proof, expected)) throw refused('proof_invalid', 'The request proof does not match (wrong agent token, or the request was changed).');
  if (early === 'replayed' || !nonces.claim(p.nonce, timestamp)) throw refused('proof_replayed', 'This request was already received once; a proof is accepted once.');
  proveAnswers(res, (status, text) => ({ [AGENT_PROOF_HEADERS.answerProof]: answerProof(token, { nonce: p.nonce, status, body: text }) }));
}
