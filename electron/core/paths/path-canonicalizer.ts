// Turns a path an agent names into the one the OS would act on: `.`/`..` applied in order, every
// symlink followed (chains, relative targets, loops → error), dangling links judged by their target,
// the part that does not exist yet appended as written. Any error → not ok: callers deny.
// A path through a process's own view of the system (/proc/self, /proc/thread-self, /proc/<pid>,
// /dev/fd, /dev/stdin…) names whatever the process that opens it sees — its cwd, root, descriptors —
// so read here it would answer for the companion, not for the agent: it is refused (processView).
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { posix } from 'node:path';

export interface FsProbe {
  lstat(path: string): { isSymbolicLink(): boolean; isDirectory(): boolean; nlink: number };
  readlink(path: string): string;
  /** A shortcut for the common case (see existingParentWithoutLinks); without it every path is walked. */
  shortcut?: {
    /** The OS's own resolution of a path that exists, in one call (realpath(3)). */
    realpath(path: string): string;
    /** lstat, or undefined when nothing is there (no error built for the common "not yet" case). */
    lstatIfAny(path: string): ReturnType<FsProbe['lstat']> | undefined;
  };
}

export const realFs: FsProbe = {
  lstat: (p) => lstatSync(p),
  readlink: (p) => readlinkSync(p, 'utf8'),
  shortcut: {
    realpath: (p) => realpathSync.native(p, 'utf8'),
    lstatIfAny: (p) => lstatSync(p, { throwIfNoEntry: false }),
  },
};

export type CanonicalPath =
  | {
      ok: true;
      path: string;
      /** The deepest part exists on disk (else it would be created). */
      exists: boolean;
      /** A regular file with more than one hard link: another name may be outside the scope. */
      hardLinked: boolean;
      isDirectory: boolean;
      /** The path names a link whose target (or part of it) does not exist: the name exists on disk
       *  although `exists` is false (a dangling link out of the scope is where a write would land). */
      danglingLink?: true;
    }
  | {
      ok: false;
      reason: string;
      /** The path goes through a per-process view (/proc/self…): which file it names depends on who
       *  opens it, so it cannot be known here. Never "just a word": callers deny it. */
      processView?: boolean;
    };

/** A folder whose content is the opening process's own view (cwd, root, fd, map_files, environ…). */
const PROCESS_VIEW = /^\/proc\/(?:self|thread-self|\d+)$|^\/dev\/(?:fd|stdin|stdout|stderr)$/;

/** The per-process view an absolute path goes through (`/proc/self`, `/dev/fd`…), or undefined. */
export function processViewOf(path: string): string | undefined {
  const parts = path.split('/').filter((c) => c !== '');
  const head = `/${parts.slice(0, 2).join('/')}`;
  return PROCESS_VIEW.test(head) ? head : undefined;
}

export const processViewReason = (view: string, path: string): string =>
  `"${view}" shows whichever process opens it (its working folder, root and open files: the agent's, not Cowork Companion's), so which file "${path}" names cannot be known`;

export const MAX_PATH_LENGTH = 4096;
const MAX_SYMLINK_HOPS = 40;

export function validatePathInput(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'the path is not a string';
  if (value.length === 0) return 'the path is empty';
  if (value.length > MAX_PATH_LENGTH) return `the path is longer than ${MAX_PATH_LENGTH} characters`;
  if (value.includes('\0')) return 'the path contains a NUL byte';
  if (value.includes('\uFFFD')) return 'the path is not valid UTF-8';
  return undefined;
}

/** POSIX canonicalisation. `base` resolves relative paths (the agent's cwd). */
export function canonicalizePosix(input: unknown, base: string | undefined, fs: FsProbe = realFs): CanonicalPath {
  const invalid = validatePathInput(input);
  if (invalid) return { ok: false, reason: invalid };
  let path = input as string;
  if (!path.startsWith('/')) {
    if (!base || !base.startsWith('/')) return { ok: false, reason: `"${path}" is relative and there is no absolute folder to resolve it from` };
    path = `${base}/${path}`;
  }
  const queue = path.split('/').filter((c) => c !== '');
  const direct = existingParentWithoutLinks(queue, fs);
  if (direct) return direct;
  let resolved = '/';
  let hops = 0;
  let missing = false;
  let last: { nlink: number; dir: boolean } = { nlink: 1, dir: true };
  // While the queue is longer than this, the next component came from a link's target.
  let linkBoundary = Infinity;
  let danglingLink = false;
  while (queue.length > 0) {
    if (queue.length <= linkBoundary) linkBoundary = Infinity;
    const fromLink = linkBoundary !== Infinity;
    const c = queue.shift()!;
    if (c === '.') continue;
    if (c === '..') {
      resolved = posix.dirname(resolved);
      // Back in a folder that may exist: keep checking, or "/new/../link/x" would skip the link.
      missing = false;
      continue;
    }
    const candidate = resolved === '/' ? `/${c}` : `${resolved}/${c}`;
    // Checked before the disk is asked, and for links too (`/dev/stdin` → `/proc/self/fd/0`, a link
    // in a shared folder → `/proc/self/cwd`): every step the walk takes must not enter one.
    const view = processViewOf(candidate);
    if (view) return { ok: false, reason: processViewReason(view, input as string), processView: true };
    if (missing) {
      resolved = candidate;
      continue;
    }
    let st: ReturnType<FsProbe['lstat']>;
    try {
      st = fs.lstat(candidate);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        // Nothing exists from here on: the rest is what would be created, taken as written.
        missing = true;
        if (fromLink) danglingLink = true;
        resolved = candidate;
        continue;
      }
      return { ok: false, reason: `cannot check "${candidate}" (${code ?? (error as Error).message})` };
    }
    if (st.isSymbolicLink()) {
      if (++hops > MAX_SYMLINK_HOPS) return { ok: false, reason: `too many symbolic links (a loop?) at "${candidate}"` };
      let target: string;
      try {
        target = fs.readlink(candidate);
      } catch (error) {
        return { ok: false, reason: `cannot read the link "${candidate}" (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
      }
      if (target.startsWith('/')) resolved = '/';
      if (linkBoundary === Infinity) linkBoundary = queue.length;
      queue.unshift(...target.split('/').filter((x) => x !== ''));
      continue;
    }
    if (queue.length > 0 && !st.isDirectory()) {
      return { ok: false, reason: `"${candidate}" is not a folder, so "${path}" cannot exist` };
    }
    last = { nlink: st.nlink, dir: st.isDirectory() };
    resolved = candidate;
  }
  return { ok: true, path: resolved, exists: !missing, hardLinked: !missing && !last.dir && last.nlink > 1, isDirectory: !missing && last.dir, ...(missing && danglingLink ? { danglingLink: true as const } : {}) };
}

/**
 * The common case in two system calls: the folder exists and no step to it is a link, `.` or `..`
 * (the OS's resolution of it is the folder itself, letter for letter: a link anywhere would put its
 * target in place of its name, and a resolution never contains a link), and the last part is not a
 * link. The walk above would find exactly that. Anything else (a link, a missing folder, an error,
 * a per-process view) goes to the walk, which says why.
 */
function existingParentWithoutLinks(parts: string[], fs: FsProbe): CanonicalPath | undefined {
  if (!fs.shortcut || parts.length === 0 || parts.some((c) => c === '.' || c === '..')) return undefined;
  const path = `/${parts.join('/')}`;
  if (processViewOf(path)) return undefined;
  const folder = parts.length === 1 ? '/' : `/${parts.slice(0, -1).join('/')}`;
  let st: ReturnType<FsProbe['lstat']> | undefined;
  try {
    if (fs.shortcut.realpath(folder) !== folder) return undefined;
    st = fs.shortcut.lstatIfAny(path);
  } catch {
    return undefined;
  }
  // Nothing there: the folder exists and is one (ENOENT, not ENOTDIR), so this is what would be created.
  if (!st) return { ok: true, path, exists: false, hardLinked: false, isDirectory: false };
  if (st.isSymbolicLink()) return undefined;
  const dir = st.isDirectory();
  return { ok: true, path, exists: true, hardLinked: !dir && st.nlink > 1, isDirectory: dir };
}
