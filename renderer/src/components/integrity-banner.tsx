// Another program (possibly an agent the companion governs) changed one of the companion's own files:
// said at the top of every view, in words, with the newest change and what to do. "Got it" folds it to
// a compact marker that stays for the session; an alert not seen before opens it again. File names and
// reasons come from the core and are shown as text. Focus moves only when the person folds or unfolds
// it (a new alert is announced, never focused).
import { useEffect, useRef, useState } from 'react';
import type { IntegrityAlert } from '../../../shared/ui-contract.js';
import { richText } from '../i18n/rich-text.js';
import { useI18n } from '../i18n/use-i18n.js';
import { formatDateTime } from '../format-time.js';
import { useCompanionStore } from '../store/companion-store.js';
import { unseenIntegrityAlerts } from '../unseen-integrity-alerts.js';
import { RelativeTime } from './relative-time.js';
import { SafeText } from './safe-text.js';
import './integrity-banner.css';

export function IntegrityBanner() {
  const { t } = useI18n();
  const alerts = useCompanionStore((s) => s.snapshot?.integrity.alerts);
  const acknowledged = useCompanionStore((s) => s.integrityAcknowledged);
  const acknowledge = useCompanionStore((s) => s.acknowledgeIntegrity);
  const [unfolded, setUnfolded] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const focusToggle = useRef(false);
  useEffect(() => {
    if (!focusToggle.current) return;
    focusToggle.current = false;
    toggle.current?.focus();
  });
  if (!alerts?.length) return null;
  const fold = (open: boolean) => {
    focusToggle.current = true;
    setUnfolded(open);
  };

  if (!unfolded && unseenIntegrityAlerts(alerts, acknowledged).length === 0) {
    return (
      <p className="integrity-marker callout">
        <span aria-hidden="true">⚠ </span>
        {t('integrity.marker', { count: alerts.length })}{' '}
        <button ref={toggle} type="button" className="btn-link" onClick={() => fold(true)}>
          {t('integrity.show')}
        </button>
      </p>
    );
  }
  const [newest, ...older] = alerts as [IntegrityAlert, ...IntegrityAlert[]];
  return (
    <section className="integrity-banner panel" role="alert" aria-labelledby="integrity-title">
      <h2 id="integrity-title" className="integrity-title">
        <span aria-hidden="true">⚠ </span>
        {t('integrity.title')}
      </h2>
      <p className="integrity-newest">
        <AlertLine alert={newest} />
      </p>
      <p>{t('integrity.advice')}</p>
      {older.length > 0 && (
        <details className="integrity-all">
          <summary>{t('integrity.all', { count: alerts.length })}</summary>
          <ul>
            {alerts.map((a, i) => (
              <li key={i}>
                <AlertLine alert={a} />
              </li>
            ))}
          </ul>
        </details>
      )}
      <div className="card-actions">
        <button
          ref={toggle}
          type="button"
          className="btn"
          onClick={() => {
            acknowledge(alerts);
            fold(false);
          }}
        >
          {t('integrity.ack')}
        </button>
      </div>
    </section>
  );
}

/** "settings.json: its content differs …; the companion's last version was put back. (2 minutes ago)" */
function AlertLine({ alert }: { alert: IntegrityAlert }) {
  const i18n = useI18n();
  const at = Date.parse(alert.at);
  const clock = formatDateTime(alert.at, i18n);
  return (
    <>
      {richText(i18n.template('integrity.alert'), {
        file: (
          <code className="mono">
            <SafeText text={alert.file} />
          </code>
        ),
        reason: <SafeText text={alert.reason} />,
      })}{' '}
      {/* The age ticks: hidden from screen readers, or the alert would be read out again at each tick. */}
      <time dateTime={alert.at} title={clock} className="integrity-when">
        <span aria-hidden="true">{Number.isFinite(at) ? <RelativeTime ms={at} format={(age) => i18n.t('integrity.when', { age })} /> : clock}</span>
        <span className="visually-hidden">{clock}</span>
      </time>
    </>
  );
}
