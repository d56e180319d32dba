// What was decided lately, newest first. The verdict is spelled out, not only coloured.
import { memo } from 'react';
import type { DecisionRecord } from '../../../shared/ui-contract.js';
import { formatAge } from '../format-time.js';
import { useI18n } from '../i18n/use-i18n.js';
import { translateCoreText } from '../i18n/core-text.js';
import type { MessageKey } from '../i18n/translator.js';
import { useCompanionStore } from '../store/companion-store.js';
import { useNow } from '../use-now.js';
import { SafeText } from './safe-text.js';
import { ListSection } from './titled-section.js';
import './recent-decisions.css';

const SOURCE: Record<DecisionRecord['source'], MessageKey> = {
  user: 'recent.source.user',
  policy: 'recent.source.policy',
  rule: 'recent.source.rule',
  timeout: 'recent.source.timeout',
};

const SHOWN = 12;

// Memoised (no props): the window redraws on every snapshot (its counts), this list only when the
// decisions change.
export const RecentDecisions = memo(function RecentDecisions() {
  const i18n = useI18n();
  const { t } = i18n;
  const recent = useCompanionStore((s) => s.snapshot?.recent);
  const offset = useCompanionStore((s) => s.clockOffsetMs);
  const now = useNow(5000) + offset;
  if (!recent) return null;
  const items = [...recent].sort((a, b) => Date.parse(b.decidedAt) - Date.parse(a.decidedAt)).slice(0, SHOWN);

  return (
    <ListSection
      id="recent-title"
      className="recent"
      title={t('recent.title')}
      empty={t('recent.empty')}
      listClassName="recent-list"
      items={items}
      renderItem={(r) => (
        <li key={`${r.approvalId}:${r.decidedAt}`} className="recent-item">
          <span className={`verdict verdict-${r.decision}`}>
            <span aria-hidden="true">{r.decision === 'allow' ? '✓' : '✕'}</span>
            {t(r.decision === 'allow' ? 'recent.allowed' : 'recent.denied')}
          </span>
          <span className="recent-tool">
            <SafeText text={r.toolName} />
          </span>
          <span className="recent-source">{t(SOURCE[r.source])}</span>
          <time className="recent-time" dateTime={r.decidedAt}>
            {formatAge(Date.parse(r.decidedAt), now, i18n)}
          </time>
          {r.reason && (
            <p className="recent-reason">
              <SafeText text={translateCoreText(r.reason, i18n)} />
            </p>
          )}
        </li>
      )}
    />
  );
});
