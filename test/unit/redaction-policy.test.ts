// Redaction before the journal: identity (keep / HMAC / drop), home paths, tool input; and the
// telemetry policy schema that configures it.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DROPPED_EMAIL,
  homePathPattern,
  redactAttributes,
  redactEvidenceEvent,
  redactionFingerprint,
  truncateText,
} from '../../electron/core/evidence/redaction-policy.js';
import type { AttributeValue } from '../../electron/core/evidence/evidence-event.js';
import {
  DEFAULT_REDACTION,
  DEFAULT_TELEMETRY_POLICY,
  IDENTITY_ATTRIBUTES,
  RedactionPolicySchema,
  TelemetryPolicySchema,
  isToolInputAttribute,
  type RedactionPolicy,
  type RedactionPolicyInput,
} from '../../shared/telemetry-policy-contract.js';

const KEY = 'k'.repeat(16) + '-policy-secret-0123456789';
const OTHER_KEY = 'another-policy-secret-abcdefghijklmnop';
const EMAIL = 'Dana.Kovac@Example.com';
const HOME = '/home/dana';
const policy = (p: RedactionPolicyInput = {}): RedactionPolicy => RedactionPolicySchema.parse(p);
const ctx = { home: HOME };
const hmacOf = (key: string, value: string) => `hmac-sha256:${createHmac('sha256', key).update(value).digest('hex')}`;

const identityAttrs = (): Record<string, AttributeValue> => ({
  'event.id': 'e1',
  'user.email': EMAIL,
  'user.id': 'dana',
  'user.name': 'Dana Kovač',
  'host.user': 'dana',
  'enduser.id': 'dana.kovac@example.com',
  'session.id': 's1',
  'decision.reason': `Denied by ${EMAIL} (copy to dana.kovac@example.com): /home/dana/secrets is private.`,
  'decision.latency_ms': 12,
  'policy.fail_closed': false,
});

describe('identity: keep', () => {
  it('keeps identity attributes and addresses in text', () => {
    const out = redactAttributes(identityAttrs(), policy({ identity: 'keep' }), ctx);
    expect(out['user.email']).toBe(EMAIL);
    expect(out['user.id']).toBe('dana');
    expect(out['decision.reason']).toContain(EMAIL);
  });
});

describe('identity: drop', () => {
  it('removes every identity attribute and every address in text', () => {
    const out = redactAttributes(identityAttrs(), policy({ identity: 'drop' }), ctx);
    for (const name of IDENTITY_ATTRIBUTES) expect(out).not.toHaveProperty(name);
    expect(out['decision.reason']).toBe(`Denied by ${DROPPED_EMAIL} (copy to ${DROPPED_EMAIL}): ~/secrets is private.`);
    expect(JSON.stringify(out).toLowerCase()).not.toContain('example.com');
    expect(out['session.id']).toBe('s1');
    expect(out['decision.latency_ms']).toBe(12);
    expect(out['policy.fail_closed']).toBe(false);
  });

  it('also scrubs URL-encoded addresses', () => {
    const out = redactAttributes({ 'decision.reason': 'GET /users?mail=dana.kovac%40example.com' }, policy({ identity: 'drop' }), ctx);
    expect(out['decision.reason']).toBe(`GET /users?mail=${DROPPED_EMAIL}`);
  });

  it('leaves things that only look a bit like addresses alone', () => {
    const text = 'npm i react@19.3.1 @scope/pkg@2.0.0; ssh to host; a @ b';
    expect(redactAttributes({ 'decision.reason': text }, policy({ identity: 'drop' }), ctx)['decision.reason']).toBe(text);
  });
});

describe('identity: hmac', () => {
  const r = policy({ identity: 'hmac', hmacKey: KEY });

  it('replaces identity attributes by HMAC-SHA256 with the policy key (not a plain hash)', () => {
    const out = redactAttributes(identityAttrs(), r, ctx);
    expect(out['user.email']).toBe(hmacOf(KEY, 'dana.kovac@example.com')); // addresses are lower-cased first
    expect(out['user.id']).toBe(hmacOf(KEY, 'dana'));
    expect(out['host.user']).toBe(hmacOf(KEY, 'dana'));
    expect(out['user.email']).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(out['user.email']).not.toContain(createHmac('sha256', '').update('dana.kovac@example.com').digest('hex'));
    expect(JSON.stringify(out).toLowerCase()).not.toContain('example.com');
  });

  it('is stable for one key, different across keys', () => {
    const a = redactAttributes(identityAttrs(), r, ctx);
    const b = redactAttributes(identityAttrs(), policy({ identity: 'hmac', hmacKey: KEY }), ctx);
    const c = redactAttributes(identityAttrs(), policy({ identity: 'hmac', hmacKey: OTHER_KEY }), ctx);
    expect(a['user.email']).toBe(b['user.email']);
    expect(c['user.email']).not.toBe(a['user.email']);
    expect(c['user.email']).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
  });

  it('gives an address in text the same pseudonym as the user.email attribute (joinable)', () => {
    const out = redactAttributes(identityAttrs(), r, ctx);
    const pseudo = out['user.email'] as string;
    expect(out['decision.reason']).toBe(`Denied by ${pseudo} (copy to ${pseudo}): ~/secrets is private.`);
    expect(out['enduser.id']).toBe(pseudo);
  });

  it('turns a numeric identity into a pseudonym string', () => {
    expect(redactAttributes({ 'user.id': 501 }, r, ctx)['user.id']).toBe(hmacOf(KEY, '501'));
  });

  it('is idempotent (redacting twice changes nothing)', () => {
    const once = redactAttributes(identityAttrs(), r, ctx);
    expect(redactAttributes(once, r, ctx)).toEqual(once);
  });

  it('never keeps identity when the key is missing (falls back to drop)', () => {
    const keyless = { ...r, hmacKey: undefined } as RedactionPolicy;
    const out = redactAttributes(identityAttrs(), keyless, ctx);
    expect(out).not.toHaveProperty('user.email');
    expect(JSON.stringify(out).toLowerCase()).not.toContain('example.com');
    expect(out['redaction.policy']).toBe('identity=drop,home=~,input=off');
  });
});

describe('the person on a decision: the OS account in user.name, as the core emits it', () => {
  const person = { 'event.id': 'e1', 'user.name': 'dana.kovac', 'user.email': EMAIL, 'decision.reason': 'Approved in Cowork Companion' };

  it('keep: exported as it is', () => {
    expect(redactAttributes(person, policy({ identity: 'keep' }), ctx)).toMatchObject({ 'user.name': 'dana.kovac', 'user.email': EMAIL });
  });

  it('hmac: the login becomes a keyed pseudonym (trimmed, case kept), like user.id was', () => {
    const out = redactAttributes({ ...person, 'user.name': ' dana.kovac ' }, policy({ identity: 'hmac', hmacKey: KEY }), ctx);
    expect(out['user.name']).toBe(hmacOf(KEY, 'dana.kovac'));
    expect(JSON.stringify(out)).not.toContain('dana.kovac"');
  });

  it('drop: removed', () => {
    const out = redactAttributes(person, policy({ identity: 'drop' }), ctx);
    expect(out).not.toHaveProperty('user.name');
    expect(out).not.toHaveProperty('user.email');
  });
});

describe('an e-mail address never survives drop or hmac, in any attribute (property)', () => {
  const key = fc.string({ minLength: 1, maxLength: 20 }).filter((k) => k !== 'event.id' && k !== 'redaction.policy');
  const filler = fc.string({ maxLength: 30 }).map((s) => s.replace(/[@%]/g, ''));
  for (const identity of ['drop', 'hmac'] as const) {
    it(`identity=${identity}`, () => {
      const r = policy(identity === 'hmac' ? { identity, hmacKey: KEY, exportToolInput: true, toolInputMaxChars: 40 } : { identity, exportToolInput: true, toolInputMaxChars: 40 });
      fc.assert(
        fc.property(fc.emailAddress(), key, filler, filler, fc.constantFrom(' ', '"', '<', '(', '\n', ': '), (email, name, before, after, sep) => {
          const value = `${before}${sep}${email}${sep === '<' ? '>' : sep === '(' ? ')' : ' '}${after}`;
          const out = redactAttributes({ [name]: value, 'tool_input': `${'x'.repeat(30)} ${email} tail`, 'user.email': email }, r, { home: HOME });
          const json = JSON.stringify(out).toLowerCase();
          const at = email.lastIndexOf('@');
          expect(json).not.toContain(email.toLowerCase());
          expect(json).not.toContain(email.slice(at).toLowerCase()); // not even "@domain"
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('home folder paths', () => {
  const shorten = (value: string, home = HOME, shortenHomePaths = true) =>
    redactAttributes({ v: value }, policy({ shortenHomePaths }), { home })['v'];

  it.each([
    ['/home/dana', '~'],
    ['/home/dana/work/payments-api', '~/work/payments-api'],
    ['/home/dana/', '~/'],
    ['/home/dana2/x', '/home/dana2/x'],
    ['/home/danaX', '/home/danaX'],
    ['/home/dana.bak/x', '/home/dana.bak/x'],
    ['/home/dan/x', '/home/dan/x'],
    ['/srv/home/dana/x', '/srv/home/dana/x'],
    ['/HOME/dana/x', '/HOME/dana/x'],
    ['/home/dana\\x', '/home/dana\\x'], // a backslash is a file name character on POSIX
    ['Blocked: /home/dana/.ssh/id_rsa is a protected location.', 'Blocked: ~/.ssh/id_rsa is a protected location.'],
    ['cannot verify the path "/home/dana/a b": ENOENT.', 'cannot verify the path "~/a b": ENOENT.'],
    ['inside the shared folders /home/dana/a, /home/dana/b.', 'inside the shared folders ~/a, ~/b.'],
    ['scope.shared-folder:read-write:/home/dana/proj', 'scope.shared-folder:read-write:~/proj'],
    ['ends at home /home/dana.', 'ends at home ~.'],
    ['(/home/dana)', '(~)'],
    ['HOME=/home/dana;x', 'HOME=~;x'],
  ])('%s → %s', (input, expected) => {
    expect(shorten(input)).toBe(expected);
  });

  it('accepts a home with a trailing slash', () => {
    expect(shorten('/home/dana/x', '/home/dana/')).toBe('~/x');
  });

  it('never shortens roots or empty homes', () => {
    expect(shorten('/etc/passwd', '/')).toBe('/etc/passwd');
    expect(shorten('/etc/passwd', '')).toBe('/etc/passwd');
    expect(shorten('C:\\Windows', 'C:\\')).toBe('C:\\Windows');
    expect(shorten('relative/dana/x', 'relative/dana')).toBe('relative/dana/x');
    expect(homePathPattern('/')).toBeUndefined();
  });

  it('escapes regex characters in the home path', () => {
    expect(shorten('/home/a.b+c/x', '/home/a.b+c')).toBe('~/x');
    expect(shorten('/home/dana-k/x', '/home/dana-k')).toBe('~/x');
    expect(shorten('/Users/Dana (Work) $1 [x] {y} ^z|w?*/x', '/Users/Dana (Work) $1 [x] {y} ^z|w?*')).toBe('~/x');
    expect(shorten('C:\\Users\\dana-k.corp\\x', 'C:\\Users\\dana-k.corp')).toBe('~\\x');
    expect(shorten('/home/aXb+c/x', '/home/a.b+c')).toBe('/home/aXb+c/x');
  });

  it('keeps paths when shortenHomePaths is off', () => {
    expect(shorten('/home/dana/x', HOME, false)).toBe('/home/dana/x');
  });

  it('shortens cwd, scope.path, file.path and rules of real events', () => {
    const out = redactAttributes(
      { 'event.id': 'e', cwd: '/home/dana/proj', 'scope.path': '/home/dana/shared', 'file.path': '/home/dana/shared/a.txt', 'decision.rule': 'scope.forbidden:/home/dana/.ssh', 'scope.folder_count': 2 },
      DEFAULT_REDACTION,
      ctx,
    );
    expect(out).toMatchObject({ cwd: '~/proj', 'scope.path': '~/shared', 'file.path': '~/shared/a.txt', 'decision.rule': 'scope.forbidden:~/.ssh', 'scope.folder_count': 2 });
  });

  describe('Windows homes', () => {
    const WIN = 'C:\\Users\\dana';
    it.each([
      ['C:\\Users\\dana\\proj\\a.ts', '~\\proj\\a.ts'],
      ['C:\\Users\\dana', '~'],
      ['c:\\users\\DANA\\proj', '~\\proj'],
      ['C:/Users/dana/proj', '~/proj'],
      ['C:\\Users\\dana2\\proj', 'C:\\Users\\dana2\\proj'],
      ['D:\\Users\\dana\\proj', 'D:\\Users\\dana\\proj'],
      ['X:\\C:\\Users\\dana\\x', 'X:\\C:\\Users\\dana\\x'],
      ['Blocked: C:\\Users\\dana\\AppData\\x is protected.', 'Blocked: ~\\AppData\\x is protected.'],
    ])('%s → %s', (input, expected) => {
      expect(shorten(input, WIN)).toBe(expected);
    });

    it('handles a home given with forward slashes or a trailing separator', () => {
      expect(shorten('C:\\Users\\dana\\x', 'C:/Users/dana/')).toBe('~\\x');
    });

    it('handles UNC homes', () => {
      expect(shorten('\\\\fs01\\home\\dana\\x', '\\\\fs01\\home\\dana')).toBe('~\\x');
      expect(shorten('\\\\fs01\\home\\dana2\\x', '\\\\fs01\\home\\dana')).toBe('\\\\fs01\\home\\dana2\\x');
    });
  });
});

describe('tool input content', () => {
  const content = (): Record<string, AttributeValue> => ({
    'event.id': 'e',
    tool_name: 'Write',
    tool_input: '{"file_path":"/home/dana/a.ts","content":"secret"}',
    'tool_input.content': 'export const KEY = 1;',
    'tool_input.limit': 20,
    content: 'file body',
    prompt: 'do the thing',
    old_string: 'a',
    new_string: 'b',
    'file.content': 'body',
    cwd: '/home/dana/proj',
  });

  it('is removed by default', () => {
    const out = redactAttributes(content(), DEFAULT_REDACTION, ctx);
    expect(Object.keys(out).sort()).toEqual(['cwd', 'event.id', 'redaction.policy', 'tool_name']);
  });

  it('is kept when exported, scrubbed, and truncated to the limit with a marker', () => {
    const r = policy({ exportToolInput: true, toolInputMaxChars: 10, identity: 'drop' });
    const out = redactAttributes({ ...content(), prompt: 'a'.repeat(25), 'new_string': `mail ${EMAIL}` }, r, ctx);
    expect(out['prompt']).toBe(`${'a'.repeat(10)}…[truncated 15 chars]`);
    expect(out['old_string']).toBe('a');
    expect(out['tool_input.limit']).toBe(20);
    expect(out['tool_input']).toBe('{"file_pat…[truncated 31 chars]'); // cut after ~ shortening
    expect(out['new_string']).toBe(`mail ${DROPPED_EMAIL.slice(0, 5)}…[truncated 11 chars]`);
  });

  it('uses the default limit of 512 characters', () => {
    const out = redactAttributes({ content: 'x'.repeat(600) }, policy({ exportToolInput: true }), ctx);
    expect(out['content']).toBe(`${'x'.repeat(512)}…[truncated 88 chars]`);
  });

  it('recognises tool input attribute names', () => {
    for (const k of ['tool_input', 'tool_input.command', 'tool_parameters', 'content', 'prompt', 'old_string', 'new_string', 'new_source', 'file.content', 'edit.new_string']) {
      expect(isToolInputAttribute(k), k).toBe(true);
    }
    for (const k of ['tool_name', 'tool_use_id', 'contents_hash', 'prompt.id', 'decision.reason', 'cwd']) expect(isToolInputAttribute(k), k).toBe(false);
  });
});

describe('truncateText', () => {
  it('counts characters, never splits a surrogate pair, and is idempotent', () => {
    const emoji = '😀'.repeat(5);
    expect(truncateText(emoji, 3)).toBe('😀😀😀…[truncated 2 chars]');
    expect(truncateText(truncateText(emoji, 3), 3)).toBe('😀😀😀…[truncated 2 chars]');
    expect(truncateText('short', 10)).toBe('short');
  });
});

describe('redactAttributes in general', () => {
  it('never alters event.id, does not mutate its input, and stamps the fingerprint', () => {
    const input = { 'event.id': 'dana@example.com-not-really', 'user.email': EMAIL, 'redaction.policy': 'forged' };
    const copy = structuredClone(input);
    const r = policy({ identity: 'drop' });
    const out = redactAttributes(input, r, ctx);
    expect(input).toEqual(copy);
    expect(out['event.id']).toBe(input['event.id']);
    expect(out['redaction.policy']).toBe(redactionFingerprint(r));
  });

  it('is linear on a megabyte of text (no catastrophic backtracking)', () => {
    const big = `${'a.b-c'.repeat(200_000)}@`;
    const nasty = {
      a: `x@${'b-'.repeat(500_000)}`,
      b: '%40'.repeat(300_000),
      c: `${'b.'.repeat(500_000)}1`,
      d: `dana@${'b.'.repeat(500_000)}1`,
      e: `/home/dan${'/home/dana'.repeat(100_000)}`,
    };
    const started = performance.now();
    const out = redactAttributes({ 'decision.reason': big, tool_input: big, ...nasty }, policy({ identity: 'hmac', hmacKey: KEY, exportToolInput: true }), ctx);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(out['decision.reason']).toBe(big);
    expect(out['c']).toBe(nasty.c);
  });

  it('redacts a whole evidence event, keeping name, time and trace', () => {
    const event = { eventId: 'e', name: 'approval.requested' as const, time: 1, attributes: { 'event.id': 'e', cwd: '/home/dana/x' }, trace: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) } };
    expect(redactEvidenceEvent(event, DEFAULT_REDACTION, ctx)).toEqual({ ...event, attributes: { 'event.id': 'e', cwd: '~/x', 'redaction.policy': 'identity=keep,home=~,input=off' } });
  });
});

describe('redactionFingerprint', () => {
  it('describes the policy in a few words and never contains the key', () => {
    expect(redactionFingerprint(DEFAULT_REDACTION)).toBe('identity=keep,home=~,input=off');
    expect(redactionFingerprint(policy({ identity: 'drop', shortenHomePaths: false, exportToolInput: true, toolInputMaxChars: 100 }))).toBe('identity=drop,home=kept,input=100');
    const fp = redactionFingerprint(policy({ identity: 'hmac', hmacKey: KEY }));
    expect(fp).toMatch(/^identity=hmac,kid=[0-9a-f]{8},home=~,input=off$/);
    expect(fp).not.toContain(KEY);
    expect(fp).not.toContain(KEY.slice(0, 8));
  });

  it('identifies the key: a rotation is visible', () => {
    const a = redactionFingerprint(policy({ identity: 'hmac', hmacKey: KEY }));
    expect(redactionFingerprint(policy({ identity: 'hmac', hmacKey: KEY }))).toBe(a);
    expect(redactionFingerprint(policy({ identity: 'hmac', hmacKey: OTHER_KEY }))).not.toBe(a);
  });
});

describe('what is remembered between records gives what a fresh computation gives', () => {
  // isToolInputAttribute as first written (a `.${name}` built per name): the oracle.
  const TOOL_INPUT = ['tool_input', 'tool_parameters', 'content', 'prompt', 'old_string', 'new_string', 'new_source'];
  const oracleIsToolInput = (key: string): boolean =>
    key.startsWith('tool_input.') || key.startsWith('tool_parameters.') || TOOL_INPUT.some((name) => key === name || key.endsWith(`.${name}`));

  it('isToolInputAttribute agrees with the original on names made of the tricky pieces', () => {
    const piece = fc.constantFrom(...TOOL_INPUT, '.', '_', 'x', 'tool_input.', 'a.', 'prompt.id', 'content_hash', '');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 4 }).map((p) => p.join('')), (name) => {
        expect(isToolInputAttribute(name), name).toBe(oracleIsToolInput(name));
      }),
      { numRuns: 2000 },
    );
  });

  it('classifies names past the ones it remembers the same way (any names may be relayed)', () => {
    const r = policy({ identity: 'hmac', hmacKey: KEY });
    for (let i = 0; i < 1500; i++) redactAttributes({ [`relayed.${i}`]: 'v' }, r, ctx);
    const out = redactAttributes({ 'event.id': 'e', 'late.content': 'secret', 'user.account_id': 'dana', 'redaction.policy': 'forged', 'late.reason': `${HOME}/x` }, r, ctx);
    expect(out).toEqual({ 'event.id': 'e', 'user.account_id': hmacOf(KEY, 'dana'), 'late.reason': '~/x', 'redaction.policy': redactionFingerprint(r) });
  });

  // redactionFingerprint as first written (computed on every call): the oracle for the kept one.
  const oracleFingerprint = (r: RedactionPolicy): string => {
    const mode = r.identity === 'hmac' && !r.hmacKey ? 'drop' : r.identity;
    const kid = mode === 'hmac' && r.hmacKey ? [`kid=${createHmac('sha256', r.hmacKey).update('cowork-companion/redaction/key-id/v1').digest('hex').slice(0, 8)}`] : [];
    return [`identity=${mode}`, ...kid, `home=${r.shortenHomePaths ? '~' : 'kept'}`, `input=${r.exportToolInput ? String(r.toolInputMaxChars) : 'off'}`].join(',');
  };

  it('the fingerprint follows every change of the policy, one field at a time', () => {
    const anyPolicy = fc.record({
      identity: fc.constantFrom('keep' as const, 'hmac' as const, 'drop' as const),
      hmacKey: fc.constantFrom(undefined, KEY, OTHER_KEY),
      shortenHomePaths: fc.boolean(),
      exportToolInput: fc.boolean(),
      toolInputMaxChars: fc.constantFrom(1, 512, 513),
    });
    fc.assert(
      fc.property(fc.array(anyPolicy, { minLength: 1, maxLength: 12 }), (list) => {
        for (const p of list) {
          // Not parsed: hmac without a key is refused by the schema, and the fingerprint still copes.
          const { hmacKey, ...rest } = p;
          const r: RedactionPolicy = hmacKey === undefined ? rest : { ...rest, hmacKey };
          expect(redactionFingerprint(r)).toBe(oracleFingerprint(r));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('home shortening skips no match (text is only left alone when it cannot hold the home)', () => {
    const segment = fc.constantFrom('home', 'dana', 'Dana', 'd.k', 'a+b', 'x', 'dana2');
    const home = fc.array(segment, { minLength: 1, maxLength: 3 }).map((p) => `/${p.join('/')}`);
    fc.assert(
      fc.property(home, fc.array(fc.oneof(fc.constantFrom('/', ' ', '.', '"', '~', 'a', '/home', '/dana', '\\'), fc.string({ maxLength: 3 })), { maxLength: 8 }), (h, pieces) => {
        const text = pieces.map((p, i) => (i % 2 ? h : p)).join('') + pieces.join('');
        const pattern = homePathPattern(h)!;
        expect(redactAttributes({ 'decision.reason': text }, DEFAULT_REDACTION, { home: h })['decision.reason']).toBe(text.replace(pattern, '~'));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('TelemetryPolicySchema', () => {
  it('applies every default', () => {
    expect(DEFAULT_TELEMETRY_POLICY).toEqual({
      redaction: { identity: 'keep', shortenHomePaths: true, exportToolInput: false, toolInputMaxChars: 512 },
      journalLimitMb: 256,
    });
    expect(TelemetryPolicySchema.parse({ redaction: { identity: 'drop' } })).toEqual({
      redaction: { identity: 'drop', shortenHomePaths: true, exportToolInput: false, toolInputMaxChars: 512 },
      journalLimitMb: 256,
    });
  });

  it('accepts a full policy', () => {
    const full = {
      endpoint: 'https://otel.example.com:4318/v1/logs',
      headers: { authorization: 'Bearer abc.def', 'x-tenant': 'acme' },
      protocol: 'http/protobuf',
      redaction: { identity: 'hmac', hmacKey: KEY, shortenHomePaths: false, exportToolInput: true, toolInputMaxChars: 2000 },
      journalLimitMb: 1024,
    };
    expect(TelemetryPolicySchema.parse(full)).toEqual(full);
  });

  it('requires a key of 32+ characters for hmac', () => {
    const noKey = TelemetryPolicySchema.safeParse({ redaction: { identity: 'hmac' } });
    expect(noKey.success).toBe(false);
    expect(noKey.error?.issues[0]?.path).toEqual(['redaction', 'hmacKey']);
    expect(TelemetryPolicySchema.safeParse({ redaction: { identity: 'hmac', hmacKey: 'x'.repeat(31) } }).success).toBe(false);
    expect(TelemetryPolicySchema.safeParse({ redaction: { identity: 'hmac', hmacKey: 'x'.repeat(32) } }).success).toBe(true);
  });

  it.each([
    ['a non-http endpoint', { endpoint: 'ftp://otel.example.com/v1/logs' }],
    ['a file endpoint', { endpoint: 'file:///tmp/x' }],
    ['a javascript endpoint', { endpoint: 'javascript:alert(1)' }],
    ['a relative endpoint', { endpoint: '/v1/logs' }],
    ['an unknown protocol', { protocol: 'grpc' }],
    ['an unknown key', { endpoint: 'https://a.example', extra: true }],
    ['an unknown redaction key', { redaction: { identity: 'keep', hashEmails: true } }],
    ['an unknown identity mode', { redaction: { identity: 'hash' } }],
    ['a header with CR/LF', { headers: { authorization: 'Bearer a\r\nX-Evil: 1' } }],
    ['a bad header name', { headers: { 'bad header': 'x' } }],
    ['a fractional journal limit', { journalLimitMb: 1.5 }],
    ['a zero journal limit', { journalLimitMb: 0 }],
    ['a zero tool input limit', { redaction: { toolInputMaxChars: 0 } }],
    ['a string boolean', { redaction: { exportToolInput: 'yes' } }],
  ])('rejects %s', (_label, value) => {
    expect(TelemetryPolicySchema.safeParse(value).success).toBe(false);
  });
});
