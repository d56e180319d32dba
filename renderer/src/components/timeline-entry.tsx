// One event of the Timeline: when, what kind, the decision spelled out (not only coloured) and who
// made it, the tool, what it was about and why. Agent-supplied text goes through SafeText.
import { DECISION_SOURCES } from '../../../shared/telemetry-events.js';
import { TIMELINE_DECISIONS, type TimelineRowView, type TimelineStep } from '../../../shared/ui-contract.js';
import { translateCoreText } from '../i18n/core-text.js';
import { useI18n } from '../i18n/use-i18n.js';
import { revealInvisible } from '../reveal-invisible.js';
import { SafeText } from './safe-text.js';

const isDecision = (d: string): d is (typeof TIMELINE_DECISIONS)[number] => (TIMELINE_DECISIONS as readonly string[]).includes(d);
const isSource = (d: string): d is (typeof DECISION_SOURCES)[number] => (DECISION_SOURCES as readonly string[]).includes(d);

export function TimelineEntry({ row, onOpenRun, showRun = true }: { row: TimelineRowView | TimelineStep; onOpenRun?(sessionId: string): void; showRun?: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const ms = Date.parse(row.at);
  // Events the view has no word for keep their own name (scope.changed, api_error, …).
  const rawName = row.kind === 'other' || row.kind === 'run' || row.kind === 'escalation' ? row.name : row.kind === 'agent' ? (row.agentEvent ?? row.name) : undefined;
  const short = row.sessionId?.slice(0, 8);
  const attributes = 'attributes' in row ? row.attributes : undefined;
  return (
    <li className={`tl-entry tl-kind-${row.kind}`} data-event-id={row.eventId} data-kind={row.kind}>
      <time className="tl-time" dateTime={row.at}>
        {i18n.dateTime(ms, { dateStyle: 'short', timeStyle: 'medium' })}
      </time>
      <span className="tl-kind">{t(`timeline.kind.${row.kind}`)}</span>
      {rawName && (
        <span className="tl-name mono">
          <SafeText text={rawName} />
        </span>
      )}
      {row.decision && (
        <span className={`tl-verdict tl-verdict-${row.decision}`} data-decision={row.decision}>
          {isDecision(row.decision) ? t(`timeline.decision.${row.decision}`) : row.decision}
        </span>
      )}
      {row.decidedBy && <span className="tl-by">{t('timeline.by', { who: isSource(row.decidedBy) ? t(`timeline.decidedBy.${row.decidedBy}`) : row.decidedBy })}</span>}
      {row.success !== undefined && <span className={`tl-verdict tl-verdict-${row.success ? 'allow' : 'deny'}`}>{t(row.success ? 'timeline.toolOk' : 'timeline.toolFailed')}</span>}
      {row.toolName && (
        <span className="tl-tool mono">
          <SafeText text={row.toolName} />
        </span>
      )}
      {showRun && row.sessionId && short && (
        <span className="tl-run">
          {onOpenRun ? (
            <button type="button" className="btn-link" aria-label={t('timeline.openRunLabel', { id: revealInvisible(short) })} onClick={() => onOpenRun(row.sessionId!)}>
              <SafeText text={t('timeline.openRun', { id: short })} />
            </button>
          ) : (
            <SafeText text={t('timeline.openRun', { id: short })} />
          )}
        </span>
      )}
      {row.target && (
        <p className="tl-target mono">
          <SafeText text={row.target} />
        </p>
      )}
      {row.reason && (
        <p className="tl-reason">
          <SafeText text={translateCoreText(row.reason, i18n)} />
        </p>
      )}
      {attributes && (
        <details className="tl-details">
          <summary>{t('timeline.details')}</summary>
          <dl>
            {Object.entries(attributes).map(([k, v]) => (
              <div key={k}>
                <dt className="mono">
                  <SafeText text={k} />
                </dt>
                <dd className="mono">
                  <SafeText text={String(v)} />
                </dd>
              </div>
            ))}
          </dl>
        </details>
      )}
    </li>
  );
}
