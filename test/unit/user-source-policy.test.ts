// A per-user policy source (macOS user profile, HKCU) can only tighten: the one table decides every
// setting, the merge takes only what tightens from such a source, and says why the rest is not taken.
import { describe, expect, it } from 'vitest';
import { POLICY_SETTINGS } from '../../shared/managed-policy-layout.js';
import { mergeParts } from '../../electron/core/policy/policy-merge-policy.js';
import type { PolicyPart } from '../../electron/core/policy/policy-part-policy.js';
import { USER_SOURCE_RULES, userSourcePart, userSourceReading } from '../../electron/core/policy/user-source-policy.js';

const USER = '/Library/Managed Preferences/ana/com.coworkcompanion.app.plist';
const MACHINE = '/Library/Managed Preferences/com.coworkcompanion.app.plist';
const part = (where: string, values: Record<string, unknown>, perUser = false): PolicyPart => ({ kind: 'managed-preferences', where, values: new Map(Object.entries(values)), warnings: [], ...(perUser ? { perUser } : {}) });

/** What a standard user's own profile would set to get past IT (the security review's list). */
const LOOSENING: Record<string, unknown> = {
  rules: [{ toolName: 'Bash', match: { kind: 'any' } }],
  sharedFolders: [{ path: '/', mode: 'read-write' }],
  allowUserFolders: true,
  allowBroadShares: true,
  allowPersonalRules: true,
  outOfScope: 'ask',
  mcpPathArguments: { filesystem: [] },
  'approvals.sandboxedBash': 'allow',
  'watch.enabled': false,
  'watch.exclude': ['/'],
  'watch.sentinelRoots': ['/tmp/nothing'],
  stormPerMinute: 10_000,
  autostart: false,
  strict: false,
  'telemetry.endpoint': 'https://evil.example.com/v1/logs',
  'telemetry.redaction.identity': 'drop',
  'claudeCode.telemetry': false,
};

describe('what a per-user source may set', () => {
  it('every policy setting is decided, and the table names no setting that does not exist', () => {
    const keys = POLICY_SETTINGS.map((s) => s.key);
    expect(keys.filter((k) => !(k in USER_SOURCE_RULES))).toEqual([]);
    expect(Object.keys(USER_SOURCE_RULES).filter((k) => !keys.includes(k))).toEqual([]);
    for (const [key, rule] of Object.entries(USER_SOURCE_RULES)) expect(rule.why.length, key).toBeGreaterThan(10);
  });

  it('nothing that widens what an agent may do or weakens the evidence is taken; each is a warning naming the key, the source and why', () => {
    const got = userSourcePart(part(USER, LOOSENING, true));
    expect([...got.values.keys()]).toEqual([]);
    expect(got.warnings.map((w) => w.path)).toEqual(Object.keys(LOOSENING));
    for (const w of got.warnings) {
      expect(w.source).toBe(USER);
      expect(w.message).toMatch(/^not taken: a per-user (profile cannot widen what IT allows|source can only tighten the policy)/);
    }
    expect(got.warnings.find((w) => w.path === 'rules')!.message).toBe('not taken: a per-user profile cannot widen what IT allows or weaken the evidence (rules allow requests automatically)');
    expect(got.warnings.find((w) => w.path === 'approvals.sandboxedBash')!.message).toContain('only "ask" does');
  });

  it('what only tightens is taken', () => {
    const tightening = {
      strict: true,
      forbiddenPaths: ['~/secret'],
      allowedRoots: ['~/Projects'],
      allowUserFolders: false,
      allowBroadShares: false,
      allowPersonalRules: false,
      autostart: true,
      outOfScope: 'deny',
      'approvals.timeoutSeconds': 30,
      'approvals.onTimeout': 'hold',
      'approvals.holdHours': 2,
      'approvals.sandboxedBash': 'ask',
      'watch.enabled': true,
      stormPerMinute: 20,
      'organization.name': 'Example Corp IT',
    };
    const got = userSourcePart(part(USER, tightening, true));
    expect(Object.fromEntries(got.values)).toEqual(tightening);
    expect(got.warnings).toEqual([]);
  });

  it('merged: the machine still wins over the user; a user value fills only where it tightens; a machine part is never filtered', () => {
    const r = mergeParts([part(USER, { ...LOOSENING, forbiddenPaths: ['~/mine'], allowUserFolders: false, 'approvals.sandboxedBash': 'ask' }, true), part(MACHINE, { allowUserFolders: true, rules: [{ toolName: 'Read', match: { kind: 'any' } }] })]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.policy.rules).toEqual([{ toolName: 'Read', match: { kind: 'any' }, effect: 'allow' }]);
    expect(r.policy.allowUserFolders).toBe(true);
    expect(r.policy.sharedFolders).toEqual([]);
    expect(r.policy.outOfScope).toBe('deny');
    expect(r.policy.watch).toBeUndefined();
    expect(r.policy.telemetry).toBeUndefined();
    expect(r.policy.stormPerMinute).toBe(60);
    expect(r.policy.forbiddenPaths).toEqual(['~/mine']);
    expect(r.policy.approvals?.sandboxedBash).toBe('ask');
    expect(r.origins.get('forbiddenPaths')?.where).toBe(USER);
    expect(r.origins.get('rules')?.where).toBe(MACHINE);
    expect(r.origins.has('sharedFolders')).toBe(false);
    expect(r.warnings.map((w) => w.path)).toContain('sharedFolders');
  });

  it('a per-user source with nothing it may set is not a source in force', () => {
    const r = mergeParts([part(USER, { rules: LOOSENING['rules'] }, true)]);
    expect(r.ok && r.sources).toEqual([]);
    expect(r.ok && r.policy.rules).toEqual([]);
  });
});

describe('a broken per-user source', () => {
  it('is left out with its problems as warnings (no last good policy kept for it); a good one is marked per-user', () => {
    const broken = userSourceReading({ ok: false, kind: 'registry', where: 'HKCU\\x', fault: 'schema', problems: [{ path: 'strict', message: 'expected boolean', source: 'HKCU\\x' }] });
    expect(broken).toEqual({
      ok: true,
      part: { kind: 'registry', where: 'HKCU\\x', values: new Map(), perUser: true, warnings: [{ path: 'strict', message: 'per-user source not used (schema): expected boolean', source: 'HKCU\\x' }] },
    });
    const good = userSourceReading({ ok: true, part: { kind: 'registry', where: 'HKCU\\x', values: new Map([['strict', true]]), warnings: [] } });
    expect(good.ok && good.part.perUser).toBe(true);
  });
});
