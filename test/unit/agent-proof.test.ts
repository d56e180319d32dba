// The proofs the hook client and the agent API exchange, and the ledger that accepts each nonce once.
import { describe, expect, it } from 'vitest';
import { answerProof, newNonce, secretsEqual, requestProof, type RequestProofInput } from '../../electron/core/base/index.js';
import { NonceLedger } from '../../electron/core/http/index.js';
import { AGENT_PROOF_LABELS } from '../../shared/agent-proof.js';
import { createHmac } from 'node:crypto';

const token = 'k'.repeat(43);
const base: RequestProofInput = { timestamp: '1700000000000', nonce: 'n'.repeat(22), method: 'POST', target: '/hooks/claude-code', body: '{"a":1}' };

describe('request and answer proofs', () => {
  it('are HMAC-SHA256 under the token over the label, the fields and then the body, joined by newlines', () => {
    const expected = createHmac('sha256', token)
      .update([AGENT_PROOF_LABELS.request, base.timestamp, base.nonce, 'POST', base.target, base.body].join('\n'))
      .digest('base64url');
    expect(requestProof(token, base)).toBe(expected);
    expect(answerProof(token, { nonce: base.nonce, status: 200, body: '{}' })).toBe(
      createHmac('sha256', token).update([AGENT_PROOF_LABELS.answer, base.nonce, '200', '{}'].join('\n')).digest('base64url'),
    );
  });

  it('change with every field they bind (a proof for one request proves no other)', () => {
    const proof = requestProof(token, base);
    const changes: Partial<RequestProofInput>[] = [{ timestamp: '1700000000001' }, { nonce: 'm'.repeat(22) }, { method: 'GET' }, { target: '/healthz' }, { body: '{"a":2}' }];
    for (const change of changes) expect(requestProof(token, { ...base, ...change }), JSON.stringify(change)).not.toBe(proof);
    expect(requestProof('j'.repeat(43), base)).not.toBe(proof);
    const answer = answerProof(token, { nonce: base.nonce, status: 200, body: '{}' });
    expect(answerProof(token, { nonce: base.nonce, status: 401, body: '{}' })).not.toBe(answer);
    expect(answerProof(token, { nonce: 'm'.repeat(22), status: 200, body: '{}' })).not.toBe(answer);
    expect(answerProof(token, { nonce: base.nonce, status: 200, body: '{ }' })).not.toBe(answer);
  });

  it('a request proof is never a valid answer proof (different labels)', () => {
    // The answer's fields spelled as a request's: still not the same MAC input.
    expect(requestProof(token, base)).not.toBe(answerProof(token, { nonce: base.nonce, status: 200, body: base.body }));
  });

  it('hash text and its UTF-8 bytes alike', () => {
    const body = '{"p":"/tmp/é✓"}';
    expect(answerProof(token, { nonce: base.nonce, status: 200, body: Buffer.from(body) })).toBe(answerProof(token, { nonce: base.nonce, status: 200, body }));
  });

  it('nonces are fresh 128-bit base64url values', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => newNonce()));
    expect(seen.size).toBe(1000);
    for (const n of seen) expect(n).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('secretsEqual compares exactly, whatever the lengths', () => {
    const p = requestProof(token, base);
    expect(secretsEqual(p, p)).toBe(true);
    expect(secretsEqual(p.slice(0, -1), p)).toBe(false);
    expect(secretsEqual(`${p}x`, p)).toBe(false);
    expect(secretsEqual('', p)).toBe(false);
  });
});

describe('the nonce ledger accepts each nonce once', () => {
  const W = 60_000;
  const ledger = (now: { t: number }, capacity = 8) => new NonceLedger(() => now.t, W, capacity);

  it('refuses a nonce a second time', () => {
    const now = { t: 1_000_000 };
    const l = ledger(now);
    expect(l.refusal('a', now.t)).toBeUndefined();
    expect(l.claim('a', now.t)).toBe(true);
    expect(l.refusal('a', now.t)).toBe('replayed');
    expect(l.claim('a', now.t)).toBe(false);
  });

  it('refuses timestamps outside the window either way', () => {
    const now = { t: 1_000_000 };
    const l = ledger(now);
    expect(l.refusal('a', now.t - W - 1)).toBe('stale');
    expect(l.refusal('a', now.t + W + 1)).toBe('stale');
    expect(l.claim('a', now.t - W - 1)).toBe(false);
    expect(l.refusal('a', now.t - W)).toBeUndefined();
  });

  it('stays bounded, and never accepts a nonce it forgot (capacity)', () => {
    const now = { t: 1_000_000 };
    const l = ledger(now, 4);
    for (let i = 0; i < 10; i++) expect(l.claim(`n${i}`, now.t - 100 + i)).toBe(true);
    expect(l.size).toBeLessThanOrEqual(4);
    for (let i = 0; i < 10; i++) expect(l.refusal(`n${i}`, now.t - 100 + i), `n${i}`).toBeDefined();
    // A fresh request still gets in.
    expect(l.claim('fresh', now.t)).toBe(true);
  });

  it('forgets expired nonces, and still refuses them when the clock is set back', () => {
    const now = { t: 1_000_000 };
    const l = ledger(now, 100);
    expect(l.claim('old', now.t)).toBe(true);
    now.t += 2 * W;
    expect(l.claim('new', now.t)).toBe(true);
    expect(l.size).toBe(1); // 'old' is forgotten…
    now.t -= 2 * W;
    expect(l.refusal('old', 1_000_000)).toBe('stale'); // …and still refused
  });
});
