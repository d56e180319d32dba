// The messages and formats in the language the core's settings name; before the first snapshot
// (or without a credential), the browser's own language if we speak it.
import { useCompanionStore } from '../store/companion-store.js';
import { i18nFor, pickLanguage, type I18n, type Language } from './translator.js';

export function browserLanguage(): Language {
  return typeof navigator === 'undefined' ? 'en' : pickLanguage(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

export function useLanguage(): Language {
  return useCompanionStore((s) => s.snapshot?.settings.language) ?? browserLanguage();
}

export function useI18n(): I18n {
  return i18nFor(useLanguage());
}
