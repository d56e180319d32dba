// What the file watcher service depends on: the runs, the scope, the watcher backend, the evidence
// sink and the clock, and its tunables.
import type { ScopeState } from '../scope/index.js';
import type { ActiveRunView } from './change-attribution-policy.js';
import type { ChangeRecorderOptions } from './change-recorder.js';
import type { RunChange, RunInfo } from './run-tracker-service.js';
import type { InotifyLimits } from './watch-limits.js';
import type { WatchPolicy } from './watch-plan-policy.js';
import type { WatcherPort } from './watcher-port.js';

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

/** The clock, evidence sink, canonicalizer, manifest limits, repeat window and onError go to the change recorder. */
export interface FileWatcherOptions extends ChangeRecorderOptions {
  runs: RunSource;
  scope: ScopeSource;
  /** The companion's data folder: never watched. */
  dataDir: string;
  /** Sentinel roots, depth and exclusions (read at each (re)plan). Default DEFAULT_WATCH_POLICY. */
  policy?: () => Partial<WatchPolicy>;
  /** The watcher backend (the wiring picks one with watchPortFor; tests inject their own). */
  port: WatcherPort;
  readLimits?: () => InotifyLimits;
  countWatches?: () => number | undefined;
  platform?: NodeJS.Platform;
  /** An unlink followed this fast by an add is a rename (default 100 ms). */
  renameWindowMs?: number;
  /** Keep watching this long after the last run ends (default 0: stop at once). */
  lingerMs?: number;
  /** The sentinels start when the shared folders and protected paths are set up, or after this long (default 30 s). */
  firstPhaseTimeoutMs?: number;
}
