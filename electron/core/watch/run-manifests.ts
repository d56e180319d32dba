// Per run: the manifest of changes (change-attribution-policy.ts) and the watcher's coverage while the
// run was active (every root watched and every gap seen: a union over the run).
import type { NotWatched, RunManifest, RunView } from '../../../shared/run-watch-contract.js';
import { exportManifest, newManifestState, type ManifestState } from './change-attribution-policy.js';
import type { RunInfo } from './run-tracker-service.js';

interface Coverage {
  watched: Set<string>;
  notWatched: Map<string, NotWatched>;
}

/** A run's manifest counts: what the run's view shows. */
export type ManifestTotals = RunView['files'] & Pick<RunView, 'outOfScope'>;

export class RunManifests {
  private readonly manifests = new Map<string, ManifestState>();
  private readonly coverage = new Map<string, Coverage>();

  has(sessionId: string): boolean {
    return this.manifests.has(sessionId);
  }

  /** The run's manifest state, created on first use. */
  state(sessionId: string): ManifestState {
    let m = this.manifests.get(sessionId);
    if (!m) this.manifests.set(sessionId, (m = newManifestState()));
    return m;
  }

  forget(sessionId: string): void {
    this.manifests.delete(sessionId);
    this.coverage.delete(sessionId);
  }

  /** Adds what is watched and not watched now to the runs' coverage. */
  addCoverage(sessionIds: readonly string[], now: { watching: readonly string[]; notWatching: readonly NotWatched[] }): void {
    for (const id of sessionIds) {
      let cov = this.coverage.get(id);
      if (!cov) this.coverage.set(id, (cov = { watched: new Set(), notWatched: new Map() }));
      for (const w of now.watching) cov.watched.add(w);
      for (const n of now.notWatching) if (cov.notWatched.size < 500) cov.notWatched.set(`${n.path}\0${n.reason}`, n);
    }
  }

  /** The run's manifest, JSON-ready (an empty one for a run with no change). */
  export(sessionId: string, run: RunInfo | undefined, excluded: string[]): RunManifest {
    const cov = this.coverage.get(sessionId);
    return exportManifest(
      this.manifests.get(sessionId) ?? newManifestState(),
      {
        sessionId,
        cwd: run?.cwd,
        active: run?.active ?? false,
        startedAt: run?.startedAt ?? 0,
        endedAt: run?.endedAt,
        endReason: run?.endReason,
      },
      { watched: [...(cov?.watched ?? [])].sort(), notWatched: [...(cov?.notWatched.values() ?? [])], excluded },
    );
  }

  /** The run's manifest counts, without building the export (for live views). */
  totals(sessionId: string): ManifestTotals {
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
}
