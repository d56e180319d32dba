// Beside every setting IT's managed policy fixes: who set it, the policy key that sets it (what the
// person quotes to IT, and what IT searches its ADMX, profile or policy.json for) and whom to contact.
// A control it locks is disabled and points here with aria-describedby={id}.
import { useI18n } from '../i18n/use-i18n.js';
import { useCompanionStore } from '../store/companion-store.js';
import { LockIcon } from './lock-icon.js';
import './locked-by.css';

export interface LockedByProps {
  /** The setting's key in the managed policy, e.g. `approvals.timeoutSeconds` (see POLICY_SETTINGS). */
  policyKey: string;
  /** For the aria-describedby of the control it locks. */
  id?: string;
}

/** Whether a source of the managed policy in force sets `policyKey` (then the setting is locked). */
export function usePolicySets(policyKey: string): boolean {
  return useCompanionStore((s) => s.snapshot?.policy.setKeys?.includes(policyKey) ?? false);
}

export function LockedBy({ policyKey, id }: LockedByProps) {
  const { t } = useI18n();
  const org = useCompanionStore((s) => s.snapshot?.scope.organization);
  const name = org?.name.trim();
  const contact = org?.contact?.trim();
  return (
    <span id={id} className="locked-by" data-testid="locked-by" data-policy-key={policyKey}>
      <LockIcon />
      {name ? t('locked.setBy', { org: name }) : t('locked.setByUnnamed')}
      {' · '}
      {t('locked.policyKey')} <code className="mono locked-by-key">{policyKey}</code>
      {contact && (
        <>
          {' · '}
          {t('locked.contact', { contact })}
        </>
      )}
    </span>
  );
}
