// macOS managed preferences and configuration profiles as policy: binary plists (made with
// bplist-creator, as the MDM agent writes them) and XML ones (the plist library), read through
// POLICY_SETTINGS like every other source.
import bplistCreator from 'bplist-creator';
import { build, type PlistValue } from 'plist';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { checkPolicyBytes } from '../../electron/core/policy/policy-check-policy.js';
import { parsePlistBytes, plistPart, profilePolicy } from '../../electron/core/policy/plist-policy.js';

const WHERE = '/Library/Managed Preferences/com.coworkcompanion.app.plist';
const POLICY = {
  allowUserFolders: false,
  forbiddenPaths: ['/Volumes/Finance'],
  approvals: { timeoutSeconds: 120, onTimeout: 'hold' },
  rules: [],
  organization: { name: 'Example Corp' },
};
const EXPECTED = { allowUserFolders: false, forbiddenPaths: ['/Volumes/Finance'], 'approvals.timeoutSeconds': 120, 'approvals.onTimeout': 'hold', rules: [], 'organization.name': 'Example Corp' };

describe('managed preferences plist', () => {
  it('reads a binary plist (bplist00) and an XML one to the same settings', () => {
    const binary = bplistCreator(POLICY);
    expect(binary.subarray(0, 8).toString('latin1')).toBe('bplist00');
    const xml = Buffer.from(build(POLICY));
    for (const bytes of [binary, xml]) {
      const r = plistPart('managed-preferences', WHERE, bytes);
      expect(r.ok && Object.fromEntries(r.part.values)).toEqual(EXPECTED);
    }
  });

  it('unknown keys are warnings with the closest known name; a wrong type or range is an error with its key path', () => {
    const warn = plistPart('managed-preferences', WHERE, bplistCreator({ allowUserFolder: false, approvals: { timeoutSecond: 60 } }));
    expect(warn.ok && warn.part.warnings).toEqual([
      { path: 'allowUserFolder', message: 'unknown key "allowUserFolder"; did you mean "allowUserFolders"?', source: WHERE },
      { path: 'approvals.timeoutSecond', message: 'unknown key "timeoutSecond"; did you mean "timeoutSeconds"?', source: WHERE },
    ]);
    const bad = plistPart('managed-preferences', WHERE, Buffer.from(build({ allowUserFolders: 'no', approvals: { timeoutSeconds: 1 }, watch: true })));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems.map((p) => p.path)).toEqual(['watch', 'allowUserFolders', 'approvals.timeoutSeconds']);
  });

  it('an invalid plist keeps its unknown keys as warnings, apart from its errors (strict makes them errors)', () => {
    const loose = checkPolicyBytes('policy.plist', Buffer.from(build({ stormPerMinute: 1, colour: 'blue' })));
    expect(loose).toEqual({ file: 'policy.plist', valid: false, errors: [expect.objectContaining({ path: 'stormPerMinute' })], warnings: [{ path: 'colour', message: 'unknown key "colour"' }] });
    const strict = checkPolicyBytes('policy.plist', Buffer.from(build({ strict: true, stormPerMinute: 1, colour: 'blue' })));
    expect(strict.errors.map((p) => p.path)).toEqual(['stormPerMinute', 'colour']);
    expect(strict.warnings).toEqual([]);
  });

  it('a file that is not a property list is a syntax fault naming the file', () => {
    const r = plistPart('managed-preferences', WHERE, Buffer.from('{"allowUserFolders": false}'));
    expect(r).toMatchObject({ ok: false, fault: 'syntax', where: WHERE, problems: [{ path: '(root)', message: expect.stringMatching(/^not a property list/), source: WHERE }] });
  });

  it("a broken plist's problem quotes none of its text (a secret may be in it), at most the place", () => {
    const secret = 'Bearer sk-live-0123456789abcdef';
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>telemetry</key><dict><key>headers</key><dict><key>authorization</key><string>${secret}</strin></dict></dict></dict></plist>`;
    const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    onTestFinished(() => {
      printed.mockRestore();
      warned.mockRestore();
    });
    for (const bytes of [Buffer.from(xml), Buffer.concat([Buffer.from('bplist00'), Buffer.from(secret)])]) {
      const r = plistPart('managed-preferences', WHERE, bytes);
      expect(r).toMatchObject({ ok: false, fault: 'syntax', problems: [{ path: '(root)', message: expect.stringMatching(/^not a property list: neither a binary nor a valid XML plist/) }] });
      expect(JSON.stringify(r)).not.toContain('sk-live');
    }
    // Nor is any of it printed (xmldom's default reporter writes the text to the console).
    expect([...printed.mock.calls, ...warned.mock.calls]).toEqual([]);
  });
});

describe('configuration profile payload', () => {
  const profile = (payload: Record<string, PlistValue>): Buffer =>
    Buffer.from(build({ PayloadType: 'Configuration', PayloadIdentifier: 'com.example.cc', PayloadUUID: 'A', PayloadVersion: 1, PayloadContent: [{ PayloadType: 'com.apple.wifi.managed' }, payload] }));

  it('finds a direct preference-domain payload (Payload* keys are bookkeeping, not policy)', () => {
    const bytes = profile({ PayloadType: 'com.coworkcompanion.app', PayloadUUID: 'B', PayloadIdentifier: 'x', PayloadVersion: 1, ...POLICY });
    const r = plistPart('managed-preferences', 'p.mobileconfig', bytes, true);
    expect(r.ok && Object.fromEntries(r.part.values)).toEqual(EXPECTED);
    expect(r.ok && r.part.warnings).toEqual([]);
  });

  it('finds a Custom Settings payload (com.apple.ManagedClient.preferences, Forced mcx_preference_settings)', () => {
    const bytes = profile({ PayloadType: 'com.apple.ManagedClient.preferences', PayloadContent: { 'com.coworkcompanion.app': { Forced: [{ mcx_preference_settings: POLICY }] } } });
    expect(profilePolicy(parsePlistBytes(bytes))).toEqual(POLICY);
    const r = plistPart('managed-preferences', 'p.mobileconfig', bytes, true);
    expect(r.ok && Object.fromEntries(r.part.values)).toEqual(EXPECTED);
  });

  it('a profile without a payload for the domain is an error', () => {
    const r = plistPart('managed-preferences', 'p.mobileconfig', profile({ PayloadType: 'com.example.other' }), true);
    expect(r).toMatchObject({ ok: false, problems: [{ message: 'no payload for com.coworkcompanion.app in this profile' }] });
  });
});
