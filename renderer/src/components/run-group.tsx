// One agent run's pending requests under a header (short id, folder, count, age of the oldest), with
// a banner when the run is paused for sending too fast or an escalation rule fired for it, and one
// answer for all of its reads.
// Memoised: the store keeps a run's group object while it shows the same, so other runs' changes
// and clock ticks (drawn by RelativeTime) do not draw it again.
import { memo, useId, useState } from 'react';
import type { RunGroup as Group } from '../group-by-run.js';
import { BULK_READS_MIN } from '../group-by-run.js';
import { useI18n } from '../i18n/use-i18n.js';
import { translateCoreText } from '../i18n/core-text.js';
import { useCompanionStore } from '../store/companion-store.js';
import { openInTimeline } from '../store/timeline-intent.js';
import { useGracePeriod } from '../use-grace-period.js';
import { CardSlot } from './card-slot.js';
import { RelativeTime } from './relative-time.js';
import { SafeText } from './safe-text.js';
import { ErrorNote } from './error-note.js';
import { EscalationBanner } from './escalation-banner.js';
import './run-group.css';

export interface RunGroupProps {
  group: Group;
  /** Draw only the cards near the screen (a long Inbox; see card-slot.tsx). */
  windowed: boolean;
}

export const RunGroup = memo(function RunGroup({ group, windowed }: RunGroupProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const call = useCompanionStore((s) => s.call);
  const connected = useCompanionStore((s) => s.connection === 'live');
  const headId = useId();
  const readsHintId = useId();
  const [busy, setBusy] = useState<'allow' | 'deny' | 'resume'>();
  const [error, setError] = useState<string>();
  const { sessionId, items, reads, paused } = group;
  const shortId = sessionId.slice(0, 8);
  // A bulk button whose count just changed must not take a click meant for the old count.
  const settling = useGracePeriod(`${sessionId}:${reads.map((r) => r.id).join(',')}`);

  const run = async (what: 'allow' | 'deny' | 'resume') => {
    setBusy(what);
    setError(undefined);
    try {
      if (what === 'resume') await call('resumeRun', { sessionId });
      // The reads on screen, each bound to the content shown: one that arrives meanwhile is not decided.
      else await call('decideRunReads', { sessionId, verdict: what, items: reads.map((r) => ({ id: r.id, contentHash: r.contentHash })) });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  };

  const since = paused ? Date.parse(paused.since) : NaN;
  return (
    <div className={`run${paused ? ' is-paused' : ''}`} role="group" aria-labelledby={headId}>
      <header className="run-head">
        <h3 id={headId} className="run-title" title={t('run.fullId', { id: sessionId })}>
          <SafeText text={t('run.title', { id: shortId })} />
        </h3>
        {group.cwd && (
          <code className="mono run-cwd">
            <SafeText text={group.cwd} />
          </code>
        )}
        <button type="button" className="btn-link run-timeline" onClick={() => openInTimeline(sessionId)} aria-label={t('runs.viewInTimelineLabel', { id: shortId })}>
          {t('runs.viewInTimeline')}
        </button>
        {items.length > 0 && (
          <span className="run-meta">
            {i18n.plural('run.requests', items.length)}
            {group.oldestMs !== undefined && (
              <>
                {' · '}
                <RelativeTime ms={group.oldestMs} format={(age) => t('run.oldest', { age })} />
              </>
            )}
          </span>
        )}
      </header>

      {group.escalations.map((e) => (
        <EscalationBanner key={e.escalationId} escalation={e} />
      ))}

      {paused && (
        <div className="banner banner-warn run-paused">
          <p>
            <strong>{t('run.pausedTitle')}</strong>
            {Number.isFinite(since) && (
              <span className="run-paused-since">
                {' '}
                (<RelativeTime ms={since} format={(time) => t('run.pausedSince', { time })} />)
              </span>
            )}
          </p>
          <p className="run-paused-reason">
            <SafeText text={translateCoreText(paused.reason, i18n)} />
          </p>
          <button
            type="button"
            className="btn"
            aria-label={t('run.resumeLabel', { id: shortId })}
            disabled={!connected || busy !== undefined}
            onClick={() => void run('resume')}
          >
            {t('run.resume')}
          </button>
        </div>
      )}

      {reads.length >= BULK_READS_MIN && (
        <div className="run-bulk">
          <button
            type="button"
            className="btn btn-grant"
            disabled={!connected || busy !== undefined || settling}
            aria-describedby={`${readsHintId} ${headId}`}
            onClick={() => void run('allow')}
          >
            {t('run.approveReads', { count: reads.length })}
          </button>
          <button
            type="button"
            className="btn btn-deny"
            disabled={!connected || busy !== undefined || settling}
            aria-describedby={`${readsHintId} ${headId}`}
            onClick={() => void run('deny')}
          >
            {t('run.denyReads', { count: reads.length })}
          </button>
          <p id={readsHintId} className="run-bulk-hint">
            {t('run.readsHint')}
          </p>
        </div>
      )}
      <ErrorNote>{error}</ErrorNote>
      {items.length > 0 && (
        <ol className={`cards${windowed ? ' is-windowed' : ''}`}>
          {items.map((item) => (
            <CardSlot key={item.id} item={item} windowed={windowed} />
          ))}
        </ol>
      )}
    </div>
  );
});
