// The Evidence view's part on the companion's own files: the check of the journal at start, and where
// the integrity key is kept. A journal found changed is said loudly, each problem listed as the core
// wrote it (shown as text).
import type { IntegrityView } from '../../../shared/ui-contract.js';
import type { JournalCheckText } from '../describe-evidence.js';
import { richText } from '../i18n/rich-text.js';
import { useI18n } from '../i18n/use-i18n.js';
import { SafeText } from './safe-text.js';
import './integrity-facts.css';

export function IntegrityFacts({ integrity, check }: { integrity: IntegrityView; check: JournalCheckText }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <div className="evidence-card panel" role="group" aria-labelledby="evidence-integrity">
      <h3 id="evidence-integrity" className="evidence-card-title">
        {t('evidence.integrity')}
      </h3>
      <dl className="facts pairs">
        <dt>{t('evidence.journalCheck')}</dt>
        <dd>
          {check.ok ? (
            <span className="evidence-state tone-ok">
              <span className="evidence-icon" aria-hidden="true">
                ✓
              </span>
              {check.title}
            </span>
          ) : (
            <div className="journal-problems tone-danger" role="alert">
              <p className="evidence-state">
                <span className="evidence-icon" aria-hidden="true">
                  ✕
                </span>
                {check.title}
              </p>
              <ul>
                {integrity.journal.problems.map((problem, i) => (
                  <li key={i}>
                    <SafeText text={problem} />
                  </li>
                ))}
              </ul>
              <p>{check.advice}</p>
            </div>
          )}
        </dd>
        <dt>{t('evidence.key')}</dt>
        <dd>
          {integrity.keyProtection === 'os-keystore' ? (
            <span className="evidence-state tone-ok">
              <span className="evidence-icon" aria-hidden="true">
                ✓
              </span>
              {t('evidence.key.os-keystore')}
            </span>
          ) : (
            <span className="key-in-file tone-warn">
              <span aria-hidden="true">⚠ </span>
              {richText(i18n.template('evidence.key.user-file'), { doc: <code className="mono">docs/security.md</code> })}
            </span>
          )}
        </dd>
      </dl>
    </div>
  );
}
