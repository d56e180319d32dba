// CoworkCompanion.admx: what each Group Policy setting writes where (registryPlace in
// shared/managed-policy-layout.ts, the place the registry reader reads), its class and its category;
// and the names the ADML files must match (adml-text-policy.ts). Pure: same text for the same schema.
// A list of strings is a `list` element, as Chrome's templates have it (Microsoft's published schema
// has no multiText). A policy is class "Both" (Computer and User Configuration) when a per-user source
// may set it at all (USER_SOURCE_RULES: only values that tighten), and "Machine" when only the
// machine's sources may: the companion would ignore it under User Configuration, so the editor does
// not offer it there.
import { z } from 'zod';
import { POLICY_SETTINGS, registryPlace, unwrapped, type PolicySetting } from '../../../shared/managed-policy-layout.js';
import { POLICY_GROUPS, type PolicyGroup } from '../../../shared/managed-policy-meta.js';
import { USER_SOURCE_RULES } from '../policy/index.js';

const ADMX_NAMESPACE = 'CoworkCompanion.Policies';
const ADMX_PREFIX = 'coworkcompanion';
export const ADMX_FILE_NAME = 'CoworkCompanion';
/** Raised when the ADMX's policies or strings change in a way admins must re-import (ADML files must match). */
export const ADMX_REVISION = '1.0';
export const SUPPORTED_ON = 'SUPPORTED_CoworkCompanion_0_1';
export const ROOT_CATEGORY = 'Cat_CoworkCompanion';
/** A JSON value in one text box: long enough for a real list of rules. */
const JSON_MAX_LENGTH = 32767;
const TEXT_MAX_LENGTH = 1023;
const DWORD_MAX = 4294967295;

export class AdmxTemplateError extends Error {}

/** XML text and attribute values: the five predefined entities, and no character XML 1.0 forbids. */
export function xmlEscape(text: string): string {
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(text)) throw new AdmxTemplateError(`text cannot go into XML: ${JSON.stringify(text.slice(0, 60))}`);
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** `approvals.timeoutSeconds` → `approvals_timeoutSeconds`: a Group Policy item name. */
export function policyName(key: string): string {
  return key.replace(/[^\p{L}\p{N}_]/gu, '_');
}

export const categoryName = (group: PolicyGroup | undefined): string => (group ? `Cat_${policyName(group.key)}` : ROOT_CATEGORY);
export const enumItemId = (name: string, value: string): string => `${name}_${policyName(value)}`;
function groupOf(setting: PolicySetting): PolicyGroup | undefined {
  const parent = setting.path.slice(0, -1).join('.');
  return parent === '' ? undefined : POLICY_GROUPS.find((g) => g.key === parent);
}

function stringMaxLength(setting: PolicySetting): number {
  const s = unwrapped(setting.schema);
  const max = s instanceof z.ZodString ? s.maxLength : null;
  return max ?? TEXT_MAX_LENGTH;
}

export function integerBounds(setting: PolicySetting & { kind: { type: 'integer' } }): { min: number; max: number } {
  const min = setting.kind.min ?? 0;
  const max = setting.kind.max ?? DWORD_MAX;
  // A REG_DWORD element holds 0…2^32-1 only.
  if (min < 0 || max > DWORD_MAX) throw new AdmxTemplateError(`policy setting ${setting.key}: range ${min}…${max} does not fit a Group Policy decimal`);
  return { min, max };
}

function admxElements(setting: PolicySetting, name: string): string[] {
  const place = registryPlace(setting);
  const valueName = xmlEscape(place.valueName);
  const attrs = `id="${valueName}" valueName="${valueName}" required="true"`;
  switch (setting.kind.type) {
    case 'boolean':
      return [];
    case 'integer': {
      const { min, max } = integerBounds(setting as PolicySetting & { kind: { type: 'integer' } });
      return [`<decimal ${attrs} minValue="${min}" maxValue="${max}" />`];
    }
    case 'enum':
      return [
        `<enum ${attrs}>`,
        ...setting.kind.values.map((v) => `  <item displayName="$(string.${enumItemId(name, v)})"><value><string>${xmlEscape(v)}</string></value></item>`),
        '</enum>',
      ];
    case 'string':
      return [`<text ${attrs} maxLength="${stringMaxLength(setting)}" />`];
    case 'string-list':
      // valuePrefix="" names the values 1, 2, 3…; with no valuePrefix at all Group Policy would name
      // each value after its own text. additive stays false: the entries replace the subkey's values.
      return [`<list id="${valueName}" key="${xmlEscape(place.list!.key)}" valuePrefix="${place.list!.valuePrefix}" />`];
    case 'json':
      return [`<text ${attrs} maxLength="${JSON_MAX_LENGTH}" />`];
  }
}

function policyClass(key: string): 'Both' | 'Machine' {
  return USER_SOURCE_RULES[key]?.take === 'never' ? 'Machine' : 'Both';
}

function admxPolicy(setting: PolicySetting): string[] {
  const name = policyName(setting.key);
  const elements = admxElements(setting, name);
  const boolean = setting.kind.type === 'boolean';
  const place = registryPlace(setting);
  const open =
    `<policy name="${name}" class="${policyClass(setting.key)}" displayName="$(string.${name})" explainText="$(string.${name}_Explain)"` +
    (elements.length > 0 ? ` presentation="$(presentation.${name})"` : '') +
    ` key="${xmlEscape(place.key)}"` +
    (boolean ? ` valueName="${xmlEscape(place.valueName)}"` : '') +
    '>';
  return [
    open,
    `  <parentCategory ref="${categoryName(groupOf(setting))}" />`,
    `  <supportedOn ref="${SUPPORTED_ON}" />`,
    ...(boolean ? ['  <enabledValue><decimal value="1" /></enabledValue>', '  <disabledValue><decimal value="0" /></disabledValue>'] : []),
    ...(elements.length > 0 ? ['  <elements>', ...elements.map((l) => `    ${l}`), '  </elements>'] : []),
    '</policy>',
  ];
}

function admxCategory(group: PolicyGroup): string[] {
  const name = categoryName(group);
  const parentKey = group.path.slice(0, -1).join('.');
  const parent = parentKey === '' ? undefined : POLICY_GROUPS.find((g) => g.key === parentKey);
  return [`<category name="${name}" displayName="$(string.${name})" explainText="$(string.${name}_Explain)">`, `  <parentCategory ref="${categoryName(parent)}" />`, '</category>'];
}

export function admxText(): string {
  const indent = (lines: string[], n: number): string[] => lines.map((l) => `${' '.repeat(n)}${l}`);
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<!-- Generated by "cowork-companion policy generate" from the policy schema: edit the schema, not this file. -->',
    `<policyDefinitions xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="${ADMX_REVISION}" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">`,
    '  <policyNamespaces>',
    `    <target prefix="${ADMX_PREFIX}" namespace="${ADMX_NAMESPACE}" />`,
    '  </policyNamespaces>',
    `  <resources minRequiredRevision="${ADMX_REVISION}" />`,
    '  <supportedOn>',
    '    <definitions>',
    `      <definition name="${SUPPORTED_ON}" displayName="$(string.${SUPPORTED_ON})" />`,
    '    </definitions>',
    '  </supportedOn>',
    '  <categories>',
    `    <category name="${ROOT_CATEGORY}" displayName="$(string.${ROOT_CATEGORY})" explainText="$(string.${ROOT_CATEGORY}_Explain)" />`,
    ...indent(POLICY_GROUPS.flatMap(admxCategory), 4),
    '  </categories>',
    '  <policies>',
    ...indent(POLICY_SETTINGS.flatMap(admxPolicy), 4),
    '  </policies>',
    '</policyDefinitions>',
    '',
  ].join('\n');
}
