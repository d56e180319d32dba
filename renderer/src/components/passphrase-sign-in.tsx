// A window without a credential, for a companion run as a service (no terminal to press Enter in):
// the person types the sign-in passphrase they set in Settings, and the session it buys lives only in
// this page's memory, as one from a link does. The passphrase is never stored by the page.
import { useId, useState, type FormEvent } from 'react';
import { BridgeError } from '../bridge/renderer-bridge.js';
import { signInWithPassphrase } from '../bridge/web-bridge.js';
import { useI18n } from '../i18n/use-i18n.js';
import { ErrorNote } from './error-note.js';

const REFUSALS = { sign_in_wrong: 'signIn.wrong', sign_in_wait: 'signIn.wait', sign_in_not_set: 'signIn.notSet', sign_in_unavailable: 'signIn.unavailable' } as const;

export function PassphraseSignIn({ onSignedIn }: { onSignedIn: (sessionToken: string) => void }) {
  const { t } = useI18n();
  const id = useId();
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await signInWithPassphrase(passphrase));
    } catch (err) {
      const key = err instanceof BridgeError ? REFUSALS[err.code as keyof typeof REFUSALS] : undefined;
      setError(key ? t(key) : (err as Error).message);
      setPassphrase('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="notice" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="notice-title">
        {t('signIn.title')}
      </h2>
      <p className="notice-hint">{t('signIn.hint')}</p>
      <div className="field">
        <label htmlFor={id}>{t('signIn.label')}</label>
        <input id={id} className="input" type="password" autoComplete="current-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
      </div>
      <ErrorNote>{error}</ErrorNote>
      <div className="card-actions">
        <button type="submit" className="btn" disabled={busy || passphrase === ''}>
          {t('signIn.submit')}
        </button>
      </div>
    </form>
  );
}
