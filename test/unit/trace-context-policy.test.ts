// W3C trace context: derived ids (known vectors), strict traceparent parsing, and which trace wins.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatTraceparent,
  nonZeroHex,
  parseTraceparent,
  spanIdForRequest,
  traceContextFor,
  traceIdForRun,
} from '../../electron/core/evidence/trace-context-policy.js';

const SESSION = '5b0e6f3c-9a41-4c7e-8d2f-1f6a3b9c7e21'; // the fixtures' session and prompt
const PROMPT = 'c3f1a7d2-4e8b-4b6a-9c0d-2e7f5a1b8d44';
const VALID = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'; // the W3C spec's example

describe('traceIdForRun', () => {
  it('matches known vectors (first 16 bytes of SHA-256 over the domain-separated string)', () => {
    expect(traceIdForRun('s1', 'p1')).toBe('446a85275aab4bb4513f08e94c3beb31');
    expect(traceIdForRun('s1')).toBe('560ff42d0202717da09302c56f6104ca');
    expect(traceIdForRun(SESSION, PROMPT)).toBe('bbc1d344758c62f8f9f1558b7df46814');
    const manual = createHash('sha256').update(`cowork-companion/trace/v1\0${SESSION}\0${PROMPT}`).digest('hex').slice(0, 32);
    expect(traceIdForRun(SESSION, PROMPT)).toBe(manual);
  });

  it('is 32 lowercase hex chars and the same for the same run', () => {
    const id = traceIdForRun(SESSION, PROMPT);
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(traceIdForRun(SESSION, PROMPT)).toBe(id);
  });

  it('differs across prompts of one session and across sessions', () => {
    const ids = new Set([traceIdForRun(SESSION, PROMPT), traceIdForRun(SESSION, 'other-prompt'), traceIdForRun(SESSION), traceIdForRun('other-session', PROMPT)]);
    expect(ids.size).toBe(4);
  });

  it('treats a missing prompt id like an empty one', () => {
    expect(traceIdForRun(SESSION, undefined)).toBe(traceIdForRun(SESSION, ''));
  });
});

describe('spanIdForRequest', () => {
  it('matches a known vector and is 16 lowercase hex chars', () => {
    expect(spanIdForRequest('req-1')).toBe('d4fbe3eb88f3abb4');
    expect(spanIdForRequest('9d4b7a52-6f0e-4f62-9a0e-3c2c8c1f0d11')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('differs per request and never collides with the trace domain', () => {
    expect(spanIdForRequest('a')).not.toBe(spanIdForRequest('b'));
    expect(spanIdForRequest('s1')).not.toBe(traceIdForRun('s1').slice(0, 16));
  });
});

describe('nonZeroHex', () => {
  it('never returns an all-zero id', () => {
    expect(nonZeroHex('0'.repeat(32))).toBe(`${'0'.repeat(31)}1`);
    expect(nonZeroHex('0'.repeat(16))).toBe(`${'0'.repeat(15)}1`);
    expect(nonZeroHex('00ab')).toBe('00ab');
  });
});

describe('parseTraceparent', () => {
  it('parses the W3C example', () => {
    expect(parseTraceparent(VALID)).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: '00f067aa0ba902b7', sampled: true, traceFlags: 1 });
  });

  it('reads the sampled bit from the flags', () => {
    expect(parseTraceparent(VALID.replace(/-01$/, '-00'))?.sampled).toBe(false);
    expect(parseTraceparent(VALID.replace(/-01$/, '-03'))).toMatchObject({ sampled: true, traceFlags: 3 });
    expect(parseTraceparent(VALID.replace(/-01$/, '-02'))?.sampled).toBe(false);
  });

  it('ignores surrounding HTTP whitespace only', () => {
    expect(parseTraceparent(` ${VALID}\t`)).toBeDefined();
    expect(parseTraceparent(`${VALID}\n`)).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['version 01', VALID.replace(/^00/, '01')],
    ['version ff', VALID.replace(/^00/, 'ff')],
    ['uppercase hex', VALID.toUpperCase()],
    ['uppercase trace id', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01'],
    ['all-zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
    ['all-zero parent id', `00-4bf92f3577b34da6a3ce929d0e0e4736-${'0'.repeat(16)}-01`],
    ['short trace id', '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01'],
    ['long parent id', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b70-01'],
    ['trailing data (56 chars)', `${VALID}-`],
    ['extra field', `${VALID}-abc`],
    ['non-hex', '00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01'],
    ['one-digit flags', '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1'],
    ['wrong separators', '00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01'],
    ['inner whitespace', '00- 4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01'],
  ])('rejects %s', (_label, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });

  it('rejects non-strings', () => {
    expect(parseTraceparent(undefined)).toBeUndefined();
    expect(parseTraceparent(null)).toBeUndefined();
    expect(parseTraceparent(42 as unknown as string)).toBeUndefined();
  });

  it('round-trips with formatTraceparent', () => {
    const p = parseTraceparent(VALID)!;
    expect(formatTraceparent({ traceId: p.traceId, spanId: p.parentSpanId, traceFlags: p.traceFlags })).toBe(VALID);
  });
});

describe('traceContextFor', () => {
  it('derives the run trace when the agent passed no traceparent', () => {
    const ctx = traceContextFor({ sessionId: SESSION, promptId: PROMPT, requestId: 'approval-1' });
    expect(ctx).toEqual({ traceId: traceIdForRun(SESSION, PROMPT), spanId: spanIdForRequest('approval-1'), traceFlags: 1, source: 'derived' });
    expect(ctx.parentSpanId).toBeUndefined();
  });

  it('puts every request of one run in one trace, each in its own span', () => {
    const a = traceContextFor({ sessionId: SESSION, promptId: PROMPT, requestId: 'approval-1' });
    const b = traceContextFor({ sessionId: SESSION, promptId: PROMPT, requestId: 'approval-2' });
    expect(a.traceId).toBe(b.traceId);
    expect(a.spanId).not.toBe(b.spanId);
    const nextPrompt = traceContextFor({ sessionId: SESSION, promptId: 'next-prompt', requestId: 'approval-3' });
    expect(nextPrompt.traceId).not.toBe(a.traceId);
  });

  it("uses the agent's valid traceparent: its trace id, its span as parent, its flags", () => {
    const ctx = traceContextFor({ sessionId: SESSION, promptId: PROMPT, requestId: 'approval-1', traceparent: VALID.replace(/-01$/, '-00') });
    expect(ctx).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: spanIdForRequest('approval-1'),
      parentSpanId: '00f067aa0ba902b7',
      traceFlags: 0,
      source: 'agent',
    });
  });

  it('falls back to the derived trace when the traceparent is invalid', () => {
    const ctx = traceContextFor({ sessionId: SESSION, promptId: PROMPT, requestId: 'approval-1', traceparent: VALID.toUpperCase() });
    expect(ctx.source).toBe('derived');
    expect(ctx.traceId).toBe(traceIdForRun(SESSION, PROMPT));
    expect(ctx.parentSpanId).toBeUndefined();
  });
});

// The ids as first written (createHash, `?? ''` for a missing prompt): the oracle for the one-shot
// hash and the memos in front of it.
function oracleHex(input: string, bytes: number): string {
  const hex = createHash('sha256').update(input, 'utf8').digest().subarray(0, bytes).toString('hex');
  return /^0+$/.test(hex) ? `${hex.slice(0, -1)}1` : hex;
}

describe('derived ids against the original computation', () => {
  // Few distinct sessions and prompts, so runs repeat (the memos answer) and interleave (they miss).
  const session = fc.oneof(fc.constantFrom(SESSION, 's1', ''), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 10 }));
  const prompt = fc.oneof(fc.constantFrom(PROMPT, undefined, ''), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 10 }));

  it('trace ids equal SHA-256 via createHash for any run, asked in any order and again', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(session, prompt), { minLength: 1, maxLength: 30 }), (runs) => {
        for (const [s, p] of [...runs, ...runs.slice().reverse(), ...runs]) {
          expect(traceIdForRun(s, p)).toBe(oracleHex(`cowork-companion/trace/v1\0${s}\0${p ?? ''}`, 16));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('span ids equal SHA-256 via createHash for any request id, and traceContextFor carries both', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uuid(), fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 20 })), session, prompt, (request, s, p) => {
        const span = oracleHex(`cowork-companion/span/v1\0${request}`, 8);
        expect(spanIdForRequest(request)).toBe(span);
        const ctx = traceContextFor({ sessionId: s, promptId: p, requestId: request });
        expect(ctx).toEqual({ traceId: oracleHex(`cowork-companion/trace/v1\0${s}\0${p ?? ''}`, 16), spanId: span, traceFlags: 1, source: 'derived' });
      }),
      { numRuns: 500 },
    );
  });

  it('a missing prompt id (undefined or a null from JSON) is the empty one, also right after another run', () => {
    const empty = oracleHex(`cowork-companion/trace/v1\0${SESSION}\0`, 16);
    traceIdForRun(SESSION, PROMPT);
    expect(traceIdForRun(SESSION, null as unknown as undefined)).toBe(empty);
    traceIdForRun(SESSION, PROMPT);
    expect(traceIdForRun(SESSION)).toBe(empty);
    expect(traceIdForRun(SESSION, 'null')).not.toBe(empty);
  });
});
