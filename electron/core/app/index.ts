// App: the wiring. `createCompanionCore` connects the capabilities for the tray app and `serve`;
// `openCoreServices` gives one-shot CLI commands the same settings, policy, scope and journal.
export { AGENT_BODY_LIMIT, createCompanionCore } from './companion-core.js';
export type { Clock, CompanionCore, CompanionCoreOptions, SettingsStorePort } from './companion-core-types.js';
export { openCoreServices, type CoreServices, type CoreServicesOptions } from './core-services.js';
export { timelineHandlers, type TimelineUiDeps } from './ui-handlers.js';
