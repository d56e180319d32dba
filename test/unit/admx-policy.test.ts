import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { admxTemplates, policyName, xmlEscape, AdmxTemplateError } from '../../electron/core/deploy/admx-policy.js';
import { policyTemplateFiles } from '../../electron/core/deploy/policy-template-files.js';
import { TEMPLATE_LANGUAGES } from '../../electron/core/deploy/policy-template-strings.js';
import { USER_SOURCE_RULES } from '../../electron/core/policy/index.js';
import { POLICY_REGISTRY_KEY, POLICY_SETTINGS } from '../../shared/managed-policy-layout.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const XSD = join(ROOT, 'test/fixtures/admx/PolicyDefinitionFiles.xsd');
const GOLDEN = join(ROOT, 'test/fixtures/policy-templates');
const { admx, adml } = admxTemplates();
const work = mkdtempSync(join(tmpdir(), 'admx-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Microsoft's published XSD names its target namespace http://www.microsoft.com/GroupPolicy/PolicyDefinitions,
// while Windows' own ADMX files (and gpedit/GPMC) use the 2006/07 namespace the templates carry. The
// validated copy swaps one for the other; nothing else changes.
const XSD_NAMESPACE = 'http://www.microsoft.com/GroupPolicy/PolicyDefinitions';
const FILE_NAMESPACE = 'http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions';

async function xmllint(name: string, text: string): Promise<{ ok: boolean; output: string }> {
  const file = join(work, name);
  writeFileSync(file, text.split(FILE_NAMESPACE).join(XSD_NAMESPACE));
  try {
    const { stderr } = await run('xmllint', ['--noout', '--schema', XSD, file]);
    return { ok: true, output: stderr };
  } catch (error) {
    return { ok: false, output: String((error as { stderr?: string }).stderr ?? error) };
  }
}

const refs = (text: string, kind: 'string' | 'presentation'): Set<string> => new Set([...text.matchAll(new RegExp(`\\$\\(${kind}\\.([^)]+)\\)`, 'g'))].map((m) => m[1]!));
const ids = (text: string, element: string): string[] => [...text.matchAll(new RegExp(`<${element} id="([^"]+)"`, 'g'))].map((m) => m[1]!);

describe('ADMX/ADML templates', () => {
  it('are what the golden files hold (UPDATE_GOLDEN=1 rewrites them)', () => {
    for (const file of policyTemplateFiles()) {
      const golden = join(GOLDEN, ...file.path.split('/'));
      if (process.env['UPDATE_GOLDEN'] === '1') {
        mkdirSync(dirname(golden), { recursive: true });
        writeFileSync(golden, file.text);
      }
      expect(file.text, file.path).toBe(readFileSync(golden, 'utf8'));
    }
  });

  it('validate against Microsoft\'s ADMX schema with xmllint', async () => {
    const admxResult = await xmllint('CoworkCompanion.admx', admx);
    expect(admxResult.output).toContain('validates');
    expect(admxResult.ok, admxResult.output).toBe(true);
    for (const lang of TEMPLATE_LANGUAGES) {
      const result = await xmllint(`${lang}.adml`, adml[lang]);
      expect(result.ok, `${lang}: ${result.output}`).toBe(true);
    }
  });

  it('fail validation when broken (the check can fail)', async () => {
    const noClass = await xmllint('broken.admx', admx.replace(' class="Both"', ''));
    expect(noClass.ok).toBe(false);
    expect(noClass.output).toMatch(/class/);
    const badEnum = await xmllint('broken.adml', adml['en-US'].replace('<dropdownList ', '<dropdownList bogus="1" '));
    expect(badEnum.ok).toBe(false);
    // The schema is Microsoft's as published, which has no multiText (REG_MULTI_SZ) element or box.
    const multiText = await xmllint('multitext.admx', admx.replace(/<list id="forbiddenPaths"[^>]*\/>/, '<multiText id="forbiddenPaths" valueName="forbiddenPaths" />'));
    expect(multiText.ok).toBe(false);
    expect(multiText.output).toMatch(/multiText/);
    const multiTextBox = await xmllint('multitext.adml', adml['en-US'].replace('<listBox refId="forbiddenPaths">', '<multiTextBox refId="forbiddenPaths">').replace(/(<multiTextBox refId="forbiddenPaths">[^<]*)<\/listBox>/, '$1</multiTextBox>'));
    expect(multiTextBox.ok).toBe(false);
    expect(multiTextBox.output).toMatch(/multiTextBox/);
  });

  it('have every string and presentation the ADMX names in each ADML, and no others', () => {
    const strings = refs(admx, 'string');
    const presentations = refs(admx, 'presentation');
    expect(strings.size).toBeGreaterThan(POLICY_SETTINGS.length * 2);
    for (const lang of TEMPLATE_LANGUAGES) {
      const stringIds = ids(adml[lang], 'string');
      const presentationIds = ids(adml[lang], 'presentation');
      expect(new Set(stringIds).size, `${lang}: duplicate string ids`).toBe(stringIds.length);
      expect(new Set(stringIds), lang).toEqual(strings);
      expect(new Set(presentationIds), lang).toEqual(presentations);
    }
  });

  it("point each presentation's boxes at the elements of its policy", () => {
    const elementIds = new Map([...admx.matchAll(/<policy name="([^"]+)"[\s\S]*?<\/policy>/g)].map((m) => [m[1]!, [...m[0].matchAll(/<(?:decimal|enum|text|list) id="([^"]+)"/g)].map((e) => e[1]!)]));
    for (const lang of TEMPLATE_LANGUAGES) {
      const presentations = [...adml[lang].matchAll(/<presentation id="([^"]+)">([\s\S]*?)<\/presentation>/g)];
      expect(presentations.length).toBe([...elementIds.values()].filter((ids) => ids.length > 0).length);
      for (const [, id, body] of presentations) expect([...body!.matchAll(/refId="([^"]+)"/g)].map((r) => r[1]), `${lang} ${id}`).toEqual(elementIds.get(id!));
    }
  });

  const policyXml = (key: string): string => {
    const name = policyName(key);
    const start = admx.indexOf(`<policy name="${name}"`);
    expect(start, key).toBeGreaterThan(0);
    return admx.slice(start, admx.indexOf('</policy>', start));
  };

  it('give each policy the registry place and element the registry reader expects', () => {
    expect(POLICY_SETTINGS.length).toBe((admx.match(/<policy name=/g) ?? []).length);
    expect(policyXml('allowPersonalRules')).toContain(`key="${POLICY_REGISTRY_KEY}" valueName="allowPersonalRules"`);
    expect(policyXml('allowPersonalRules')).toContain('<enabledValue><decimal value="1" /></enabledValue>');
    expect(policyXml('allowPersonalRules')).toContain('<disabledValue><decimal value="0" /></disabledValue>');
    expect(policyXml('approvals.timeoutSeconds')).toContain(`key="${POLICY_REGISTRY_KEY}\\approvals"`);
    expect(policyXml('approvals.timeoutSeconds')).toContain('<decimal id="timeoutSeconds" valueName="timeoutSeconds" required="true" minValue="5" maxValue="3600" />');
    expect(policyXml('telemetry.redaction.identity')).toContain(`key="${POLICY_REGISTRY_KEY}\\telemetry\\redaction"`);
    expect(policyXml('telemetry.redaction.identity')).toContain('<value><string>hmac</string></value>');
    // A list of strings: a list element writing REG_SZ values 1, 2, 3… into the setting's own subkey.
    expect(policyXml('forbiddenPaths')).toContain(`<list id="forbiddenPaths" key="${POLICY_REGISTRY_KEY}\\forbiddenPaths" valuePrefix="" />`);
    expect(policyXml('watch.exclude')).toContain(`key="${POLICY_REGISTRY_KEY}\\watch"`);
    expect(policyXml('watch.exclude')).toContain(`<list id="exclude" key="${POLICY_REGISTRY_KEY}\\watch\\exclude" valuePrefix="" />`);
    expect(adml['en-US']).toContain('<listBox refId="exclude">');
    expect(adml['en-US']).toContain(`Registry: ${POLICY_REGISTRY_KEY}\\watch\\exclude, one REG_SZ value per entry, named 1, 2, 3…`);
    expect(admx).not.toContain('multiText');
    expect(policyXml('rules')).toContain('<text id="rules" valueName="rules"');
    expect(policyXml('telemetry.endpoint')).toContain('maxLength="2048"');
    // A JSON value's box starts with its example, escaped.
    expect(adml['ja-JP']).toContain('<defaultValue>[{&quot;toolName&quot;:&quot;Bash&quot;');
  });

  it('offer under User Configuration only what a per-user source may set (it only tightens)', () => {
    // Widening settings are Computer Configuration only: the companion ignores them from HKCU.
    for (const key of ['rules', 'sharedFolders', 'telemetry.endpoint', 'watch.exclude', 'claudeCode.telemetry']) expect(policyXml(key), key).toContain('class="Machine"');
    for (const key of ['forbiddenPaths', 'allowPersonalRules', 'approvals.timeoutSeconds', 'organization.name']) expect(policyXml(key), key).toContain('class="Both"');
    for (const setting of POLICY_SETTINGS) expect(policyXml(setting.key)).toContain(USER_SOURCE_RULES[setting.key]!.take === 'never' ? 'class="Machine"' : 'class="Both"');
  });

  it('escape text for XML', () => {
    expect(xmlEscape(`a<b>&"c"'d'`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;');
    expect(() => xmlEscape('bell\u0007')).toThrow(AdmxTemplateError);
    // The descriptions hold <, > and quotes: they reach the ADML escaped.
    expect(adml['en-US']).toContain('hmac-sha256:&lt;hex&gt;');
    expect(adml['en-US']).not.toContain('<hex>');
  });
});
