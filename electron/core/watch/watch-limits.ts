// The kernel limits a file watcher runs into, and what to tell people when it does.
// Linux: inotify has a per-user budget of watches (one per watched folder, `max_user_watches`) and of
// inotify instances (`max_user_instances`); Node uses one instance per process, one watch per folder.
// Running out gives ENOSPC (watches) or EMFILE (instances, or the process's open-file limit). The
// watcher reports these with what is and is not watched and the command that raises the limit; it
// never crashes and never watches part of a tree silently.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export interface InotifyLimits {
  /** The binding limit on inotify watches per user, when readable (Linux only). */
  maxUserWatches?: number;
  /** Which setting sets it: the system-wide sysctl, or the user namespace's (containers). */
  watchLimitSetting?: 'fs.inotify.max_user_watches' | 'user.max_inotify_watches';
  /** The binding limit on inotify instances per user, when readable. */
  maxUserInstances?: number;
  instanceLimitSetting?: 'fs.inotify.max_user_instances' | 'user.max_inotify_instances';
  /** `fs.inotify.max_queued_events`: events beyond it are lost (IN_Q_OVERFLOW). */
  maxQueuedEvents?: number;
  /** inotify watches this process holds now (from /proc/self/fdinfo), when readable. */
  watchesInUse?: number;
}

export type ReadText = (path: string) => string;
const readText: ReadText = (p) => readFileSync(p, 'utf8');

function readInt(read: ReadText, path: string): number | undefined {
  try {
    const n = Number.parseInt(read(path).trim(), 10);
    return Number.isFinite(n) && n >= 0 ? n : undefined;
  } catch {
    return undefined;
  }
}

/** The lower of two limits, with the setting it comes from. */
function binding<A extends string, B extends string>(a: number | undefined, aName: A, b: number | undefined, bName: B): [number | undefined, A | B | undefined] {
  if (a === undefined) return [b, b === undefined ? undefined : bName];
  if (b === undefined || a <= b) return [a, aName];
  return [b, bName];
}

/**
 * The inotify limits (all undefined off Linux or when /proc is not readable). The kernel checks both
 * the system-wide sysctl and the user namespace's own limit (/proc/sys/user/…, lowered in some
 * containers): the lower one binds.
 */
export function readInotifyLimits(read: ReadText = readText, platform: NodeJS.Platform = process.platform): InotifyLimits {
  if (platform !== 'linux') return {};
  const [maxUserWatches, watchLimitSetting] = binding(
    readInt(read, '/proc/sys/fs/inotify/max_user_watches'), 'fs.inotify.max_user_watches' as const,
    readInt(read, '/proc/sys/user/max_inotify_watches'), 'user.max_inotify_watches' as const,
  );
  const [maxUserInstances, instanceLimitSetting] = binding(
    readInt(read, '/proc/sys/fs/inotify/max_user_instances'), 'fs.inotify.max_user_instances' as const,
    readInt(read, '/proc/sys/user/max_inotify_instances'), 'user.max_inotify_instances' as const,
  );
  const out: InotifyLimits = { maxUserWatches, watchLimitSetting, maxUserInstances, instanceLimitSetting, maxQueuedEvents: readInt(read, '/proc/sys/fs/inotify/max_queued_events') };
  for (const k of Object.keys(out) as (keyof InotifyLimits)[]) if (out[k] === undefined) delete out[k];
  return out;
}

/**
 * inotify watches held by this process: for each fd that is an inotify instance, the lines of its
 * fdinfo that start with "inotify" (one per watch). Undefined when /proc cannot be read.
 */
export function countInotifyWatches(proc = '/proc/self'): number | undefined {
  try {
    let total = 0;
    for (const fd of readdirSync(`${proc}/fd`)) {
      let target: string;
      try {
        target = readlinkSync(`${proc}/fd/${fd}`);
      } catch {
        continue; // closed meanwhile
      }
      if (target !== 'anon_inode:inotify') continue;
      try {
        total += readFileSync(`${proc}/fdinfo/${fd}`, 'utf8')
          .split('\n')
          .filter((line) => line.startsWith('inotify')).length;
      } catch {
        continue;
      }
    }
    return total;
  } catch {
    return undefined;
  }
}

export type WatchErrorKind = 'watch-limit' | 'instance-limit' | 'permission' | 'missing' | 'loop' | 'other';

export interface WatchErrorInfo {
  kind: WatchErrorKind;
  code?: string;
  /** The path the error is about, when the error names one. */
  path?: string;
  message: string;
}

/** What a watcher error means. ENOSPC from inotify_add_watch is the watch budget, not a full disk. */
export function classifyWatchError(error: unknown): WatchErrorInfo {
  const e = error as NodeJS.ErrnoException | undefined;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const path = typeof e?.path === 'string' ? e.path : undefined;
  const message = e instanceof Error ? e.message : String(error);
  const kind: WatchErrorKind =
    code === 'ENOSPC' ? 'watch-limit'
      : code === 'EMFILE' || code === 'ENFILE' ? 'instance-limit'
        : code === 'EACCES' || code === 'EPERM' ? 'permission'
          : code === 'ENOENT' || code === 'ENOTDIR' ? 'missing'
            : code === 'ELOOP' ? 'loop'
              : 'other';
  return { kind, code, path, message };
}

/** A limit large enough for the need: at least double the current one, at least 524,288. */
export function suggestedWatchLimit(current: number | undefined): number {
  return Math.max(524_288, (current ?? 0) * 2);
}

/** How to raise the limit behind `kind`, as a person would type it. */
export function limitHint(kind: WatchErrorKind, limits: InotifyLimits, platform: NodeJS.Platform = process.platform): string | undefined {
  if (kind === 'watch-limit') {
    if (platform !== 'linux') return 'The system ran out of file watches. Share fewer or smaller folders, or exclude large folders in the policy.';
    const n = suggestedWatchLimit(limits.maxUserWatches);
    const setting = limits.watchLimitSetting ?? 'fs.inotify.max_user_watches';
    const keep = setting === 'fs.inotify.max_user_watches' ? ` (to keep it after a restart: echo ${setting}=${n} | sudo tee /etc/sysctl.d/90-cowork-companion.conf)` : ' (set in the user namespace of this container: ask whoever runs it)';
    return `The system allows ${limits.maxUserWatches?.toLocaleString('en') ?? 'too few'} watched folders per user. Raise it with: sudo sysctl ${setting}=${n}${keep}. Or share fewer or smaller folders, or exclude large folders in the policy.`;
  }
  if (kind === 'instance-limit') {
    if (platform !== 'linux') return 'Too many open files. Raise the open-file limit (ulimit -n 65536) for the session that starts Cowork Companion.';
    const n = Math.max(1024, (limits.maxUserInstances ?? 0) * 2);
    return `Too many open files or file watchers. Raise the limits with: sudo sysctl ${limits.instanceLimitSetting ?? 'fs.inotify.max_user_instances'}=${n}, and the open-file limit (ulimit -n 65536) for the session that starts Cowork Companion.`;
  }
  return undefined;
}
