// Scope: the folders shared with agents, the paths no agent may touch, and the scope check every
// tool request goes through first.
export { builtInForbiddenPaths, isAgentSettingsFile, type ForbiddenEntry } from './forbidden-paths.js';
export { evaluateScope, findForbidden, ruleMayReach, type ActiveFolder, type ScopeState } from './scope-policy.js';
export { classifyBroadShare, describeBroadShare } from './broad-share-policy.js';
export { scopeChangeRecorded, ScopeService, type FolderPreview, type ScopeServiceDeps, type ShareResult } from './scope-service.js';
export { EXPIRY_FORMS, parseShareExpiry, type ShareExpiry } from './share-expiry-policy.js';
