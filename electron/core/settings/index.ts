// Settings: the one repository of what a person set (shared folders, rules, language, budget, port).
export { configuredPort, DEFAULT_SETTINGS, SETTINGS_STORE_OPTIONS, SettingsRepository, openConfStore, type Settings, type SettingsChange } from './settings-repository.js';
