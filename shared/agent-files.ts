// File names inside the data dir shared by the server and the hook client (no imports: the hook
// client loads this on every tool call).
export const AGENT_TOKEN_FILE = 'agent-token';
/** Where the running server publishes its address for the hook client. */
export const AGENT_ENDPOINT_FILE = 'agent-endpoint.json';
