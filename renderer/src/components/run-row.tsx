// One agent run: when it ran, how it ended, what it changed inside the scope and outside it, and
// its file manifest as a JSON download (fetched from the core through the bridge on demand).
import { useState } from 'react';
import type { RunView } from '../../../shared/run-watch-contract.js';
import { formatAge, formatClock } from '../format-time.js';
import { useI18n } from '../i18n/use-i18n.js';
import { useCompanionStore } from '../store/companion-store.js';
import { openInTimeline } from '../store/timeline-intent.js';
import { SafeText } from './safe-text.js';
import { ErrorNote } from './error-note.js';
import './rule-row.css';
import './run-row.css';

/** Offer `text` as a file download (works in the browser and in Electron's window alike). */
function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function RunRow({ run, now }: { run: RunView; now: number }) {
  const i18n = useI18n();
  const { t } = i18n;
  const call = useCompanionStore((s) => s.call);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const short = run.sessionId.slice(0, 8);

  const exportManifest = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const manifest = await call('exportManifest', { sessionId: run.sessionId });
      download(`run-${short}-manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className={`rule run${run.active ? ' is-active' : ''}`} data-session-id={run.sessionId}>
      <p className="rule-sentence">
        {t('runs.run', { id: short })} · <span className={run.active ? 'run-state is-active' : 'run-state'}>{run.status === 'active' ? t('runs.active') : run.status === 'waiting' ? t('runs.waiting') : t(`runs.ended.${run.endReason ?? 'idle'}`)}</span>
      </p>
      <dl className="rule-facts">
        {run.cwd && (
          <div>
            <dt>{t('runs.folder')}</dt>
            <dd className="mono">
              <SafeText text={run.cwd} />
            </dd>
          </div>
        )}
        <div>
          <dt>{t('runs.started')}</dt>
          <dd>
            {formatClock(Date.parse(run.startedAt), i18n)} ({formatAge(Date.parse(run.startedAt), now, i18n)})
          </dd>
        </div>
        <div>
          <dt>{t('runs.toolEvents')}</dt>
          <dd>{i18n.number(run.toolEvents)}</dd>
        </div>
        <div>
          <dt>{t('runs.files')}</dt>
          <dd data-testid="run-files">
            {t('runs.filesSummary', { total: i18n.number(run.files.total), created: i18n.number(run.files.created), modified: i18n.number(run.files.modified), deleted: i18n.number(run.files.deleted) })}
          </dd>
        </div>
        <div>
          <dt>{t('runs.outOfScope')}</dt>
          <dd data-testid="run-out-of-scope" className={run.outOfScope > 0 ? 'run-count-alarm' : undefined}>
            {i18n.number(run.outOfScope)}
          </dd>
        </div>
      </dl>
      <div className="rule-actions">
        <button type="button" className="btn" onClick={() => void exportManifest()} disabled={busy} aria-label={t('runs.exportLabel', { id: short })}>
          {t('runs.export')}
        </button>
        <button type="button" className="btn-link" onClick={() => openInTimeline(run.sessionId)} aria-label={t('runs.viewInTimelineLabel', { id: short })}>
          {t('runs.viewInTimeline')}
        </button>
        <ErrorNote>{error && t('runs.exportFailed', { error })}</ErrorNote>
      </div>
    </li>
  );
}
