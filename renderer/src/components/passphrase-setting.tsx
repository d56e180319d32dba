// Settings, headless only: the sign-in passphrase for a companion run as a service. Set here, from a
// signed-in window, and nowhere else: an agent runs as the same user and could run any command
// (docs/security.md, "Signing in without a terminal").
import { useId, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/use-i18n.js';
import { useCompanionStore } from '../store/companion-store.js';
import { ErrorNote } from './error-note.js';

export function PassphraseSetting() {
  const { t } = useI18n();
  const setPassphrase = useCompanionStore((s) => s.bridge?.setSignInPassphrase);
  const ids = { title: useId(), first: useId(), second: useId(), hint: useId() };
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const [error, setError] = useState<string>();
  const [done, setDone] = useState(false);
  if (!setPassphrase) return null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    if (first !== second) return setError(t('settings.passphrase.mismatch'));
    setError(undefined);
    try {
      await setPassphrase(first);
      setFirst('');
      setSecond('');
      setDone(true);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <form className="evidence-card panel" aria-labelledby={ids.title} onSubmit={(e) => void submit(e)} data-testid="settings-passphrase">
      <h3 id={ids.title} className="subsection-title">
        {t('settings.passphrase')}
      </h3>
      <p id={ids.hint} className="field-hint">
        {t('settings.passphrase.hint')}
      </p>
      <div className="field">
        <label htmlFor={ids.first}>{t('settings.passphrase.new')}</label>
        <input id={ids.first} className="input" type="password" autoComplete="new-password" aria-describedby={ids.hint} value={first} onChange={(e) => setFirst(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={ids.second}>{t('settings.passphrase.repeat')}</label>
        <input id={ids.second} className="input" type="password" autoComplete="new-password" value={second} onChange={(e) => setSecond(e.target.value)} />
      </div>
      <ErrorNote>{error}</ErrorNote>
      {done && <p role="status">{t('settings.passphrase.done')}</p>}
      <div className="card-actions">
        <button type="submit" className="btn" disabled={first === ''}>
          {t('settings.passphrase.set')}
        </button>
      </div>
    </form>
  );
}
