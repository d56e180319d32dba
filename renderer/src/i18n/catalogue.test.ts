import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { CATALOGUES, LANGUAGES, effectiveLanguage, i18nFor, pickLanguage, placeholders } from './translator.js';

const keys = Object.keys(en) as (keyof typeof en)[];
const sorted = (list: string[]) => [...new Set(list)].sort();
/** The form that must carry every placeholder: `_other` for plurals (English "1 record" may drop {count}). */
const fullForm = (key: string) => (key.endsWith('_one') ? key.replace(/_one$/, '_other') : key);

describe('message catalogue', () => {
  it.each(LANGUAGES)('%s has every key, each non-empty, and no key English does not have', (lang) => {
    const catalogue = CATALOGUES[lang] as Record<string, string | undefined>;
    for (const key of keys) {
      if (key.endsWith('_one') && lang !== 'en') continue; // only where the language has a singular
      expect(catalogue[key], `${lang}: ${key}`).toBeTypeOf('string');
      expect(catalogue[key]!.trim(), `${lang}: ${key}`).not.toBe('');
    }
    for (const key of Object.keys(catalogue)) expect(keys, `${lang} has an unknown key ${key}`).toContain(key);
  });

  it.each(LANGUAGES)('%s uses the same placeholders as English', (lang) => {
    const catalogue = CATALOGUES[lang] as Record<string, string | undefined>;
    for (const key of keys) {
      const message = catalogue[key];
      if (message === undefined) continue;
      const expected = sorted(placeholders(en[fullForm(key) as keyof typeof en]));
      const actual = sorted(placeholders(message));
      if (key.endsWith('_one')) expect(expected, `${lang}: ${key}`).toEqual(expect.arrayContaining(actual));
      else expect(actual, `${lang}: ${key}`).toEqual(expected);
    }
  });

  it('every plural has an _other form', () => {
    for (const key of keys.filter((k) => k.endsWith('_one'))) expect(keys).toContain(key.replace(/_one$/, '_other'));
  });

  it('leaves no English in the other languages by accident (same text only for names and codes)', () => {
    const allowedSame = /^[\s\w.+/()\-:{}…,·→←↑↓?%&@]*$|^(Cowork Companion|Folder|Label|Domain|Detail)/;
    for (const lang of ['id', 'ja'] as const) {
      const catalogue = CATALOGUES[lang] as Record<string, string | undefined>;
      const same = keys.filter((k) => catalogue[k] === en[k] && !k.endsWith('_one'));
      const suspicious = same.filter((k) => en[k].split(' ').length > 2 && !allowedSame.test(en[k]));
      expect(suspicious, `${lang} copies English for these keys`).toEqual([]);
    }
  });
});

describe('t, plural and formats', () => {
  it('interpolates, formats numbers for the language and keeps unknown placeholders visible', () => {
    expect(i18nFor('en').t('run.approveReads', { count: 12 })).toBe('Approve all reads (12)');
    expect(i18nFor('en').t('evidence.chip.waiting', { count: 48210 })).toBe('Evidence: 48,210 waiting');
    expect(i18nFor('id').t('evidence.chip.waiting', { count: 48210 })).toBe('Bukti: 48.210 menunggu');
    expect(i18nFor('ja').t('run.approveReads', { count: 3 })).toBe('読み取りをすべて承認（3 件）');
    expect(i18nFor('en').t('run.approveReads')).toBe('Approve all reads ({count})');
  });

  it('picks plural forms with Intl.PluralRules', () => {
    const en = i18nFor('en');
    expect(en.plural('run.requests', 1)).toBe('1 request');
    expect(en.plural('run.requests', 2)).toBe('2 requests');
    expect(en.plural('run.requests', 0)).toBe('0 requests');
    expect(i18nFor('ja').plural('run.requests', 1)).toBe('1 件のリクエスト');
    expect(i18nFor('id').plural('card.duplicates', 1)).toBe('+1 permintaan yang sama');
  });

  it('formats ages with Intl.RelativeTimeFormat and dates with Intl.DateTimeFormat in the language', () => {
    const now = Date.parse('2026-11-25T10:00:00Z');
    expect(i18nFor('en').relative(now - 4 * 60_000, now)).toBe('4 minutes ago');
    expect(i18nFor('ja').relative(now - 4 * 60_000, now)).toBe('4 分前');
    expect(i18nFor('id').relative(now - 3 * 3_600_000, now)).toBe('3 jam yang lalu');
    expect(i18nFor('en').relative(now - 400, now)).toBe('just now');
    expect(i18nFor('ja').dateTime(now, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' })).toBe('2026年11月25日');
    expect(i18nFor('id').dateTime(now, { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' })).toBe('25 November 2026');
  });

  it('follows the browser language until the core says otherwise', () => {
    expect(pickLanguage(['ja-JP', 'en-US'])).toBe('ja');
    expect(pickLanguage(['fr-FR', 'id-ID'])).toBe('id');
    expect(pickLanguage(['in'])).toBe('id');
    expect(pickLanguage(['de-DE'])).toBe('en');
    expect(pickLanguage([])).toBe('en');
  });

  it("uses the browser's language until the person chooses one, then the person's choice", () => {
    expect(effectiveLanguage(undefined, ['ja-JP', 'en'])).toBe('ja');
    expect(effectiveLanguage(undefined, ['fr', 'id'])).toBe('id');
    expect(effectiveLanguage(undefined, ['fr'])).toBe('en');
    expect(effectiveLanguage('en', ['ja-JP'])).toBe('en');
    expect(effectiveLanguage('id', ['ja-JP'])).toBe('id');
  });
});
