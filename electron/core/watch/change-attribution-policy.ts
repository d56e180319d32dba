// What a file change seen by the watcher means: where it is (inside the scope, outside, forbidden),
// which active runs it is attributed to, and which tool call (if any) announced it; and how it is
// recorded in a run's manifest. Pure (no I/O, no clock): the watcher service feeds it.
//
// Honest semantics: the watcher sees changes (created, modified, deleted, renamed), never reads, and
// never which process made a change. A change is attributed to every run that was active when it was
// seen; when a run had announced the path in a tool call (PreToolUse/PostToolUse), it is linked to
// that call and attributed to that run only; otherwise it is "unexplained".
import { posix, win32 } from 'node:path';
import type { z } from 'zod';
import type { ChangeKind, EntryStatus, EntryType, ManifestFileSchema, OutOfScopeRecordSchema, RunManifest, Severity, Violation } from '../../../shared/run-watch-contract.js';
import type { ScopeMode } from '../../../shared/scope-contract.js';
import { type Canonicalize, comparisonKey, isWithin, type VolumeRules } from '../paths/index.js';
import { findForbidden, type ActiveFolder, type ScopeState } from '../scope/index.js';
import { classifyClientFile, type ClientLayout } from './client-bookkeeping-policy.js';

/** One change, after the watcher's raw events are normalised (unlink + add pairs become renames). */
export interface ObservedChange {
  path: string;
  kind: ChangeKind;
  type: EntryType;
  /** For renames: where it was before. */
  previousPath?: string;
  /** Epoch ms when the watcher saw it. */
  at: number;
}

export type PathClass =
  | { kind: 'inside'; folder: string; mode: ScopeMode }
  | { kind: 'outside' }
  | { kind: 'forbidden'; reason: string; entry: string };

/**
 * Where a (canonical) path is. Forbidden first (a protected file inside a shared folder is still
 * protected), and so is Claude Code's configuration in ~/.claude (client-bookkeeping-policy.ts, when
 * `client` gives its layout); then the deepest shared folder. `extraFolders` are shared folders the
 * watcher planned with, so a shared folder deleted during a run still counts as scope for its own
 * deletion events.
 */
export function classifyPath(path: string, scope: ScopeState, canonicalize: Canonicalize, extraFolders: readonly ActiveFolder[] = [], client?: ClientLayout): PathClass {
  const forbidden = findForbidden(path, scope, canonicalize);
  if (forbidden) return { kind: 'forbidden', reason: forbidden.reason, entry: forbidden.path };
  const own = client ? classifyClientFile(path, client) : undefined;
  if (own?.kind === 'protected') return { kind: 'forbidden', reason: own.reason, entry: (scope.volume.windows ? win32 : posix).join(client!.configDir, own.area) };
  let best: ActiveFolder | undefined;
  for (const f of [...scope.folders, ...extraFolders]) {
    if (isWithin(path, f.path, scope.volume) && (!best || f.path.length > best.path.length)) best = f;
  }
  return best ? { kind: 'inside', folder: best.path, mode: best.mode } : { kind: 'outside' };
}

/** The scope violation of a change at a path of this class (undefined: none). */
export function violationOf(cls: PathClass): Violation | undefined {
  if (cls.kind === 'forbidden') return 'forbidden';
  if (cls.kind === 'outside') return 'outside';
  return cls.mode === 'read' ? 'read_only' : undefined;
}

const RANK: Record<Violation, number> = { outside: 1, read_only: 2, forbidden: 3 };

/** The worse of two violations (a rename has two paths). */
export function worseViolation(a: Violation | undefined, b: Violation | undefined): Violation | undefined {
  if (!a) return b;
  if (!b) return a;
  return RANK[a] >= RANK[b] ? a : b;
}

/** A change in a protected location is high severity; anything else out of scope is medium. */
export function severityOf(v: Violation): Severity {
  return v === 'forbidden' ? 'high' : 'medium';
}

/** A path a tool call of a run named (canonical), kept for a while to link changes to the call. */
export interface AnnouncedTarget {
  path: string;
  toolUseId: string;
  toolName: string;
  /** Epoch ms of the latest hook event that named it. */
  at: number;
}

export interface ActiveRunView {
  sessionId: string;
  promptId?: string;
  cwd?: string;
  announced: readonly AnnouncedTarget[];
}

export interface RunAttribution {
  sessionId: string;
  promptId?: string;
  cwd?: string;
  /** The tool call that announced the path; undefined: unexplained. */
  toolUseId?: string;
  toolName?: string;
}

export interface Attribution {
  runs: RunAttribution[];
  /** At least one run had announced the path. */
  explained: boolean;
}

/**
 * Does a change at `path` match what a tool call named at `target`? The path itself, anything inside
 * it (the call named a folder: `rm -r dir`, `mkdir -p`), a folder created for it (Write creates
 * missing parents), or a temporary sibling of it (editors and tools save through `name.tmp…`,
 * `.name…`, `name~`).
 */
export function matchesTarget(path: string, type: EntryType, kind: ChangeKind, target: string, volume: VolumeRules): boolean {
  if (isWithin(path, target, volume)) return true;
  if (type === 'directory' && kind === 'created' && isWithin(target, path, volume)) return true;
  const { basename, dirname } = volume.windows ? win32 : posix;
  const key = (p: string): string => comparisonKey(p, volume);
  if (key(dirname(path)) !== key(dirname(target))) return false;
  const name = key(basename(path));
  const t = key(basename(target));
  return name.startsWith(`${t}.`) || name.startsWith(`${t}~`) || name.startsWith(`.${t}`);
}

/**
 * The runs a change is attributed to. Runs that announced the path (or, for a rename, its previous
 * path) get it, linked to their latest announcing call; if none did, every active run gets it,
 * unexplained.
 */
export function attributeChange(change: ObservedChange, runs: readonly ActiveRunView[], volume: VolumeRules): Attribution {
  const paths = change.previousPath ? [change.path, change.previousPath] : [change.path];
  const linked: RunAttribution[] = [];
  for (const run of runs) {
    let best: AnnouncedTarget | undefined;
    for (const t of run.announced) {
      if (paths.some((p) => matchesTarget(p, change.type, change.kind, t.path, volume)) && (!best || t.at >= best.at)) best = t;
    }
    if (best) linked.push({ sessionId: run.sessionId, promptId: run.promptId, cwd: run.cwd, toolUseId: best.toolUseId, toolName: best.toolName });
  }
  if (linked.length > 0) return { runs: linked, explained: true };
  return { runs: runs.map((r) => ({ sessionId: r.sessionId, promptId: r.promptId, cwd: r.cwd })), explained: false };
}

// ---------------------------------------------------------------------------------------------
// The run manifest: every file created, modified or deleted inside the scope during a run.

/** A manifest entry as the core keeps it: the exported shape, with times in epoch ms. */
export type ManifestEntry = Omit<z.infer<typeof ManifestFileSchema>, 'firstAt' | 'lastAt'> & { firstAt: number; lastAt: number };

/** An out-of-scope record as the core keeps it: the exported shape, with the time in epoch ms. */
export type OutOfScopeRecord = Omit<z.infer<typeof OutOfScopeRecordSchema>, 'at'> & { at: number };

export interface ManifestState {
  entries: Map<string, ManifestEntry>;
  /** Changes not recorded because the manifest reached its size limit. */
  dropped: number;
  /** Changes to Claude Code's own bookkeeping seen during the run: counted, not listed. */
  clientBookkeeping: number;
  outOfScope: OutOfScopeRecord[];
  outOfScopeTotal: number;
}

export interface ManifestLimits {
  maxEntries: number;
  maxOutOfScope: number;
}

export const DEFAULT_MANIFEST_LIMITS: ManifestLimits = { maxEntries: 50_000, maxOutOfScope: 1000 };

export function newManifestState(): ManifestState {
  return { entries: new Map(), dropped: 0, clientBookkeeping: 0, outOfScope: [], outOfScopeTotal: 0 };
}

const NEXT: Record<EntryStatus, Record<'created' | 'modified' | 'deleted', EntryStatus>> = {
  created: { created: 'created', modified: 'created', deleted: 'transient' },
  modified: { created: 'modified', modified: 'modified', deleted: 'deleted' },
  // Deleted, then there again: the file that was there before the run was replaced.
  deleted: { created: 'modified', modified: 'modified', deleted: 'deleted' },
  transient: { created: 'created', modified: 'created', deleted: 'transient' },
};

function touch(
  state: ManifestState,
  limits: ManifestLimits,
  path: string,
  folder: string,
  type: EntryType,
  effect: 'created' | 'modified' | 'deleted',
  counted: keyof ManifestEntry['counts'],
  at: number,
  toolUseId: string | undefined,
): ManifestEntry | undefined {
  let e = state.entries.get(path);
  if (!e) {
    if (state.entries.size >= limits.maxEntries) {
      state.dropped++;
      return undefined;
    }
    e = { path, type, status: effect, folder, counts: { created: 0, modified: 0, deleted: 0, renamed: 0 }, changes: 0, unexplained: 0, toolUseIds: [], firstAt: at, lastAt: at };
    state.entries.set(path, e);
  } else {
    e.status = NEXT[e.status][effect];
    e.type = type;
  }
  e.counts[counted]++;
  e.changes++;
  e.lastAt = at;
  if (toolUseId) {
    if (e.toolUseIds.at(-1) !== toolUseId) e.toolUseIds = [...e.toolUseIds.filter((t) => t !== toolUseId), toolUseId].slice(-10);
  } else {
    e.unexplained++;
  }
  return e;
}

/**
 * Records an inside-scope change in a run's manifest. For a rename, each side that is inside the
 * scope is recorded: the old path as deleted (renamedTo), the new one as created (renamedFrom).
 */
export function recordInManifest(
  state: ManifestState,
  change: ObservedChange,
  where: { path?: PathClass; previous?: PathClass },
  toolUseId: string | undefined,
  limits: ManifestLimits = DEFAULT_MANIFEST_LIMITS,
): void {
  const inside = (c: PathClass | undefined): c is Extract<PathClass, { kind: 'inside' }> => c?.kind === 'inside';
  if (change.kind === 'renamed' && change.previousPath) {
    if (inside(where.previous)) {
      const e = touch(state, limits, change.previousPath, where.previous.folder, change.type, 'deleted', 'renamed', change.at, toolUseId);
      if (e) e.renamedTo = change.path;
    }
    if (inside(where.path)) {
      const e = touch(state, limits, change.path, where.path.folder, change.type, 'created', 'renamed', change.at, toolUseId);
      if (e) e.renamedFrom = change.previousPath;
    }
    return;
  }
  if (!inside(where.path)) return;
  const kind = change.kind === 'renamed' ? 'created' : change.kind;
  touch(state, limits, change.path, where.path.folder, change.type, kind, kind, change.at, toolUseId);
}

export function recordOutOfScope(state: ManifestState, record: OutOfScopeRecord, limits: ManifestLimits = DEFAULT_MANIFEST_LIMITS): void {
  state.outOfScopeTotal++;
  if (state.outOfScope.length < limits.maxOutOfScope) state.outOfScope.push(record);
}

export const MANIFEST_NOTE =
  'Changes the file watcher saw inside the shared folders while the run was active: files created, modified, deleted or renamed. ' +
  'Reads are not seen, the watcher cannot tell which process made a change (changes by other programs during the run are listed too), ' +
  'and renames are inferred from a deletion followed at once by a creation. Folders listed under coverage.notWatched were not watched. ' +
  "Claude Code's own bookkeeping (transcripts, session registry, caches, ~/.claude.json) is not the agent's work: it is counted in totals.clientBookkeeping, not listed.";

export function exportManifest(
  state: ManifestState,
  run: { sessionId: string; cwd?: string; active: boolean; startedAt: number; endedAt?: number; endReason?: string },
  coverage: RunManifest['coverage'],
): RunManifest {
  const iso = (t: number): string => new Date(t).toISOString();
  const files = [...state.entries.values()]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((e) => ({ ...e, counts: { ...e.counts }, toolUseIds: [...e.toolUseIds], firstAt: iso(e.firstAt), lastAt: iso(e.lastAt) }));
  const count = (s: EntryStatus): number => files.filter((f) => f.status === s).length;
  return {
    sessionId: run.sessionId,
    cwd: run.cwd,
    active: run.active,
    startedAt: iso(run.startedAt),
    endedAt: run.endedAt === undefined ? undefined : iso(run.endedAt),
    endReason: run.endReason,
    totals: {
      files: files.length,
      created: count('created'),
      modified: count('modified'),
      deleted: count('deleted'),
      transient: count('transient'),
      changes: files.reduce((n, f) => n + f.changes, 0),
      unexplained: files.reduce((n, f) => n + f.unexplained, 0),
      outOfScope: state.outOfScopeTotal,
      dropped: state.dropped,
      clientBookkeeping: state.clientBookkeeping,
    },
    files,
    outOfScope: state.outOfScope.map((r) => ({ ...r, at: iso(r.at) })),
    coverage,
    note: MANIFEST_NOTE,
  };
}
