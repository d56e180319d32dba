// Disk use of the on-disk journal against its budget, as a meter with the numbers in words.
import type { EvidenceStatus } from '../../../shared/ui-contract.js';
import { NEAR_LIMIT, describeJournalUse } from '../describe-evidence.js';
import { useI18n } from '../i18n/use-i18n.js';
import './journal-meter.css';

export function JournalMeter({ evidence }: { evidence: EvidenceStatus }) {
  const i18n = useI18n();
  const use = describeJournalUse(evidence, i18n);
  return (
    <div className="evidence-card panel" role="group" aria-labelledby="evidence-journal">
      <h3 id="evidence-journal" className="evidence-card-title">
        {i18n.t('evidence.journal')}
      </h3>
      <div className="journal-use">
        <meter
          className="journal-meter"
          aria-label={i18n.t('evidence.journalUse')}
          aria-valuetext={use.text}
          min={0}
          max={evidence.journalLimitBytes}
          value={Math.min(evidence.journalBytes, evidence.journalLimitBytes)}
          low={evidence.journalLimitBytes * 0.5}
          high={evidence.journalLimitBytes * NEAR_LIMIT}
          optimum={0}
        />
        <span className="journal-text">{use.text}</span>
      </div>
      {use.warning && (
        <p className="evidence-inline-warning tone-warn">
          <span aria-hidden="true">⚠ </span>
          {use.warning}
        </p>
      )}
    </div>
  );
}
