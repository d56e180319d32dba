// On Windows the system policy lives below FOLDERID_ProgramData as the machine's registry sets it, not
// below %ProgramData%: a user (and so the agent) can set that variable for their own next logon and
// point the companion at a policy file the agent wrote. Runs on any OS: reg.exe is faked with output in
// its real format (`reg query <key> /v <name>`: a blank line, the key, then `    name    TYPE    data`).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemPolicySources } from '../../electron/core/policy/index.js';
import {
  FALLBACK_PROGRAM_DATA,
  expandSystemVariables,
  parseRegQueryValue,
  regExeRunner,
  resolveProgramData,
  windowsDirFromModules,
  windowsProgramData,
} from '../../electron/core/policy/windows-program-data.js';

const KEY = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList';
const regOutput = (type: string, data: string) => `\r\n${KEY}\r\n    ProgramData    ${type}    ${data}\r\n\r\n`;
const DEFAULT = regOutput('REG_EXPAND_SZ', '%SystemDrive%\\ProgramData');

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('reading reg.exe output', () => {
  it('reads the default REG_EXPAND_SZ value unexpanded, and a REG_SZ value with spaces', () => {
    expect(parseRegQueryValue(DEFAULT, 'ProgramData')).toEqual({ type: 'REG_EXPAND_SZ', data: '%SystemDrive%\\ProgramData' });
    expect(parseRegQueryValue(regOutput('REG_SZ', 'D:\\Shared Data'), 'programdata')).toEqual({ type: 'REG_SZ', data: 'D:\\Shared Data' });
  });

  it('finds nothing in another value, a non-string value, or an error', () => {
    expect(parseRegQueryValue(`\r\n${KEY}\r\n    ProfilesDirectory    REG_EXPAND_SZ    %SystemDrive%\\Users\r\n`, 'ProgramData')).toBeUndefined();
    expect(parseRegQueryValue(regOutput('REG_DWORD', '0x1'), 'ProgramData')).toBeUndefined();
    expect(parseRegQueryValue('ERROR: The system was unable to find the specified registry key or value.\r\n', 'ProgramData')).toBeUndefined();
  });
});

describe('the Windows directory that expands %SystemDrive%', () => {
  it('is where the OS loader mapped ntdll.dll from (the kernel\'s SystemRoot), not an environment variable', () => {
    const modules = ['D:\\Program Files\\Cowork Companion\\Cowork Companion.exe', 'D:\\WINDOWS\\SYSTEM32\\ntdll.dll', 'D:\\WINDOWS\\System32\\KERNEL32.DLL'];
    expect(windowsDirFromModules(modules)).toBe('D:\\WINDOWS');
    expect(windowsDirFromModules(['C:\\Windows\\SysWOW64\\ntdll.dll'])).toBe('C:\\Windows');
    expect(windowsDirFromModules(['linux-vdso.so.1', '/lib/x86_64-linux-gnu/libc.so.6'])).toBeUndefined();
    expect(windowsDirFromModules(['C:\\Users\\me\\ntdll.dll'])).toBeUndefined();
  });
});

describe('FOLDERID_ProgramData from the registry', () => {
  it('ignores a ProgramData (or ALLUSERSPROFILE) the user set in their environment', () => {
    vi.stubEnv('ProgramData', 'C:\\Users\\me\\AppData\\Local\\Temp\\evil');
    vi.stubEnv('ALLUSERSPROFILE', 'C:\\Users\\me\\AppData\\Local\\Temp\\evil');
    const asked: string[][] = [];
    const resolved = resolveProgramData({ windowsDir: 'C:\\Windows', regQuery: (args) => (asked.push(args), DEFAULT) });
    expect(resolved).toEqual({ path: 'C:\\ProgramData' });
    expect(asked).toEqual([['query', 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList', '/v', 'ProgramData']]);
    expect(systemPolicySources('win32', { programData: () => resolved.path })).toContainEqual({ kind: 'file', path: 'C:\\ProgramData\\CoworkCompanion\\policy.json' });
  });

  it('expands REG_EXPAND_SZ %SystemDrive% from the Windows directory, not the user\'s SystemDrive', () => {
    vi.stubEnv('SystemDrive', 'E:');
    vi.stubEnv('SystemRoot', 'E:\\Windows');
    expect(resolveProgramData({ windowsDir: 'D:\\Windows', regQuery: () => DEFAULT })).toEqual({ path: 'D:\\ProgramData' });
    expect(expandSystemVariables('%SYSTEMROOT%\\..\\Data', 'D:\\Windows')).toBe('D:\\Windows\\..\\Data');
    expect(resolveProgramData({ windowsDir: 'D:\\Windows', regQuery: () => regOutput('REG_EXPAND_SZ', '%windir%\\..\\Data\\') })).toEqual({ path: 'D:\\Data' });
  });

  it('a value that needs any other variable is not expanded from the environment: the default is used', () => {
    vi.stubEnv('USERPROFILE', 'C:\\Users\\me');
    expect(expandSystemVariables('%USERPROFILE%\\ProgramData', 'C:\\Windows')).toBeUndefined();
    const resolved = resolveProgramData({ windowsDir: 'C:\\Windows', regQuery: () => regOutput('REG_EXPAND_SZ', '%USERPROFILE%\\ProgramData') });
    expect(resolved).toMatchObject({ path: FALLBACK_PROGRAM_DATA, problem: expect.stringMatching(/only the user's environment/) });
  });

  it('a REG_SZ value is taken as written; relative, garbled or missing values fall back to C:\\ProgramData with the reason', () => {
    expect(resolveProgramData({ windowsDir: 'C:\\Windows', regQuery: () => regOutput('REG_SZ', 'D:\\ProgramData') })).toEqual({ path: 'D:\\ProgramData' });
    for (const out of [regOutput('REG_SZ', 'ProgramData'), regOutput('REG_SZ', 'D:\\Donn\uFFFDes'), `\r\n${KEY}\r\n`]) {
      expect(resolveProgramData({ windowsDir: 'C:\\Windows', regQuery: () => out })).toMatchObject({ path: 'C:\\ProgramData', problem: expect.any(String) });
    }
  });

  it('when reg.exe cannot run, falls back to C:\\ProgramData and says why — never to %ProgramData%', () => {
    vi.stubEnv('ProgramData', 'C:\\Users\\me\\evil');
    const fail = () => {
      throw Object.assign(new Error('spawnSync C:\\Windows\\System32\\reg.exe ENOENT'), { code: 'ENOENT' });
    };
    expect(resolveProgramData({ windowsDir: 'C:\\Windows', regQuery: fail })).toEqual({ path: 'C:\\ProgramData', problem: 'reg.exe failed: ENOENT' });
    // The real resolver on this (non-Windows) machine: no ntdll.dll, no reg.exe — the fallback, on stderr.
    const warnings: string[] = [];
    expect(windowsProgramData((m) => warnings.push(m))).toBe('C:\\ProgramData');
    expect(warnings).toEqual([expect.stringMatching(/cannot read where Windows keeps ProgramData \(reg\.exe failed: .*\); looking for IT policy under C:\\ProgramData/)]);
  });

  it('runs reg.exe by its absolute path in the Windows directory, never through PATH', () => {
    const exec = vi.fn((_file: string, _args: string[]) => DEFAULT);
    expect(regExeRunner('D:\\WINDOWS', exec)(['query', 'x'])).toBe(DEFAULT);
    expect(exec).toHaveBeenCalledWith('D:\\WINDOWS\\System32\\reg.exe', ['query', 'x'], expect.objectContaining({ windowsHide: true }));
  });
});
