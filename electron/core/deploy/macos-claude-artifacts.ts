// The macOS and Claude Code files of `policy generate --out DIR`, by their path under DIR.
import { POLICY_PREFERENCE_DOMAIN } from '../../../shared/managed-policy-layout.js';
import { CLAUDE_MANAGED_DROP_IN, CLAUDE_MANAGED_SETTINGS_FILE, claudeManagedSettingsText, MANAGED_PLATFORM_FOLDER, MANAGED_PLATFORMS } from './claude-managed-settings-policy.js';
import type { TemplateFile } from './policy-template-files.js';
import { mobileconfigFor, policyForPlist, preferencesPlistFor, type MobileconfigOptions } from './mobileconfig-policy.js';

/**
 * The profile and plist and Claude Code's managed settings per system (each names that system's hook
 * client and data folder) in both forms (deploy one of the two), for a
 * policy AS WRITTEN (policy.json's content, not the parsed policy: the plist carries exactly the keys
 * given, and a default written out would become a locked setting). Throws PolicyTemplateError naming
 * every invalid key, or ClaudeSettingsError when Claude Code's telemetry has no collector to go to.
 */
export function macosAndClaudeArtifacts(policyInput: unknown, opts: MobileconfigOptions = {}): TemplateFile[] {
  // Checked once (an invalid policy is refused with every problem named); each file takes its form.
  const { asWritten, parsed } = policyForPlist(policyInput);
  return [
    { path: `macos/${POLICY_PREFERENCE_DOMAIN}.mobileconfig`, text: mobileconfigFor(asWritten, opts) },
    { path: `macos/${POLICY_PREFERENCE_DOMAIN}.plist`, text: preferencesPlistFor(asWritten) },
    ...MANAGED_PLATFORMS.flatMap((platform) => {
      const text = claudeManagedSettingsText(parsed, { platform });
      const folder = `claude-code/${MANAGED_PLATFORM_FOLDER[platform]}`;
      return [
        { path: `${folder}/${CLAUDE_MANAGED_SETTINGS_FILE}`, text },
        { path: `${folder}/${CLAUDE_MANAGED_DROP_IN}`, text },
      ];
    }),
  ];
}
