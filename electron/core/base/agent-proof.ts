// The proofs the command hook client and the agent API exchange instead of the agent token (formats in
// shared/agent-proof.ts). One copy, used by both sides: the hook client (electron/cli) and the server
// (electron/core/http). Only node:crypto, which the hook client pays for on every tool call (~7 ms).
import { createHmac, randomBytes } from 'node:crypto';
import { AGENT_PROOF_LABELS } from '../../../shared/agent-proof.js';

export interface RequestProofInput {
  timestamp: string;
  nonce: string;
  method: string;
  /** The request target as sent (`/hooks/claude-code`). */
  target: string;
  body: string | Uint8Array;
}

export interface AnswerProofInput {
  nonce: string;
  status: number;
  body: string | Uint8Array;
}

/** 128 random bits, base64url. */
export function newNonce(): string {
  return randomBytes(16).toString('base64url');
}

function mac(token: string, fields: readonly string[], body: string | Uint8Array): string {
  // No field can hold a newline (a label, digits, base64url, a method, a request target), and the body
  // comes last, so the text has one reading. The body inside the MAC (not its hash) saves the shell
  // client a hash process each way (bin/cowork-companion-hook).
  return createHmac('sha256', token).update(`${fields.join('\n')}\n`).update(body).digest('base64url');
}

/** What the hook client sends instead of the token: proves it holds the token, binds this body once. */
export function requestProof(token: string, r: RequestProofInput): string {
  return mac(token, [AGENT_PROOF_LABELS.request, r.timestamp, r.nonce, r.method.toUpperCase(), r.target], r.body);
}

/** What the companion adds to its answer: proves it holds the token, binds this answer to the request. */
export function answerProof(token: string, a: AnswerProofInput): string {
  return mac(token, [AGENT_PROOF_LABELS.answer, a.nonce, String(a.status)], a.body);
}
