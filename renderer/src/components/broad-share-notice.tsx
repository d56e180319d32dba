// What sharing a broad folder means before it is shared (the reach in the chosen access, and the
// protected places inside, which stay blocked), with an explicit "Share anyway"; or, when IT refuses
// such folders, only that and who to ask. The core decides either way (confirmBroad).
import { useId } from 'react';
import type { BroadShare, ScopeMode, ScopeView } from '../../../shared/scope-contract.js';
import { useI18n } from '../i18n/use-i18n.js';
import { LockedBy } from './locked-by.js';
import { SafeText } from './safe-text.js';
import './broad-share-notice.css';

type Props = { broad: BroadShare; mode: ScopeMode; busy: boolean } & (
  | { refused: true; organization: ScopeView['organization'] }
  | { refused?: false; onConfirm: () => void; onCancel: () => void }
);

export function BroadShareNotice(props: Props) {
  const { t } = useI18n();
  const titleId = useId();
  const { broad, mode } = props;
  const org = props.refused ? props.organization : undefined;
  const title = !props.refused
    ? t('add.broad.title')
    : org?.contact
      ? t('add.broad.refusedContact', { org: org.name, contact: org.contact })
      : org
        ? t('add.broad.refusedBy', { org: org.name })
        : t('add.broad.refused');
  return (
    <div className="broad-share callout" role="alert" aria-labelledby={titleId} data-testid="broad-share">
      <p id={titleId} className="broad-share-title">
        {title}
      </p>
      {props.refused && (
        <p className="field-hint">
          <LockedBy policyKey="allowBroadShares" />
        </p>
      )}
      <p>{t(`add.broad.${broad.kind}.${mode}`)}</p>
      {broad.protectedInside.length > 0 && (
        <>
          <p>{t('add.broad.protectedList')}</p>
          <ul className="broad-share-protected">
            {broad.protectedInside.map((p) => (
              <li key={p.path}>
                <code className="mono">
                  <SafeText text={p.path} />
                </code>{' '}
                <span className="forbidden-reason">{p.reason}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {!props.refused && (
        <>
          <p>{t('add.broad.narrower')}</p>
          <div className="card-actions">
            <button type="button" className="btn btn-deny-confirm" disabled={props.busy} onClick={props.onConfirm}>
              {t('add.broad.shareAnyway')}
            </button>
            <button type="button" className="btn" disabled={props.busy} onClick={props.onCancel}>
              {t('add.broad.cancel')}
            </button>
          </div>
        </>
      )}
    </div>
  );
}
