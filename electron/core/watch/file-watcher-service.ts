// Watches the file system while at least one agent run is active (and only then), so that "did the
// run stay within the approved scope?" has an answer backed by evidence:
//   - a change inside a shared folder lands in each active run's manifest (exportable as JSON);
//   - a change outside the scope (or in a read-only shared folder, or in a protected location) is
//     recorded as `file.out_of_scope` evidence and reported to onOutOfScope listeners (notification,
//     escalation), linked to the tool call that announced the path when one did.
// What is watched comes from watch-plan-policy; what a change means from change-attribution-policy.
// The watcher library (chokidar) sits behind WatcherPort. Limits (inotify watches, open files),
// unreadable folders, deleted roots and unreadable names are reported in status(), never crash the
// companion and never leave a partial watch unreported.
//
// Honest semantics: changes only (created, modified, deleted, renamed), not reads, not which process.
import { randomUUID } from 'node:crypto';
import { lstat, readdir } from 'node:fs/promises';
import { posix, win32 } from 'node:path';
import { watch as chokidarWatch } from 'chokidar';
import { ATTR, EVENT_NAMES } from '../../../shared/telemetry-events.js';
import { directoryWatchPort } from './directory-watch-port.js';
import type { Canonicalize } from '../paths/canonical-path.js';
import {
  attributeChange,
  classifyPath,
  DEFAULT_MANIFEST_LIMITS,
  exportManifest,
  newManifestState,
  recordInManifest,
  recordOutOfScope,
  severityOf,
  violationOf,
  worseViolation,
  type ActiveRunView,
  type ChangeKind,
  type EntryType,
  type ManifestLimits,
  type ManifestState,
  type ObservedChange,
  type PathClass,
  type RunManifest,
  type Severity,
  type Violation,
} from './change-attribution-policy.js';
import type { Clock } from '../app/companion-core-types.js';
import { newEvidenceEvent } from '../evidence/evidence-event.js';
import type { EvidenceSink } from '../evidence/evidence-recorder.js';
import { comparisonKey } from '../paths/path-containment-policy.js';
import type { RunChange, RunInfo } from './run-tracker-service.js';
import type { ScopeState } from '../scope/scope-policy.js';
import { classifyWatchError, countInotifyWatches, limitHint, readInotifyLimits, type InotifyLimits, type WatchErrorKind } from './watch-limits.js';
import { DEFAULT_WATCH_POLICY, ignoreTest, planWatch, type NotWatched, type PlannedRoot, type RootRole, type WatchPlan, type WatchPolicy } from './watch-plan-policy.js';

// ---------------------------------------------------------------------------------------------
// The port: one watcher per root.

export type RawWatchEvent = 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir';

export interface WatchEventSink {
  event(kind: RawWatchEvent, path: string): void;
  /** The backend's raw notification (used to see names the library drops: invalid UTF-8). */
  raw?(event: string, name: string | null, dir: string | undefined): void;
  error(error: unknown): void;
  ready(): void;
}

export interface WatcherHandle {
  close(): Promise<void>;
}

export interface WatchRootOptions {
  depth?: number;
  ignored: (path: string) => boolean;
}

export interface WatcherPort {
  /** Starts watching `root` (recursively); may throw (then the root is reported as not watched). */
  watch(root: string, options: WatchRootOptions, sink: WatchEventSink): WatcherHandle;
}

const RAW_EVENTS = new Set<string>(['add', 'change', 'unlink', 'addDir', 'unlinkDir']);

/**
 * chokidar 6: no initial add events, symbolic links watched as themselves (never followed: no loops,
 * no watching outside the planned trees, and every reported path is already canonical), no editor
 * temp-file filtering and no unlink+add merging (the service pairs renames itself), not keeping the
 * process alive.
 */
export const chokidarPort: WatcherPort = {
  watch(root, options, sink) {
    const w = chokidarWatch(root, {
      ignoreInitial: true,
      followSymlinks: false,
      atomic: false,
      persistent: false,
      depth: options.depth,
      ignored: (path: string) => options.ignored(path),
    });
    w.on('all', (event, path) => {
      if (RAW_EVENTS.has(event)) sink.event(event as RawWatchEvent, path);
    });
    w.on('error', (error) => sink.error(error));
    w.on('ready', () => sink.ready());
    if (sink.raw) {
      const raw = sink.raw.bind(sink);
      w.on('raw', (event, name, details) => raw(String(event), typeof name === 'string' ? name : null, (details as { watchedPath?: string } | undefined)?.watchedPath));
    }
    return { close: () => w.close() };
  },
};

// ---------------------------------------------------------------------------------------------
// Status and listener types.

export type RootState = 'scanning' | 'ready' | 'partial' | 'missing' | 'failed';

export interface WatchedRootStatus {
  path: string;
  role: RootRole;
  state: RootState;
  depth?: number;
  /** Why it is partial, missing or failed. */
  problem?: string;
}

export interface WatchStatus {
  state: 'idle' | 'starting' | 'watching' | 'stopping';
  activeRuns: number;
  /** Roots being watched (scanning, ready or partial). */
  watching: string[];
  /** What is not watched, and why (data folder, exclusions, depth, limit and permission problems…). */
  notWatching: NotWatched[];
  roots: WatchedRootStatus[];
  /** Patterns not watched (policy): names anywhere below a root, or `~/`/absolute paths. */
  excluded: string[];
  limits: InotifyLimits;
  /** How to fix the most important problem (e.g. the sysctl that raises the watch limit). */
  hint?: string;
  /** One sentence for the UI when something is not fully watched. */
  problem?: string;
  changesSeen: number;
  outOfScopeSeen: number;
  /** What the watcher can and cannot see. */
  semantics: string;
}

export const WATCH_SEMANTICS =
  'While an agent run is active, Cowork Companion watches the shared folders, protected locations and your home folder for changes: files created, modified, deleted or renamed. It does not see reads, and it cannot tell which program made a change.';

export interface OutOfScopeChange {
  /** `event.id` of the evidence record. */
  eventId: string;
  /** The same for every run the change is attributed to. */
  changeId: string;
  sessionId: string;
  promptId?: string;
  cwd?: string;
  path: string;
  previousPath?: string;
  change: ChangeKind;
  type: EntryType;
  violation: Violation;
  severity: Severity;
  /** Why the location is protected (forbidden only). */
  forbiddenReason?: string;
  /** The tool call that announced the path; undefined: unexplained. */
  toolUseId?: string;
  toolName?: string;
  activeRuns: number;
  /** For a follow-up record: further changes of this path folded into it. */
  repeats?: number;
  at: number;
  /** The evidence is durably in the journal. */
  recorded: boolean;
}

export interface WatchActivity {
  change: ObservedChange;
  runs: string[];
  inScope: boolean;
  violation?: Violation;
}

// ---------------------------------------------------------------------------------------------
// Renames: the library reports unlink + add. A deletion and a creation of the same name in another
// folder (moved) or in the same folder (renamed) within a short window are reported as one rename.
// The two halves may come from different watchers and in either order (each is confirmed by its own
// asynchronous stat), so:
//   - a deletion waits up to the window for its creation;
//   - a creation is held only while the kernel has announced a rename (raw notification, delivered
//     in order) of a fitting name that the library has not reported yet: until that is reported, or
//     the window ends. A plain creation is reported at once.

export interface RawChange {
  event: RawWatchEvent;
  path: string;
  at: number;
  runs: ActiveRunView[];
}

interface Waiting extends RawChange {
  type: EntryType;
  due: number;
  done: boolean;
  base: string;
  dir: string;
}

interface Announced {
  base: string;
  dir: string;
  at: number;
}

/** Exported for its unit test; the service is the only user. */
export class RenamePairing {
  /** Deletions waiting for their creation (arrival order). */
  private deletes: Waiting[] = [];
  /** Creations held while a fitting rename is still being confirmed. */
  private creates: Waiting[] = [];
  /** Kernel rename notifications not yet reported by the library, by path key. */
  private readonly announced = new Map<string, Announced>();
  private timer: { cancel(): void; due: number } | undefined;
  private readonly path: typeof posix;

  constructor(
    private readonly clock: Clock,
    private readonly windowMs: number,
    private readonly out: (change: ObservedChange, runs: ActiveRunView[]) => void,
    private readonly key: (p: string) => string,
    windows: boolean,
  ) {
    this.path = windows ? (win32 as unknown as typeof posix) : posix;
  }

  /** A raw `rename` notification from the kernel: `name` appeared or disappeared in `dir`. */
  noteRename(dir: string, name: string): void {
    if (this.windowMs <= 0) return;
    const full = this.path.join(dir, name);
    this.announced.set(this.key(full), { base: this.key(name), dir: this.key(dir), at: this.clock.now() });
    if (this.announced.size > 10_000) this.pruneAnnounced(this.clock.now());
  }

  push(raw: RawChange): void {
    const type: EntryType = raw.event === 'addDir' || raw.event === 'unlinkDir' ? 'directory' : 'file';
    const pathKey = this.key(raw.path);
    this.announced.delete(pathKey); // reported now
    if (raw.event === 'change') {
      this.out({ path: raw.path, kind: 'modified', type, at: raw.at }, raw.runs);
      return this.recheck();
    }
    const w: Waiting = { ...raw, type, due: raw.at + this.windowMs, done: false, base: this.key(this.path.basename(raw.path)), dir: this.key(this.path.dirname(raw.path)) };
    if (raw.event === 'unlink' || raw.event === 'unlinkDir') {
      if (this.windowMs <= 0) return this.out({ path: raw.path, kind: 'deleted', type, at: raw.at }, raw.runs);
      // The creation was reported first and is being held: pair now.
      const created = this.take(this.creates, (c) => c.type === type && c.base === w.base && c.dir !== w.dir) ?? this.take(this.creates, (c) => c.type === type && c.dir === w.dir);
      if (created) {
        this.out({ path: created.path, previousPath: raw.path, kind: 'renamed', type, at: created.at }, created.runs);
        return this.recheck();
      }
      this.deletes.push(w);
      this.recheck();
      return this.arm();
    }
    // add / addDir
    const same = this.take(this.deletes, (d) => d.type === type && this.key(d.path) === pathKey);
    if (same) {
      if (type === 'file') this.out({ path: raw.path, kind: 'modified', type, at: raw.at }, raw.runs);
      else {
        this.out({ path: same.path, kind: 'deleted', type, at: same.at }, same.runs);
        this.out({ path: raw.path, kind: 'created', type, at: raw.at }, raw.runs);
      }
      return this.recheck();
    }
    const moved = this.take(this.deletes, (d) => d.type === type && d.base === w.base) ?? this.take(this.deletes, (d) => d.type === type && d.dir === w.dir);
    if (moved) {
      this.out({ path: raw.path, previousPath: moved.path, kind: 'renamed', type, at: raw.at }, raw.runs);
      return this.recheck();
    }
    if (this.windowMs > 0 && this.suspicious(w, raw.at)) {
      this.creates.push(w);
      return this.arm();
    }
    this.out({ path: raw.path, kind: 'created', type, at: raw.at }, raw.runs);
    this.recheck();
  }

  /** Reports everything waiting now (the watcher stops). */
  flush(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.release(Number.POSITIVE_INFINITY);
    this.announced.clear();
  }

  /** Is a rename of a fitting name announced by the kernel and not yet reported? */
  private suspicious(w: Waiting, now: number): boolean {
    for (const a of this.announced.values()) {
      if (now - a.at > this.windowMs) continue;
      if ((a.base === w.base && a.dir !== w.dir) || (a.dir === w.dir && a.base !== w.base)) return true;
    }
    return false;
  }

  /** The most recent waiting entry in `list` that fits, marked done. */
  private take(list: Waiting[], fits: (w: Waiting) => boolean): Waiting | undefined {
    for (let i = list.length - 1; i >= 0; i--) {
      const w = list[i]!;
      if (!w.done && fits(w)) {
        w.done = true;
        return w;
      }
    }
    return undefined;
  }

  /** Held creations whose suspicion has cleared are reported at once. */
  private recheck(): void {
    if (this.creates.length === 0) return;
    const now = this.clock.now();
    for (const c of this.creates) {
      if (c.done || this.suspicious(c, now)) continue;
      c.done = true;
      this.out({ path: c.path, kind: 'created', type: c.type, at: c.at }, c.runs);
    }
    this.creates = this.creates.filter((c) => !c.done);
  }

  private release(now: number): void {
    // Deletions first: a creation held for them then finds nothing left to wait for.
    for (const d of this.deletes) {
      if (d.done || d.due > now) continue;
      d.done = true;
      this.out({ path: d.path, kind: 'deleted', type: d.type, at: d.at }, d.runs);
    }
    this.deletes = this.deletes.filter((d) => !d.done);
    for (const c of this.creates) {
      if (c.done || c.due > now) continue;
      c.done = true;
      this.out({ path: c.path, kind: 'created', type: c.type, at: c.at }, c.runs);
    }
    this.creates = this.creates.filter((c) => !c.done);
    this.pruneAnnounced(now);
    this.recheck();
  }

  private pruneAnnounced(now: number): void {
    for (const [k, a] of this.announced) if (now - a.at > this.windowMs) this.announced.delete(k);
  }

  private arm(): void {
    // Both lists are in arrival order, so by due time: the first live entry of each is the earliest.
    const first = (list: Waiting[]): number => list.find((w) => !w.done)?.due ?? Number.POSITIVE_INFINITY;
    const due = Math.min(first(this.deletes), first(this.creates));
    if (due === Number.POSITIVE_INFINITY) return;
    if (this.timer && this.timer.due <= due) return;
    this.timer?.cancel();
    const t = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.release(this.clock.now());
      this.arm();
    }, Math.max(0, due - this.clock.now()));
    this.timer = { cancel: () => t.cancel(), due };
  }
}

// ---------------------------------------------------------------------------------------------
// The service.

export interface RunSource {
  activeRuns(): RunInfo[];
  activeRunViews(): ActiveRunView[];
  run(sessionId: string): RunInfo | undefined;
  onChange(listener: (change: RunChange) => void): () => void;
}

export interface ScopeSource {
  state(): ScopeState;
  onChange(listener: () => void): () => void;
}

export interface FileWatcherOptions {
  runs: RunSource;
  scope: ScopeSource;
  evidence: EvidenceSink;
  clock: Clock;
  canonicalize: Canonicalize;
  /** The companion's data folder: never watched. */
  dataDir: string;
  /** Sentinel roots, depth and exclusions (read at each (re)plan). Default DEFAULT_WATCH_POLICY. */
  policy?: () => Partial<WatchPolicy>;
  port?: WatcherPort;
  readLimits?: () => InotifyLimits;
  countWatches?: () => number | undefined;
  platform?: NodeJS.Platform;
  /** An unlink followed this fast by an add is a rename (default 100 ms). */
  renameWindowMs?: number;
  /** Repeated out-of-scope changes of one path within this window are folded into one follow-up record (default 30 s). */
  repeatWindowMs?: number;
  /** Keep watching this long after the last run ends (default 0: stop at once). */
  lingerMs?: number;
  manifestLimits?: ManifestLimits;
  /** The sentinels start when the shared folders and protected paths are set up, or after this long (default 30 s). */
  firstPhaseTimeoutMs?: number;
  onError?: (error: unknown) => void;
}

interface RootWatch {
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

const MAX_GAPS_PER_ROOT = 50;
const MAX_PATH = 4096;

export class FileWatcherService {
  private readonly port: WatcherPort;
  private readonly platform: NodeJS.Platform;
  private phase: WatchStatus['state'] = 'idle';
  private roots = new Map<string, RootWatch>();
  private plan: WatchPlan | undefined;
  private chain: Promise<void> = Promise.resolve();
  private rawChain: Promise<void> = Promise.resolve();
  private readonly manifests = new Map<string, ManifestState>();
  /** Per run: every root watched and every gap seen while it was active (coverage is a union). */
  private readonly coverage = new Map<string, { watched: Set<string>; notWatched: Map<string, NotWatched> }>();
  private readonly outListeners = new Set<(c: OutOfScopeChange) => void>();
  private readonly statusListeners = new Set<(s: WatchStatus) => void>();
  private readonly activityListeners = new Set<(a: WatchActivity) => void>();
  private readonly unsubscribe: (() => void)[] = [];
  private scopeCache: { at: number; state: ScopeState } | undefined;
  private limits: InotifyLimits = {};
  private hint: { kind: WatchErrorKind; text: string } | undefined;
  private unreadableNames: NotWatched[] = [];
  private changesSeen = 0;
  private outOfScopeSeen = 0;
  private pairing: RenamePairing;
  private readonly repeats = new Map<string, { until: number; suppressed: number; last: OutOfScopeChange }>();
  private repeatTimer: { cancel(): void } | undefined;
  private lingerTimer: { cancel(): void } | undefined;
  private closed = false;
  private statusTimer: { cancel(): void } | undefined;

  constructor(private readonly o: FileWatcherOptions) {
    this.platform = o.platform ?? process.platform;
    // Linux: one inotify watch per folder without chokidar's per-file state (bench/WATCH-REPORT.md:
    // 5× faster to ready, a third of the memory). macOS and Windows watch trees natively: chokidar.
    this.port = o.port ?? (process.platform === 'linux' ? directoryWatchPort : chokidarPort);
    this.pairing = this.newPairing();
    this.unsubscribe.push(
      o.runs.onChange((change) => this.onRunChange(change)),
      o.scope.onChange(() => {
        this.scopeCache = undefined;
        if (this.phase !== 'idle') this.schedule();
      }),
    );
    if (o.runs.activeRuns().length > 0) this.schedule();
  }

  // ---- public API ----

  /** What is and is not being watched (for the UI). */
  status(): WatchStatus {
    const roots: WatchedRootStatus[] = [...this.roots.values()].map((r) => ({ path: r.plan.path, role: r.plan.role, state: r.state, depth: r.plan.depth, problem: r.problem }));
    const notWatching: NotWatched[] = [...(this.plan?.notWatched ?? [])];
    for (const r of this.roots.values()) {
      if (r.state === 'missing' || r.state === 'failed') notWatching.push({ path: r.plan.path, reason: r.problem ?? r.state });
      notWatching.push(...r.gaps);
      if (r.moreGaps > 0) notWatching.push({ path: r.plan.path, reason: `and ${r.moreGaps} more folders below it are not watched (same reasons)` });
    }
    notWatching.push(...this.unreadableNames);
    const troubled = roots.filter((r) => r.state === 'partial' || r.state === 'failed' || r.state === 'missing');
    const gaps = [...this.roots.values()].reduce((n, r) => n + r.gaps.length + r.moreGaps, 0);
    let problem: string | undefined;
    if (troubled.length > 0 || gaps > 0) {
      problem = this.hint?.kind === 'watch-limit'
        ? 'Not everything is watched: the system limit on watched folders was reached.'
        : this.hint?.kind === 'instance-limit'
          ? 'Not everything is watched: the system limit on open files or watchers was reached.'
          : 'Some folders are not watched (see the list).';
    }
    return {
      state: this.phase,
      activeRuns: this.o.runs.activeRuns().length,
      watching: roots.filter((r) => r.state === 'scanning' || r.state === 'ready' || r.state === 'partial').map((r) => r.path),
      notWatching,
      roots,
      excluded: [...this.policy().exclude],
      limits: { ...this.limits },
      hint: this.hint?.text,
      problem,
      changesSeen: this.changesSeen,
      outOfScopeSeen: this.outOfScopeSeen,
      semantics: WATCH_SEMANTICS,
    };
  }

  /** The run's manifest (JSON-ready), or undefined for an unknown run. */
  manifest(sessionId: string): RunManifest | undefined {
    const run = this.o.runs.run(sessionId);
    const state = this.manifests.get(sessionId);
    if (!run && !state) return undefined;
    if (run?.active) this.recordCoverage();
    const cov = this.coverage.get(sessionId);
    return exportManifest(
      state ?? newManifestState(),
      {
        sessionId,
        cwd: run?.cwd,
        active: run?.active ?? false,
        startedAt: run?.startedAt ?? 0,
        endedAt: run?.endedAt,
        endReason: run?.endReason,
      },
      { watched: [...(cov?.watched ?? [])].sort(), notWatched: [...(cov?.notWatched.values() ?? [])], excluded: [...this.policy().exclude] },
    );
  }

  /** The run's manifest counts, without building the export (for live views). */
  manifestTotals(sessionId: string): { total: number; created: number; modified: number; deleted: number; transient: number; unexplained: number; outOfScope: number } {
    const t = { total: 0, created: 0, modified: 0, deleted: 0, transient: 0, unexplained: 0, outOfScope: 0 };
    const state = this.manifests.get(sessionId);
    if (!state) return t;
    for (const e of state.entries.values()) {
      t.total++;
      t[e.status]++;
      t.unexplained += e.unexplained;
    }
    t.outOfScope = state.outOfScopeTotal;
    return t;
  }

  onOutOfScope(listener: (change: OutOfScopeChange) => void): () => void {
    this.outListeners.add(listener);
    return () => this.outListeners.delete(listener);
  }

  /** status() changed (roots ready, problems, start/stop). Coalesced. */
  onStatus(listener: (status: WatchStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Every change attributed to a run (manifest updates, live views). */
  onActivity(listener: (activity: WatchActivity) => void): () => void {
    this.activityListeners.add(listener);
    return () => this.activityListeners.delete(listener);
  }

  /** Re-plan now (the watch policy changed). Scope changes are picked up by themselves. */
  refresh(): void {
    this.scopeCache = undefined;
    if (this.phase !== 'idle' || this.o.runs.activeRuns().length > 0) this.schedule();
  }

  /** Resolves when pending start/stop work is done and every root has finished its first scan. */
  async whenSettled(): Promise<void> {
    for (;;) {
      const chain = this.chain;
      await chain;
      await Promise.all([...this.roots.values()].map((r) => r.ready));
      if (chain === this.chain) return;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const u of this.unsubscribe) u();
    this.lingerTimer?.cancel();
    this.lingerTimer = undefined;
    this.schedule();
    await this.chain;
    await this.rawChain;
    this.flushRepeats();
    this.statusTimer?.cancel();
    this.statusTimer = undefined;
  }

  // ---- lifecycle ----

  private policy(): WatchPolicy {
    const p = this.o.policy?.() ?? {};
    return {
      sentinelRoots: p.sentinelRoots ?? DEFAULT_WATCH_POLICY.sentinelRoots,
      sentinelDepth: p.sentinelDepth,
      sharedDepth: p.sharedDepth,
      exclude: p.exclude ?? DEFAULT_WATCH_POLICY.exclude,
    };
  }

  private onRunChange(change: RunChange): void {
    if (change.type === 'forgotten') {
      this.manifests.delete(change.run.sessionId);
      this.coverage.delete(change.run.sessionId);
      return;
    }
    // What was watched while it ran (the watchers are still up at this point).
    if (change.type === 'ended') this.recordCoverage([change.run.sessionId]);
    if (change.type === 'started' && !this.manifests.has(change.run.sessionId)) this.manifests.set(change.run.sessionId, newManifestState());
    if (change.type === 'started') {
      this.lingerTimer?.cancel();
      this.lingerTimer = undefined;
      this.schedule();
      return;
    }
    // ended
    if (this.o.runs.activeRuns().length > 0) return;
    const linger = this.o.lingerMs ?? 0;
    if (linger <= 0) return this.schedule();
    this.lingerTimer?.cancel();
    this.lingerTimer = this.o.clock.setTimeout(() => {
      this.lingerTimer = undefined;
      this.schedule();
    }, linger);
  }

  private schedule(): void {
    this.chain = this.chain.then(() => this.reconcile()).catch((error) => this.o.onError?.(error));
  }

  private async reconcile(): Promise<void> {
    const wanted = !this.closed && (this.o.runs.activeRuns().length > 0 || this.lingerTimer !== undefined);
    if (!wanted) {
      if (this.phase === 'idle' && this.roots.size === 0) return;
      this.phase = 'stopping';
      this.statusChanged();
      this.pairing.flush();
      await Promise.all([...this.roots.values()].map((r) => this.closeRoot(r)));
      this.roots.clear();
      this.plan = undefined;
      this.pairing = this.newPairing();
      this.phase = 'idle';
      this.statusChanged();
      return;
    }
    if (this.phase === 'idle') {
      this.phase = 'starting';
      this.hint = undefined;
      this.unreadableNames = [];
    }
    const scope = this.scopeState();
    const plan = planWatch({
      folders: scope.folders,
      forbidden: scope.forbidden,
      home: scope.home,
      volume: scope.volume,
      policy: this.policy(),
      dataDir: this.canonicalOr(this.o.dataDir),
      canonicalize: (p) => this.o.canonicalize(p),
    });
    this.plan = plan;
    const keep = new Set(plan.roots.map((r) => r.key));
    const stale = [...this.roots.values()].filter((r) => !keep.has(r.plan.key));
    await Promise.all(stale.map((r) => this.closeRoot(r)));
    for (const r of stale) this.roots.delete(r.plan.key);
    this.limits = this.readLimits();
    // Protected locations and shared folders first, sentinels once those are set up: when the limits
    // are tight, the watches go where they matter most.
    const first = plan.roots.filter((r) => r.role !== 'sentinel' && !this.roots.has(r.key));
    const second = plan.roots.filter((r) => r.role === 'sentinel' && !this.roots.has(r.key));
    for (const r of first) this.startRoot(r);
    this.statusChanged();
    // A first-phase root that never finishes its scan (a hung network mount) must not keep the
    // sentinels from starting: they start after at most `firstPhaseTimeoutMs`.
    let timer: { cancel(): void } | undefined;
    await Promise.race([
      Promise.all(first.map((r) => this.roots.get(r.key)?.ready)),
      new Promise<void>((resolve) => (timer = this.o.clock.setTimeout(resolve, this.o.firstPhaseTimeoutMs ?? 30_000))),
    ]);
    timer?.cancel();
    if (this.closed || this.o.runs.activeRuns().length === 0 && !this.lingerTimer) return this.reconcile();
    for (const r of second) this.startRoot(r);
    this.phase = 'watching';
    this.statusChanged();
  }

  private startRoot(plan: PlannedRoot): void {
    let resolve!: () => void;
    const ready = new Promise<void>((r) => (resolve = r));
    const root: RootWatch = { plan, state: 'scanning', gaps: [], moreGaps: 0, limited: false, ready, readyResolve: resolve, closed: false };
    this.roots.set(plan.key, root);
    const volume = this.scopeState().volume;
    const ignore = ignoreTest(plan, volume);
    const sink: WatchEventSink = {
      event: (kind, path) => this.onRawEvent(root, kind, path),
      raw: (event, name, dir) => this.onRawNotification(root, event, name, dir),
      error: (error) => this.onRootError(root, error),
      ready: () => this.onRootReady(root),
    };
    try {
      root.handle = this.port.watch(plan.path, { depth: plan.depth, ignored: ignore }, sink);
    } catch (error) {
      this.onRootError(root, error);
      root.state = 'failed';
      root.problem ??= `cannot be watched: ${(error as Error)?.message ?? String(error)}`;
      this.settleRoot(root);
    }
  }

  private async closeRoot(root: RootWatch): Promise<void> {
    root.closed = true;
    this.settleRoot(root);
    try {
      await root.handle?.close();
    } catch (error) {
      this.o.onError?.(error);
    }
    root.handle = undefined;
  }

  private settleRoot(root: RootWatch): void {
    root.readyResolve?.();
    root.readyResolve = undefined;
  }

  private onRootReady(root: RootWatch): void {
    if (root.closed) return;
    if (root.state === 'scanning') root.state = root.limited ? 'partial' : 'ready';
    this.settleRoot(root);
    if (![...this.roots.values()].some((r) => r.state === 'scanning')) this.limits = this.readLimits();
    this.statusChanged();
  }

  private onRootError(root: RootWatch, error: unknown): void {
    if (root.closed) return;
    const info = classifyWatchError(error);
    const path = info.path ?? root.plan.path;
    const sameAsRoot = comparisonKey(path, this.scopeState().volume) === comparisonKey(root.plan.path, this.scopeState().volume);
    let reason: string;
    switch (info.kind) {
      case 'watch-limit':
      case 'instance-limit': {
        this.limits = this.readLimits();
        const text = limitHint(info.kind, this.limits, this.platform);
        if (text && (!this.hint || this.hint.kind !== 'watch-limit')) this.hint = { kind: info.kind, text };
        reason = info.kind === 'watch-limit'
          ? `not watched: the system limit on watched folders (${this.limits.watchLimitSetting ?? 'fs.inotify.max_user_watches'}${this.limits.maxUserWatches !== undefined ? ` = ${this.limits.maxUserWatches}` : ''}) was reached`
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
    if (root.state === 'failed') this.settleRoot(root);
    this.statusChanged();
  }

  private onRawEvent(root: RootWatch, kind: RawWatchEvent, path: string): void {
    if (root.closed || this.phase === 'stopping' || this.phase === 'idle') return;
    const volume = this.scopeState().volume;
    if (comparisonKey(path, volume) === comparisonKey(root.plan.path, volume)) {
      if (kind === 'unlinkDir' || kind === 'unlink') {
        root.state = 'missing';
        root.problem = root.plan.role === 'shared'
          ? 'the shared folder was deleted during the run; it is watched again if it comes back'
          : 'deleted; it is watched again if it comes back';
        this.statusChanged();
      } else if ((kind === 'addDir' || kind === 'add') && root.state === 'missing') {
        root.state = 'ready';
        root.problem = undefined;
        this.statusChanged();
      }
    }
    const runs = this.o.runs.activeRunViews();
    if (runs.length === 0) return;
    this.pairing.push({ event: kind, path, at: this.o.clock.now(), runs });
  }

  /**
   * Node decodes file names as UTF-8; a name that is not valid UTF-8 comes out with U+FFFD and the
   * library cannot stat it, so it drops the change. The raw notification still names it: find the
   * entry by its bytes, report the change, and report the name (inside such a folder nothing can be
   * watched).
   */
  private onRawNotification(root: RootWatch, event: string, name: string | null, dir: string | undefined): void {
    if (root.closed || !name || !dir) return;
    if (event === 'rename' && this.phase !== 'idle' && this.phase !== 'stopping') this.pairing.noteRename(dir, name);
    if (!name.includes('\uFFFD')) return;
    const runs = this.o.runs.activeRunViews();
    const at = this.o.clock.now();
    const p = this.platform === 'win32' ? win32 : posix;
    const shown = p.join(dir, name);
    // One at a time, in arrival order (a rename notification is followed by a change notification).
    this.rawChain = this.rawChain.then(async () => {
      let match: Buffer | undefined;
      try {
        const entries = await readdir(dir, { encoding: 'buffer' });
        match = entries.find((b) => b.toString('utf8') === name);
      } catch {
        match = undefined;
      }
      let type: EntryType = 'file';
      if (match) {
        try {
          const st = await lstat(Buffer.concat([Buffer.from(dir.endsWith(p.sep) ? dir : dir + p.sep), match]));
          if (st.isDirectory()) type = 'directory';
        } catch {
          // gone meanwhile: reported as a change of a file
        }
      }
      if (root.closed) return;
      if (!this.unreadableNames.some((u) => u.path === shown) && this.unreadableNames.length < MAX_GAPS_PER_ROOT) {
        this.unreadableNames.push({
          path: shown,
          reason: type === 'directory' ? 'its name is not valid UTF-8: changes inside it cannot be watched' : 'its name is not valid UTF-8 (shown with �)',
        });
        this.statusChanged();
      }
      if (runs.length === 0) return;
      const kind: ChangeKind = !match ? 'deleted' : event === 'rename' ? 'created' : 'modified';
      this.handleChange({ path: shown, kind, type, at }, runs);
    }).catch((error) => this.o.onError?.(error));
  }

  // ---- changes ----

  private newPairing(): RenamePairing {
    const volume = this.scopeState().volume;
    return new RenamePairing(this.o.clock, this.o.renameWindowMs ?? 100, (change, runs) => this.handleChange(change, runs), (p) => comparisonKey(p, volume), volume.windows);
  }

  private handleChange(change: ObservedChange, runs: ActiveRunView[]): void {
    try {
      this.changesSeen++;
      const scope = this.scopeState();
      const folders = this.plan?.folders ?? [];
      const cls = classifyPath(change.path, scope, this.o.canonicalize, folders);
      const prev = change.previousPath ? classifyPath(change.previousPath, scope, this.o.canonicalize, folders) : undefined;
      const violation = worseViolation(violationOf(cls), prev ? violationOf(prev) : undefined);
      const attribution = attributeChange(change, runs, scope.volume);
      const changeId = randomUUID();
      const forbidden = [cls, prev].find((c): c is Extract<PathClass, { kind: 'forbidden' }> => c?.kind === 'forbidden');
      for (const run of attribution.runs) {
        let m = this.manifests.get(run.sessionId);
        if (!m) this.manifests.set(run.sessionId, (m = newManifestState()));
        recordInManifest(m, change, { path: cls, previous: prev }, run.toolUseId, this.o.manifestLimits ?? DEFAULT_MANIFEST_LIMITS);
        if (!violation) continue;
        recordOutOfScope(m, { path: change.path, previousPath: change.previousPath, change: change.kind, type: change.type, violation, severity: severityOf(violation), toolUseId: run.toolUseId, at: change.at }, this.o.manifestLimits ?? DEFAULT_MANIFEST_LIMITS);
        this.outOfScopeSeen++;
        this.report({
          eventId: '',
          changeId,
          sessionId: run.sessionId,
          promptId: run.promptId,
          cwd: run.cwd,
          path: change.path,
          previousPath: change.previousPath,
          change: change.kind,
          type: change.type,
          violation,
          severity: severityOf(violation),
          forbiddenReason: forbidden?.reason,
          toolUseId: run.toolUseId,
          toolName: run.toolName,
          activeRuns: runs.length,
          at: change.at,
          recorded: false,
        });
      }
      const activity: WatchActivity = { change, runs: attribution.runs.map((r) => r.sessionId), inScope: !violation, violation };
      for (const l of this.activityListeners) l(activity);
    } catch (error) {
      this.o.onError?.(error);
    }
  }

  /** Records the evidence (first change of a path at once; repeats folded into one follow-up). */
  private report(c: OutOfScopeChange): void {
    const key = `${c.sessionId}\0${c.violation}\0${c.path}`;
    const now = this.o.clock.now();
    const window = this.o.repeatWindowMs ?? 30_000;
    const r = this.repeats.get(key);
    if (r && now < r.until) {
      r.suppressed++;
      r.last = c;
      return;
    }
    if (window > 0) {
      this.repeats.set(key, { until: now + window, suppressed: 0, last: c });
      this.armRepeats();
    }
    this.emitOutOfScope(c);
  }

  private armRepeats(): void {
    if (this.repeatTimer || this.repeats.size === 0) return;
    let first = Number.POSITIVE_INFINITY;
    for (const r of this.repeats.values()) first = Math.min(first, r.until);
    this.repeatTimer = this.o.clock.setTimeout(() => {
      this.repeatTimer = undefined;
      this.flushRepeats(this.o.clock.now());
      this.armRepeats();
    }, Math.max(0, first - this.o.clock.now()));
  }

  private flushRepeats(now = Number.POSITIVE_INFINITY): void {
    if (now === Number.POSITIVE_INFINITY) {
      this.repeatTimer?.cancel();
      this.repeatTimer = undefined;
    }
    for (const [key, r] of this.repeats) {
      if (r.until > now) continue;
      this.repeats.delete(key);
      if (r.suppressed > 0) this.emitOutOfScope({ ...r.last, repeats: r.suppressed, changeId: randomUUID() });
    }
  }

  private emitOutOfScope(c: OutOfScopeChange): void {
    const cut = <P extends string | undefined>(p: P): P => (p !== undefined && p.length > MAX_PATH ? `${p.slice(0, MAX_PATH - 1)}…` : p) as P;
    const event = newEvidenceEvent(EVENT_NAMES.fileOutOfScope, c.at, {
      [ATTR.filePath]: cut(c.path),
      [ATTR.filePreviousPath]: cut(c.previousPath),
      [ATTR.fileChange]: c.change,
      [ATTR.fileType]: c.type,
      [ATTR.scopeViolation]: c.violation,
      [ATTR.scopeSeverity]: c.severity,
      [ATTR.sessionId]: c.sessionId,
      [ATTR.promptId]: c.promptId,
      [ATTR.cwd]: cut(c.cwd),
      [ATTR.toolUseId]: c.toolUseId,
      [ATTR.toolName]: c.toolName,
      [ATTR.fileAttribution]: c.toolUseId ? 'tool_call' : 'unexplained',
      [ATTR.fileChangeId]: c.changeId,
      [ATTR.fileActiveRuns]: c.activeRuns,
      [ATTR.fileRepeats]: c.repeats,
    });
    const out: OutOfScopeChange = { ...c, eventId: event.eventId };
    const notify = (recorded: boolean): void => {
      for (const l of this.outListeners) {
        try {
          l({ ...out, recorded });
        } catch (error) {
          this.o.onError?.(error);
        }
      }
    };
    this.o.evidence.record(event).then(
      () => notify(true),
      (error) => {
        this.o.onError?.(error);
        notify(false);
      },
    );
  }

  // ---- helpers ----

  private scopeState(): ScopeState {
    const now = this.o.clock.now();
    if (!this.scopeCache || now - this.scopeCache.at > 1000 || now < this.scopeCache.at) {
      const state = this.o.scope.state();
      // Canonical forms of the protected paths once per refresh, not once per change.
      const forbidden = state.forbidden.map((f) => (f.canonical !== undefined ? f : { ...f, canonical: this.canonicalOr(f.path) }));
      this.scopeCache = { at: now, state: { ...state, forbidden } };
    }
    return this.scopeCache.state;
  }

  private canonicalOr(p: string): string {
    const c = this.o.canonicalize(p);
    return c.ok ? c.path : p;
  }

  private readLimits(): InotifyLimits {
    const limits = (this.o.readLimits ?? (() => readInotifyLimits(undefined, this.platform)))();
    const inUse = this.o.countWatches ? this.o.countWatches() : this.platform === 'linux' ? countInotifyWatches() : undefined;
    return { ...limits, ...(inUse !== undefined ? { watchesInUse: inUse } : {}) };
  }

  /** Adds the current coverage to the active runs' (or the given runs') record. */
  private recordCoverage(sessionIds = this.o.runs.activeRuns().map((r) => r.sessionId)): void {
    if (sessionIds.length === 0 || this.roots.size === 0) return;
    const st = this.status();
    for (const id of sessionIds) {
      let cov = this.coverage.get(id);
      if (!cov) this.coverage.set(id, (cov = { watched: new Set(), notWatched: new Map() }));
      for (const w of st.watching) cov.watched.add(w);
      for (const n of st.notWatching) if (cov.notWatched.size < 500) cov.notWatched.set(`${n.path}\0${n.reason}`, n);
    }
  }

  private statusChanged(): void {
    if (this.statusTimer || (this.closed && this.phase === 'idle')) return;
    this.statusTimer = this.o.clock.setTimeout(() => {
      this.statusTimer = undefined;
      this.recordCoverage();
      if (this.statusListeners.size === 0) return;
      const s = this.status();
      for (const l of this.statusListeners) {
        try {
          l(s);
        } catch (error) {
          this.o.onError?.(error);
        }
      }
    }, 50);
  }
}
