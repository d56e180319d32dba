// A tiny typed message catalogue: `t(key, params)` interpolates `{name}` placeholders (numbers are
// formatted for the language), `plural(base, count)` picks `_one` / `_other` with Intl.PluralRules,
// and dates, numbers and relative ages go through Intl in the chosen language.
import type { Language } from '../../../shared/ui-contract.js';
import { en, type MessageKey } from './en.js';
import { id } from './id.js';
import { ja } from './ja.js';

export type { Language, MessageKey };

type OneKey = Extract<MessageKey, `${string}_one`>;
/** Every other language must have every key; `_one` forms only where the language has them. */
export type Catalogue = { readonly [K in Exclude<MessageKey, OneKey>]: string } & { readonly [K in OneKey]?: string };
/** Base names of plural messages (`run.requests` for `run.requests_one` / `run.requests_other`). */
export type PluralKey = MessageKey extends infer K ? (K extends `${infer B}_other` ? B : never) : never;
export type Params = Readonly<Record<string, string | number>>;

export const LANGUAGES: readonly Language[] = ['en', 'id', 'ja'];
/** Each language named in itself, for the language switch. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: 'English', id: 'Bahasa Indonesia', ja: '日本語' };
export const CATALOGUES: Readonly<Record<Language, Catalogue>> = { en, id, ja };

const PLACEHOLDER = /\{(\w+)\}/g;

/** Placeholder names in a message, in order of appearance (for the completeness test). */
export function placeholders(message: string): string[] {
  return [...message.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

export interface I18n {
  lang: Language;
  t(key: MessageKey, params?: Params): string;
  plural(base: PluralKey, count: number, params?: Params): string;
  /** The message before interpolation (for messages that embed elements, see rich-text.tsx). */
  template(key: MessageKey): string;
  number(n: number, options?: Intl.NumberFormatOptions): string;
  dateTime(ms: number, options?: Intl.DateTimeFormatOptions): string;
  /** "4 minutes ago" / "4 分前" / "4 menit yang lalu": Intl.RelativeTimeFormat with a fitting unit. */
  relative(thenMs: number, nowMs: number): string;
}

const cache = new Map<Language, I18n>();

export function i18nFor(lang: Language): I18n {
  let i18n = cache.get(lang);
  if (!i18n) {
    i18n = createI18n(lang);
    cache.set(lang, i18n);
  }
  return i18n;
}

function createI18n(lang: Language): I18n {
  const catalogue = CATALOGUES[lang];
  const numbers = new Intl.NumberFormat(lang);
  const pluralRules = new Intl.PluralRules(lang);
  const relativeFormat = new Intl.RelativeTimeFormat(lang, { numeric: 'always', style: 'long' });
  const lookup = (key: MessageKey): string => (catalogue as Record<string, string | undefined>)[key] ?? en[key];
  const interpolate = (message: string, params?: Params): string =>
    params
      ? message.replace(PLACEHOLDER, (whole, name: string) => {
          const value = params[name];
          if (value === undefined) return whole;
          return typeof value === 'number' ? numbers.format(value) : value;
        })
      : message;

  const i18n: I18n = {
    lang,
    t: (key, params) => interpolate(lookup(key), params),
    plural(base, count, params) {
      const one = `${base}_one` as MessageKey;
      const form = pluralRules.select(count) === 'one' && (catalogue as Record<string, string | undefined>)[one] !== undefined ? one : (`${base}_other` as MessageKey);
      return interpolate(lookup(form), { count, ...params });
    },
    template: lookup,
    number: (n, options) => (options ? new Intl.NumberFormat(lang, options).format(n) : numbers.format(n)),
    dateTime: (ms, options = { dateStyle: 'medium', timeStyle: 'short' }) => new Intl.DateTimeFormat(lang, options).format(ms),
    relative(thenMs, nowMs) {
      const seconds = Math.round((thenMs - nowMs) / 1000);
      const abs = Math.abs(seconds);
      if (abs < 1) return i18n.t('time.justNow');
      const [value, unit]: [number, Intl.RelativeTimeFormatUnit] =
        abs < 60 ? [seconds, 'second'] : abs < 3600 ? [seconds / 60, 'minute'] : abs < 86_400 ? [seconds / 3600, 'hour'] : [seconds / 86_400, 'day'];
      return relativeFormat.format(Math.trunc(value), unit);
    },
  };
  return i18n;
}

/** The first of the browser's languages we speak ('in' is the old code for Indonesian). */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'in') return 'id';
    if (primary && (LANGUAGES as readonly string[]).includes(primary)) return primary as Language;
  }
  return 'en';
}

/** The browser's languages, most preferred first (in Electron, Chromium's Accept-Language, which Electron
 *  sets from app.getLocale(): the OS's language, so the app needs no glue of its own). */
function browserLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

/** The language the person chose, or, until they choose, the first of the browser's we speak. */
export function effectiveLanguage(chosen: Language | undefined, preferred: readonly string[] = browserLanguages()): Language {
  return chosen ?? pickLanguage(preferred);
}

/** The messages in the effective language (see effectiveLanguage). */
export function i18nForChoice(chosen: Language | undefined): I18n {
  return i18nFor(effectiveLanguage(chosen));
}

export const EN = i18nFor('en');
