// IT's deployment templates made from the policy schema (ADMX/ADML, JSON Schema, the example policy).
export { admxTemplates, policyName, xmlEscape, ADMX_FILE_NAME, ADMX_NAMESPACE, AdmxTemplateError } from './admx-policy.js';
export { policyJsonSchema, POLICY_SCHEMA_ID } from './policy-json-schema.js';
export { policyTemplateFiles, TEMPLATE_FOLDERS, type TemplateFile } from './policy-template-files.js';
export { ENUM_LABELS, TEMPLATE_LANGUAGES, TRANSLATED_TEXTS, type TemplateLanguage } from './policy-template-strings.js';
