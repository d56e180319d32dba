// The messages and formats in the language the person chose in Settings (kept by the core); until
// they choose (and before the first snapshot, or without a credential), the browser's own language
// if we speak it.
import { useCompanionStore } from '../store/companion-store.js';
import { effectiveLanguage, i18nFor, type I18n, type Language } from './translator.js';

export function useLanguage(): Language {
  return effectiveLanguage(useCompanionStore((s) => s.snapshot?.settings.language));
}

export function useI18n(): I18n {
  return i18nFor(useLanguage());
}
