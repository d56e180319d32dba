// Settings: the language of the window (kept by the core, so every window and the tray follow it), and
// how long requests wait for the person — with where that came from, locked when IT set it — and
// IT's policy: whether it is in force, and what is wrong with its file.
import { useId } from 'react';
import type { Language } from '../../../shared/ui-contract.js';
import { formatDuration } from '../format-time.js';
import { LANGUAGES, LANGUAGE_NAMES } from '../i18n/translator.js';
import { useI18n } from '../i18n/use-i18n.js';
import { useCompanionStore } from '../store/companion-store.js';
import { usePendingChoice } from '../use-pending-choice.js';
import { EscalationRulesSetting } from './escalation-rules-setting.js';
import { LockedBy } from './locked-by.js';
import { PassphraseSetting } from './passphrase-setting.js';
import { PolicyFacts } from './policy-facts.js';
import { StartAtLoginToggle } from './start-at-login-toggle.js';
import { TitledSection } from './titled-section.js';
import { ErrorNote } from './error-note.js';
import './evidence-view.css';
import './settings-view.css';

export function SettingsView() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const timing = useCompanionStore((s) => s.snapshot?.approvalTiming);
  const policy = useCompanionStore((s) => s.snapshot?.policy);
  const call = useCompanionStore((s) => s.call);
  const connected = useCompanionStore((s) => s.connection === 'live');
  const saved = useCompanionStore((s) => s.snapshot?.settings.language);
  // The window switches when the core's snapshot says so.
  const { pending, error, choose } = usePendingChoice(saved, (language: Language) => call('setLanguage', { language }));
  const ids = { language: useId(), hint: useId() };

  return (
    <TitledSection id="settings-title" className="settings" title={t('settings.title')}>
      <div className="evidence-card panel">
        <div className="field">
          <label htmlFor={ids.language}>{t('settings.language')}</label>
          <select
            id={ids.language}
            className="select settings-select"
            value={pending ?? saved ?? lang}
            disabled={!connected || pending !== undefined}
            aria-describedby={ids.hint}
            onChange={(e) => void choose(e.target.value as Language)}
          >
            {LANGUAGES.map((l) => (
              <option key={l} value={l} lang={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
          <p id={ids.hint} className="field-hint">
            {t('settings.languageHint')}
          </p>
        </div>
        <ErrorNote>{error}</ErrorNote>
      </div>
      <StartAtLoginToggle />
      {timing && (
        <div className="evidence-card panel" aria-labelledby="settings-timing">
          <h3 id="settings-timing" className="subsection-title">
            {t('settings.timing')}
          </h3>
          <p data-testid="approval-timing">
            {t(timing.onTimeout === 'hold' ? 'settings.timing.hold' : 'settings.timing.deny', { time: formatDuration(timing.timeoutSeconds * 1000, i18n) })}{' '}
            {t('settings.timing.never')}
          </p>
          <p data-testid="hold-timing">{t('settings.timing.holdHours', { time: formatDuration(timing.holdHours * 3_600_000, i18n) })}</p>
          {timing.fixedByPolicy.length > 0 ? (
            <ul className="field-hint locked-list" data-testid="timing-locked">
              {timing.fixedByPolicy.map((k) => (
                <li key={k}>
                  <LockedBy policyKey={`approvals.${k}`} />
                </li>
              ))}
            </ul>
          ) : null}
          {timing.source !== 'policy' && <p className="field-hint">{t(`settings.source.${timing.source}`)}</p>}
        </div>
      )}
      <EscalationRulesSetting />
      {policy && (
        <div className="evidence-card panel" aria-labelledby="settings-policy" data-testid="settings-policy">
          <h3 id="settings-policy" className="subsection-title">
            {t('settings.policy')}
          </h3>
          <p>{t(`policy.title.${policy.state}`)}</p>
          <PolicyFacts view={policy} />
        </div>
      )}
      <PassphraseSetting />
    </TitledSection>
  );
}
