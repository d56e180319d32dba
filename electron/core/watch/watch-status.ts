// What the file watcher reports: its status (what is and is not watched, for the UI), the
// out-of-scope changes it records, and every change it attributes to a run. The shapes the UI gets
// (shared/run-watch-contract.ts) are derived from these by run-monitor-service.ts; the fields they
// share are declared once, there.
import type { OutOfScopeAlert, Violation, WatchView } from '../../../shared/run-watch-contract.js';
import type { ObservedChange } from './change-attribution-policy.js';
import type { InotifyLimits } from './watch-limits.js';
import type { RootRole } from './watch-plan-policy.js';

export type RootState = 'scanning' | 'ready' | 'partial' | 'missing' | 'failed';

export interface WatchedRootStatus {
  path: string;
  role: RootRole;
  state: RootState;
  depth?: number;
  /** Why it is partial, missing or failed. */
  problem?: string;
}

/**
 * The watcher's status: the snapshot's WatchView without what only the snapshot knows (`enabled`,
 * the bound on `notWatching`), plus the roots, the active runs and every limit read.
 */
export type WatchStatus = Omit<WatchView, 'enabled' | 'notWatchingMore' | 'limits'> & {
  activeRuns: number;
  roots: WatchedRootStatus[];
  limits: InotifyLimits;
};

export const WATCH_SEMANTICS =
  'While an agent run is active, Cowork Companion watches the shared folders, protected locations and your home folder for changes: files created, modified, deleted or renamed. It does not see reads, and it cannot tell which program made a change.';

/**
 * One out-of-scope change attributed to one run: the alert the UI gets, with the time in epoch ms
 * and what the evidence record carries besides.
 */
export type OutOfScopeChange = Omit<OutOfScopeAlert, 'at'> & {
  at: number;
  /** The same for every run the change is attributed to. */
  changeId: string;
  promptId?: string;
  cwd?: string;
  activeRuns: number;
};

export interface WatchActivity {
  change: ObservedChange;
  runs: string[];
  inScope: boolean;
  violation?: Violation;
}
