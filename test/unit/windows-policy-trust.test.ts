// On Windows, IT policy is trusted only where the user (and so the agent) cannot change it: the file
// and every folder above it owned by SYSTEM / Administrators / TrustedInstaller, and no one else allowed
// to write the file or to remove, rename or re-permission what is in those folders. Runs on any OS:
// the permissions are SDDL strings as `(Get-Acl <path>).Sddl` prints them on Windows 10/11 and
// Server 2025, fed through the injected reader.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { EMPTY_POLICY, ManagedPolicyService, untrustedPolicyReason, type WindowsTrustChecks } from '../../electron/core/policy/index.js';
import { parseSddl, sddlUntrustedReason } from '../../electron/core/policy/windows-acl-policy.js';
import { cachedSddlReader, powershellSddlReader } from '../../electron/core/policy/windows-acl-reader.js';

const TI = 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464';
const ME = 'S-1-5-21-1004336348-1177238915-682003330-1001';
const DOMAIN_USERS = 'S-1-5-21-1004336348-1177238915-682003330-513';

/** Stock C:\ and C:\ProgramData, a folder an administrator made below it, and a file it holds (all inheriting). */
const DRIVE = `O:${TI}G:SYD:PAI(A;;LC;;;AU)(A;OICIIO;SDGXGWGR;;;AU)(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)`;
const PROGRAM_DATA = 'O:SYG:SYD:PAI(A;OICIIO;GA;;;CO)(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)(A;CI;DCLCRPCR;;;BU)';
const FOLDER = `O:BAG:${DOMAIN_USERS}D:AI(A;OICIIOID;GA;;;CO)(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIID;0x1200a9;;;BU)(A;CIID;DCLCRPCR;;;BU)`;
const FILE = `O:BAG:${DOMAIN_USERS}D:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)(A;ID;0x1200a9;;;BU)`;

const POLICY = 'C:\\ProgramData\\CoworkCompanion\\policy.json';
const PATHS = [POLICY, 'C:\\ProgramData\\CoworkCompanion', 'C:\\ProgramData', 'C:\\'];

/** The Windows check with `sddl` as the answers for [file, folder, ProgramData, drive] (then ProgramData's again). */
function windows(sddl: Partial<Record<'file' | 'folder' | 'programData' | 'drive', string>> = {}): WindowsTrustChecks & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    realpath: (p) => p,
    readSddl: (paths) => {
      asked.push([...paths]);
      const answers = [sddl.file ?? FILE, sddl.folder ?? FOLDER, sddl.programData ?? PROGRAM_DATA, sddl.drive ?? DRIVE];
      return paths.map((_p, i) => answers[i] ?? PROGRAM_DATA);
    },
  };
}

describe('IT policy file trust on Windows', () => {
  it('trusts a file with inherited Administrators/SYSTEM full control and Users read, in stock C:\\ProgramData', () => {
    const checks = windows();
    expect(untrustedPolicyReason(POLICY, 'win32', checks)).toBeUndefined();
    expect(checks.asked).toEqual([PATHS]);
  });

  it('refuses a file the user owns (e.g. created before IT deployed one)', () => {
    const mine = `O:${ME}G:${DOMAIN_USERS}D:AI(A;ID;FA;;;SY)(A;ID;FA;;;BA)(A;ID;0x1200a9;;;BU)`;
    expect(untrustedPolicyReason(POLICY, 'win32', windows({ file: mine }))).toBe(
      `${POLICY} is owned by ${ME}, not by SYSTEM, Administrators or TrustedInstaller, so that account could change the policy`,
    );
    // The same for the folder: a user who made C:\ProgramData\CoworkCompanion first owns what IT puts in it.
    expect(untrustedPolicyReason(POLICY, 'win32', windows({ folder: FOLDER.replace('O:BA', `O:${ME}`) }))).toMatch(/^C:\\ProgramData\\CoworkCompanion is owned by S-1-5-21-/);
  });

  it('refuses a file Users, Authenticated Users, Everyone, INTERACTIVE or the user may write', () => {
    const granted = (ace: string) => untrustedPolicyReason(POLICY, 'win32', windows({ file: FILE + ace }));
    expect(granted('(A;ID;0x1301bf;;;BU)')).toBe(`${POLICY} lets Users (S-1-5-32-545) change it (rights 0x10116)`);
    expect(granted('(A;;FW;;;AU)')).toMatch(/lets Authenticated Users \(S-1-5-11\) change it/);
    expect(granted('(A;;FA;;;WD)')).toMatch(/lets Everyone \(S-1-1-0\) change it/);
    expect(granted('(A;;SD;;;IU)')).toMatch(/lets INTERACTIVE \(S-1-5-4\) change it \(rights 0x10000\)/);
    expect(granted(`(A;;WDWO;;;${ME})`)).toMatch(new RegExp(`lets ${ME} change it \\(rights 0xc0000\\)`));
    expect(granted('(A;;GW;;;BU)')).toMatch(/lets Users/);
    // A right given to an account the check does not know is refused too: only the system may write.
    expect(granted('(A;;0x2;;;S-1-5-32-547)')).toMatch(/lets Power Users/);
  });

  it('refuses a file below a folder Authenticated Users may change (delete, rename or replace what is in it)', () => {
    const writable = FOLDER + '(A;OICIID;0x1301bf;;;AU)';
    expect(untrustedPolicyReason(POLICY, 'win32', windows({ folder: writable }))).toBe(
      'C:\\ProgramData\\CoworkCompanion lets Authenticated Users (S-1-5-11) delete, rename or re-permission what is in it (rights 0x10000)',
    );
    expect(untrustedPolicyReason(POLICY, 'win32', windows({ programData: PROGRAM_DATA + '(A;CI;DT;;;BU)' }))).toMatch(/^C:\\ProgramData lets Users .* \(rights 0x40\)/);
    expect(untrustedPolicyReason(POLICY, 'win32', windows({ drive: DRIVE + '(A;;WD;;;AU)' }))).toMatch(/^C:\\ lets Authenticated Users .* \(rights 0x40000\)/);
  });

  it('does not count adding new names to a folder (stock ProgramData) or entries that only pass to children', () => {
    // (A;CI;DCLCRPCR;;;BU) is "add file, add subfolder, write attributes" — as in a sticky /tmp.
    expect(sddlUntrustedReason('C:\\ProgramData', PROGRAM_DATA, 'folder')).toBeUndefined();
    // Inherit-only: applies to what is created inside (checked there), not to the folder itself;
    // flags are read in pairs, so CI+OI ("CIOI") is not mistaken for IO.
    expect(sddlUntrustedReason('C:\\x', 'O:BAD:(A;OICIIO;FA;;;BU)', 'folder')).toBeUndefined();
    expect(sddlUntrustedReason('C:\\x', 'O:BAD:(A;CIOI;FA;;;BU)', 'folder')).toMatch(/lets Users/);
    // On the file itself, the same "add" bits are writes.
    expect(sddlUntrustedReason(POLICY, 'O:SYD:(A;;DCLC;;;BU)', 'file')).toMatch(/lets Users .* \(rights 0x6\)/);
  });

  it('trusts TrustedInstaller as owner (C:\\), and refuses a null DACL, a deny that only hides a grant, and unreadable permissions', () => {
    expect(sddlUntrustedReason('C:\\', DRIVE, 'folder')).toBeUndefined();
    expect(sddlUntrustedReason(POLICY, 'O:BAD:NO_ACCESS_CONTROL', 'file')).toMatch(/no access list, so every user may change it/);
    expect(sddlUntrustedReason(POLICY, 'O:BAD:(D;;FW;;;BU)(A;;FA;;;BU)', 'file')).toMatch(/lets Users/);
    expect(sddlUntrustedReason(POLICY, 'O:BA', 'file')).toMatch(/cannot read who may change/);
    expect(sddlUntrustedReason(POLICY, 'D:(A;;FA;;;SY)', 'file')).toMatch(/cannot tell who owns/);
    expect(sddlUntrustedReason(POLICY, 'O:BAD:(A;;QQ;;;BU)', 'file')).toMatch(/cannot read the permissions .*unknown right QQ/);
    expect(sddlUntrustedReason(POLICY, 'O:LAD:(A;;FA;;;SY)', 'file')).toMatch(/owned by LA, not by SYSTEM/);
  });

  it('reads SDDL as Windows writes it: aliases or SIDs, hex or named rights, group and SACL skipped', () => {
    expect(parseSddl(`O:${TI}G:SYD:PAI(A;OICI;0x1200a9;;;BU)(A;;FA;;;S-1-5-18)S:AI(AU;SA;FA;;;WD)`)).toEqual({
      owner: TI,
      dacl: [
        { type: 'A', flags: ['OI', 'CI'], mask: 0x1200a9, sid: 'S-1-5-32-545' },
        { type: 'A', flags: [], mask: 0x1f01ff, sid: 'S-1-5-18' },
      ],
    });
    // A conditional ACE keeps its condition after the SID.
    expect(parseSddl('O:SYD:(XA;;FX;;;AU;(@User.Project Any_of {1, 2}))').dacl).toEqual([{ type: 'XA', flags: [], mask: 0x1200a0, sid: 'S-1-5-11' }]);
  });

  it('follows links and junctions: the folders checked are where the file really is', () => {
    const checks = windows({ folder: `O:${ME}D:(A;;FA;;;${ME})` });
    checks.realpath = () => 'D:\\Users\\me\\plant\\policy.json';
    expect(untrustedPolicyReason(POLICY, 'win32', checks)).toMatch(/^D:\\Users\\me\\plant is owned by/);
    expect(checks.asked).toEqual([['D:\\Users\\me\\plant\\policy.json', 'D:\\Users\\me\\plant', 'D:\\Users\\me', 'D:\\Users', 'D:\\']]);
  });

  it('when the permissions cannot be read, the file is not trusted, with the reason', () => {
    const failing: WindowsTrustChecks = {
      realpath: (p) => p,
      readSddl: () => {
        throw new Error('Get-Acl through C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe failed: ENOENT');
      },
    };
    expect(untrustedPolicyReason(POLICY, 'win32', failing)).toBe(
      `cannot check who may change ${POLICY} (Get-Acl through C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe failed: ENOENT), so it is not trusted`,
    );
    expect(untrustedPolicyReason(POLICY, 'win32', { realpath: (p) => p, readSddl: () => [FILE] })).toMatch(/cannot check who may change .*\(1 answers for 4 paths\)/);
  });
});

describe('the policy service with the Windows check', () => {
  function policyFile(): string {
    const file = join(mkdtempSync(join(tmpdir(), 'cc-wintrust-')), 'policy.json');
    writeFileSync(file, JSON.stringify({ forbiddenPaths: ['C:\\secret'] }));
    return file;
  }
  const failing = vi.fn(() => {
    throw new Error('powershell.exe not found');
  });
  const windowsTrust = (f: string) => untrustedPolicyReason(f, 'win32', { realpath: (p) => p, readSddl: failing });

  it('a check that cannot run fails closed: the policy is refused and nothing is allowed automatically', () => {
    const file = policyFile();
    const policy = new ManagedPolicyService(file, false, windowsTrust);
    expect(policy.state).toMatchObject({ failClosed: true, error: expect.stringMatching(/refusing .*policy\.json as IT policy: cannot check who may change .*powershell\.exe not found/) });
    expect(policy.state.policy.allowUserFolders).toBe(false);
  });

  it('no file at the system path still means no managed policy (the check never runs)', () => {
    failing.mockClear();
    const policy = new ManagedPolicyService(join(tmpdir(), 'cc-wintrust-none', 'policy.json'), false, windowsTrust);
    expect(policy.state).toEqual({ policy: EMPTY_POLICY, failClosed: false, problems: [], sources: [], origins: {} });
    expect(failing).not.toHaveBeenCalled();
  });
});

describe('reading permissions through PowerShell (Get-Acl), faked', () => {
  it('runs powershell.exe by absolute path without the profile, passes paths outside the command text, one SDDL line per path', () => {
    const exec = vi.fn((_file: string, _args: string[], _o: { env: NodeJS.ProcessEnv }) => `${FILE}\r\n${FOLDER}\r\n`);
    const read = powershellSddlReader('D:\\WINDOWS', exec);
    expect(read(['C:\\a b\\policy.json', 'C:\\a b'])).toEqual([FILE, FOLDER]);
    const [file, args, options] = exec.mock.calls[0]!;
    expect(file).toBe('D:\\WINDOWS\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    expect(args.slice(0, 4)).toEqual(['-NoLogo', '-NoProfile', '-NonInteractive', '-Command']);
    expect(args[4]).toContain("Import-Module -Name ($PSHOME + '\\Modules\\Microsoft.PowerShell.Security\\Microsoft.PowerShell.Security.psd1')");
    expect(args[4]).toContain('Microsoft.PowerShell.Security\\Get-Acl -LiteralPath $p');
    expect(args[4]).not.toContain('a b');
    expect(options.env['COWORK_COMPANION_ACL_PATHS']).toBe('C:\\a b\\policy.json|C:\\a b');
  });

  it('an answer per path or an error: a short or failed run throws a short reason', () => {
    expect(() => powershellSddlReader('C:\\Windows', () => `${FILE}\r\n`)(['a', 'b'])).toThrow('Get-Acl answered 1 times for 2 paths');
    const failed = () => {
      throw Object.assign(new Error('Command failed: … long command …'), { status: 1, stderr: 'Get-Acl : Attempted to perform an unauthorized operation.\r\nAt line:1 char:1' });
    };
    expect(() => powershellSddlReader('C:\\Windows', failed)(['a'])).toThrow(/failed: Get-Acl : Attempted to perform an unauthorized operation\.$/);
  });

  it('reuses an answer while the paths are unchanged, for at most the time limit; a change asks again', () => {
    let clock = 0;
    let sig = 'v1';
    const read = vi.fn((paths: readonly string[]) => paths.map(() => FILE));
    const cached = cachedSddlReader(read, { ttlMs: 30_000, now: () => clock, signature: () => sig });
    cached(['a']);
    clock = 29_000;
    cached(['a']);
    expect(read).toHaveBeenCalledTimes(1);
    sig = 'v2';
    cached(['a']);
    expect(read).toHaveBeenCalledTimes(2);
    clock = 60_000;
    cached(['a']);
    expect(read).toHaveBeenCalledTimes(3);
    const failing = cachedSddlReader(() => {
      throw new Error('no PowerShell');
    }, { now: () => clock, signature: () => sig });
    expect(() => failing(['a'])).toThrow('no PowerShell');
    expect(() => failing(['a'])).toThrow('no PowerShell');
  });
});
