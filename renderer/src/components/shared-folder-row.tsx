// One shared folder: its access, how long it stays shared, and whether policy locks it. Widening a
// broad folder to read & write says what that means first, as sharing it did.
import { useId, useState } from 'react';
import type { BroadShare, ScopeEntryView, ScopeMode } from '../../../shared/scope-contract.js';
import { formatUntil } from '../format-time.js';
import { useI18n } from '../i18n/use-i18n.js';
import { revealInvisible } from '../reveal-invisible.js';
import { useCompanionStore } from '../store/companion-store.js';
import { BroadShareNotice } from './broad-share-notice.js';
import { SafeText } from './safe-text.js';
import { LockedBy } from './locked-by.js';
import './shared-folder-row.css';

export function SharedFolderRow({ folder, now }: { folder: ScopeEntryView; now: number }) {
  const i18n = useI18n();
  const { t } = i18n;
  const call = useCompanionStore((s) => s.call);
  const connected = useCompanionStore((s) => s.connection === 'live');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [broad, setBroad] = useState<BroadShare>();
  const shown = revealInvisible(folder.path);
  const lockId = useId();

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className="folder">
      <div className="folder-main">
        <code className="mono folder-path">
          <SafeText text={folder.path} />
        </code>
        {folder.label && (
          <span className="folder-label">
            <SafeText text={folder.label} />
          </span>
        )}
        <p className="folder-meta">
          {folder.expiresAt ? formatUntil(Date.parse(folder.expiresAt), now, i18n) : t('folders.untilRemoved')}
          {folder.locked && (
            <span className="folder-lock">
              <LockedBy policyKey="sharedFolders" id={lockId} />
            </span>
          )}
        </p>
        {folder.problem && (
          <p className="folder-problem">
            <SafeText text={folder.problem} />
          </p>
        )}
      </div>
      <div className="folder-actions">
        <select
          className="select"
          aria-label={t('folders.accessTo', { path: shown })}
          value={folder.mode}
          disabled={folder.locked || busy || !connected}
          aria-describedby={folder.locked ? lockId : undefined}
          onChange={(e) => {
            const mode = e.target.value as ScopeMode;
            setBroad(undefined);
            void run(async () => {
              const preview = mode === 'read-write' ? await call('previewSharedFolder', { path: folder.path }) : undefined;
              if (preview?.ok && preview.broad) setBroad(preview.broad);
              else await call('setSharedFolderMode', { path: folder.path, mode });
            });
          }}
        >
          <option value="read">{t('folders.mode.read')}</option>
          <option value="read-write">{t('folders.mode.read-write')}</option>
        </select>
        {!folder.locked && (
          <button
            type="button"
            className="btn btn-hold"
            aria-label={t('folders.stopSharing', { path: shown })}
            disabled={busy || !connected}
            onClick={() => void run(() => call('removeSharedFolder', { path: folder.path }))}
          >
            {t('folders.remove')}
          </button>
        )}
      </div>
      {broad && (
        <div className="folder-broad">
          <BroadShareNotice
            broad={broad}
            mode="read-write"
            busy={busy}
            onConfirm={() => void run(() => call('setSharedFolderMode', { path: folder.path, mode: 'read-write', confirmBroad: true })).then(() => setBroad(undefined))}
            onCancel={() => setBroad(undefined)}
          />
        </div>
      )}
      {error && (
        <p className="card-error callout folder-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
