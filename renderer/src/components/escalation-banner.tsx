// A run an escalation rule of IT's policy notified about, held or stopped (snapshot `escalations`):
// which rule, why (the count in its window), whom to contact, and the person's one-click answers —
// Resume (or Dismiss a notice) and, for a held run, Stop; a stopped run can be kept stopped. Shown in
// the run's group in the Inbox, above its cards, like the paused-run banner. Text from the policy and
// the run (rule id, contact) is shown as text; links only for an e-mail address and an http(s) page.
import { useState } from 'react';
import type { EscalationResolution } from '../../../shared/escalation-contract.js';
import type { RunEscalation } from '../group-by-run.js';
import { useI18n } from '../i18n/use-i18n.js';
import { useCompanionStore } from '../store/companion-store.js';
import { ErrorNote } from './error-note.js';
import { RelativeTime } from './relative-time.js';
import { SafeText } from './safe-text.js';
import './escalation-banner.css';

const WEB = /^https?:\/\//i;

export function EscalationBanner({ escalation: e }: { escalation: RunEscalation }) {
  const i18n = useI18n();
  const { t } = i18n;
  const call = useCompanionStore((s) => s.call);
  const connected = useCompanionStore((s) => s.connection === 'live');
  const [busy, setBusy] = useState<EscalationResolution>();
  const [error, setError] = useState<string>();
  const shortId = e.sessionId.slice(0, 8);
  const rule = e.ruleTitle ?? e.ruleId;

  const resolve = async (how: EscalationResolution) => {
    setBusy(how);
    setError(undefined);
    try {
      await call('resolveEscalation', { escalationId: e.escalationId, how });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(undefined);
    }
  };

  const params = { count: e.count, minutes: e.withinMinutes, atLeast: e.atLeast };
  const why = e.kind === 'outOfScope' && e.highOnly ? t('escalation.why.outOfScopeHigh', params) : t(`escalation.why.${e.kind}`, params);
  const title = e.action === 'notify' ? 'escalation.titleNotify' : e.action === 'hold' ? 'escalation.titleHold' : 'escalation.titleStop';
  const raised = Date.parse(e.raisedAt);
  const contact = e.contact;
  return (
    <section className={`banner escalation-banner escalation-${e.action}`} role="alert" aria-label={t(title, { rule })} data-testid="escalation-banner">
      <p className="escalation-title">
        <strong>
          <SafeText text={t(title, { rule })} />
        </strong>
        {Number.isFinite(raised) && (
          <span className="escalation-since">
            {' '}
            (<RelativeTime ms={raised} format={(time) => t('run.pausedSince', { time })} />)
          </span>
        )}
      </p>
      <p className="escalation-why">
        <SafeText text={why} />
      </p>
      <p className="escalation-effect">
        {e.action === 'hold' ? t('escalation.holdExplain') : e.action === 'stop' ? (e.keptStopped ? t('escalation.keptStopped') : t('escalation.stopExplain')) : t('escalation.notifyExplain')}
      </p>
      {contact && (contact.name || contact.email || contact.url) && (
        <p className="escalation-contact">
          {t('escalation.contact')}{' '}
          {contact.name && <SafeText text={contact.name} />}
          {contact.email && (
            <>
              {' '}
              <a href={`mailto:${encodeURI(contact.email)}`}>
                <SafeText text={contact.email} />
              </a>
            </>
          )}
          {contact.url && WEB.test(contact.url) && (
            <>
              {' '}
              <a href={contact.url} target="_blank" rel="noreferrer noopener">
                <SafeText text={contact.url} />
              </a>
            </>
          )}
        </p>
      )}
      <div className="escalation-actions">
        <button type="button" className="btn" aria-label={t(e.action === 'notify' ? 'escalation.dismissLabel' : 'escalation.resumeLabel', { id: shortId })} disabled={!connected || busy !== undefined} onClick={() => void resolve('resume')}>
          {t(e.action === 'notify' ? 'escalation.dismiss' : 'escalation.resume')}
        </button>
        {e.action === 'hold' && (
          <button type="button" className="btn btn-deny" aria-label={t('escalation.stopLabel', { id: shortId })} disabled={!connected || busy !== undefined} onClick={() => void resolve('stop')}>
            {t('escalation.stop')}
          </button>
        )}
        {e.action === 'stop' && !e.keptStopped && (
          <button type="button" className="btn" aria-label={t('escalation.keepStoppedLabel', { id: shortId })} disabled={!connected || busy !== undefined} onClick={() => void resolve('stop')}>
            {t('escalation.keepStopped')}
          </button>
        )}
      </div>
      <ErrorNote>{error}</ErrorNote>
    </section>
  );
}
