// What was decided lately, newest first. The verdict is spelled out, not only coloured.
import type { DecisionRecord } from '../../../shared/ui-contract.js';
import { formatAge } from '../format-time.js';
import { useCompanionStore } from '../store/companion-store.js';
import { useNow } from '../use-now.js';
import { SafeText } from './safe-text.js';

const SOURCE: Record<DecisionRecord['source'], string> = {
  user: 'by you',
  policy: 'by policy',
  rule: 'by a rule',
  timeout: 'no answer in time',
};

const SHOWN = 12;

export function RecentDecisions() {
  const recent = useCompanionStore((s) => s.snapshot?.recent);
  const offset = useCompanionStore((s) => s.clockOffsetMs);
  const now = useNow(5000) + offset;
  if (!recent) return null;
  const items = [...recent].sort((a, b) => Date.parse(b.decidedAt) - Date.parse(a.decidedAt)).slice(0, SHOWN);

  return (
    <section className="recent" aria-labelledby="recent-title">
      <h2 id="recent-title" className="section-title">
        Recent decisions
      </h2>
      {items.length === 0 ? (
        <p className="recent-empty">Nothing decided yet.</p>
      ) : (
        <ul className="recent-list">
          {items.map((r) => (
            <li key={`${r.approvalId}:${r.decidedAt}`} className="recent-item">
              <span className={`verdict verdict-${r.decision}`}>
                <span aria-hidden="true">{r.decision === 'allow' ? '✓' : '✕'}</span>
                {r.decision === 'allow' ? 'Allowed' : 'Denied'}
              </span>
              <span className="recent-tool">
                <SafeText text={r.toolName} />
              </span>
              <span className="recent-source">{SOURCE[r.source]}</span>
              <time className="recent-time" dateTime={r.decidedAt}>
                {formatAge(Date.parse(r.decidedAt), now)}
              </time>
              {r.reason && (
                <p className="recent-reason">
                  <SafeText text={r.reason} />
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
