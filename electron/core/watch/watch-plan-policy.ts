// What the file watcher watches during a run, given the scope and the watch policy. Pure.
//
// Three kinds of root, each watched by its own watcher so that a problem with one (deleted, too large
// for the limits, unreadable) is reported for that root and the others keep working:
//   forbidden - protected locations: always watched, whole depth, no noise filter;
//   shared    - the shared folders: every change lands in the run's manifest;
//   sentinel  - places outside the scope (default: the home folder) where a change is evidence.
// A root inside another root is either left to the outer one (same kind, or weaker) or watched by
// itself, and then the outer one skips it, so no change is seen twice. The companion's own data
// folder is never watched: the companion writes its journal there for every event it records.
import type { NotWatched } from '../../../shared/run-watch-contract.js';
import { type CanonicalPath, comparisonKey, isWithin, type VolumeRules } from '../paths/index.js';
import type { ActiveFolder, ForbiddenEntry } from '../scope/index.js';
import { UNWATCHED_BOOKKEEPING_DIRS } from './client-bookkeeping-policy.js';

export type RootRole = 'forbidden' | 'shared' | 'sentinel';

export interface WatchPolicy {
  /** Folders outside the scope watched for changes; `~` is the home folder. */
  sentinelRoots: string[];
  /** Folder levels below a sentinel root that are watched (undefined: all). */
  sentinelDepth?: number;
  /** Folder levels below a shared folder that are watched (undefined: all). */
  sharedDepth?: number;
  /**
   * Noise that is not watched (never applied to forbidden paths): a name (`node_modules`) or a chain
   * of names (`.git/objects`) anywhere below a root, or an absolute / `~/` path.
   */
  exclude: string[];
}

/** Caches, dependency and build trees, VCS internals, trash, the agent harness's own state: large, busy, and not the user's work. */
export const DEFAULT_WATCH_EXCLUDES: readonly string[] = [
  'node_modules',
  '.git/objects',
  '.git/lfs',
  '.cache',
  '__pycache__',
  '.venv',
  '.tox',
  '.mypy_cache',
  '.pytest_cache',
  '.gradle',
  '.m2/repository',
  '.npm',
  '.pnpm-store',
  '.yarn/cache',
  '.cargo/registry',
  '.rustup',
  'target/debug',
  'target/release',
  '.next',
  '.turbo',
  '.parcel-cache',
  '.Trash',
  '.local/share/Trash',
  'Library/Caches',
  // The busiest of Claude Code's own bookkeeping (transcripts, todos, snapshots), rewritten on every
  // turn: not even watched. The rest of it is watched but never reported (client-bookkeeping-policy.ts).
  ...UNWATCHED_BOOKKEEPING_DIRS.map((d) => `~/.claude/${d}`),
];

export const DEFAULT_WATCH_POLICY: WatchPolicy = { sentinelRoots: ['~'], exclude: [...DEFAULT_WATCH_EXCLUDES] };

export interface PlannedRoot {
  path: string;
  role: RootRole;
  /** Folder levels watched below the root (undefined: all). */
  depth?: number;
  /** Subtrees this root does not watch: roots watched by themselves, excluded paths, the data folder. */
  skip: string[];
  /** Name patterns (see WatchPolicy.exclude) not watched below this root. */
  exclude: string[];
  /** Same key, same watcher: a root whose key changes is restarted. */
  key: string;
}

export interface WatchPlan {
  roots: PlannedRoot[];
  notWatched: NotWatched[];
  /** The shared folders as planned (a deleted one still counts as scope until the next plan). */
  folders: ActiveFolder[];
}

export interface WatchPlanInput {
  folders: readonly ActiveFolder[];
  forbidden: readonly ForbiddenEntry[];
  home: string;
  volume: VolumeRules;
  policy: WatchPolicy;
  /** The companion's data folder (canonical). */
  dataDir: string;
  canonicalize: (path: string) => CanonicalPath;
}

const STRENGTH: Record<RootRole, number> = { forbidden: 3, shared: 2, sentinel: 1 };

/** Is a pattern an absolute path (or `~`-relative) rather than a name chain? */
function isAbsolutePattern(p: string): boolean {
  return p === '~' || p.startsWith('~/') || p.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

function expandHome(p: string, home: string): string {
  return p === '~' ? home : p.startsWith('~/') ? home + p.slice(1) : p;
}

/** An inner root that is watched by itself (the outer one skips it) rather than left to the outer. */
function watchedSeparately(inner: RootRole, outer: RootRole): boolean {
  return (inner === 'forbidden' && outer !== 'forbidden') || (inner === 'shared' && outer === 'sentinel');
}

export function planWatch(input: WatchPlanInput): WatchPlan {
  const { volume, policy, home } = input;
  const canonical = (p: string): { path: string; exists: boolean } | undefined => {
    const c = input.canonicalize(p);
    return c.ok ? { path: c.path, exists: c.exists } : undefined;
  };
  const notWatched: NotWatched[] = [];
  const within = (a: string, b: string): boolean => isWithin(a, b, volume);
  const same = (a: string, b: string): boolean => comparisonKey(a, volume) === comparisonKey(b, volume);
  const dataDir = input.dataDir;
  notWatched.push({ path: dataDir, reason: "Cowork Companion's own data folder (it writes its evidence journal there)" });

  const absoluteExcludes: string[] = [];
  const nameExcludes: string[] = [];
  for (const raw of policy.exclude) {
    const p = raw.trim();
    if (!p) continue;
    if (isAbsolutePattern(p)) {
      const c = canonical(expandHome(p, home));
      if (c) absoluteExcludes.push(c.path);
    } else {
      nameExcludes.push(p.replace(/\\/g, '/').replace(/^\/+|\/+$/g, ''));
    }
  }

  type Candidate = { path: string; role: RootRole; depth?: number };
  const candidates: Candidate[] = [];
  for (const f of input.forbidden) {
    const c = f.canonical !== undefined ? { path: f.canonical } : canonical(f.path);
    // A missing forbidden path is still watched: its creation is what matters.
    candidates.push({ path: c?.path ?? f.path, role: 'forbidden' });
  }
  for (const f of input.folders) candidates.push({ path: f.path, role: 'shared', depth: policy.sharedDepth });
  for (const raw of policy.sentinelRoots) {
    const c = canonical(expandHome(raw, home));
    if (!c) {
      notWatched.push({ path: raw, reason: 'the sentinel folder cannot be resolved' });
      continue;
    }
    if (!c.exists) {
      notWatched.push({ path: c.path, reason: 'the sentinel folder does not exist' });
      continue;
    }
    candidates.push({ path: c.path, role: 'sentinel', depth: policy.sentinelDepth });
  }

  // Strongest first; within one kind, outer folders first.
  candidates.sort((a, b) => STRENGTH[b.role] - STRENGTH[a.role] || a.path.length - b.path.length);
  const kept: Candidate[] = [];
  for (const c of candidates) {
    if (within(c.path, dataDir)) continue; // the data folder and anything in it (already listed)
    if (c.role === 'sentinel' && absoluteExcludes.some((x) => within(c.path, x))) {
      notWatched.push({ path: c.path, reason: 'excluded by the watch policy' });
      continue;
    }
    const covered = kept.some((k) => same(k.path, c.path) || (within(c.path, k.path) && !watchedSeparately(c.role, k.role)));
    if (covered) continue;
    kept.push(c);
  }

  const order = (r: RootRole): number => (r === 'forbidden' ? 0 : r === 'shared' ? 1 : 2);
  const roots: PlannedRoot[] = kept
    .sort((a, b) => order(a.role) - order(b.role) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((r) => {
      const inner = kept.filter((k) => k !== r && !same(k.path, r.path) && within(k.path, r.path)).map((k) => k.path);
      const extra = [dataDir, ...(r.role === 'forbidden' ? [] : absoluteExcludes)].filter((x) => !same(x, r.path) && within(x, r.path));
      const skip = [...new Set([...inner, ...extra])].sort();
      const exclude = r.role === 'forbidden' ? [] : nameExcludes;
      const key = JSON.stringify([r.role, r.path, r.depth ?? null, skip, exclude]);
      return { path: r.path, role: r.role, depth: r.depth, skip, exclude, key };
    });
  for (const r of roots) {
    if (r.depth !== undefined) notWatched.push({ path: r.path, reason: `only ${r.depth} folder level${r.depth === 1 ? '' : 's'} deep (watch policy)` });
  }
  for (const x of absoluteExcludes) if (roots.some((r) => r.role !== 'forbidden' && within(x, r.path))) notWatched.push({ path: x, reason: 'excluded by the watch policy' });
  return { roots, notWatched, folders: input.folders.map((f) => ({ path: f.path, mode: f.mode })) };
}

/** Does `chain` (names joined by `/`) occur as consecutive components of `components`? */
function hasChain(components: string[], chain: string[]): boolean {
  outer: for (let i = 0; i + chain.length <= components.length; i++) {
    for (let j = 0; j < chain.length; j++) if (components[i + j] !== chain[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * The ignore test for one root's watcher: true for a path this root does not watch. Only the part of
 * the path below the root is matched against name patterns (a shared folder inside a folder named
 * `build` is still watched).
 */
export function ignoreTest(root: PlannedRoot, volume: VolumeRules): (path: string) => boolean {
  const sep = volume.windows ? '\\' : '/';
  const chains = root.exclude.map((p) => comparisonKey(p, volume).split('/').filter(Boolean));
  const rootKey = comparisonKey(root.path, volume);
  const prefix = rootKey.endsWith(sep) ? rootKey : rootKey + sep;
  return (path: string): boolean => {
    if (root.skip.some((s) => isWithin(path, s, volume))) return true;
    if (chains.length === 0) return false;
    const key = comparisonKey(path, volume);
    if (!key.startsWith(prefix)) return false;
    const below = key.slice(prefix.length).split(sep);
    return chains.some((chain) => hasChain(below, chain));
  };
}
