// Integrity: a key only the core uses, and seals on the state files it writes, so that a change
// another process makes is detected, undone where possible and reported.
export { INTEGRITY_KEY_FILE, IntegrityKey, loadOrCreateIntegrityKey, type KeyProtection, type KeyProtector, type LoadedIntegrityKey, type SharedIntegrityKey } from './integrity-key.js';
export { SEALS_DIR, SealedStateFile, StateSealService, type SealCheck, type TamperReport } from './state-seal-service.js';
