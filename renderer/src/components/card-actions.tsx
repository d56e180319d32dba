// The answer buttons of a card: approve once, allow for this run, always allow (opens the rule
// editor), deny (opens the reason form), hold, and details. Each names the card it answers and,
// where it has one, its keyboard shortcut; the card owns what pressing one does.
import type { ReactNode, RefObject } from 'react';
import type { Busy } from '../store/companion-store.js';
import { useI18n } from '../i18n/use-i18n.js';

export interface CardActionsProps {
  titleId: string;
  runGrantId: string;
  detailsId: string;
  disabled: boolean;
  busy: Busy | undefined;
  held: boolean;
  /** A rule can be proposed for this request (run and always grants). */
  canGrant: boolean;
  details: boolean;
  denyButton: RefObject<HTMLButtonElement | null>;
  alwaysButton: RefObject<HTMLButtonElement | null>;
  onApprove(): void;
  onApproveRun(): void;
  onAlways(): void;
  onDeny(): void;
  onHold(): void;
  onToggleDetails(): void;
}

interface ActionButtonProps {
  kind: string;
  describedBy: string;
  /** aria-keyshortcuts value and the hint shown on hover. */
  shortcut?: { keys?: string; hint: string };
  disabled?: boolean;
  buttonRef?: RefObject<HTMLButtonElement | null>;
  expanded?: boolean;
  controls?: string;
  onClick(): void;
  children: ReactNode;
}

function ActionButton({ kind, describedBy, shortcut, disabled, buttonRef, expanded, controls, onClick, children }: ActionButtonProps) {
  return (
    <button
      ref={buttonRef}
      type="button"
      className={`btn ${kind}`}
      disabled={disabled}
      aria-describedby={describedBy}
      aria-keyshortcuts={shortcut?.keys}
      aria-expanded={expanded}
      aria-controls={controls}
      title={shortcut?.hint}
      onClick={onClick}
    >
      {children}
    </button>
  );
}

export function CardActions(p: CardActionsProps) {
  const { t } = useI18n();
  const approving = (b: Busy) => (p.busy === b ? t('card.approving') : undefined);
  return (
    <div className="card-actions">
      <ActionButton kind="btn-approve" describedBy={p.titleId} shortcut={{ keys: 'Alt+A', hint: 'Alt+A' }} disabled={p.disabled} onClick={p.onApprove}>
        {approving('approve') ?? t('card.approveOnce')}
      </ActionButton>
      {p.canGrant && (
        <>
          <ActionButton kind="btn-grant" describedBy={`${p.runGrantId} ${p.titleId}`} shortcut={{ keys: 'Alt+R', hint: 'Alt+R' }} disabled={p.disabled} onClick={p.onApproveRun}>
            {approving('approve-run') ?? t('card.allowRun')}
          </ActionButton>
          <ActionButton kind="btn-grant" describedBy={p.titleId} buttonRef={p.alwaysButton} disabled={p.disabled} onClick={p.onAlways}>
            {approving('approve-always') ?? t('card.always')}
          </ActionButton>
        </>
      )}
      <ActionButton kind="btn-deny" describedBy={p.titleId} shortcut={{ keys: 'Alt+D', hint: 'Alt+D' }} buttonRef={p.denyButton} disabled={p.disabled} onClick={p.onDeny}>
        {t('card.deny')}
      </ActionButton>
      {!p.held && (
        <ActionButton kind="btn-hold" describedBy={p.titleId} shortcut={{ keys: 'Escape', hint: 'Esc' }} disabled={p.disabled} onClick={p.onHold}>
          {p.busy === 'hold' ? t('card.holding') : t('card.hold')}
        </ActionButton>
      )}
      {/* Details stay available while a decision is on its way: reading is never blocked. */}
      <ActionButton
        kind="btn-hold btn-details"
        describedBy={p.titleId}
        shortcut={{ hint: 'Enter' }}
        expanded={p.details}
        controls={p.details ? p.detailsId : undefined}
        onClick={p.onToggleDetails}
      >
        {t('card.details')}
        <span aria-hidden="true" className="chevron">
          {p.details ? '▴' : '▾'}
        </span>
      </ActionButton>
    </div>
  );
}
