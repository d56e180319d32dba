// One root the file watcher service watches (a planned root with its own watcher, see
// watch-plan-policy.ts): its state, why it is not (fully) watched, and the folders below it that are
// not watched. The service owns the records; these functions say what an error or an event of the
// root itself means for them.
import type { NotWatched } from '../../../shared/run-watch-contract.js';
import type { InotifyLimits, WatchErrorInfo } from './watch-limits.js';
import type { PlannedRoot } from './watch-plan-policy.js';
import type { RootState, WatchedRootStatus } from './watch-status.js';
import type { RawWatchEvent, WatcherHandle } from './watcher-port.js';

export interface RootWatch {
  plan: PlannedRoot;
  handle?: WatcherHandle;
  state: RootState;
  problem?: string;
  /** Folders below the root that are not watched (limits, permissions, unreadable names). */
  gaps: NotWatched[];
  moreGaps: number;
  /** A limit error (ENOSPC/EMFILE) hit this root: it is only partly watched. */
  limited: boolean;
  readyResolve?: () => void;
  ready: Promise<void>;
  closed: boolean;
}

export const MAX_GAPS_PER_ROOT = 50;

/** A root whose watcher is starting: scanning until its first scan is over. */
export function newRootWatch(plan: PlannedRoot): RootWatch {
  let resolve!: () => void;
  const ready = new Promise<void>((r) => (resolve = r));
  return { plan, state: 'scanning', gaps: [], moreGaps: 0, limited: false, ready, readyResolve: resolve, closed: false };
}

/** Nothing more to wait for on this root (ready, failed or closed). */
export function settleRoot(root: RootWatch): void {
  root.readyResolve?.();
  root.readyResolve = undefined;
}

/**
 * A watcher error at `path` (the root itself when `sameAsRoot`, else a folder below it): the root's
 * state and problem, or a gap below it. `limits`: read after a limit error, for the reason shown.
 */
export function noteRootError(root: RootWatch, info: WatchErrorInfo, path: string, sameAsRoot: boolean, limits: InotifyLimits): void {
  let reason: string;
  switch (info.kind) {
    case 'watch-limit':
    case 'instance-limit': {
      reason = info.kind === 'watch-limit'
        ? `not watched: the system limit on watched folders (${limits.watchLimitSetting ?? 'fs.inotify.max_user_watches'}${limits.maxUserWatches !== undefined ? ` = ${limits.maxUserWatches}` : ''}) was reached`
        : `not watched: the system limit on open files or inotify instances was reached (${info.code ?? 'EMFILE'})`;
      root.limited = true;
      if (sameAsRoot) root.state = 'failed';
      else if (root.state === 'ready') root.state = 'partial';
      break;
    }
    case 'permission':
      reason = 'permission denied: changes inside it are not seen';
      if (sameAsRoot) root.state = 'failed';
      break;
    case 'loop':
      reason = 'a loop of symbolic links: not followed';
      break;
    case 'missing':
      reason = 'does not exist';
      if (sameAsRoot) root.state = 'missing';
      break;
    default:
      reason = `cannot be watched: ${info.message}`;
      if (sameAsRoot) root.state = 'failed';
  }
  if (sameAsRoot) root.problem = reason;
  else if (!root.gaps.some((g) => g.path === path)) {
    if (root.gaps.length < MAX_GAPS_PER_ROOT) root.gaps.push({ path, reason });
    else root.moreGaps++;
  }
}

/** An event about the root itself: deleted during the run, or back. True when its state changed. */
export function noteRootEvent(root: RootWatch, kind: RawWatchEvent): boolean {
  if (kind === 'unlinkDir' || kind === 'unlink') {
    root.state = 'missing';
    root.problem = root.plan.role === 'shared'
      ? 'the shared folder was deleted during the run; it is watched again if it comes back'
      : 'deleted; it is watched again if it comes back';
    return true;
  }
  if ((kind === 'addDir' || kind === 'add') && root.state === 'missing') {
    root.state = 'ready';
    root.problem = undefined;
    return true;
  }
  return false;
}

/** The roots' part of the watcher's status: each root, what is not watched in or below them, and how many gaps. */
export function rootsReport(list: Iterable<RootWatch>): { roots: WatchedRootStatus[]; notWatching: NotWatched[]; gaps: number } {
  const all = [...list];
  const roots: WatchedRootStatus[] = all.map((r) => ({ path: r.plan.path, role: r.plan.role, state: r.state, depth: r.plan.depth, problem: r.problem }));
  const notWatching: NotWatched[] = [];
  for (const r of all) {
    if (r.state === 'missing' || r.state === 'failed') notWatching.push({ path: r.plan.path, reason: r.problem ?? r.state });
    notWatching.push(...r.gaps);
    if (r.moreGaps > 0) notWatching.push({ path: r.plan.path, reason: `and ${r.moreGaps} more folders below it are not watched (same reasons)` });
  }
  const gaps = all.reduce((n, r) => n + r.gaps.length + r.moreGaps, 0);
  return { roots, notWatching, gaps };
}
