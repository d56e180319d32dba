// Names the server and the hook client share: files inside the data dir and the agent API's routes
// (no imports: the hook client loads this on every tool call).
export const AGENT_TOKEN_FILE = 'agent-token';
/** Held by the running companion (its pid and address): one companion per data folder. */
export const INSTANCE_LOCK_FILE = 'companion.lock';
/** Where the running server publishes its address for the hook client. */
export const AGENT_ENDPOINT_FILE = 'agent-endpoint.json';

/** The agent API's routes. */
export const AGENT_API_ROUTES = {
  claudeCodeHook: '/hooks/claude-code',
  health: '/healthz',
  /** OTLP/HTTP logs (JSON) of the agent's own telemetry, relayed to the organisation's collector. */
  otlpLogs: '/v1/logs',
} as const;

/** What the hook clients (Node and bash) accept on stdin, and how long they wait for a person. */
export const HOOK_CLIENT_LIMITS = {
  stdinBytes: 1024 * 1024,
  waitSeconds: 60 * 60,
} as const;
