// The scope: folders agents may touch (everything else is out of scope), who set them, and the
// locations no agent may ever reach.
import { translateCoreText } from '../i18n/core-text.js';
import { useI18n } from '../i18n/use-i18n.js';
import { useCompanionStore } from '../store/companion-store.js';
import { useNow } from '../use-now.js';
import { AddFolderForm } from './add-folder-form.js';
import { policyBehaviourText } from './policy-facts.js';
import { SafeText } from './safe-text.js';
import { SandboxedBashToggle } from './sandboxed-bash-toggle.js';
import { SharedFolderRow } from './shared-folder-row.js';
import { LockIcon } from './lock-icon.js';
import { LockedBy, usePolicySets } from './locked-by.js';
import { TitledSection } from './titled-section.js';
import './shared-folders.css';

export function SharedFolders() {
  const i18n = useI18n();
  const { t } = i18n;
  const scope = useCompanionStore((s) => s.snapshot?.scope);
  const policy = useCompanionStore((s) => s.snapshot?.policy);
  const sandbox = useCompanionStore((s) => s.snapshot?.sandbox);
  const forbiddenLocked = usePolicySets('forbiddenPaths');
  const offset = useCompanionStore((s) => s.clockOffsetMs);
  const now = useNow(30_000) + offset;
  if (!scope) return null;
  const org = scope.organization;

  return (
    <TitledSection id="folders-title" className="folders" title={t('folders.title')} intro={t('folders.intro')}>
      {scope.policyError && policy && (
        <div className="banner banner-warn" role="alert">
          <strong>{t('folders.policyErrorTitle')}</strong> {policyBehaviourText(policy, i18n)} (
          <SafeText text={scope.policyError} />)
        </div>
      )}
      {org && (
        <p className="managed-by">
          <LockIcon />
          {org.contact ? t('folders.managedByContact', { org: org.name, contact: org.contact }) : t('folders.managedBy', { org: org.name })}
        </p>
      )}

      {scope.folders.length === 0 ? (
        <div className="empty">
          <p className="empty-title">{t('folders.emptyTitle')}</p>
          <p className="empty-hint">{t('folders.emptyHint')}</p>
        </div>
      ) : (
        <ul className="folder-list">
          {scope.folders.map((f) => (
            <SharedFolderRow key={f.path} folder={f} now={now} />
          ))}
        </ul>
      )}

      {scope.allowUserFolders ? <AddFolderForm allowedRoots={scope.allowedRoots} organization={org} /> : (
        <p className="managed-by">
          {t('folders.orgManages')} <LockedBy policyKey="allowUserFolders" />
        </p>
      )}

      {scope.forbidden.length > 0 && (
        <details className="forbidden">
          <summary>{t('folders.forbidden', { count: scope.forbidden.length })}</summary>
          <ul>
            {scope.forbidden.map((f) => (
              <li key={f.path}>
                <code className="mono">
                  <SafeText text={f.path} />
                </code>
                <span className="forbidden-reason">{f.reason}</span>
              </li>
            ))}
          </ul>
          {forbiddenLocked && <LockedBy policyKey="forbiddenPaths" />}
        </details>
      )}
      {sandbox && (
        <p className={`sandbox-status sandbox-${sandbox.state}`} data-testid="sandbox-status">
          {sandbox.state === 'enforced' ? (
            sandbox.writable.length > 0 ? (
              t('folders.sandbox.enforced', { paths: sandbox.writable.join(', ') })
            ) : (
              t('folders.sandbox.enforcedNowhere')
            )
          ) : (
            <>
              <SafeText text={t(sandbox.state === 'not-enforced' ? 'folders.sandbox.notEnforced' : 'folders.sandbox.notSetUp', { reason: translateCoreText(sandbox.reason ?? '', i18n) })} />
              {sandbox.fix && (
                <>
                  {' '}
                  <SafeText text={t('folders.sandbox.fix', { fix: sandbox.fix })} />
                </>
              )}
            </>
          )}
        </p>
      )}
      <SandboxedBashToggle />
      {scope.policySource && <p className="policy-source">{t('folders.policySource', { source: scope.policySource })}</p>}
    </TitledSection>
  );
}
