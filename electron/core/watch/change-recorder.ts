// What each change the watcher sees means for the active runs (change-attribution-policy.ts): Claude
// Code's own bookkeeping is only counted (client-bookkeeping-policy.ts); anything else lands in the
// manifest of every run it is attributed to; a change outside the scope (or in a read-only
// shared folder, or in a protected location) also becomes `file.out_of_scope` evidence
// (out-of-scope-reporter.ts); every change reaches the onActivity listeners.
import { randomUUID } from 'node:crypto';
import type { Canonicalize } from '../paths/index.js';
import type { ActiveFolder, ScopeState } from '../scope/index.js';
import { type ActiveRunView, attributeChange, classifyPath, DEFAULT_MANIFEST_LIMITS, type ManifestLimits, type ObservedChange, type PathClass, recordInManifest, recordOutOfScope, severityOf, violationOf, worseViolation } from './change-attribution-policy.js';
import { type ClientLayout, isClientBookkeeping } from './client-bookkeeping-policy.js';
import { OutOfScopeReporter, type OutOfScopeReporterOptions } from './out-of-scope-reporter.js';
import { RunManifests } from './run-manifests.js';
import type { OutOfScopeChange, WatchActivity } from './watch-status.js';

export interface ChangeRecorderOptions extends OutOfScopeReporterOptions {
  canonicalize: Canonicalize;
  manifestLimits?: ManifestLimits;
  /** A change the companion itself is making (it keeps Claude Code's sandbox settings in step): not
   *  the agent's work, neither listed nor reported. */
  isOwnWrite?: (path: string, at: number) => boolean;
}

/** Where a change is judged: the scope now, the shared folders the watcher planned with, and where
 *  Claude Code keeps its own files (canonical). */
export interface ChangeContext {
  scope(): ScopeState;
  plannedFolders(): readonly ActiveFolder[];
  client(): ClientLayout;
}

export class ChangeRecorder {
  /** Per run: the manifest and the watcher's coverage. */
  readonly manifests = new RunManifests();
  private readonly outOfScope: OutOfScopeReporter;
  private readonly activityListeners = new Set<(a: WatchActivity) => void>();
  private changesSeen = 0;
  private outOfScopeSeen = 0;

  constructor(
    private readonly o: ChangeRecorderOptions,
    private readonly context: ChangeContext,
  ) {
    this.outOfScope = new OutOfScopeReporter(o);
  }

  /** Changes seen, and out-of-scope records made, since the service started. */
  counts(): { changesSeen: number; outOfScopeSeen: number } {
    return { changesSeen: this.changesSeen, outOfScopeSeen: this.outOfScopeSeen };
  }

  onOutOfScope(listener: (change: OutOfScopeChange) => void): () => void {
    return this.outOfScope.onOutOfScope(listener);
  }

  onActivity(listener: (activity: WatchActivity) => void): () => void {
    this.activityListeners.add(listener);
    return () => this.activityListeners.delete(listener);
  }

  /** Reports every folded repeat now (the watcher closes). */
  flush(): void {
    this.outOfScope.flush();
  }

  /** One change, seen while `runs` were active. Never throws (errors go to onError). */
  record(change: ObservedChange, runs: ActiveRunView[]): void {
    try {
      this.changesSeen++;
      if (this.o.isOwnWrite?.(change.path, change.at) && (!change.previousPath || this.o.isOwnWrite(change.previousPath, change.at))) return;
      const client = this.context.client();
      // Claude Code's housekeeping, not the agent's work: counted in the active runs' manifests, never
      // listed nor reported (a change that also names any other path is judged as usual).
      if (isClientBookkeeping(change.previousPath ? [change.path, change.previousPath] : [change.path], client)) {
        for (const run of runs) this.manifests.state(run.sessionId).clientBookkeeping++;
        return;
      }
      const scope = this.context.scope();
      const folders = this.context.plannedFolders();
      const cls = classifyPath(change.path, scope, this.o.canonicalize, folders, client);
      const prev = change.previousPath ? classifyPath(change.previousPath, scope, this.o.canonicalize, folders, client) : undefined;
      const violation = worseViolation(violationOf(cls), prev ? violationOf(prev) : undefined);
      const attribution = attributeChange(change, runs, scope.volume);
      const changeId = randomUUID();
      const forbidden = [cls, prev].find((c): c is Extract<PathClass, { kind: 'forbidden' }> => c?.kind === 'forbidden');
      for (const run of attribution.runs) {
        const m = this.manifests.state(run.sessionId);
        recordInManifest(m, change, { path: cls, previous: prev }, run.toolUseId, this.o.manifestLimits ?? DEFAULT_MANIFEST_LIMITS);
        if (!violation) continue;
        this.outOfScopeSeen++;
        // The run counts what its evidence shows: one write seen as "add" then "change" is one
        // out-of-scope change, as in the alert and the journal (a restart counts the same).
        const fresh = this.outOfScope.report({
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
        if (fresh) recordOutOfScope(m, { path: change.path, previousPath: change.previousPath, change: change.kind, type: change.type, violation, severity: severityOf(violation), toolUseId: run.toolUseId, at: change.at }, this.o.manifestLimits ?? DEFAULT_MANIFEST_LIMITS);
      }
      const activity: WatchActivity = { change, runs: attribution.runs.map((r) => r.sessionId), inScope: !violation, violation };
      for (const l of this.activityListeners) l(activity);
    } catch (error) {
      this.o.onError?.(error);
    }
  }
}
