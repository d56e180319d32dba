// The managed policy as Group Policy administrative templates: CoworkCompanion.admx (what each policy
// writes where: admx-text-policy.ts) and one CoworkCompanion.adml per language (its words and dialog
// layout: adml-text-policy.ts). Pure: made from POLICY_SETTINGS and the schema's metadata, text out,
// same text for the same schema.
import { admlText } from './adml-text-policy.js';
import { admxText } from './admx-text-policy.js';
import { TEMPLATE_LANGUAGES, type TemplateLanguage } from './policy-template-strings.js';

export { ADMX_FILE_NAME, AdmxTemplateError, policyName, xmlEscape } from './admx-text-policy.js';

export interface AdmxTemplates {
  /** CoworkCompanion.admx */
  admx: string;
  /** CoworkCompanion.adml per language folder (en-US, id-ID, ja-JP). */
  adml: Record<TemplateLanguage, string>;
}

export function admxTemplates(): AdmxTemplates {
  return { admx: admxText(), adml: Object.fromEntries(TEMPLATE_LANGUAGES.map((lang) => [lang, admlText(lang)])) as Record<TemplateLanguage, string> };
}
