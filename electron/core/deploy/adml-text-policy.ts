// CoworkCompanion.adml, one per language: the words and dialog layout of the ADMX's policies (by the
// ids admx-text-policy.ts gives them), from the schema's metadata and policy-template-strings.ts. Pure.
import type { z } from 'zod';
import { ManagedPolicySchema } from '../../../shared/managed-policy-contract.js';
import { POLICY_SETTINGS, registryPlace, type PolicySetting } from '../../../shared/managed-policy-layout.js';
import { POLICY_GROUPS, requiredMeta } from '../../../shared/managed-policy-meta.js';
import { ADMX_REVISION, AdmxTemplateError, categoryName, enumItemId, integerBounds, policyName, ROOT_CATEGORY, SUPPORTED_ON, xmlEscape } from './admx-text-policy.js';
import { ENUM_LABELS, TEMPLATE_PHRASES, TRANSLATED_TEXTS, type TemplateLanguage, type TemplateText } from './policy-template-strings.js';

/** Title and description of a setting, a group or ('' ) the whole policy, in one language. */
function textOf(key: string, schema: z.ZodType, lang: TemplateLanguage): TemplateText {
  if (lang === 'en-US') {
    const meta = requiredMeta({ key: key || '(the policy)', schema });
    return { title: meta.title, description: meta.description };
  }
  const text = TRANSLATED_TEXTS[key]?.[lang];
  if (!text) throw new AdmxTemplateError(`no ${lang} title and description for policy key "${key || '(the policy)'}" (policy-template-strings.ts)`);
  return text;
}

/** The schema's default for a setting, if it has one (what a dialog starts with). */
function defaultOf(setting: PolicySetting): unknown {
  const parsed = setting.schema.safeParse(undefined);
  return parsed.success ? parsed.data : undefined;
}

function explainText(setting: PolicySetting, lang: TemplateLanguage): string {
  const p = TEMPLATE_PHRASES[lang];
  const kind = setting.kind;
  const form =
    kind.type === 'boolean'
      ? p.boolean
      : kind.type === 'integer'
        ? p.range(integerBounds(setting as PolicySetting & { kind: { type: 'integer' } }).min, integerBounds(setting as PolicySetting & { kind: { type: 'integer' } }).max)
        : kind.type === 'string-list'
          ? p.list
          : kind.type === 'json'
            ? p.json
            : undefined;
  const place = registryPlace(setting);
  const registry = place.list ? p.registryList(place.list.key, place.type) : p.registry(place.key, place.valueName, place.type);
  return [textOf(setting.key, setting.schema, lang).description, '', p.key(setting.key), registry, ...(form ? [form] : [])].join('\n');
}

function admlStrings(lang: TemplateLanguage): [string, string][] {
  const p = TEMPLATE_PHRASES[lang];
  const root = textOf('', ManagedPolicySchema, lang);
  const strings: [string, string][] = [
    [SUPPORTED_ON, p.supportedOn],
    [ROOT_CATEGORY, 'Cowork Companion'],
    [`${ROOT_CATEGORY}_Explain`, root.description],
  ];
  for (const group of POLICY_GROUPS) {
    const text = textOf(group.key, group.schema, lang);
    strings.push([categoryName(group), text.title], [`${categoryName(group)}_Explain`, `${text.description}\n\n${p.key(group.key)}`]);
  }
  for (const setting of POLICY_SETTINGS) {
    const name = policyName(setting.key);
    strings.push([name, textOf(setting.key, setting.schema, lang).title], [`${name}_Explain`, explainText(setting, lang)]);
    if (setting.kind.type === 'enum') {
      for (const v of setting.kind.values) {
        const label = ENUM_LABELS[v]?.[lang];
        if (label === undefined) throw new AdmxTemplateError(`no ${lang} label for the value "${v}" of ${setting.key} (policy-template-strings.ts)`);
        strings.push([enumItemId(name, v), `${label} (${v})`]);
      }
    }
  }
  return strings;
}

function admlPresentation(setting: PolicySetting, lang: TemplateLanguage): string[] {
  const p = TEMPLATE_PHRASES[lang];
  const name = policyName(setting.key);
  const refId = xmlEscape(registryPlace(setting).valueName);
  const fallback = defaultOf(setting);
  switch (setting.kind.type) {
    case 'boolean':
      return [];
    case 'integer': {
      const { min } = integerBounds(setting as PolicySetting & { kind: { type: 'integer' } });
      const start = typeof fallback === 'number' ? fallback : min;
      return [`<presentation id="${name}">`, `  <decimalTextBox refId="${refId}" defaultValue="${start}">${xmlEscape(p.valueLabel)}</decimalTextBox>`, '</presentation>'];
    }
    case 'enum': {
      const index = typeof fallback === 'string' ? setting.kind.values.indexOf(fallback) : -1;
      return [
        `<presentation id="${name}">`,
        `  <dropdownList refId="${refId}" noSort="true"${index >= 0 ? ` defaultItem="${index}"` : ''}>${xmlEscape(p.valueLabel)}</dropdownList>`,
        '</presentation>',
      ];
    }
    case 'string':
      return [`<presentation id="${name}">`, `  <textBox refId="${refId}">`, `    <label>${xmlEscape(p.valueLabel)}</label>`, '  </textBox>', '</presentation>'];
    case 'string-list':
      // A listBox is a label and a Show… button opening a one-column table of entries.
      return [`<presentation id="${name}">`, `  <listBox refId="${refId}">${xmlEscape(p.listLabel)}</listBox>`, '</presentation>'];
    case 'json': {
      // The box starts with the setting's example: the JSON shape is easier to edit than to recall.
      const example = requiredMeta(setting).examples?.[0];
      return [
        `<presentation id="${name}">`,
        `  <textBox refId="${refId}">`,
        `    <label>${xmlEscape(p.jsonLabel)}</label>`,
        ...(example === undefined ? [] : [`    <defaultValue>${xmlEscape(JSON.stringify(example))}</defaultValue>`]),
        '  </textBox>',
        '</presentation>',
      ];
    }
  }
}

export function admlText(lang: TemplateLanguage): string {
  const root = textOf('', ManagedPolicySchema, lang);
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<!-- Generated by "cowork-companion policy generate" from the policy schema: edit the schema, not this file. -->',
    `<policyDefinitionResources xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="${ADMX_REVISION}" schemaVersion="1.0" xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">`,
    `  <displayName>${xmlEscape(root.title)}</displayName>`,
    `  <description>${xmlEscape(TEMPLATE_PHRASES[lang].fileDescription)}</description>`,
    '  <resources>',
    '    <stringTable>',
    ...admlStrings(lang).map(([id, text]) => `      <string id="${id}">${xmlEscape(text)}</string>`),
    '    </stringTable>',
    '    <presentationTable>',
    ...POLICY_SETTINGS.flatMap((s) => admlPresentation(s, lang)).map((l) => `      ${l}`),
    '    </presentationTable>',
    '  </resources>',
    '</policyDefinitionResources>',
    '',
  ].join('\n');
}
