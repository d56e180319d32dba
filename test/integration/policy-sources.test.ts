// The policy service over several real sources: policy.json and policy.d drop-ins in a temp folder,
// managed-preferences plists written as the MDM agent writes them (binary), and registry text from a
// stand-in for reg.exe (the only fake: there is no registry here). Live reload, precedence, the
// source of every setting, and a broken or untrusted source keeping the last good policy.
import bplistCreator from 'bplist-creator';
import { chownSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManagedPolicyService, policyChangedEvent, policyStatusView, systemPolicySources, type PolicySourceSpec, type RegistryHive } from '../../electron/core/policy/index.js';

const trusted = (): undefined => undefined;
const asRoot = process.getuid?.() === 0;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function etc(): { dir: string; main: string; dropIns: string; sources: PolicySourceSpec[] } {
  const dir = mkdtempSync(join(tmpdir(), 'cc-policy-sources-'));
  dirs.push(dir);
  const dropIns = join(dir, 'policy.d');
  return { dir, main: join(dir, 'policy.json'), dropIns, sources: [{ kind: 'file', path: join(dir, 'policy.json') }, { kind: 'drop-in', dir: dropIns }] };
}

let second = 1_000;
/** Writes with a fresh mtime, as an MDM tool replacing the file would. */
function put(file: string, value: unknown): void {
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
  second += 10;
  utimesSync(file, second, second);
}

describe('policy sources, merged', () => {
  it('Linux: a drop-in added later overrides policy.json per setting; a later name wins; removing it restores; only *.json counts', () => {
    const e = etc();
    put(e.main, { stormPerMinute: 100, forbiddenPaths: ['/srv/a'], approvals: { timeoutSeconds: 60 } });
    const service = new ManagedPolicyService(e.sources, false, trusted);
    expect(service.state.policy.stormPerMinute).toBe(100);
    expect(service.reload()).toBe(false);

    mkdirSync(e.dropIns);
    put(join(e.dropIns, '50-team.json'), { stormPerMinute: 200, approvals: { onTimeout: 'hold' } });
    put(join(e.dropIns, '90-security.json'), { stormPerMinute: 300, forbiddenPaths: ['/srv/b'] });
    put(join(e.dropIns, '99-notes.json.bak'), '{ broken');
    expect(service.reload()).toBe(true);
    const s = service.state;
    expect(s.policy.stormPerMinute).toBe(300);
    expect(s.policy.forbiddenPaths).toEqual(['/srv/b']);
    expect(s.policy.approvals).toEqual({ timeoutSeconds: 60, onTimeout: 'hold' });
    expect(Object.fromEntries(Object.entries(s.origins).map(([k, o]) => [k, o.where]))).toEqual({
      stormPerMinute: join(e.dropIns, '90-security.json'),
      forbiddenPaths: join(e.dropIns, '90-security.json'),
      'approvals.timeoutSeconds': e.main,
      'approvals.onTimeout': join(e.dropIns, '50-team.json'),
    });
    expect(s.source).toBe(join(e.dropIns, '90-security.json'));
    expect(policyStatusView(s).sources?.map((x) => x.kind)).toEqual(['file', 'drop-in', 'drop-in']);
    // The evidence names every source in force, the winning one first.
    expect(policyChangedEvent(s, 0).attributes['policy.source']).toBe([join(e.dropIns, '90-security.json'), join(e.dropIns, '50-team.json'), e.main].join('; '));

    unlinkSync(join(e.dropIns, '90-security.json'));
    expect(service.reload()).toBe(true);
    expect(service.state.policy.stormPerMinute).toBe(200);
    expect(service.state.policy.forbiddenPaths).toEqual(['/srv/a']);
    expect(service.state.origins['forbiddenPaths']?.where).toBe(e.main);
  });

  it('a broken drop-in keeps the last good policy of all sources, naming the drop-in and its line; fixing it applies it', () => {
    const e = etc();
    put(e.main, { stormPerMinute: 100 });
    mkdirSync(e.dropIns);
    const service = new ManagedPolicyService(e.sources, false, trusted);
    const bad = join(e.dropIns, '10-bad.json');
    put(bad, '{\n  "stormPerMinute": 1\n}');
    expect(service.reload()).toBe(true);
    expect(service.state).toMatchObject({ fault: 'schema', failClosed: false, source: bad, error: expect.stringMatching(/10-bad\.json is not a valid policy: stormPerMinute \(line 2, column 21\).*keeping the last good policy/) });
    expect(service.state.problems).toEqual([expect.objectContaining({ path: 'stormPerMinute', line: 2, column: 21, source: bad })]);
    expect(service.state.policy.stormPerMinute).toBe(100);
    expect(policyStatusView(service.state)).toMatchObject({ state: 'invalid', file: bad, behaviour: 'last-valid' });
    put(bad, { stormPerMinute: 500 });
    expect(service.reload()).toBe(true);
    expect(service.state).toMatchObject({ failClosed: false, problems: [] });
    expect(service.state.policy.stormPerMinute).toBe(500);
  });

  it('settings that only fit together across sources: the merged policy is checked, and with nothing good it fails closed', () => {
    const e = etc();
    put(e.main, { telemetry: { endpoint: 'https://otel.example.com/v1/logs' } });
    mkdirSync(e.dropIns);
    put(join(e.dropIns, '10-id.json'), { telemetry: { redaction: { identity: 'hmac' } } });
    const service = new ManagedPolicyService(e.sources, false, trusted);
    expect(service.state).toMatchObject({ failClosed: true, fault: 'schema', problems: [{ path: 'telemetry.redaction.hmacKey', source: join(e.dropIns, '10-id.json') }] });
    expect(service.state.policy.allowUserFolders).toBe(false);
  });

  it('changes apply live while watching: a new drop-in is noticed by the poll and listeners hear of it', async () => {
    const e = etc();
    put(e.main, { stormPerMinute: 100 });
    mkdirSync(e.dropIns);
    const service = new ManagedPolicyService(e.sources, false, trusted);
    const heard: number[] = [];
    service.onChange((st) => heard.push(st.policy.stormPerMinute));
    service.startWatching(20);
    try {
      put(join(e.dropIns, '20-more.json'), { stormPerMinute: 250 });
      await expect.poll(() => heard, { timeout: 3000, interval: 20 }).toEqual([250]);
      unlinkSync(join(e.dropIns, '20-more.json'));
      await expect.poll(() => heard, { timeout: 3000, interval: 20 }).toEqual([250, 100]);
    } finally {
      service.close();
    }
  });

  it('macOS: machine managed preferences over the machine JSON file over the user managed preferences', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-policy-mac-'));
    dirs.push(dir);
    const user = join(dir, 'user.plist');
    const json = join(dir, 'policy.json');
    const machine = join(dir, 'machine.plist');
    writeFileSync(user, bplistCreator({ stormPerMinute: 10, outOfScope: 'ask', allowBroadShares: false }));
    put(json, { stormPerMinute: 20, outOfScope: 'deny' });
    writeFileSync(machine, bplistCreator({ stormPerMinute: 30 }));
    const service = new ManagedPolicyService(
      [
        { kind: 'managed-preferences', path: user },
        { kind: 'file', path: json },
        { kind: 'managed-preferences', path: machine },
      ],
      false,
      trusted,
    );
    expect(service.state.policy).toMatchObject({ stormPerMinute: 30, outOfScope: 'deny', allowBroadShares: false });
    expect(Object.fromEntries(Object.entries(service.state.origins).map(([k, o]) => [k, o.where]))).toEqual({ stormPerMinute: machine, outOfScope: json, allowBroadShares: user });
  });

  it('Windows registry: HKLM over the ProgramData file over HKCU; re-read only every registryIntervalMs; a failed read fails closed naming the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-policy-win-'));
    dirs.push(dir);
    const json = join(dir, 'policy.json');
    put(json, { stormPerMinute: 20, outOfScope: 'ask' });
    const reg: Record<RegistryHive, string | undefined | Error> = {
      HKCU: 'HKEY_CURRENT_USER\\Software\\Policies\\CoworkCompanion\r\n    stormPerMinute    REG_DWORD    0xa\r\n    allowBroadShares    REG_DWORD    0x0\r\n    outOfScope    REG_SZ    deny\r\n',
      HKLM: 'HKEY_LOCAL_MACHINE\\Software\\Policies\\CoworkCompanion\r\n    stormPerMinute    REG_DWORD    0x1e\r\n',
    };
    let now = 1_000_000;
    let queries = 0;
    const queryRegistry = (hive: RegistryHive): string | undefined => {
      queries++;
      const r = reg[hive];
      if (r instanceof Error) throw r;
      return r;
    };
    const service = new ManagedPolicyService([{ kind: 'registry', hive: 'HKCU' }, { kind: 'file', path: json }, { kind: 'registry', hive: 'HKLM' }], false, trusted, () => now, { queryRegistry, registryIntervalMs: 30_000 });
    expect(service.state.policy).toMatchObject({ stormPerMinute: 30, outOfScope: 'ask', allowBroadShares: false });
    expect(service.state.origins['stormPerMinute']?.where).toBe('HKLM\\Software\\Policies\\CoworkCompanion');
    expect(service.state.origins['allowBroadShares']).toEqual({ kind: 'registry', where: 'HKCU\\Software\\Policies\\CoworkCompanion' });
    expect(queries).toBe(2);

    reg.HKLM = undefined; // the GPO is unlinked
    now += 2_000;
    expect(service.reload()).toBe(false);
    expect(queries).toBe(2);
    now += 30_000;
    expect(service.reload()).toBe(true);
    expect(service.state.policy.stormPerMinute).toBe(20);

    reg.HKLM = new Error('ERROR: Access is denied.');
    now += 30_000;
    expect(service.reload()).toBe(true);
    expect(service.state).toMatchObject({ fault: 'unreadable', source: 'HKLM\\Software\\Policies\\CoworkCompanion', error: expect.stringContaining('cannot read HKLM\\Software\\Policies\\CoworkCompanion (ERROR: Access is denied.)'), failClosed: false });
    expect(service.state.policy.stormPerMinute).toBe(20);
  });
});

describe('Windows registry lists', () => {
  it('a list from its own subkey (as the ADMX list element writes it): HKLM\'s replaces HKCU\'s whole, an added entry applies on the next read', () => {
    const user = 'HKEY_CURRENT_USER\\Software\\Policies\\CoworkCompanion';
    const machine = 'HKEY_LOCAL_MACHINE\\Software\\Policies\\CoworkCompanion';
    const lines = (...l: string[]): string => `${l.join('\r\n')}\r\n`;
    const reg: Record<RegistryHive, string | undefined> = {
      HKCU: lines(user, '', `${user}\\forbiddenPaths`, '    1    REG_SZ    C:\\UserSecret', '', `${user}\\watch\\exclude`, '    1    REG_SZ    node_modules'),
      HKLM: lines(machine, '    stormPerMinute    REG_DWORD    0x1e', '', `${machine}\\forbiddenPaths`, '    2    REG_SZ    D:\\Finance', '    1    REG_SZ    C:\\Secret'),
    };
    let now = 1_000_000;
    const service = new ManagedPolicyService([{ kind: 'registry', hive: 'HKCU' }, { kind: 'registry', hive: 'HKLM' }], false, trusted, () => now, { queryRegistry: (hive) => reg[hive], registryIntervalMs: 30_000 });
    expect(service.state.fault).toBeUndefined();
    expect(service.state.policy.forbiddenPaths).toEqual(['C:\\Secret', 'D:\\Finance']);
    expect(service.state.policy.watch?.exclude).toEqual(['node_modules']);
    expect(service.state.origins['forbiddenPaths']?.where).toBe('HKLM\\Software\\Policies\\CoworkCompanion');
    expect(service.state.origins['watch.exclude']?.where).toBe('HKCU\\Software\\Policies\\CoworkCompanion');

    // Group Policy adds a tenth entry: numeric order puts it last, not after "1".
    reg.HKLM = lines(machine, '', `${machine}\\forbiddenPaths`, ...Array.from({ length: 10 }, (_, i) => `    ${10 - i}    REG_SZ    E:\\p${10 - i}`));
    now += 30_000;
    expect(service.reload()).toBe(true);
    expect(service.state.policy.forbiddenPaths).toEqual(Array.from({ length: 10 }, (_, i) => `E:\\p${i + 1}`));

    // An entry Group Policy would not write fails closed: the last good policy stays, the key is named.
    reg.HKLM = lines(machine, '', `${machine}\\forbiddenPaths`, '    1    REG_DWORD    0x1');
    now += 30_000;
    expect(service.reload()).toBe(true);
    expect(service.state).toMatchObject({ fault: 'schema', source: 'HKLM\\Software\\Policies\\CoworkCompanion' });
    expect(service.state.policy.forbiddenPaths).toHaveLength(10);
  });
});

describe.skipIf(!asRoot)('policy sources trust (needs root to hand files to a user; CI runs as root)', () => {
  it('a drop-in a user owns is refused: the last good policy stays and the problem names the drop-in', () => {
    const e = etc();
    put(e.main, { stormPerMinute: 100 });
    mkdirSync(e.dropIns);
    const service = new ManagedPolicyService(e.sources, false);
    expect(service.state.fault).toBeUndefined();
    expect(service.state.source).toBe(e.main);
    const planted = join(e.dropIns, '00-user.json');
    put(planted, { forbiddenPaths: [] });
    chownSync(planted, 1000, 1000);
    expect(service.reload()).toBe(true);
    expect(service.state).toMatchObject({ fault: 'untrusted', source: planted, error: expect.stringMatching(/^refusing .*00-user\.json as IT policy: .*owned by a user \(uid 1000\)/) });
    expect(service.state.problems).toEqual([expect.objectContaining({ source: planted })]);
    expect(policyStatusView(service.state)).toMatchObject({ state: 'untrusted', file: planted, behaviour: 'last-valid' });
  });
});

describe('system policy sources', () => {
  it('lists each platform’s places lowest precedence first', () => {
    expect(systemPolicySources('linux')).toEqual([
      { kind: 'file', path: '/etc/cowork-companion/policy.json' },
      { kind: 'drop-in', dir: '/etc/cowork-companion/policy.d' },
    ]);
    expect(systemPolicySources('darwin', { user: () => 'ana' })).toEqual([
      { kind: 'managed-preferences', path: '/Library/Managed Preferences/ana/com.coworkcompanion.app.plist', perUser: true },
      { kind: 'file', path: '/Library/Application Support/CoworkCompanion/policy.json' },
      { kind: 'managed-preferences', path: '/Library/Managed Preferences/com.coworkcompanion.app.plist' },
    ]);
    expect(systemPolicySources('win32', { programData: () => 'C:\\ProgramData' })).toEqual([
      { kind: 'registry', hive: 'HKCU', perUser: true },
      { kind: 'file', path: 'C:\\ProgramData\\CoworkCompanion\\policy.json' },
      { kind: 'registry', hive: 'HKLM' },
    ]);
  });
});
