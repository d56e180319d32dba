// Precedence: parts come lowest first and a later one wins per setting (a list whole); each setting
// keeps the source that set it; rules spanning settings are checked on the merged policy.
import { describe, expect, it } from 'vitest';
import { mergeParts } from '../../electron/core/policy/policy-merge-policy.js';
import type { PolicyPart } from '../../electron/core/policy/policy-part-policy.js';

const part = (where: string, values: Record<string, unknown>, kind: PolicyPart['kind'] = 'file'): PolicyPart => ({ kind, where, values: new Map(Object.entries(values)), warnings: [] });

describe('merging policy sources', () => {
  it('a later source wins per setting; lists are replaced whole; the rest keeps the earlier value; origins say who set what', () => {
    const r = mergeParts([
      part('HKCU', { forbiddenPaths: ['C:\\a', 'C:\\b'], stormPerMinute: 100, 'approvals.timeoutSeconds': 60 }, 'registry'),
      part('HKLM', { forbiddenPaths: ['C:\\c'], 'approvals.onTimeout': 'hold' }, 'registry'),
    ]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.policy.forbiddenPaths).toEqual(['C:\\c']);
    expect(r.policy.stormPerMinute).toBe(100);
    expect(r.policy.approvals).toEqual({ timeoutSeconds: 60, onTimeout: 'hold' });
    expect(Object.fromEntries([...r.origins].map(([k, o]) => [k, o.where]))).toEqual({ forbiddenPaths: 'HKLM', stormPerMinute: 'HKCU', 'approvals.timeoutSeconds': 'HKCU', 'approvals.onTimeout': 'HKLM' });
    expect(r.sources).toEqual([
      { kind: 'registry', where: 'HKCU' },
      { kind: 'registry', where: 'HKLM' },
    ]);
    // Defaults fill what nobody set, and are not origins.
    expect(r.policy.allowUserFolders).toBe(true);
    expect(r.origins.has('allowUserFolders')).toBe(false);
  });

  it('a setting that only works with another one is checked merged, naming the sources involved', () => {
    const r = mergeParts([part('/etc/cowork-companion/policy.json', { 'telemetry.endpoint': 'https://otel.example.com/v1/logs' }), part('/etc/cowork-companion/policy.d/10-id.json', { 'telemetry.redaction.identity': 'hmac' }, 'drop-in')]);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems).toEqual([{ path: 'telemetry.redaction.hmacKey', message: expect.stringContaining('needs an hmacKey'), source: '/etc/cowork-companion/policy.d/10-id.json' }]);
    // The key from another source completes it.
    const ok = mergeParts([part('a', { 'telemetry.endpoint': 'https://otel.example.com/v1/logs', 'telemetry.redaction.hmacKey': 'k'.repeat(32) }), part('b', { 'telemetry.redaction.identity': 'hmac' })]);
    expect(ok.ok).toBe(true);
  });

  it("leaves out a per-user source that would make the merged policy invalid, so IT's own changes still apply", () => {
    // HKCU names an organisation contact without its name: merged, the policy would be invalid and the
    // last good one would stay, freezing what HKLM changes next.
    const user = { ...part('HKCU', { 'organization.contact': 'me@example.com' }, 'registry'), perUser: true };
    const r = mergeParts([user, part('HKLM', { allowBroadShares: false }, 'registry')]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.policy.allowBroadShares).toBe(false);
    expect(r.policy.organization).toBeUndefined();
    expect(r.warnings).toEqual([{ path: '(root)', source: 'HKCU', message: expect.stringMatching(/^not used: together with the machine's policy it makes the policy invalid \(organization\.name: /) }]);
    // Machine sources that are invalid together still fail: that is IT's to fix.
    const machine = mergeParts([user, part('/etc/p.json', { 'telemetry.redaction.identity': 'hmac', 'telemetry.endpoint': 'https://otel.example.com/v1/logs' })]);
    expect(machine.ok).toBe(false);
  });
});
