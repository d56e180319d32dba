import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { examplePolicyText, policyJsonSchema, POLICY_SCHEMA_ID } from '../../electron/core/deploy/policy-json-schema.js';
import { readPolicyText } from '../../electron/core/policy/policy-file-policy.js';

const schema = policyJsonSchema();
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

describe('policy JSON Schema', () => {
  it('is draft 2020-12 with an id and a title, from the schema with defaults not required', () => {
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['$id']).toBe(POLICY_SCHEMA_ID);
    expect(schema['title']).toBe('Cowork Companion managed policy');
    expect(schema['required']).toBeUndefined();
    expect(validate({}), JSON.stringify(validate.errors)).toBe(true);
  });

  it('accepts the example policy, which the core reads without a warning', () => {
    const text = examplePolicyText();
    expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
    const reading = readPolicyText(text);
    expect(reading.ok, JSON.stringify(reading)).toBe(true);
    if (reading.ok) expect(reading.warnings).toEqual([]);
  });

  const invalid: [string, unknown][] = [
    ['a number out of range', { approvals: { timeoutSeconds: 2 } }],
    ['a value not in the enum', { outOfScope: 'allow' }],
    ['a string for a list', { forbiddenPaths: '~/.ssh' }],
    ['an empty path', { forbiddenPaths: [''] }],
    ['a number for a URL', { telemetry: { endpoint: 42 } }],
    ['a string for a boolean', { watch: { enabled: 'yes' } }],
    ['a fraction for a whole number', { stormPerMinute: 60.5 }],
    ['an unknown key in a strict policy', { strict: true, forbidenPaths: ['~/.ssh'] }],
    ['an unknown key inside approvals', { strict: true, approvals: { timeout: 30 } }],
    ['a rule without a tool', { rules: [{ match: { kind: 'any' } }] }],
    ['a shared folder with a bad mode', { sharedFolders: [{ path: '/srv', mode: 'write' }] }],
    ['a header name with a space', { telemetry: { headers: { 'x bad': 'v' } } }],
    ['a short HMAC key', { telemetry: { redaction: { hmacKey: 'short' } } }],
    ['identity "hmac" without a key', { telemetry: { redaction: { identity: 'hmac' } } }],
    ['a collector address that is not http(s)', { telemetry: { endpoint: 'ftp://otel.example.com/v1/logs' } }],
    ['a Claude Code collector address without a host', { claudeCode: { otlpEndpoint: 'https://' } }],
    ['a collector address with a password in it', { telemetry: { endpoint: 'https://user:s3cret@otel.example.com/v1/logs' } }],
    ['a Claude Code collector address with a user name in it', { claudeCode: { otlpEndpoint: 'http://token@otel.example.com:4318' } }],
  ];
  it.each(invalid)('rejects %s, as the core does', (_what, policy) => {
    expect(validate(policy)).toBe(false);
    expect(readPolicyText(JSON.stringify(policy)).ok).toBe(false);
  });

  it('accepts the addresses and HMAC settings the core accepts', () => {
    for (const policy of [
      { telemetry: { endpoint: 'HTTPS://otel.example.com:4318/v1/logs', redaction: { identity: 'hmac', hmacKey: 'k'.repeat(32) } } },
      { claudeCode: { otlpEndpoint: 'http://127.0.0.1:4318' } },
    ]) {
      expect(validate(policy), JSON.stringify(validate.errors)).toBe(true);
      expect(readPolicyText(JSON.stringify(policy)).ok).toBe(true);
    }
  });

  it('flags an unknown key where the core only warns (so an editor catches a typo before rollout)', () => {
    const policy = { forbidenPaths: ['~/.ssh'] };
    expect(validate(policy)).toBe(false);
    const reading = readPolicyText(JSON.stringify(policy));
    expect(reading.ok && reading.warnings.map((w) => w.path)).toEqual(['forbidenPaths']);
  });
});
