// Share a folder: the core checks it first (canonical path, `~`, forbidden places, policy roots, how
// broad it is), and the form says in one sentence what sharing grants; a broad folder is shared only
// after "Share anyway", and sharing a folder again says what changed.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { BroadShare, ScopeMode, ScopeView } from '../../../shared/scope-contract.js';
import type { UiResponse } from '../../../shared/ui-contract.js';
import { formatUntil } from '../format-time.js';
import { richText } from '../i18n/rich-text.js';
import { useI18n } from '../i18n/use-i18n.js';
import { useCompanionStore } from '../store/companion-store.js';
import { BroadShareNotice } from './broad-share-notice.js';
import { LockedBy } from './locked-by.js';
import { useShareIntent } from '../store/share-intent.js';
import { SafeText } from './safe-text.js';
import { ErrorNote } from './error-note.js';
import './add-folder-form.css';

const DURATIONS = [
  { value: '', label: 'add.duration.forever', ms: 0 },
  { value: '1h', label: 'add.duration.1h', ms: 3_600_000 },
  { value: '8h', label: 'add.duration.8h', ms: 8 * 3_600_000 },
  { value: '7d', label: 'add.duration.7d', ms: 7 * 86_400_000 },
] as const;

export function AddFolderForm({ allowedRoots, organization }: { allowedRoots: string[] | undefined; organization?: ScopeView['organization'] }) {
  const i18n = useI18n();
  const { t } = i18n;
  const call = useCompanionStore((s) => s.call);
  const canPick = useCompanionStore((s) => s.transport === 'electron');
  const connected = useCompanionStore((s) => s.connection === 'live');
  const [path, setPath] = useState('');
  const [mode, setMode] = useState<ScopeMode>('read');
  const [duration, setDuration] = useState('');
  const [label, setLabel] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [shared, setShared] = useState<UiResponse<'addSharedFolder'>>();
  /** A broad folder waiting for "Share anyway", or one IT refuses. */
  const [broad, setBroad] = useState<{ share: BroadShare; refused: boolean }>();
  const ids = { path: useId(), label: useId(), duration: useId(), hint: useId() };
  const pathInput = useRef<HTMLInputElement>(null);
  // Sent here from elsewhere ("Share a folder…", "Share … read-only…"): fill in, then the person confirms.
  const intent = useShareIntent((s) => s.draft);
  useEffect(() => {
    if (!intent) return;
    setPath(intent.path);
    setMode(intent.mode);
    setShared(undefined);
    setBroad(undefined);
    setError(undefined);
    useShareIntent.setState({ draft: null });
    pathInput.current?.scrollIntoView({ block: 'center' });
    pathInput.current?.focus();
  }, [intent]);

  const ms = DURATIONS.find((d) => d.value === duration)?.ms ?? 0;
  const grant = t(`add.grant.${mode}`, { until: ms ? formatUntil(Date.now() + ms, Date.now(), i18n) : t('add.untilRemoved') });

  const share = async (confirmBroad: boolean) => {
    if (!path.trim() || busy) return;
    setBusy(true);
    setError(undefined);
    setShared(undefined);
    setBroad(undefined);
    try {
      const preview = await call('previewSharedFolder', { path: path.trim() });
      if (!preview.ok) {
        if (preview.broad) setBroad({ share: preview.broad, refused: true });
        else setError(preview.error);
        return;
      }
      // The same rule as the core's: a new broad share, or widening one to read & write.
      const widens = !preview.existing || (mode === 'read-write' && preview.existing.mode !== 'read-write');
      if (preview.broad && widens && !confirmBroad) {
        setBroad({ share: preview.broad, refused: false });
        return;
      }
      const expiresAt = ms ? new Date(Date.now() + ms).toISOString() : undefined;
      const result = await call('addSharedFolder', {
        path: preview.path,
        mode,
        ...(label.trim() ? { label: label.trim() } : {}),
        ...(expiresAt ? { expiresAt } : {}),
        ...(confirmBroad ? { confirmBroad } : {}),
      });
      setShared(result);
      // Back to the narrowest grant for the next folder.
      setPath('');
      setLabel('');
      setMode('read');
      setDuration('');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void share(false);
  };

  const changePath = (next: string) => {
    setPath(next);
    setBroad(undefined);
  };

  const pick = async () => {
    try {
      const picked = await call('pickFolder', {});
      if (picked.path) changePath(picked.path);
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <form className="add-folder panel" onSubmit={submit} aria-labelledby={`${ids.path}-title`}>
      <h3 id={`${ids.path}-title`} className="add-folder-title">
        {t('add.title')}
      </h3>
      <div className="field">
        <label htmlFor={ids.path}>{t('add.folder')}</label>
        <div className="field-row">
          <input
            ref={pathInput}
            id={ids.path}
            className="input mono"
            value={path}
            onChange={(e) => changePath(e.target.value)}
            placeholder="~/projects/app"
            spellCheck={false}
            autoComplete="off"
            aria-describedby={allowedRoots ? ids.hint : undefined}
          />
          {canPick && (
            <button type="button" className="btn" onClick={() => void pick()}>
              {t('add.choose')}
            </button>
          )}
        </div>
        {allowedRoots && (
          <p id={ids.hint} className="field-hint">
            {t('add.allowedRoots', { roots: allowedRoots.join(', ') })} <LockedBy policyKey="allowedRoots" />
          </p>
        )}
      </div>
      <fieldset className="field">
        <legend>{t('add.access')}</legend>
        <div className="field-row">
          {(['read', 'read-write'] as const).map((m) => (
            <label key={m} className="radio">
              <input type="radio" name={`${ids.path}-mode`} value={m} checked={mode === m} onChange={() => setMode(m)} />
              {t(`folders.mode.${m}`)}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field-pair">
        <div className="field">
          <label htmlFor={ids.duration}>{t('add.howLong')}</label>
          <select id={ids.duration} className="select" value={duration} onChange={(e) => setDuration(e.target.value)}>
            {DURATIONS.map((d) => (
              <option key={d.value} value={d.value}>
                {t(d.label)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.label}>
            {t('add.label')} <span className="field-optional">{t('add.optional')}</span>
          </label>
          <input id={ids.label} className="input" value={label} maxLength={200} onChange={(e) => setLabel(e.target.value)} />
        </div>
      </div>
      <p className="grant-sentence callout">{grant}</p>
      {broad?.refused ? (
        <BroadShareNotice broad={broad.share} mode={mode} busy={busy} refused organization={organization} />
      ) : broad ? (
        <BroadShareNotice broad={broad.share} mode={mode} busy={busy} onConfirm={() => void share(true)} onCancel={() => setBroad(undefined)} />
      ) : (
        <div className="card-actions">
          <button type="submit" className="btn btn-approve" disabled={busy || !connected || !path.trim()}>
            {busy ? t('add.sharing') : t('add.share')}
          </button>
        </div>
      )}
      <ErrorNote>{error}</ErrorNote>
      {shared && (
        <p className="form-done" role="status">
          {richText(i18n.template(shared.outcome === 'added' ? 'add.done' : shared.outcome === 'updated' ? 'add.updated' : 'add.unchanged'), {
            path: <SafeText text={shared.folder.path} />,
            changes: shared.changed.map((k) => t(`add.changed.${k}`)).join(', '),
          })}
        </p>
      )}
    </form>
  );
}
