import { describe, expect, it } from 'vitest';
import { POLICY_SETTINGS } from '../../shared/managed-policy-layout.js';
import { POLICY_GROUPS, policyMeta } from '../../shared/managed-policy-meta.js';
import { ENUM_LABELS, TEMPLATE_LANGUAGES, TEMPLATE_PHRASES, TRANSLATED_TEXTS, type TranslatedLanguage } from '../../electron/core/deploy/policy-template-strings.js';

const KEYS = ['', ...POLICY_GROUPS.map((g) => g.key), ...POLICY_SETTINGS.map((s) => s.key)];
const TRANSLATED: TranslatedLanguage[] = ['id-ID', 'ja-JP'];

/** What may stay Latin in a translation: code spans, quoted values, URLs, paths, product and protocol names. */
function withoutAllowedLatin(text: string): string {
  return text
    .replace(/`[^`]*`/g, ' ')
    .replace(/"[^"]*"/g, ' ')
    .replace(/https?:\/\/\S+|hmac-sha256:<hex>/g, ' ')
    .replace(/\S*[\\/]\S*/g, ' ')
    .replace(/\b(Cowork Companion|Claude Code|OpenTelemetry|OTEL_\w*\*?|OTLP|HTTP|JSON|MCP|Bash|URL|HMAC|hmacKey|identity|authorization|path|file|directory|uri|Protobuf|IT|TI|OS|MB|Web)\b/g, ' ');
}

/** Common English words that no Indonesian text has. */
const ENGLISH_WORDS = /\b(the|and|or|of|to|is|are|when|with|that|this|which|for|not|be|by|from|folder(?:s) |shared|default|users?|rules?|run|request)\b/i;

function strings(lang: TranslatedLanguage): string[] {
  const p = TEMPLATE_PHRASES[lang];
  const phrases = [p.fileDescription, p.supportedOn, p.key('k'), p.registry('K', 'v', 'T'), p.registryList('K', 'T'), p.boolean, p.range(1, 2), p.list, p.json, p.valueLabel, p.listLabel, p.jsonLabel, p.yes, p.no];
  const enums = Object.values(ENUM_LABELS).map((l) => l[lang]);
  return [...Object.values(TRANSLATED_TEXTS).flatMap((t) => [t[lang].title, t[lang].description]), ...phrases, ...enums];
}

describe('template strings in Indonesian and Japanese', () => {
  it('has a title and description for every setting, every category and the policy, and nothing else', () => {
    expect(Object.keys(TRANSLATED_TEXTS).sort()).toEqual([...KEYS].sort());
    for (const key of KEYS) for (const lang of TRANSLATED) {
      expect(TRANSLATED_TEXTS[key]?.[lang].title, `${lang} ${key}`).toMatch(/\S/);
      expect(TRANSLATED_TEXTS[key]?.[lang].description, `${lang} ${key}`).toMatch(/\S{2}/);
    }
  });

  it('labels every enum value in every language', () => {
    const values = new Set(POLICY_SETTINGS.flatMap((s) => (s.kind.type === 'enum' ? s.kind.values : [])));
    expect(Object.keys(ENUM_LABELS).sort()).toEqual([...values].sort());
    for (const v of values) for (const lang of TEMPLATE_LANGUAGES) expect(ENUM_LABELS[v]?.[lang], `${lang} ${v}`).toMatch(/\S/);
  });

  it('leaves no English in Japanese beyond product names, keys and values', () => {
    const left = strings('ja-JP').map(withoutAllowedLatin).flatMap((t) => t.match(/[A-Za-z]{3,}/g) ?? []);
    expect(left.join(' ')).toBe('');
    // The filter does catch English.
    expect(/[A-Za-z]{3,}/.test(withoutAllowedLatin('Shown next to locked settings.'))).toBe(true);
  });

  it('leaves no English in Indonesian beyond product names, keys and values', () => {
    const left = strings('id-ID').map(withoutAllowedLatin).flatMap((t) => t.match(new RegExp(ENGLISH_WORDS.source, 'gi')) ?? []);
    expect(left.join(' ')).toBe('');
    expect(ENGLISH_WORDS.test(withoutAllowedLatin('Whether users may add shared folders at all.'))).toBe(true);
    // A description copied from English would pass the word list only by luck: none is the English one.
    for (const key of KEYS.filter((k) => k !== '' && k !== 'claudeCode')) {
      const entry = [...POLICY_SETTINGS, ...POLICY_GROUPS].find((s) => s.key === key)!;
      expect(TRANSLATED_TEXTS[key]?.['id-ID'].description, key).not.toBe(policyMeta(entry.schema)?.description);
    }
  });

  it("uses the app's glossary words, never their alternatives", () => {
    const id = strings('id-ID').join('\n');
    const ja = strings('ja-JP').join('\n');
    expect(id).toMatch(/folder bersama/);
    expect(id).toMatch(/\bsesi\b/);
    expect(id.match(/\beksekusi\b|folder yang dibagikan|\bpermohonan\b|\btunda|barang bukti/gi)).toBeNull();
    expect(ja).toMatch(/共有フォルダー/);
    expect(ja).toMatch(/セッション/);
    expect(ja.match(/共有フォルダ(?!ー)|共有ディレクトリ|実行中|エージェントの実行|要求|証拠|延期/g)).toBeNull();
  });
});
