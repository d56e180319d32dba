// Agent runs and the file watcher, as the rest of the core sees them: every hook payload is observed
// (a run is active while its agent works, waits between turns after Stop, and ends on SessionEnd or
// the policy's idle timeout: run-tracker-service.ts), the watcher runs only while a run is active, and the UI gets runs with manifest counts, the watcher's
// coverage and recent out-of-scope alerts. The managed policy's `watch` section is applied live
// (enabled, roots, depth, exclusions, idle timeout).
import type { OutOfScopeAlert, RunManifest, RunView, WatchView } from '../../../shared/run-watch-contract.js';
import type { ManagedPolicy } from '../../../shared/managed-policy-contract.js';
import type { Canonicalize } from '../paths/index.js';
import { type Clock, CoreError } from '../base/index.js';
import { newEvidenceEvent, type EvidenceEvent, type EvidenceSink } from '../evidence/index.js';
import { ATTR, EVENT_NAMES } from '../../../shared/telemetry-events.js';
import type { ScopeSource } from './file-watcher-options.js';
import { FileWatcherService } from './file-watcher-service.js';
import { OwnWriteLedger } from './own-write-ledger.js';
import type { ResolvedRequest, ToolCall } from '../requests/index.js';
import { RunTrackerService, type HookObservation, type RunInfo } from './run-tracker-service.js';
import { DEFAULT_WATCH_EXCLUDES, type WatchPolicy } from './watch-plan-policy.js';
import { WATCH_SEMANTICS, type OutOfScopeChange } from './watch-status.js';
import type { WatcherPort } from './watcher-port.js';

const ALERTS_KEPT = 50;
const NOT_WATCHING_SHOWN = 50;
const CHANGE_COALESCE_MS = 250;

export interface RunMonitorDeps {
  clock: Clock;
  canonicalize: Canonicalize;
  home: string;
  dataDir: string;
  evidence: EvidenceSink;
  scope: ScopeSource;
  policy: () => ManagedPolicy;
  /** False: the watcher never starts (command line `--no-watch`); policy can only turn it off too. */
  watchAllowed: boolean;
  /** The watcher backend: watchPortFor(platform) in the app, a fake or a wrapped one in tests. */
  port: WatcherPort;
  onError: (error: unknown) => void;
  /** Runs and alerts from before the restart (rebuilt from the journal): shown ended, newest first. */
  history?: { runs: readonly { view: RunView; manifest: RunManifest }[]; alerts: readonly OutOfScopeAlert[] };
}

export function watchPolicyOf(policy: ManagedPolicy): Partial<WatchPolicy> {
  const w = policy.watch;
  return {
    sentinelRoots: w?.sentinelRoots,
    sentinelDepth: w?.sentinelDepth,
    sharedDepth: w?.sharedDepth,
    exclude: [...DEFAULT_WATCH_EXCLUDES, ...(w?.exclude ?? [])],
  };
}

const iso = (t: number): string => new Date(t).toISOString();

export class RunMonitorService {
  readonly runs: RunTrackerService;
  private watcher: FileWatcherService | undefined;
  private readonly recentAlerts: OutOfScopeAlert[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly alertListeners = new Set<(alert: OutOfScopeAlert) => void>();
  private changeTimer: { cancel(): void } | undefined;
  private policyKey: string;
  private closed = false;
  private readonly pastRuns: ReadonlyMap<string, { view: RunView; manifest: RunManifest }>;
  /** Files the companion writes itself (Claude Code's settings): not the agent's changes. */
  readonly ownWrites: OwnWriteLedger;

  constructor(private readonly deps: RunMonitorDeps) {
    this.ownWrites = new OwnWriteLedger(deps.clock, deps.canonicalize);
    this.runs = new RunTrackerService({
      clock: deps.clock,
      idleTimeoutMs: () => (deps.policy().watch?.idleTimeoutMinutes ?? 30) * 60_000,
    });
    this.runs.onChange((change) => {
      // A run's first activation (not each later turn) and its end are evidence: the Runs view after a restart.
      if (change.type === 'started' && change.run.activations === 1) this.recordStart(change.run);
      if (change.type === 'ended') this.recordEnd(change.run);
      this.changed();
    });
    this.pastRuns = new Map((deps.history?.runs ?? []).map((r) => [r.view.sessionId, r]));
    this.recentAlerts.push(...(deps.history?.alerts ?? []).slice(0, ALERTS_KEPT));
    this.policyKey = JSON.stringify(deps.policy().watch ?? {});
    if (this.enabled()) this.startWatcher();
  }

  /** Every hook payload, before any decision, with its tool call resolved when it names one. Never throws. */
  observe(payload: HookObservation, request?: ResolvedRequest<ToolCall>): void {
    this.runs.observe(payload, request);
  }

  /** The managed policy may have changed: start, stop or re-plan the watcher. */
  applyPolicy(): void {
    const key = JSON.stringify(this.deps.policy().watch ?? {});
    if (key === this.policyKey || this.closed) return;
    this.policyKey = key;
    if (!this.enabled()) {
      const w = this.watcher;
      this.watcher = undefined;
      void w?.close().catch(this.deps.onError);
    } else if (!this.watcher) this.startWatcher();
    else this.watcher.refresh();
    this.changed();
  }

  runViews(): RunView[] {
    const list = this.runs.runsList();
    // Runs from before the restart the tracker has not seen again, with the ended ones.
    const past = [...this.pastRuns.values()].filter((p) => !this.runs.run(p.view.sessionId)).map((p) => p.view);
    const ended = [...list.filter((r) => !r.active).map((r) => this.view(r)), ...past].sort((a, b) => Date.parse(b.lastEventAt) - Date.parse(a.lastEventAt));
    // Active runs first (newest activity first within each group).
    return [...list.filter((r) => r.active).map((r) => this.view(r)), ...ended];
  }

  watchView(): WatchView {
    const enabled = this.enabled();
    const s = this.watcher?.status();
    const notWatching = s?.notWatching ?? [];
    return {
      enabled,
      ...(this.deps.policy().watch?.enabled === false ? { offByPolicy: true } : {}),
      state: s?.state ?? 'idle',
      watching: s?.watching ?? [],
      notWatching: notWatching.slice(0, NOT_WATCHING_SHOWN),
      notWatchingMore: Math.max(0, notWatching.length - NOT_WATCHING_SHOWN),
      excluded: s?.excluded ?? watchPolicyOf(this.deps.policy()).exclude ?? [],
      ...(s?.problem ? { problem: s.problem } : {}),
      ...(s?.hint ? { hint: s.hint } : {}),
      limits: { maxUserWatches: s?.limits.maxUserWatches, maxUserInstances: s?.limits.maxUserInstances, watchesInUse: s?.limits.watchesInUse },
      changesSeen: s?.changesSeen ?? 0,
      outOfScopeSeen: s?.outOfScopeSeen ?? 0,
      semantics: enabled ? WATCH_SEMANTICS : 'File watching is turned off, so changes made outside the tools the companion approves are not seen.',
    };
  }

  alerts(): OutOfScopeAlert[] {
    return [...this.recentAlerts];
  }

  manifest(sessionId: string): RunManifest {
    const m = this.watcher?.manifest(sessionId);
    if (m) return m;
    const run = this.runs.run(sessionId);
    const past = this.pastRuns.get(sessionId);
    if (!run && past) return past.manifest;
    if (!run) throw new CoreError('unknown_run', 'No such run (it may have been forgotten: only the 50 most recent runs are kept).');
    // Watching was off: an honest, empty manifest that says so.
    return {
      sessionId,
      cwd: run.cwd,
      active: run.active,
      startedAt: iso(run.startedAt),
      endedAt: run.endedAt === undefined ? undefined : iso(run.endedAt),
      endReason: run.endReason,
      totals: { files: 0, created: 0, modified: 0, deleted: 0, transient: 0, changes: 0, unexplained: 0, outOfScope: 0, dropped: 0, clientBookkeeping: 0 },
      files: [],
      outOfScope: [],
      coverage: { watched: [], notWatched: [{ path: '(everything)', reason: 'file watching was turned off' }], excluded: [] },
      note: 'File watching was turned off during this run: no file changes were recorded.',
    };
  }

  /** Runs, watcher status or alerts changed (coalesced to a few per second). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onAlert(listener: (alert: OutOfScopeAlert) => void): () => void {
    this.alertListeners.add(listener);
    return () => this.alertListeners.delete(listener);
  }

  /** Runs end first (their coverage is recorded while the watchers are still up), then the watcher. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.runs.close();
    this.changeTimer?.cancel();
    await this.watcher?.close();
  }

  private enabled(): boolean {
    return this.deps.watchAllowed && this.deps.policy().watch?.enabled !== false;
  }

  private startWatcher(): void {
    const watcher = new FileWatcherService({
      runs: this.runs,
      scope: this.deps.scope,
      evidence: this.deps.evidence,
      clock: this.deps.clock,
      canonicalize: this.deps.canonicalize,
      dataDir: this.deps.dataDir,
      policy: () => watchPolicyOf(this.deps.policy()),
      port: this.deps.port,
      onError: this.deps.onError,
      isOwnWrite: (path, at) => this.ownWrites.has(path, at),
    });
    watcher.onStatus(() => this.changed());
    watcher.onActivity(() => this.changed());
    watcher.onOutOfScope((c) => this.alert(c));
    this.watcher = watcher;
  }

  private recordStart(run: RunInfo): void {
    this.record(newEvidenceEvent(EVENT_NAMES.runStarted, run.startedAt, { [ATTR.sessionId]: run.sessionId, [ATTR.promptId]: run.promptId, [ATTR.cwd]: run.cwd }));
  }

  /** `run.ended`: the run's end and its manifest's counts, so the Runs view has them after a restart. */
  private recordEnd(run: RunInfo): void {
    const t = this.watcher?.manifest(run.sessionId)?.totals;
    const event = newEvidenceEvent(EVENT_NAMES.runEnded, run.endedAt ?? this.deps.clock.now(), {
      [ATTR.sessionId]: run.sessionId,
      [ATTR.promptId]: run.promptId,
      [ATTR.cwd]: run.cwd,
      [ATTR.runStartedAt]: iso(run.startedAt),
      // The tracker ends runs for one of the recorded reasons; `unknown` is only ever rebuilt.
      [ATTR.runEndReason]: run.endReason && run.endReason !== 'unknown' ? run.endReason : 'shutdown',
      [ATTR.runToolEvents]: run.toolEvents,
      [ATTR.runFiles]: t?.files ?? 0,
      [ATTR.runFilesCreated]: t?.created ?? 0,
      [ATTR.runFilesModified]: t?.modified ?? 0,
      [ATTR.runFilesDeleted]: t?.deleted ?? 0,
      [ATTR.runFilesTransient]: t?.transient ?? 0,
      [ATTR.runChanges]: t?.changes ?? 0,
      [ATTR.runUnexplained]: t?.unexplained ?? 0,
      [ATTR.runOutOfScope]: t?.outOfScope ?? 0,
      [ATTR.runDropped]: t?.dropped ?? 0,
      [ATTR.runClientBookkeeping]: t?.clientBookkeeping ?? 0,
    });
    this.record(event);
  }

  private record(event: EvidenceEvent): void {
    void this.deps.evidence.record(event).catch(this.deps.onError);
  }

  private alert(c: OutOfScopeChange): void {
    const alert: OutOfScopeAlert = {
      eventId: c.eventId,
      sessionId: c.sessionId,
      path: c.path,
      ...(c.previousPath ? { previousPath: c.previousPath } : {}),
      change: c.change,
      type: c.type,
      violation: c.violation,
      severity: c.severity,
      ...(c.forbiddenReason ? { forbiddenReason: c.forbiddenReason } : {}),
      ...(c.toolUseId ? { toolUseId: c.toolUseId } : {}),
      ...(c.toolName ? { toolName: c.toolName } : {}),
      ...(c.repeats ? { repeats: c.repeats } : {}),
      at: iso(c.at),
      recorded: c.recorded,
    };
    this.recentAlerts.unshift(alert);
    this.recentAlerts.length = Math.min(this.recentAlerts.length, ALERTS_KEPT);
    for (const l of [...this.alertListeners]) l(alert);
    this.changed();
  }

  private view(r: RunInfo): RunView {
    const t = this.watcher?.manifestTotals(r.sessionId);
    return {
      sessionId: r.sessionId,
      ...(r.cwd ? { cwd: r.cwd } : {}),
      active: r.active,
      status: r.status,
      startedAt: iso(r.startedAt),
      lastEventAt: iso(r.lastEventAt),
      ...(r.endedAt !== undefined ? { endedAt: iso(r.endedAt) } : {}),
      ...(r.endReason ? { endReason: r.endReason } : {}),
      toolEvents: r.toolEvents,
      files: { total: t?.total ?? 0, created: t?.created ?? 0, modified: t?.modified ?? 0, deleted: t?.deleted ?? 0, transient: t?.transient ?? 0, unexplained: t?.unexplained ?? 0 },
      outOfScope: t?.outOfScope ?? 0,
    };
  }

  private changed(): void {
    if (this.closed) return;
    this.changeTimer ??= this.deps.clock.setTimeout(() => {
      this.changeTimer = undefined;
      for (const l of [...this.listeners]) l();
    }, CHANGE_COALESCE_MS);
  }
}
