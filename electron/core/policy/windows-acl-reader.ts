// Reads the SDDL (owner and DACL) of Windows paths without a native addon: Windows PowerShell's
// Get-Acl, whose `.Sddl` is the descriptor in the OS's own text form
// (https://learn.microsoft.com/powershell/module/microsoft.powershell.security/get-acl). icacls was
// the other candidate; it cannot show the owner and names accounts in the system's language.
//
// What the user could bend is kept out: powershell.exe is run by its absolute path in the Windows
// directory (not from PATH), with -NoProfile (no user profile script); the Get-Acl module is imported
// from $PSHOME by path and called by its module-qualified name, so a module of the same name in the
// user's Documents (searched first through PSModulePath) is never loaded. The paths travel in an
// environment variable, not in the command text, so no path can be read as code. The script makes no
// .NET method calls, which Constrained Language Mode (AppLocker/WDAC-managed machines) would refuse.
// Spawning PowerShell costs a few hundred milliseconds, so answers are reused while nothing about
// the paths changed (see `cachedSddlReader`).
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { win32 } from 'node:path';

const PATHS_VARIABLE = 'COWORK_COMPANION_ACL_PATHS';
// '|' cannot occur in a Windows path; `-split` takes a regular expression.
const SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  "Import-Module -Name ($PSHOME + '\\Modules\\Microsoft.PowerShell.Security\\Microsoft.PowerShell.Security.psd1')",
  `foreach ($p in ($env:${PATHS_VARIABLE} -split '[|]')) { (Microsoft.PowerShell.Security\\Get-Acl -LiteralPath $p).Sddl }`,
].join('; ');

export type SddlReader = (paths: readonly string[]) => string[];

type ExecFile = (file: string, args: string[], options: { encoding: 'utf8'; windowsHide: boolean; timeout: number; stdio: ['ignore', 'pipe', 'pipe']; env: NodeJS.ProcessEnv }) => string;

/** One SDDL line per path, in order, from `<windowsDir>\System32\WindowsPowerShell\v1.0\powershell.exe`. */
export function powershellSddlReader(windowsDir: string, exec: ExecFile = execFileSync): SddlReader {
  const exe = win32.join(windowsDir, 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe');
  return (paths) => {
    let out: string;
    try {
      out = exec(exe, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', SCRIPT], {
        encoding: 'utf8',
        windowsHide: true,
        timeout: 30_000,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, [PATHS_VARIABLE]: paths.join('|') },
      });
    } catch (error) {
      const e = error as { code?: string; stderr?: unknown; status?: number | null };
      const stderr = typeof e.stderr === 'string' ? e.stderr.trim().split(/\r?\n/)[0] : '';
      throw new Error(`Get-Acl through ${exe} failed: ${stderr || e.code || `exit ${e.status ?? '?'}`}`);
    }
    const lines = out.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
    if (lines.length !== paths.length) throw new Error(`Get-Acl answered ${lines.length} times for ${paths.length} paths`);
    return lines;
  };
}

/** What changes when a file or folder is replaced, written or re-permissioned (ctime covers ACLs). */
function statSignature(path: string): string {
  try {
    const st = statSync(path);
    return `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  } catch {
    return 'missing';
  }
}

/**
 * `read`, with its last answer (or failure) reused for up to `ttlMs` while the same paths have the same
 * identity, size, modification and change times. The policy service re-checks every 2 s while it is
 * in error; this keeps that to a stat per path. A file changed by anyone gets a new answer at once;
 * the time limit bounds how long a permission change that left the times alone goes unseen.
 */
export function cachedSddlReader(read: SddlReader, o: { ttlMs?: number; now?: () => number; signature?: (path: string) => string } = {}): SddlReader {
  const ttlMs = o.ttlMs ?? 30_000;
  const now = o.now ?? Date.now;
  const signature = o.signature ?? statSignature;
  let last: { key: string; at: number; answer: string[] | Error } | undefined;
  return (paths) => {
    const key = paths.map((p) => `${p}\n${signature(p)}`).join('\n');
    if (!last || last.key !== key || now() - last.at >= ttlMs) {
      let answer: string[] | Error;
      try {
        answer = read(paths);
      } catch (error) {
        answer = error instanceof Error ? error : new Error(String(error));
      }
      last = { key, at: now(), answer };
    }
    if (last.answer instanceof Error) throw last.answer;
    return last.answer;
  };
}
