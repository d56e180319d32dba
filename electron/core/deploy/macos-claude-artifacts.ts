// The macOS and Claude Code files of `policy generate --out DIR`, by their path under DIR.
import { ManagedPolicySchema } from '../../../shared/managed-policy-contract.js';
import { POLICY_PREFERENCE_DOMAIN } from '../../../shared/managed-policy-layout.js';
import { CLAUDE_MANAGED_DROP_IN, CLAUDE_MANAGED_SETTINGS_FILE, claudeManagedSettingsText, type ClaudeManagedSettingsOptions } from './claude-managed-settings-policy.js';
import type { TemplateFile } from './policy-template-files.js';
import { mobileconfigFor, preferencesPlistFor, profilePolicy, type MobileconfigOptions } from './mobileconfig-policy.js';


/**
 * The profile and plist and Claude Code's managed settings in both forms (deploy one of the two), for a
 * policy AS WRITTEN (policy.json's content, not the parsed policy: the plist carries exactly the keys
 * given, and a default written out would become a locked setting). Throws PolicyTemplateError naming
 * every invalid key, or ClaudeSettingsError when Claude Code's telemetry has no collector to go to.
 */
export function macosAndClaudeArtifacts(policyInput: unknown, opts: MobileconfigOptions & ClaudeManagedSettingsOptions = {}): TemplateFile[] {
  profilePolicy(policyInput); // refuses an invalid policy with every problem named
  const claude = claudeManagedSettingsText(ManagedPolicySchema.parse(policyInput), opts);
  return [
    { path: `macos/${POLICY_PREFERENCE_DOMAIN}.mobileconfig`, text: mobileconfigFor(policyInput, opts) },
    { path: `macos/${POLICY_PREFERENCE_DOMAIN}.plist`, text: preferencesPlistFor(policyInput) },
    { path: `claude-code/${CLAUDE_MANAGED_SETTINGS_FILE}`, text: claude },
    { path: `claude-code/${CLAUDE_MANAGED_DROP_IN}`, text: claude },
  ];
}
