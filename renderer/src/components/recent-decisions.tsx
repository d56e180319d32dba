// What was decided lately, newest first. The verdict is spelled out, not only coloured. A decision
// made without a person shows what it was about (command, path or address, and where), the rule that
// decided in words, and a fix where one is safe (decision-fixes.ts).
import { memo } from 'react';
import { isReadOnlyTool } from '../../../shared/tool-catalogue.js';
import type { DecisionRecord, Rule } from '../../../shared/ui-contract.js';
import { decidingRule, folderToShare } from '../decision-fixes.js';
import { formatAge } from '../format-time.js';
import { useI18n } from '../i18n/use-i18n.js';
import { translateCoreText } from '../i18n/core-text.js';
import type { MessageKey } from '../i18n/translator.js';
import { useCompanionStore } from '../store/companion-store.js';
import { openShareForm } from '../store/share-intent.js';
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
  const rules = useCompanionStore((s) => s.snapshot?.rules);
  const canShare = useCompanionStore((s) => s.snapshot?.scope.allowUserFolders ?? false);
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
          {r.source !== 'user' && <DecidedWithoutYou record={r} rules={rules ?? []} canShare={canShare} />}
        </li>
      )}
    />
  );
});

/** What an automatic decision was about, the rule that made it, and the safe fix, if any. */
function DecidedWithoutYou({ record, rules, canShare }: { record: DecisionRecord; rules: readonly Rule[]; canShare: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const targets = record.targets;
  const what = targets?.command ?? targets?.url ?? targets?.paths.join(', ') ?? targets?.query;
  const why = decidingRule(record, rules, i18n);
  const folder = canShare ? folderToShare(record) : undefined;
  if (!what && !why && !folder) return null;
  return (
    <div className="recent-detail" data-testid="recent-detail">
      {what && (
        <code className="recent-what mono">
          <SafeText text={what} />
        </code>
      )}
      {record.cwd && (
        <span className="recent-where">
          <SafeText text={t('recent.where', { cwd: record.cwd })} />
        </span>
      )}
      {why && (
        <p className="recent-why">
          <SafeText text={t('recent.why', { rule: why })} />
        </p>
      )}
      {folder && (
        <p className="recent-fix">
          <button type="button" className="btn" onClick={() => openShareForm(folder, 'read')}>
            <SafeText text={t('recent.fix.share', { folder })} />
          </button>
          {!isReadOnlyTool(record.toolName) && <span className="field-hint">{t('recent.fix.writeHint')}</span>}
        </p>
      )}
    </div>
  );
}
