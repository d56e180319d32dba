// The security review's findings on the policy service, with real files in a temp folder: a per-user
// source (a user-scope profile's plist, HKCU) cannot loosen IT's policy; `--policy FILE` cannot replace
// a machine's policy (this machine's sources are injected as temp paths: /etc is not written); a
// policy that fails closed turns everything that widens off. The registry is the stand-in for reg.exe.
import bplistCreator from 'bplist-creator';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { PolicyCommandError } from '../../electron/cli/policy-command.js';
import { runPolicyShow } from '../../electron/cli/policy-show-command.js';
import { FAIL_CLOSED_POLICY, ManagedPolicyService, PolicyOverrideError, readPolicyText, type PolicySourceSpec, type RegistryHive } from '../../electron/core/policy/index.js';

const trusted = (): undefined => undefined;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'cc-user-sources-'));
  dirs.push(d);
  return d;
}
let second = 5_000;
function put(file: string, bytes: string | Buffer): void {
  writeFileSync(file, bytes);
  second += 10;
  utimesSync(file, second, second);
}

/** What a standard user's own configuration profile would carry to get past IT. */
const LOOSE = {
  rules: [{ toolName: 'Bash', match: { kind: 'any' } }],
  sharedFolders: [{ path: '/', mode: 'read-write' }],
  allowUserFolders: true,
  approvals: { sandboxedBash: 'allow', timeoutSeconds: 60 },
  watch: { enabled: false },
  telemetry: { endpoint: 'https://evil.example.com/v1/logs' },
  forbiddenPaths: ['~/payroll'],
};

describe('a per-user source can only tighten', () => {
  it('macOS: the user profile (binary plist) gives nothing that widens; the machine profile applies; each dropped key is a warning naming the source', () => {
    const dir = tempDir();
    const user = join(dir, 'ana.plist');
    const machine = join(dir, 'machine.plist');
    put(user, bplistCreator(LOOSE));
    put(machine, bplistCreator({ allowUserFolders: false, organization: { name: 'Example Corp IT' } }));
    const sources: PolicySourceSpec[] = [
      { kind: 'managed-preferences', path: user, perUser: true },
      { kind: 'managed-preferences', path: machine },
    ];
    const service = new ManagedPolicyService(sources, false, trusted);
    const s = service.state;
    expect(s.fault).toBeUndefined();
    expect(s.policy).toMatchObject({ rules: [], sharedFolders: [], allowUserFolders: false, forbiddenPaths: ['~/payroll'], approvals: { timeoutSeconds: 60 } });
    expect(s.policy.approvals?.sandboxedBash).toBeUndefined();
    expect(s.policy.watch).toBeUndefined();
    expect(s.policy.telemetry).toBeUndefined();
    expect(Object.fromEntries(Object.entries(s.origins).map(([k, o]) => [k, o.where]))).toEqual({ forbiddenPaths: user, 'approvals.timeoutSeconds': user, allowUserFolders: machine, 'organization.name': machine });
    expect(s.problems.map((p) => [p.path, p.source])).toEqual([
      ['rules', user],
      ['sharedFolders', user],
      ['allowUserFolders', user],
      ['approvals.sandboxedBash', user],
      ['watch.enabled', user],
      ['telemetry.endpoint', user],
    ]);
    expect(s.problems[0]!.message).toContain('a per-user profile cannot widen what IT allows');
  });

  it('with no machine source at all, a user profile still cannot loosen anything', () => {
    const dir = tempDir();
    const user = join(dir, 'ana.plist');
    put(user, bplistCreator(LOOSE));
    const service = new ManagedPolicyService([{ kind: 'managed-preferences', path: user, perUser: true }], false, trusted);
    expect(service.state.policy.rules).toEqual([]);
    expect(service.state.policy.sharedFolders).toEqual([]);
    expect(service.state.policy.forbiddenPaths).toEqual(['~/payroll']);
  });

  it('a broken per-user source is left out with a warning: it cannot freeze the machine policy at its last good copy', () => {
    const dir = tempDir();
    const user = join(dir, 'ana.plist');
    const machine = join(dir, 'policy.json');
    put(user, bplistCreator({ forbiddenPaths: ['~/payroll'] }));
    put(machine, JSON.stringify({ stormPerMinute: 50 }));
    const service = new ManagedPolicyService([{ kind: 'managed-preferences', path: user, perUser: true }, { kind: 'file', path: machine }], false, trusted);
    expect(service.state.policy.forbiddenPaths).toEqual(['~/payroll']);
    put(user, 'not a plist');
    put(machine, JSON.stringify({ stormPerMinute: 40 }));
    expect(service.reload()).toBe(true);
    expect(service.state.fault).toBeUndefined();
    expect(service.state.failClosed).toBe(false);
    expect(service.state.policy.stormPerMinute).toBe(40);
    expect(service.state.policy.forbiddenPaths).toEqual([]);
    expect(service.state.problems).toEqual([{ path: '(root)', message: expect.stringMatching(/^per-user source not used \(syntax\): not a property list/), source: user }]);
  });

  it('Windows: HKCU is per-user — its rules and its "allow" are not taken, its tightening is; HKLM is taken whole', () => {
    const cu = 'HKEY_CURRENT_USER\\Software\\Policies\\CoworkCompanion';
    const lm = 'HKEY_LOCAL_MACHINE\\Software\\Policies\\CoworkCompanion';
    const lines = (...l: string[]): string => `${l.join('\r\n')}\r\n`;
    const reg: Record<RegistryHive, string | undefined> = {
      HKCU: lines(cu, '    rules    REG_SZ    [{"toolName":"Bash","match":{"kind":"any"}}]', '    allowPersonalRules    REG_DWORD    0x0', '', `${cu}\\approvals`, '    sandboxedBash    REG_SZ    allow'),
      HKLM: lines(lm, '    outOfScope    REG_SZ    ask'),
    };
    const service = new ManagedPolicyService([{ kind: 'registry', hive: 'HKCU', perUser: true }, { kind: 'registry', hive: 'HKLM' }], false, trusted, () => 1, { queryRegistry: (h) => reg[h] });
    expect(service.state.policy).toMatchObject({ rules: [], allowPersonalRules: false, outOfScope: 'ask' });
    expect(service.state.policy.approvals?.sandboxedBash).toBeUndefined();
    expect(service.state.problems.map((p) => p.path)).toEqual(['rules', 'approvals.sandboxedBash']);
  });
});

describe('--policy FILE cannot replace IT’s policy', () => {
  function machine(): { dir: string; system: PolicySourceSpec[]; main: string; dropIns: string; own: string } {
    const dir = tempDir();
    const own = join(dir, 'mine.json');
    put(own, JSON.stringify({ rules: [{ toolName: 'Bash', match: { kind: 'any' } }] }));
    const main = join(dir, 'etc', 'policy.json');
    const dropIns = join(dir, 'etc', 'policy.d');
    return { dir, own, main, dropIns, system: [{ kind: 'file', path: main }, { kind: 'drop-in', dir: dropIns }] };
  }

  it('refused at start while any system source is there (a file, a drop-in, a registry key), naming them', () => {
    const m = machine();
    mkdirSync(m.dropIns, { recursive: true });
    // An empty policy.d is no policy: --policy is used.
    const free = new ManagedPolicyService(m.own, true, trusted, undefined, { refuseWhenPresent: m.system });
    expect(free.state.policy.rules).toHaveLength(1);

    put(join(m.dropIns, '10-it.json'), '{}');
    expect(() => new ManagedPolicyService(m.own, true, trusted, undefined, { refuseWhenPresent: m.system })).toThrow(PolicyOverrideError);
    expect(() => new ManagedPolicyService(m.own, true, trusted, undefined, { refuseWhenPresent: m.system })).toThrow(`--policy ${m.own} is refused: this machine has IT's policy (${m.dropIns}), which --policy cannot replace`);
    unlinkSync(join(m.dropIns, '10-it.json'));
    put(m.main, '{ broken'); // even a broken one: IT's policy is there
    expect(() => new ManagedPolicyService(m.own, true, trusted, undefined, { refuseWhenPresent: m.system })).toThrow(PolicyOverrideError);

    const hklm: PolicySourceSpec[] = [{ kind: 'registry', hive: 'HKLM' }];
    expect(() => new ManagedPolicyService(m.own, true, trusted, undefined, { refuseWhenPresent: hklm, queryRegistry: () => 'HKEY_LOCAL_MACHINE\\Software\\Policies\\CoworkCompanion\r\n' })).toThrow(/HKLM\\Software\\Policies\\CoworkCompanion/);
    // Cannot tell (reg.exe fails): refused rather than guessed.
    expect(() => new ManagedPolicyService(m.own, true, trusted, undefined, { refuseWhenPresent: hklm, queryRegistry: () => { throw new Error('ERROR: Access is denied.'); } })).toThrow(PolicyOverrideError);
    expect(new ManagedPolicyService(m.own, true, trusted, undefined, { refuseWhenPresent: hklm, queryRegistry: () => undefined }).state.policy.rules).toHaveLength(1);
  });

  it('IT’s policy arriving while the companion runs with --policy: the file stops applying at once and nothing is allowed automatically', () => {
    const m = machine();
    const service = new ManagedPolicyService(m.own, true, trusted, undefined, { refuseWhenPresent: m.system });
    expect(service.state.policy.rules).toHaveLength(1);
    mkdirSync(join(m.dir, 'etc'));
    put(m.main, JSON.stringify({ allowUserFolders: false }));
    expect(service.reload()).toBe(true);
    expect(service.state).toMatchObject({ failClosed: true, fault: 'untrusted', policy: FAIL_CLOSED_POLICY, error: expect.stringContaining('which --policy cannot replace') });
    expect(service.reload()).toBe(false);
  });

  it('policy show --policy: the refusal is the command’s error', () => {
    const m = machine();
    mkdirSync(join(m.dir, 'etc'));
    put(m.main, '{}');
    const stdout = new Writable({ write: (_c, _e, cb) => cb() });
    expect(() => runPolicyShow({ json: true, stdout, policyFile: m.own }, () => new ManagedPolicyService(m.own, true, trusted, undefined, { refuseWhenPresent: m.system }))).toThrow(PolicyCommandError);
  });
});

describe('failing closed', () => {
  it('with no good copy: no user folders, broad shares or personal rules, nothing outside the shared folders, sandboxed Bash asks', () => {
    const dir = tempDir();
    const file = join(dir, 'policy.json');
    put(file, '{ "allowPersonalRules": ');
    const service = new ManagedPolicyService(file, true, trusted);
    expect(service.state.failClosed).toBe(true);
    expect(service.state.policy).toMatchObject({ allowUserFolders: false, allowBroadShares: false, allowPersonalRules: false, outOfScope: 'deny', rules: [], sharedFolders: [], approvals: { onTimeout: 'deny', sandboxedBash: 'ask' } });
    expect(service.state.policy).toEqual(FAIL_CLOSED_POLICY);
  });
});

describe('problems quote no policy value', () => {
  it('JSON that only JSON.parse refuses (a byte order mark) is said without its words, which would quote the text', () => {
    const r = readPolicyText('\uFEFF{"telemetry": {"headers": {"authorization": "Bearer sk-live-0123456789"}}}');
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain('sk-live');
  });
});
