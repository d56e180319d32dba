// The watch capability as the rest of the core sees it: agent runs (RunMonitorService, fed every hook
// payload) and the file watcher behind them, on the backend the wiring picks with watchPortFor.
// Code outside electron/core/watch/ imports from here only.
export { RunMonitorService, type RunMonitorDeps } from './run-monitor-service.js';
export type { HookObservation } from './run-tracker-service.js';
export { watchPortFor } from './watch-port-for.js';
export type { WatcherPort } from './watcher-port.js';
