import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManagedPolicySchema } from '../../shared/managed-policy-contract.js';
import { POLICY_SETTINGS } from '../../shared/managed-policy-layout.js';
import { POLICY_GROUPS, examplePolicy, policyMeta } from '../../shared/managed-policy-meta.js';

describe('policy metadata', () => {
  it('gives every setting a title, a description and examples that its own schema accepts', () => {
    expect(POLICY_SETTINGS.length).toBeGreaterThan(30);
    for (const setting of POLICY_SETTINGS) {
      const meta = policyMeta(setting.schema);
      expect(meta?.title, setting.key).toMatch(/\S/);
      expect(meta?.description, setting.key).toMatch(/\S{2,}/);
      expect(meta?.examples?.length, `${setting.key} examples`).toBeGreaterThan(0);
      for (const example of meta?.examples ?? []) expect(setting.schema.safeParse(example).success, `${setting.key}: ${JSON.stringify(example)}`).toBe(true);
    }
  });

  it('gives every object level (a Group Policy category) a title and a description', () => {
    expect(POLICY_GROUPS.map((g) => g.key)).toEqual(['approvals', 'watch', 'timeline', 'escalation', 'escalation.contact', 'telemetry', 'telemetry.redaction', 'claudeCode', 'organization']);
    for (const group of POLICY_GROUPS) {
      const meta = policyMeta(group.schema);
      expect(meta?.title, group.key).toMatch(/\S/);
      expect(meta?.description, group.key).toMatch(/\S/);
      for (const example of meta?.examples ?? []) expect(group.schema.safeParse(example).success, `${group.key}: ${JSON.stringify(example)}`).toBe(true);
    }
  });

  it('finds metadata under wrappers and reports none where there is none', () => {
    expect(policyMeta(z.string())).toBeUndefined();
    expect(policyMeta(z.string().meta({ title: 'T', description: 'D' }).optional())?.title).toBe('T');
    // Metadata that is not a title and description is not taken for one.
    expect(policyMeta(z.string().meta({ title: 'T' }))).toBeUndefined();
  });

  it('carries titles, descriptions and examples into the JSON Schema', () => {
    const json = z.toJSONSchema(ManagedPolicySchema, { io: 'input', target: 'draft-2020-12' }) as { properties: Record<string, { title?: string; description?: string; examples?: unknown[]; properties?: Record<string, { title?: string }> }> };
    expect(json.properties['allowPersonalRules']?.title).toBe('Allow personal rules');
    expect(json.properties['approvals']?.properties?.['timeoutSeconds']?.title).toBe('Approval timeout (seconds)');
    expect(json.properties['forbiddenPaths']?.examples?.length).toBeGreaterThan(0);
  });

  it('makes an example policy that the schema accepts as it is', () => {
    const example = examplePolicy();
    const parsed = ManagedPolicySchema.safeParse(example);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    // Every setting is in it: a full example shows IT every key.
    expect(Object.keys(example).sort()).toEqual(Object.keys(ManagedPolicySchema.shape).sort());
  });
});
