// The one comparison of secrets: right answers whatever order secrets are checked in (the digest of
// the expected side is kept between calls).
import { describe, expect, it } from 'vitest';
import { secretsEqual } from '../../electron/core/base/secret-compare.js';

describe('secretsEqual', () => {
  it('matches only the same text, whatever the lengths', () => {
    expect(secretsEqual('token-a', 'token-a')).toBe(true);
    expect(secretsEqual('token-b', 'token-a')).toBe(false);
    expect(secretsEqual('token-a-longer', 'token-a')).toBe(false);
    expect(secretsEqual('', 'token-a')).toBe(false);
    expect(secretsEqual('', '')).toBe(true);
  });

  it('gives the same answers when the expected secret changes between calls', () => {
    const expected = ['agent-token', 'tag-1', 'agent-token', 'tag-2', 'tag-2', 'agent-token'];
    for (const e of expected) {
      expect(secretsEqual(e, e)).toBe(true);
      expect(secretsEqual('agent-token', e)).toBe(e === 'agent-token');
      expect(secretsEqual('tag-2', e)).toBe(e === 'tag-2');
    }
  });
});
