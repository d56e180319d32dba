// IT's deployment templates made from the policy schema: the files `policy generate` writes.
export { policyTemplateFiles, TEMPLATE_FOLDERS, type TemplateFile } from './policy-template-files.js';
