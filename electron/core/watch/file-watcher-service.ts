// Watches the file system while at least one agent run is active (and only then), so that "did the
// run stay within the approved scope?" has an answer backed by evidence:
//   - a change inside a shared folder lands in each active run's manifest (exportable as JSON);
//   - a change outside the scope (or in a read-only shared folder, or in a protected location) is
//     recorded as `file.out_of_scope` evidence and reported to onOutOfScope listeners (notification,
//     escalation), linked to the tool call that announced the path when one did.
// What is watched comes from watch-plan-policy; what a change means from change-attribution-policy
// (applied by change-recorder). The watcher backend sits behind WatcherPort (watcher-port.ts) and is
// handed in by the wiring (watch-port-for.ts). Limits (inotify watches, open files), unreadable
// folders, deleted roots and unreadable names are reported in status(), never crash the companion and
// never leave a partial watch unreported.
//
// Honest semantics: changes only (created, modified, deleted, renamed), not reads, not which process.
import { posix, win32 } from 'node:path';
import type { ChangeKind, NotWatched, RunManifest } from '../../../shared/run-watch-contract.js';
import { comparisonKey } from '../paths/index.js';
import type { ScopeState } from '../scope/index.js';
import { ChangeRecorder } from './change-recorder.js';
import type { ClientLayout } from './client-bookkeeping-policy.js';
import type { FileWatcherOptions } from './file-watcher-options.js';
import { lookUpRawName } from './raw-name-lookup.js';
import { RenamePairing } from './rename-pairing.js';
import { newRootWatch, noteRootError, noteRootEvent, rootsReport, settleRoot, MAX_GAPS_PER_ROOT, type RootWatch } from './root-watch.js';
import type { ManifestTotals } from './run-manifests.js';
import type { RunChange } from './run-tracker-service.js';
import { classifyWatchError, countInotifyWatches, limitHint, readInotifyLimits, type InotifyLimits, type WatchErrorKind } from './watch-limits.js';
import { DEFAULT_WATCH_POLICY, ignoreTest, planWatch, type PlannedRoot, type WatchPlan, type WatchPolicy } from './watch-plan-policy.js';
import { WATCH_SEMANTICS, type OutOfScopeChange, type WatchActivity, type WatchStatus } from './watch-status.js';
import type { RawWatchEvent, WatchEventSink } from './watcher-port.js';

export class FileWatcherService {
  private readonly platform: NodeJS.Platform;
  private phase: WatchStatus['state'] = 'idle';
  private roots = new Map<string, RootWatch>();
  private plan: WatchPlan | undefined;
  private chain: Promise<void> = Promise.resolve();
  private rawChain: Promise<void> = Promise.resolve();
  private readonly changes: ChangeRecorder;
  private readonly statusListeners = new Set<(s: WatchStatus) => void>();
  private readonly unsubscribe: (() => void)[] = [];
  private scopeCache: { at: number; state: ScopeState; client: ClientLayout } | undefined;
  private limits: InotifyLimits = {};
  private hint: { kind: WatchErrorKind; text: string } | undefined;
  private unreadableNames: NotWatched[] = [];
  private pairing: RenamePairing;
  private lingerTimer: { cancel(): void } | undefined;
  private closed = false;
  private statusTimer: { cancel(): void } | undefined;

  constructor(private readonly o: FileWatcherOptions) {
    this.platform = o.platform ?? process.platform;
    this.changes = new ChangeRecorder(o, { scope: () => this.scopeState(), plannedFolders: () => this.plan?.folders ?? [], client: () => this.clientLayout() });
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
    const { roots, notWatching: belowRoots, gaps } = rootsReport(this.roots.values());
    const notWatching: NotWatched[] = [...(this.plan?.notWatched ?? []), ...belowRoots, ...this.unreadableNames];
    const troubled = roots.filter((r) => r.state === 'partial' || r.state === 'failed' || r.state === 'missing');
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
      ...this.changes.counts(),
      semantics: WATCH_SEMANTICS,
    };
  }

  /** The run's manifest (JSON-ready), or undefined for an unknown run. */
  manifest(sessionId: string): RunManifest | undefined {
    const run = this.o.runs.run(sessionId);
    if (!run && !this.changes.manifests.has(sessionId)) return undefined;
    if (run?.active) this.recordCoverage();
    return this.changes.manifests.export(sessionId, run, [...this.policy().exclude]);
  }

  /** The run's manifest counts, without building the export (for live views). */
  manifestTotals(sessionId: string): ManifestTotals {
    return this.changes.manifests.totals(sessionId);
  }

  onOutOfScope(listener: (change: OutOfScopeChange) => void): () => void {
    return this.changes.onOutOfScope(listener);
  }

  /** status() changed (roots ready, problems, start/stop). Coalesced. */
  onStatus(listener: (status: WatchStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Every change attributed to a run (manifest updates, live views). */
  onActivity(listener: (activity: WatchActivity) => void): () => void {
    return this.changes.onActivity(listener);
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
    this.changes.flush();
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
    if (change.type === 'forgotten') return this.changes.manifests.forget(change.run.sessionId);
    // What was watched while it ran (the watchers are still up at this point).
    if (change.type === 'ended' || change.type === 'waiting') this.recordCoverage([change.run.sessionId]);
    if (change.type === 'started') {
      this.changes.manifests.state(change.run.sessionId); // exportable (empty) from the start
      this.lingerTimer?.cancel();
      this.lingerTimer = undefined;
      this.schedule();
      return;
    }
    // ended, or waiting for its next turn: no longer charged, so no longer a reason to watch
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
    const root = newRootWatch(plan);
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
      root.handle = this.o.port.watch(plan.path, { depth: plan.depth, ignored: ignore }, sink);
    } catch (error) {
      this.onRootError(root, error);
      root.state = 'failed';
      root.problem ??= `cannot be watched: ${(error as Error)?.message ?? String(error)}`;
      settleRoot(root);
    }
  }

  private async closeRoot(root: RootWatch): Promise<void> {
    root.closed = true;
    settleRoot(root);
    try {
      await root.handle?.close();
    } catch (error) {
      this.o.onError?.(error);
    }
    root.handle = undefined;
  }

  private onRootReady(root: RootWatch): void {
    if (root.closed) return;
    if (root.state === 'scanning') root.state = root.limited ? 'partial' : 'ready';
    settleRoot(root);
    if (![...this.roots.values()].some((r) => r.state === 'scanning')) this.limits = this.readLimits();
    this.statusChanged();
  }

  private onRootError(root: RootWatch, error: unknown): void {
    if (root.closed) return;
    const info = classifyWatchError(error);
    const path = info.path ?? root.plan.path;
    const sameAsRoot = comparisonKey(path, this.scopeState().volume) === comparisonKey(root.plan.path, this.scopeState().volume);
    if (info.kind === 'watch-limit' || info.kind === 'instance-limit') {
      this.limits = this.readLimits();
      const text = limitHint(info.kind, this.limits, this.platform);
      if (text && (!this.hint || this.hint.kind !== 'watch-limit')) this.hint = { kind: info.kind, text };
    }
    noteRootError(root, info, path, sameAsRoot, this.limits);
    if (root.state === 'failed') settleRoot(root);
    this.statusChanged();
  }

  private onRawEvent(root: RootWatch, kind: RawWatchEvent, path: string): void {
    if (root.closed || this.phase === 'stopping' || this.phase === 'idle') return;
    const volume = this.scopeState().volume;
    if (comparisonKey(path, volume) === comparisonKey(root.plan.path, volume) && noteRootEvent(root, kind)) this.statusChanged();
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
      const { found, type } = await lookUpRawName(dir, name, p);
      if (root.closed) return;
      if (!this.unreadableNames.some((u) => u.path === shown) && this.unreadableNames.length < MAX_GAPS_PER_ROOT) {
        this.unreadableNames.push({
          path: shown,
          reason: type === 'directory' ? 'its name is not valid UTF-8: changes inside it cannot be watched' : 'its name is not valid UTF-8 (shown with �)',
        });
        this.statusChanged();
      }
      if (runs.length === 0) return;
      const kind: ChangeKind = !found ? 'deleted' : event === 'rename' ? 'created' : 'modified';
      this.changes.record({ path: shown, kind, type, at }, runs);
    }).catch((error) => this.o.onError?.(error));
  }

  // ---- changes ----

  private newPairing(): RenamePairing {
    const volume = this.scopeState().volume;
    return new RenamePairing(this.o.clock, this.o.renameWindowMs ?? 100, (change, runs) => this.changes.record(change, runs), (p) => comparisonKey(p, volume), volume.windows);
  }

  // ---- helpers ----

  private scopeState(): ScopeState {
    const now = this.o.clock.now();
    if (!this.scopeCache || now - this.scopeCache.at > 1000 || now < this.scopeCache.at) {
      const state = this.o.scope.state();
      // Canonical forms of the protected paths once per refresh, not once per change.
      const forbidden = state.forbidden.map((f) => (f.canonical !== undefined ? f : { ...f, canonical: this.canonicalOr(f.path) }));
      // Where Claude Code keeps its files (the scope's home: the core's `home` option), links resolved.
      const { join } = state.volume.windows ? win32 : posix;
      const client: ClientLayout = {
        home: this.canonicalOr(state.home),
        configDir: this.canonicalOr(join(state.home, '.claude')),
        stateFile: this.canonicalOr(join(state.home, '.claude.json')),
        volume: state.volume,
      };
      this.scopeCache = { at: now, state: { ...state, forbidden }, client };
    }
    return this.scopeCache.state;
  }

  private clientLayout(): ClientLayout {
    this.scopeState();
    return this.scopeCache!.client;
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
    this.changes.manifests.addCoverage(sessionIds, this.status());
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
