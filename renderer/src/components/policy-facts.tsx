// What the core does with IT's policy file, in words, and each problem where IT finds it (file,
// line:column, key path). Everything here comes from the snapshot's policy view, which the core
// derives from the state it decides with: the window says what the core does, never its own guess.
// File names, key paths and messages come from the file and are shown as text.
import type { PolicyView } from '../../../shared/ui-contract.js';
import type { I18n } from '../i18n/translator.js';
import { useI18n } from '../i18n/use-i18n.js';
import { formatDateTime } from '../format-time.js';
import { SafeText } from './safe-text.js';
import './policy-facts.css';

/** "IT's last valid policy (from 2 Dec 2026, 09:00:00) stays in force." */
export function policyBehaviourText(view: PolicyView, i18n: I18n): string {
  const time = formatDateTime(view.since ?? '', i18n, '');
  return i18n.t(`policy.behaviour.${view.behaviour}`, { time });
}

export function PolicyFacts({ view }: { view: PolicyView }) {
  const i18n = useI18n();
  const { t } = i18n;
  return (
    <>
      <p className="policy-behaviour" data-testid="policy-behaviour">
        {policyBehaviourText(view, i18n)}
      </p>
      {view.file && (
        <p className="policy-file">
          {t('policy.file')}{' '}
          <code className="mono">
            <SafeText text={view.file} />
          </code>
        </p>
      )}
      {view.problems.length > 0 && (
        <ul className="policy-problems" aria-label={t(view.state === 'warnings' ? 'policy.warningsLabel' : 'policy.problemsLabel')}>
          {view.problems.map((p, i) => (
            <li key={i}>
              {p.line !== undefined && <span className="policy-where">{t('policy.where', { line: p.line, column: p.column ?? 1 })} </span>}
              <code className="mono">
                <SafeText text={p.path} />
              </code>
              {': '}
              <SafeText text={p.message} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
