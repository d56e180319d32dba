// Recent changes outside the scope, newest first. Each says where (untrusted text shown safely),
// what kind of change, which run, and whether a tool call of that run named the path — or that
// nothing explains it. Severity is stated in words, never by colour alone.
import type { OutOfScopeAlert } from '../../../shared/run-watch-contract.js';
import { formatAge } from '../format-time.js';
import { useI18n } from '../i18n/use-i18n.js';
import { SafeText } from './safe-text.js';
import { ListSection } from './titled-section.js';
import './rule-row.css';
import './out-of-scope-alerts.css';

export function OutOfScopeAlerts({ alerts, now }: { alerts: readonly OutOfScopeAlert[]; now: number }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <ListSection
      id="alerts-title"
      className="alerts"
      level={3}
      title={t('runs.alerts')}
      empty={t('runs.alertsEmpty')}
      listClassName="rule-list alert-list"
      items={alerts}
      renderItem={(a) => (
        <li key={a.eventId} className={`rule alert severity-${a.severity}`} data-event-id={a.eventId}>
          <p className="rule-sentence">
            {a.severity === 'high' && <span className="badge tone-danger">{t('runs.severity.high')}</span>} {t(`runs.change.${a.change}`)}:{' '}
            <span className="mono">
              <SafeText text={a.path} />
            </span>
            {a.previousPath && (
              <span className="muted">
                {' · '}
                {t('runs.renamedFrom')}: <SafeText text={a.previousPath} />
              </span>
            )}
          </p>
          <dl className="rule-facts">
            <div>
              <dt>{t(`runs.violation.${a.violation}`)}</dt>
              <dd>{a.forbiddenReason ?? ''}</dd>
            </div>
            <div>
              <dt>{t('runs.run', { id: a.sessionId.slice(0, 8) })}</dt>
              <dd>{formatAge(Date.parse(a.at), now, i18n)}</dd>
            </div>
          </dl>
          <p className="alert-link">
            {a.toolUseId ? t('runs.linked', { tool: a.toolName ?? '?', id: a.toolUseId }) : t('runs.unexplained')}
            {a.repeats ? ` · ${t('runs.repeats', { count: a.repeats })}` : ''}
            {!a.recorded ? ` · ${t('runs.notRecorded')}` : ''}
          </p>
        </li>
      )}
    />
  );
}
