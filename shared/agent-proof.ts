// The mutual proof between the command hook client and the companion's agent API, both keyed with the
// agent token, so the token itself never crosses the wire (docs/security.md, "The hook client and the
// companion prove themselves to each other"). Names and labels only, no imports: the hook client loads
// this on every tool call.
//
// Request:  nonce, timestamp, proof = HMAC-SHA256(token, [request label, timestamp, nonce, method,
//           request target, body] joined by "\n"). Each nonce is accepted once, within the window.
// Answer:   answer proof = HMAC-SHA256(token, [answer label, nonce, status, body] joined by "\n"), on
//           every answer to a request whose proof the companion verified.
// Computed on the Node side in electron/core/base/agent-proof.ts, in bash in bin/cowork-companion-hook.

/** HTTP header names (lower case, as Node reports them; HTTP header names ignore case). */
export const AGENT_PROOF_HEADERS = {
  /** A fresh random value per request (base64url, at least 128 bits). */
  nonce: 'x-cowork-nonce',
  /** When the client made the request: milliseconds since the epoch, decimal. */
  timestamp: 'x-cowork-timestamp',
  /** The request proof (base64url HMAC-SHA256). */
  proof: 'x-cowork-proof',
  /** The answer proof (base64url HMAC-SHA256). */
  answerProof: 'x-cowork-answer-proof',
} as const;

export const AGENT_PROOF_LABELS = {
  request: 'cowork-companion hook request v2',
  answer: 'cowork-companion hook answer v2',
} as const;

/** How far a request's timestamp may be from the companion's clock, either way. */
export const AGENT_PROOF_WINDOW_MS = 5 * 60 * 1000;
