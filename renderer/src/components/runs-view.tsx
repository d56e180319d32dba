// The Runs page: the watcher's coverage, recent changes outside the scope, and every run the
// companion remembers with its manifest. Honest about what a watcher can see.
import { useI18n } from '../i18n/use-i18n.js';
import { useCompanionStore } from '../store/companion-store.js';
import { useNow } from '../use-now.js';
import { OutOfScopeAlerts } from './out-of-scope-alerts.js';
import { RunRow } from './run-row.js';
import { WatchCoverage } from './watch-coverage.js';
import { TitledSection } from './titled-section.js';
import './rule-row.css';

export function RunsView() {
  const { t } = useI18n();
  const runs = useCompanionStore((s) => s.snapshot?.runs);
  const watch = useCompanionStore((s) => s.snapshot?.watch);
  const alerts = useCompanionStore((s) => s.snapshot?.alerts);
  const offset = useCompanionStore((s) => s.clockOffsetMs);
  const now = useNow(15_000) + offset;
  if (!runs || !watch || !alerts) return null;
  return (
    <TitledSection id="runs-title" className="runs" title={t('runs.title')} intro={t('runs.intro')} focusable>
      <WatchCoverage watch={watch} />
      <OutOfScopeAlerts alerts={alerts} now={now} />
      <TitledSection id="runs-list-title" level={3} title={t('runs.list')}>
        {runs.length === 0 ? (
          <div className="empty">
            <p className="empty-hint">{t('runs.empty')}</p>
          </div>
        ) : (
          <ul className="rule-list run-list">
            {runs.map((r) => (
              <RunRow key={r.sessionId} run={r} now={now} />
            ))}
          </ul>
        )}
      </TitledSection>
    </TitledSection>
  );
}
