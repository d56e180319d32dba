// Where a shell's `~name` leads: the user's home folder from the system's user database. On Linux
// that is /etc/passwd (read when asked: users rarely change, the file is small); elsewhere only the
// current user is known, and any other `~name` cannot be pinned down (the request is then refused).
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { UserHomeLookup } from './bash-targets-policy.js';

/** Homes listed in passwd-format text (`name:x:uid:gid:gecos:home:shell`). */
export function parsePasswd(text: string): Map<string, string> {
  const homes = new Map<string, string>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length >= 7 && f[0] && f[5]) homes.set(f[0], f[5]);
  }
  return homes;
}

/** `~name` for the current user is the system's record of its home (as bash's getpwnam), which is
 *  not `$HOME` when the two differ; `home` is the fallback where the system has no record. */
export function systemUserHomes(platform: NodeJS.Platform, home: string, passwdFile = '/etc/passwd'): UserHomeLookup {
  let me: { username: string; homedir: string } | undefined;
  try {
    me = userInfo();
  } catch {
    me = undefined;
  }
  return (name) => {
    if (name === me?.username) return me.homedir || home;
    if (platform !== 'linux') return undefined;
    try {
      // A user missing from passwd may still come from LDAP/NSS: not knowing is not "no such user".
      return parsePasswd(readFileSync(passwdFile, 'utf8')).get(name);
    } catch {
      return undefined;
    }
  };
}
