// IT policy is read only from files the user (and so the agent) cannot write. Real files, owners and
// modes: making a file owned by another user needs root, as on the CI machines. The Windows form of
// the rule (owner and ACLs as SDDL) is in windows-policy-trust.test.ts.
import { chmodSync, chownSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManagedPolicyService, untrustedPolicyReason } from '../../electron/core/policy/index.js';

const asRoot = process.getuid?.() === 0;

function policyIn(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cc-trust-'));
  const file = join(dir, 'policy.json');
  writeFileSync(file, JSON.stringify({ forbiddenPaths: ['/srv/secret'] }), { mode: 0o644 });
  return { dir, file };
}

describe.skipIf(!asRoot)('policy file trust (needs root to own and hand over files; CI runs as root)', () => {
  it('trusts a root-owned file in root-owned folders (a sticky /tmp above is fine)', () => {
    expect(untrustedPolicyReason(policyIn().file, 'linux')).toBeUndefined();
  });

  it('refuses a file a user owns, one anyone may write, and one below a folder anyone may write', () => {
    const owned = policyIn();
    chownSync(owned.file, 1000, 1000);
    expect(untrustedPolicyReason(owned.file, 'linux')).toMatch(/owned by a user \(uid 1000\)/);
    const open = policyIn();
    chmodSync(open.file, 0o666);
    expect(untrustedPolicyReason(open.file, 'linux')).toMatch(/writable by every user/);
    const folder = policyIn();
    const sub = join(folder.dir, 'it');
    mkdirSync(sub);
    chmodSync(sub, 0o777);
    writeFileSync(join(sub, 'policy.json'), '{}', { mode: 0o644 });
    expect(untrustedPolicyReason(join(sub, 'policy.json'), 'linux')).toMatch(/it is writable by every user/);
    const group = policyIn();
    chownSync(group.file, 0, 1000);
    chmodSync(group.file, 0o664);
    expect(untrustedPolicyReason(group.file, 'linux')).toMatch(/writable by its group/);
  });

  it('an untrusted --policy file is refused with a clear error and nothing is allowed automatically', () => {
    const { file } = policyIn();
    chownSync(file, 1000, 1000);
    const policy = new ManagedPolicyService(file, true);
    expect(policy.state).toMatchObject({ failClosed: true, error: expect.stringMatching(/refusing .*policy\.json as IT policy: .*owned by a user/) });
    expect(policy.state.policy.allowUserFolders).toBe(false);
  });
});
