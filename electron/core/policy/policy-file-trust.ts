// IT policy is trusted only from where the user (and so the agent, which runs as the user) cannot
// write it: the file and every folder above it owned by root, with no write for others (a root-owned
// sticky folder such as /tmp is fine: others cannot replace what they do not own) and group write only
// for root's group. The same rule browsers apply to their managed policy. POSIX only: on Windows the
// policy's folder comes from the system and its ACLs are the administrator's business.
import { realpathSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

const STICKY = 0o1000;

/** Why `file` cannot be trusted as IT policy, or undefined when it can. */
export function untrustedPolicyReason(file: string, platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform === 'win32') return undefined;
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
