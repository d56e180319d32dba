// The agent clients the companion is connected to (Claude Code): what `connect` recorded, and the Bash
// sandbox kept in step with the scope, and the hooks `connect` and the managed settings put into Claude Code.
export {
  COMPANION_HOOK_EVENTS,
  companionHookGroup,
  DECIDING_HOOK_EVENTS,
  describeHook,
  isCompanionHook,
  LOOPBACK_HOOK_URLS,
  mergeCompanionHooks,
  removeCompanionHooks,
  SettingsShapeError,
  type CompanionHookEvent,
  type CompanionHookOptions,
  type HookChange,
  type HookEntry,
  type HookGroup,
  type Settings,
} from './claude-code-hooks-policy.js';
export { applySandbox, PROTECTED_IN_SHARED_FOLDERS, sandboxWeakenings, removeSandbox, SANDBOX_FLAGS, sandboxGap, sandboxPathsFor, SandboxShapeError, type SandboxPaths, type SandboxRecord } from './claude-code-sandbox-policy.js';
export { ClaudeCodeSandboxService, sandboxRuns, sandboxSupport, type SandboxSyncDeps } from './claude-code-sandbox-service.js';
export { mergeRelayTelemetry, RELAY_ENV_KEYS, relayTelemetryEnv, removeRecognisedRelayTelemetry, removeRelayTelemetry, TelemetryShapeError, type RelayIdentity, type RelayTarget, type TelemetryMerge, type TelemetryRecord } from './claude-code-telemetry-policy.js';
export { CONNECTIONS_FILE, isClaudeCodeSettingsFile, readConnections, writeConnections, type ClientConnection, type ConnectionRecord } from './connection-record.js';
