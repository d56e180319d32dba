// Base: what every capability may use — ports, the clock, errors a person may see, atomic files,
// the data folder, the app version, and the proofs the hook client and the agent API exchange.
export { answerProof, newNonce, requestProof, type AnswerProofInput, type RequestProofInput } from './agent-proof.js';
export { secretsEqual } from './secret-compare.js';
export { appVersion } from './app-version.js';
export { ATOMIC_TEMP, writeAtomic, writeAtomicAsync } from './atomic-file.js';
export { setBounded } from './bounded-map.js';
export { CoreError } from './core-error.js';
export { APP_DIR_NAME, DATA_DIR_BASE_UNDER_HOME, defaultDataDir, ensureDataDir, xdgConfigHome, type DataDirPlatform } from './data-dir.js';
export type { Clock, SealedLatestPort, SealedStatePort, SealPort, SettingsStorePort, TagKey } from './ports.js';
export { acquireInstanceLock, INSTANCE_LOCK_FILE, InstanceRunningError, processAlive, type InstanceLock } from './instance-lock.js';
export { inspectorFlags, refuseInspector } from './process-guard.js';
export { systemClock } from './system-clock.js';
export { awaitWorkerExit, BACKGROUND_NICE, onWorkerExit, runAtBackgroundPriority, startBuiltWorker } from './worker-thread.js';
