// What IT deploys, generated from the managed policy schema (the files `policy generate` writes): ADMX/ADML,
// a JSON Schema with an example, configuration profiles and property lists for macOS, Claude Code's
// managed settings.
export {
  CLAUDE_MANAGED_DROP_IN,
  CLAUDE_MANAGED_SETTINGS_FILE,
  claudeManagedSettingsFor,
  claudeManagedSettingsText,
  claudeOtlpEndpoint,
  ClaudeSettingsError,
  MANAGED_HOOK_CLIENT,
  managedHookCommand,
  MANAGED_PLATFORM_FOLDER,
  MANAGED_PLATFORMS,
  managedDataDir,
  managedHooks,
  type ClaudeManagedSettingsOptions,
  type ManagedPlatform,
} from './claude-managed-settings-policy.js';
export { macosAndClaudeArtifacts } from './macos-claude-artifacts.js';
export { mobileconfigFor, nameBasedUuid, PolicyTemplateError, policyForPlist, preferencesPlistFor, type MobileconfigOptions, type PolicyForPlist } from './mobileconfig-policy.js';
export { policyTemplateFiles, TEMPLATE_FOLDERS, type TemplateFile } from './policy-template-files.js';
