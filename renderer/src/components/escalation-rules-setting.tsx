// Settings → Escalation rules: IT's (locked, with who set them) and the person's own, which they add
// and remove here where IT's policy lets them (`escalation.allowPersonalRules`). A person's rule only
// ever notifies, holds or stops a run; the core checks every list it is sent (ids, limits) again.
import { useId, useState } from 'react';
import { ESCALATION_ACTIONS, ESCALATION_MAX_AT_LEAST, ESCALATION_MAX_WINDOW_MINUTES, ESCALATION_SIGNALS, ruleCondition, type EscalationAction, type EscalationRule, type EscalationSignalKind } from '../../../shared/escalation-contract.js';
import type { I18n } from '../i18n/translator.js';
import { useI18n } from '../i18n/use-i18n.js';
import { useCompanionStore } from '../store/companion-store.js';
import { ErrorNote } from './error-note.js';
import { LockedBy } from './locked-by.js';
import { SafeText } from './safe-text.js';
import './escalation-rules-setting.css';

/** "Hold the run: 3 or more tool errors within 5 min", in the person's language. */
export function escalationRuleText(rule: EscalationRule, i18n: Pick<I18n, 't'>): string {
  const c = ruleCondition(rule);
  const params = { count: c.atLeast, minutes: c.withinMinutes };
  const when = c.kind === 'outOfScope' && c.highOnly && rule.when.outOfScope?.atLeast === undefined ? i18n.t('escalation.when.outOfScopeHigh', params) : i18n.t(`escalation.when.${c.kind}`, params);
  return i18n.t('escalation.ruleText', { action: i18n.t(`escalation.action.${rule.action}`), when });
}

export function EscalationRulesSetting() {
  const i18n = useI18n();
  const { t } = i18n;
  const rules = useCompanionStore((s) => s.snapshot?.escalationRules);
  const call = useCompanionStore((s) => s.call);
  const connected = useCompanionStore((s) => s.connection === 'live');
  const [kind, setKind] = useState<EscalationSignalKind>('toolErrors');
  const [atLeast, setAtLeast] = useState(3);
  const [minutes, setMinutes] = useState(5);
  const [action, setAction] = useState<EscalationAction>('notify');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const ids = { kind: useId(), atLeast: useId(), minutes: useId(), action: useId(), off: useId() };
  if (!rules) return null;

  const save = async (next: EscalationRule[]) => {
    setBusy(true);
    setError(undefined);
    try {
      await call('setEscalationRules', { rules: next });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const add = () => {
    const taken = new Set([...rules.policy, ...rules.personal].map((r) => r.id));
    let n = rules.personal.length + 1;
    while (taken.has(`mine-${n}`)) n += 1;
    void save([...rules.personal, { id: `mine-${n}`, when: { [kind]: { atLeast, withinMinutes: minutes } }, action }]);
  };
  const disabled = !connected || busy || !rules.personalAllowed;

  return (
    <div className="evidence-card panel" aria-labelledby="settings-escalation" data-testid="settings-escalation">
      <h3 id="settings-escalation" className="subsection-title">
        {t('settings.escalation.title')}
      </h3>
      <p className="field-hint">{t('settings.escalation.hint')}</p>
      {rules.policy.length === 0 && rules.personal.length === 0 && <p>{t('settings.escalation.none')}</p>}
      {rules.policy.length > 0 && (
        <ul className="escalation-rule-list" data-testid="escalation-policy-rules">
          {rules.policy.map((r) => (
            <li key={r.id}>
              <SafeText text={`${r.title ?? r.id} — ${escalationRuleText(r, i18n)}`} /> <LockedBy policyKey="escalation.rules" />
            </li>
          ))}
        </ul>
      )}
      {rules.personal.length > 0 && (
        <>
          <p>
            <strong>{t('settings.escalation.yours')}</strong>
          </p>
          <ul className="escalation-rule-list" data-testid="escalation-personal-rules">
            {rules.personal.map((r) => (
              <li key={r.id}>
                <SafeText text={`${r.title ?? r.id} — ${escalationRuleText(r, i18n)}`} />{' '}
                <button type="button" className="btn" aria-label={t('settings.escalation.removeLabel', { rule: r.id })} disabled={!connected || busy} onClick={() => void save(rules.personal.filter((x) => x.id !== r.id))}>
                  {t('settings.escalation.remove')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {rules.personalAllowed ? (
        <form
          className="escalation-rule-form"
          onSubmit={(e) => {
            e.preventDefault();
            add();
          }}
        >
          <div className="field">
            <label htmlFor={ids.kind}>{t('settings.escalation.condition')}</label>
            <select id={ids.kind} className="select" value={kind} disabled={disabled} onChange={(e) => setKind(e.target.value as EscalationSignalKind)}>
              {ESCALATION_SIGNALS.map((k) => (
                <option key={k} value={k}>
                  {t(`settings.escalation.kind.${k}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.atLeast}>{t('settings.escalation.atLeast')}</label>
            <input id={ids.atLeast} className="input" type="number" min={1} max={ESCALATION_MAX_AT_LEAST} value={atLeast} disabled={disabled} onChange={(e) => setAtLeast(Math.max(1, Math.min(ESCALATION_MAX_AT_LEAST, Math.trunc(Number(e.target.value) || 1))))} />
          </div>
          <div className="field">
            <label htmlFor={ids.minutes}>{t('settings.escalation.minutes')}</label>
            <input id={ids.minutes} className="input" type="number" min={1} max={ESCALATION_MAX_WINDOW_MINUTES} value={minutes} disabled={disabled} onChange={(e) => setMinutes(Math.max(1, Math.min(ESCALATION_MAX_WINDOW_MINUTES, Math.trunc(Number(e.target.value) || 1))))} />
          </div>
          <div className="field">
            <label htmlFor={ids.action}>{t('settings.escalation.action')}</label>
            <select id={ids.action} className="select" value={action} disabled={disabled} onChange={(e) => setAction(e.target.value as EscalationAction)}>
              {ESCALATION_ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {t(`escalation.action.${a}`)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="btn" disabled={disabled}>
            {t('settings.escalation.add')}
          </button>
        </form>
      ) : (
        <p className="field-hint" id={ids.off}>
          {t('settings.escalation.off')} <LockedBy policyKey="escalation.allowPersonalRules" />
        </p>
      )}
      <ErrorNote>{error}</ErrorNote>
    </div>
  );
}
