// IT policy is trusted only from where the user (and so the agent, which runs as the user) cannot
// write it — the file and every folder above it. The same rule browsers apply to their managed policy.
// POSIX: owned by root, with no write for others (a root-owned sticky folder such as /tmp is fine:
// others cannot replace what they do not own) and group write only for root's group.
// Windows: owned by SYSTEM, Administrators or TrustedInstaller, and no one else allowed to change the
// file or to remove, rename or re-permission what is in the folders above it (windows-acl-policy.ts).
// When the permissions cannot be read, the file is not trusted.
import { realpathSync, statSync } from 'node:fs';
import { dirname, win32 } from 'node:path';
import { sddlUntrustedReason } from './windows-acl-policy.js';
import { cachedSddlReader, powershellSddlReader, type SddlReader } from './windows-acl-reader.js';
import { trustedWindowsDir } from './windows-program-data.js';

const STICKY = 0o1000;

/** How the Windows check reads permissions (injected by tests; the default runs PowerShell's Get-Acl). */
export interface WindowsTrustChecks {
  /** The SDDL (owner and DACL) of each path, in order; throws when it cannot tell. */
  readSddl: SddlReader;
  /** The path with links and junctions resolved (default: fs.realpathSync). */
  realpath?: (path: string) => string;
}

let windowsDefaults: WindowsTrustChecks | undefined;
function defaultWindowsChecks(): WindowsTrustChecks {
  windowsDefaults ??= { readSddl: cachedSddlReader(powershellSddlReader(trustedWindowsDir())) };
  return windowsDefaults;
}

/** Why `file` cannot be trusted as IT policy, or undefined when it can. */
export function untrustedPolicyReason(file: string, platform: NodeJS.Platform = process.platform, windows?: WindowsTrustChecks): string | undefined {
  if (platform === 'win32') return untrustedOnWindows(file, windows ?? defaultWindowsChecks());
  let real: string;
  try {
    real = realpathSync(file);
  } catch (error) {
    return `cannot check ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  for (let p = real; ; p = dirname(p)) {
    const st = statSync(p);
    if (st.uid !== 0) return `${p} is owned by a user (uid ${st.uid}), not by root, so that user could change the policy`;
    const othersWrite = (st.mode & 0o002) !== 0 && !(st.isDirectory() && (st.mode & STICKY) !== 0);
    if (othersWrite) return `${p} is writable by every user`;
    if ((st.mode & 0o020) !== 0 && st.gid !== 0) return `${p} is writable by its group (gid ${st.gid})`;
    if (dirname(p) === p) return undefined;
  }
}

function untrustedOnWindows(file: string, checks: WindowsTrustChecks): string | undefined {
  let real: string;
  try {
    real = (checks.realpath ?? realpathSync)(file);
  } catch (error) {
    return `cannot check ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  const paths: string[] = [];
  for (let p = real; ; p = win32.dirname(p)) {
    paths.push(p);
    if (win32.dirname(p) === p) break;
  }
  let sddl: string[];
  try {
    sddl = checks.readSddl(paths);
    if (sddl.length !== paths.length) throw new Error(`${sddl.length} answers for ${paths.length} paths`);
  } catch (error) {
    return `cannot check who may change ${real} (${(error as Error).message}), so it is not trusted`;
  }
  for (const [i, p] of paths.entries()) {
    const reason = sddlUntrustedReason(p, sddl[i]!, i === 0 ? 'file' : 'folder');
    if (reason) return reason;
  }
  return undefined;
}
