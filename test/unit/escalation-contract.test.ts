// The policy's `escalation` key: the example as written, the limits, and a per-user source
// that may only add rules (never replace IT's, never reroute the contact).
import { describe, expect, it } from 'vitest';
import { ManagedPolicySchema } from '../../shared/managed-policy-contract.js';
import { escalationSeverity, ruleCondition } from '../../shared/escalation-contract.js';
import { mergeParts } from '../../electron/core/policy/policy-merge-policy.js';
import type { PolicyPart } from '../../electron/core/policy/policy-part-policy.js';

const EXAMPLE = {
  escalation: {
    contact: { name: 'Security desk', email: 'secdesk@example.com' },
    rules: [{ id: 'tool-errors', when: { toolErrors: { atLeast: 3, withinMinutes: 5 } }, action: 'hold' }],
  },
  rules: [{ toolName: 'mcp__github__*', effect: 'deny' }],
};

const part = (where: string, values: Record<string, unknown>, perUser = false): PolicyPart => ({ kind: 'registry', where, values: new Map(Object.entries(values)), warnings: [], ...(perUser ? { perUser } : {}) });
const rule = (id: string, when: unknown, action = 'notify') => ({ id, when, action });

describe('escalation policy', () => {
  it("takes the issue's example policy as written, strict", () => {
    const p = ManagedPolicySchema.parse({ strict: true, ...EXAMPLE });
    expect(p.escalation?.contact).toEqual({ name: 'Security desk', email: 'secdesk@example.com' });
    const [r] = p.escalation?.rules ?? [];
    expect(r && ruleCondition(r)).toEqual({ kind: 'toolErrors', atLeast: 3, withinMinutes: 5, highOnly: false });
    expect(r && escalationSeverity(r)).toBe('error');
    expect(escalationSeverity({ action: 'notify' })).toBe('warn');
    expect(escalationSeverity({ action: 'stop', severity: 'warn' })).toBe('warn');
  });

  it.each([
    ['two conditions', [rule('a', { denials: { atLeast: 1, withinMinutes: 1 }, gated: { atLeast: 1, withinMinutes: 1 } })]],
    ['no condition', [rule('a', {})]],
    ['atLeast 0', [rule('a', { denials: { atLeast: 0, withinMinutes: 1 } })]],
    ['a window over a day', [rule('a', { denials: { atLeast: 1, withinMinutes: 1441 } })]],
    ['an unknown action', [rule('a', { denials: { atLeast: 1, withinMinutes: 1 } }, 'kill')]],
    ['an unknown condition', [rule('a', { crashes: { atLeast: 1, withinMinutes: 1 } })]],
    ['a count without its window', [rule('a', { outOfScope: { atLeast: 2 } })]],
    ['out of scope with neither a count nor a severity', [rule('a', { outOfScope: {} })]],
    ['the same id twice', [rule('a', { denials: { atLeast: 1, withinMinutes: 1 } }), rule('a', { gated: { atLeast: 1, withinMinutes: 1 } })]],
    ['an id with spaces', [rule('a b', { denials: { atLeast: 1, withinMinutes: 1 } })]],
  ])('refuses %s', (_, rules) => {
    expect(ManagedPolicySchema.safeParse({ escalation: { rules } }).success).toBe(false);
  });

  it('takes out-of-scope by severity alone, or counted', () => {
    const p = ManagedPolicySchema.parse({ escalation: { rules: [rule('high', { outOfScope: { severity: 'high' } }, 'stop'), rule('many', { outOfScope: { atLeast: 5, withinMinutes: 10 } })] } });
    const [high, many] = p.escalation!.rules;
    expect(ruleCondition(high!)).toEqual({ kind: 'outOfScope', atLeast: 1, withinMinutes: 1440, highOnly: true });
    expect(ruleCondition(many!)).toEqual({ kind: 'outOfScope', atLeast: 5, withinMinutes: 10, highOnly: false });
  });

  it('refuses a contact that is not an address', () => {
    expect(ManagedPolicySchema.safeParse({ escalation: { contact: { email: 'not an address' } } }).success).toBe(false);
    expect(ManagedPolicySchema.safeParse({ escalation: { contact: { url: 'javascript:alert(1)' } } }).success).toBe(false);
    expect(ManagedPolicySchema.safeParse({ escalation: { contact: { url: 'https://help.example.com/sec' } } }).success).toBe(true);
  });

  it("adds a per-user source's rules to the machine's, whichever comes first, and never takes its contact", () => {
    const machine = part('HKLM', { 'escalation.rules': EXAMPLE.escalation.rules, 'escalation.contact.name': 'Security desk' });
    const user = part('HKCU', { 'escalation.rules': [rule('mine', { denials: { atLeast: 2, withinMinutes: 5 } })], 'escalation.contact.name': 'Me' }, true);
    for (const order of [[user, machine], [machine, user]]) {
      const r = mergeParts(order);
      expect(r.ok).toBe(true);
      if (!r.ok) continue;
      expect(r.policy.escalation?.rules.map((x) => x.id).sort()).toEqual(['mine', 'tool-errors']);
      expect(r.policy.escalation?.contact?.name).toBe('Security desk');
      expect(r.warnings.map((w) => w.path)).toContain('escalation.contact.name');
    }
    // A per-user rule that reuses IT's id makes the merge invalid: the per-user source is left out, IT's rule stays.
    const clash = mergeParts([machine, part('HKCU', { 'escalation.rules': [rule('tool-errors', { denials: { atLeast: 1, withinMinutes: 1 } })] }, true)]);
    expect(clash.ok && clash.policy.escalation?.rules).toEqual([{ ...EXAMPLE.escalation.rules[0] }]);
  });
});
