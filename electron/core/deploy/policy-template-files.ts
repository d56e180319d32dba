// Every file `policy generate` writes, as a list of {path, text}: paths relative to the output folder,
// with `/`. Pure. The macOS profile/plist and Claude Code's managed settings carry the same example policy
// as linux/policy.json, so every format shows IT one and the same starting point.
import { examplePolicy } from '../../../shared/managed-policy-meta.js';
import { admxTemplates, ADMX_FILE_NAME } from './admx-policy.js';
import { macosAndClaudeArtifacts } from './macos-claude-artifacts.js';
import { examplePolicyText, policyJsonSchemaText } from './policy-json-schema.js';
import { TEMPLATE_LANGUAGES } from './policy-template-strings.js';

export interface TemplateFile {
  /** Relative to the output folder, `/`-separated: `windows/en-US/CoworkCompanion.adml`. */
  path: string;
  text: string;
}

/** The top-level folders of a generated output (what `policy generate` may overwrite). */
export const TEMPLATE_FOLDERS = ['windows', 'macos', 'linux', 'claude-code'] as const;

export function windowsTemplateFiles(): TemplateFile[] {
  const { admx, adml } = admxTemplates();
  return [{ path: `windows/${ADMX_FILE_NAME}.admx`, text: admx }, ...TEMPLATE_LANGUAGES.map((lang) => ({ path: `windows/${lang}/${ADMX_FILE_NAME}.adml`, text: adml[lang] }))];
}

export function linuxTemplateFiles(): TemplateFile[] {
  return [
    { path: 'linux/policy.schema.json', text: policyJsonSchemaText() },
    { path: 'linux/policy.json', text: examplePolicyText() },
  ];
}

export function policyTemplateFiles(): TemplateFile[] {
  return [...windowsTemplateFiles(), ...linuxTemplateFiles(), ...macosAndClaudeArtifacts(examplePolicy())];
}
