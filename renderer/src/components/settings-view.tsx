// Settings: the language of the window (kept by the core, so every window and the tray follow it).
import { useEffect, useId, useState } from 'react';
import type { Language } from '../../../shared/ui-contract.js';
import { LANGUAGES, LANGUAGE_NAMES } from '../i18n/translator.js';
import { useI18n } from '../i18n/use-i18n.js';
import { useCompanionStore } from '../store/companion-store.js';

export function SettingsView() {
  const { t, lang } = useI18n();
  const call = useCompanionStore((s) => s.call);
  const connected = useCompanionStore((s) => s.connection === 'live');
  const saved = useCompanionStore((s) => s.snapshot?.settings.language);
  const [pending, setPending] = useState<Language>();
  const [error, setError] = useState<string>();
  const ids = { language: useId(), hint: useId() };

  // The choice shows at once; the window switches when the core's snapshot says so.
  useEffect(() => {
    if (pending && saved === pending) setPending(undefined);
  }, [saved, pending]);

  const choose = async (language: Language) => {
    setPending(language);
    setError(undefined);
    try {
      await call('setLanguage', { language });
    } catch (e) {
      setPending(undefined);
      setError((e as Error).message);
    }
  };

  return (
    <section className="settings" aria-labelledby="settings-title">
      <h2 id="settings-title" className="section-title">
        {t('settings.title')}
      </h2>
      <div className="evidence-card">
        <div className="field">
          <label htmlFor={ids.language}>{t('settings.language')}</label>
          <select
            id={ids.language}
            className="select settings-select"
            value={pending ?? saved ?? lang}
            disabled={!connected || pending !== undefined}
            aria-describedby={ids.hint}
            onChange={(e) => void choose(e.target.value as Language)}
          >
            {LANGUAGES.map((l) => (
              <option key={l} value={l} lang={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
          <p id={ids.hint} className="field-hint">
            {t('settings.languageHint')}
          </p>
        </div>
        {error && (
          <p className="card-error" role="alert">
            {error}
          </p>
        )}
      </div>
    </section>
  );
}
