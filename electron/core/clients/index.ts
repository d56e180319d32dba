// The agent clients the companion is connected to (Claude Code): what `connect` recorded, and the Bash
// sandbox kept in step with the scope.
export { applySandbox, PROTECTED_IN_SHARED_FOLDERS, sandboxWeakenings, removeSandbox, SANDBOX_FLAGS, sandboxGap, sandboxPathsFor, SandboxShapeError, type SandboxPaths, type SandboxRecord } from './claude-code-sandbox-policy.js';
export { ClaudeCodeSandboxService, sandboxRuns, sandboxSupport, type SandboxSyncDeps } from './claude-code-sandbox-service.js';
export { CONNECTIONS_FILE, isClaudeCodeSettingsFile, readConnections, writeConnections, type ClientConnection, type ConnectionRecord } from './connection-record.js';
