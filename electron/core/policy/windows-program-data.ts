// Where Windows keeps machine-wide program data (FOLDERID_ProgramData), read the way the OS sets it —
// never from %ProgramData%, which a user (and so the agent) can set for their own next logon in
// HKCU\Environment and so point the companion at a policy file the agent wrote.
//
// The known folder's location is the machine value
//   HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList  ProgramData
// (written by setup — Microsoft Learn, the "ProgramData" unattend setting:
// https://learn.microsoft.com/windows-hardware/customize/desktop/unattend/microsoft-windows-shell-setup-folderlocations-programdata
// — and writable by administrators only); %ProgramData% and %ALLUSERSPROFILE% are derived from it at
// logon. It is normally the REG_EXPAND_SZ `%SystemDrive%\ProgramData`. `reg query` prints a value as
// `    <name>    <type>    <data>` under the key's line, unexpanded
// (https://learn.microsoft.com/windows-server/administration/windows-commands/reg-query), so the
// expansion here uses the Windows directory the OS loaded this process from, not the environment.
// No native addon: reg.exe is run by its absolute path in that Windows directory (never from PATH).
import { execFileSync } from 'node:child_process';
import { win32 } from 'node:path';

/** Used when the location cannot be read (and said so on stderr); never the environment variable. */
export const FALLBACK_PROGRAM_DATA = 'C:\\ProgramData';
export const FALLBACK_WINDOWS_DIR = 'C:\\Windows';
const PROFILE_LIST = 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList';

export interface RegValue {
  type: 'REG_SZ' | 'REG_EXPAND_SZ';
  data: string;
}

/** The string value `name` in the output of `reg query <key> /v <name>`, or undefined. */
export function parseRegQueryValue(stdout: string, name: string): RegValue | undefined {
  const prefix = `    ${name}    `.toLowerCase();
  for (const line of stdout.split(/\r?\n/)) {
    if (line.slice(0, prefix.length).toLowerCase() !== prefix) continue;
    const m = /^(REG_SZ|REG_EXPAND_SZ)(?: {4}(.*))?$/.exec(line.slice(prefix.length));
    return m ? { type: m[1] as RegValue['type'], data: (m[2] ?? '').trimEnd() } : undefined;
  }
  return undefined;
}

/**
 * `value` with %SystemDrive%, %SystemRoot% and %windir% replaced from `windowsDir` (the only variables
 * a machine folder location is written with); undefined when it names any other variable, whose
 * value would have to come from the user's environment.
 */
export function expandSystemVariables(value: string, windowsDir: string): string | undefined {
  const known: Record<string, string> = { systemdrive: windowsDir.slice(0, 2), systemroot: windowsDir, windir: windowsDir };
  let unknown = false;
  const expanded = value.replace(/%([^%\\]+)%/g, (_all, name: string) => {
    const v = known[name.toLowerCase()];
    if (v === undefined) unknown = true;
    return v ?? '';
  });
  return unknown ? undefined : expanded;
}

/**
 * The Windows directory, from where the OS loader mapped ntdll.dll into this process: the kernel's
 * SystemRoot, which no environment variable changes (%SystemRoot% and %windir% can be set per user).
 */
export function windowsDirFromModules(modules: readonly string[]): string | undefined {
  for (const m of modules) {
    if (!/^[A-Za-z]:\\/.test(m) || m.includes('\\..\\') || win32.basename(m).toLowerCase() !== 'ntdll.dll') continue;
    const systemDir = win32.dirname(m);
    if (!['system32', 'syswow64', 'sysarm32'].includes(win32.basename(systemDir).toLowerCase())) continue;
    return win32.dirname(systemDir);
  }
  return undefined;
}

export interface ProgramDataSources {
  /** The Windows directory (from `windowsDirFromModules`), used to expand %SystemDrive%. */
  windowsDir: string;
  /** Runs `reg.exe` with these arguments and returns what it printed; throws when it fails. */
  regQuery: (args: string[]) => string;
}

/** FOLDERID_ProgramData from the machine's registry; `problem` says why the fallback was used. */
export function resolveProgramData(src: ProgramDataSources): { path: string; problem?: string } {
  const fallback = (problem: string) => ({ path: FALLBACK_PROGRAM_DATA, problem });
  let out: string;
  try {
    out = src.regQuery(['query', PROFILE_LIST, '/v', 'ProgramData']);
  } catch (error) {
    return fallback(`reg.exe failed: ${firstLine(error)}`);
  }
  const value = parseRegQueryValue(out, 'ProgramData');
  if (!value) return fallback(`no ProgramData string under ${PROFILE_LIST}`);
  const path = value.type === 'REG_EXPAND_SZ' ? expandSystemVariables(value.data, src.windowsDir) : value.data;
  if (path === undefined) return fallback(`${value.data} names a variable only the user's environment could fill in`);
  // An absolute path on a drive (ProgramData must be on a local NTFS volume); U+FFFD means reg.exe's
  // code page did not decode, and a guess at the name is no better than the default.
  if (!/^[A-Za-z]:\\/.test(path) || path.includes('\uFFFD')) return fallback(`unexpected location ${JSON.stringify(value.data)}`);
  const normal = win32.normalize(path);
  return { path: normal.length > 3 ? normal.replace(/\\+$/, '') : normal };
}

type ExecFile = (file: string, args: string[], options: { encoding: 'utf8'; windowsHide: boolean; timeout: number; stdio: ['ignore', 'pipe', 'pipe'] }) => string;

/** Runs `<windowsDir>\System32\reg.exe` (an absolute path: PATH is the user's to change). */
export function regExeRunner(windowsDir: string, exec: ExecFile = execFileSync): (args: string[]) => string {
  const exe = win32.join(windowsDir, 'System32', 'reg.exe');
  return (args) => exec(exe, args, { encoding: 'utf8', windowsHide: true, timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The native libraries loaded into this process (Node's diagnostic report, `sharedObjects`). */
function loadedModules(): string[] {
  // excludeNetwork (Node 20.13+) is not in @types/node 22 yet.
  const reports = process.report as (NodeJS.ProcessReport & { excludeNetwork?: boolean }) | undefined;
  if (!reports) return [];
  const excludeNetwork = reports.excludeNetwork;
  try {
    reports.excludeNetwork = true; // no reverse lookups of open sockets: only the module list is wanted
    const list = (reports.getReport() as { sharedObjects?: unknown }).sharedObjects;
    return Array.isArray(list) ? list.filter((s): s is string => typeof s === 'string') : [];
  } catch {
    return [];
  } finally {
    reports.excludeNetwork = excludeNetwork;
  }
}

let windowsDir: string | undefined;
/** The Windows directory of the running system (C:\Windows when this process cannot tell). */
export function trustedWindowsDir(): string {
  windowsDir ??= windowsDirFromModules(loadedModules()) ?? FALLBACK_WINDOWS_DIR;
  return windowsDir;
}

let programData: string | undefined;
/** FOLDERID_ProgramData on this machine, read once; the fallback is reported through `warn`. */
export function windowsProgramData(warn: (message: string) => void = (m) => process.stderr.write(`cowork-companion: ${m}\n`)): string {
  if (programData === undefined) {
    const dir = trustedWindowsDir();
    const resolved = resolveProgramData({ windowsDir: dir, regQuery: regExeRunner(dir) });
    if (resolved.problem) warn(`cannot read where Windows keeps ProgramData (${resolved.problem}); looking for IT policy under ${resolved.path}`);
    programData = resolved.path;
  }
  return programData;
}

function firstLine(error: unknown): string {
  const e = error as { code?: string; stderr?: unknown; message?: string };
  const stderr = typeof e.stderr === 'string' ? e.stderr.trim() : '';
  return (stderr || e.code || e.message || String(error)).split(/\r?\n/)[0]!;
}
