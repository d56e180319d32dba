// Http: the loopback server — the agent API (submit and wait, never decide) and, in headless mode,
// the web UI with a credential the agent never sees.
export { AGENT_ENDPOINT_FILE, AGENT_TOKEN_FILE, loadOrCreateAgentToken } from './agent-token.js';
export { NonceLedger } from './request-proofs.js';
export { LOOPBACK_HOST, startLoopbackServer, type LoopbackServer } from './loopback-server.js';
export { UiSessions } from './ui-sessions.js';
export { PASSPHRASE_FILE, SignInPassphraseService, signInDelayMs, type SignInOutcome } from './sign-in-passphrase-service.js';
