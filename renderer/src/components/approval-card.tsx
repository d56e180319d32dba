// One pending request: what it names, where it comes from, how long the agent will wait, and the
// answers: approve once, allow for this run, always allow (an editable rule), deny with a reason,
// hold. Buttons and shortcuts ignore input for a moment after the card appears or moves.
// Memoised, with the clock in small children: when a snapshot arrives or the clock ticks, a card that
// shows the same is not drawn again (card-slot.tsx passes it stable props).
import { memo, useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { useShallow } from 'zustand/shallow';
import type { ApprovalItem } from '../../../shared/ui-contract.js';
import { describeGrant } from '../describe-grant.js';
import { describeRule } from '../describe-rule.js';
import { formatWallTime } from '../format-time.js';
import { useI18n } from '../i18n/use-i18n.js';
import { translateCoreText } from '../i18n/core-text.js';
import { CARD_ACTIONS, keyContext, shortcutFor } from '../keyboard-shortcuts.js';
import { hasInvisible } from '../reveal-invisible.js';
import { useCompanionStore, type Busy, type Decision, type DecideOptions } from '../store/companion-store.js';
import { useGracePeriod } from '../use-grace-period.js';
import { ActionTargetList } from './action-target-list.js';
import { ApprovalDetails } from './approval-details.js';
import { CardActions } from './card-actions.js';
import { CardDeadline } from './card-deadline.js';
import { ChangePreview } from './change-preview.js';
import { DenyForm } from './deny-form.js';
import { LockedBy } from './locked-by.js';
import { RuleEditor, type RuleEditorProps } from './rule-editor.js';
import { SafeText } from './safe-text.js';
import { TimeAgo } from './time-ago.js';
import { ErrorNote } from './error-note.js';
import './approval-card.css';

export interface ApprovalCardProps {
  /** The same object while the request is unchanged (the store keeps it between snapshots). */
  item: ApprovalItem;
  /** Place on screen: a card that moves gets a new grace period. */
  index: number;
  busy: Busy | undefined;
  error: string | undefined;
  /** Told whether the person is in the middle of something here (a form or the details open), so
   *  a long list keeps this card drawn when it scrolls away. Must be stable. */
  onEngaged?(engaged: boolean): void;
}

type Mode = 'answer' | 'deny' | 'rule' | 'deny-rule';

export const ApprovalCard = memo(function ApprovalCard({ item, index, busy, error, onEngaged }: ApprovalCardProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const titleId = useId();
  const detailsId = useId();
  const runGrantId = useId();
  // False while disconnected: what is shown may be stale.
  const connected = useCompanionStore((s) => s.connection === 'live');
  const decide = useCompanionStore((s) => s.decide);
  const [mode, setMode] = useState<Mode>('answer');
  const [details, setDetails] = useState(false);
  const denyButton = useRef<HTMLButtonElement>(null);
  const alwaysButton = useRef<HTMLButtonElement>(null);
  // A new preview revision (the file changed on disk under the card) is a changed card too.
  const settling = useGracePeriod(`${item.id}:${index}:${item.contentHash}:${item.preview?.revision ?? ''}`);
  const disabled = settling || busy !== undefined || !connected;
  // IT's policy may turn person-made rules off (allowPersonalRules): then no grant and no rule editor.
  const personalRules = useCompanionStore((s) => s.snapshot?.settings.personalRules ?? true);
  const rule = personalRules ? item.proposedRule : undefined;
  const onDecide = (decision: Decision, options?: DecideOptions) => void decide(decision, item, options);
  const engaged = mode !== 'answer' || details;
  useEffect(() => onEngaged?.(engaged), [onEngaged, engaged]);

  const { targets } = item;
  const suspicious =
    [item.toolName, item.cwd, ...targets.paths, targets.url, targets.query, targets.pattern, targets.mcp?.server, targets.mcp?.tool].some(
      (s) => s !== undefined && hasInvisible(s),
    ) ||
    (targets.command !== undefined && hasInvisible(targets.command, { multiline: true }));

  const backTo = (button: RefObject<HTMLButtonElement | null>) => {
    setMode('answer');
    requestAnimationFrame(() => button.current?.focus());
  };

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const action = shortcutFor(e, keyContext(e.target));
    if (!action || !CARD_ACTIONS.has(action)) return;
    // Recognised even when it cannot apply now, so the browser does not act on it (Alt+D).
    e.preventDefault();
    if (action === 'details') {
      setDetails(!details);
      return;
    }
    if (disabled || mode !== 'answer') return;
    if (action === 'approve') onDecide('approve');
    else if (action === 'approve-run' && rule) onDecide('approve', { grant: 'run' });
    else if (action === 'deny') setMode('deny');
    // Esc means "not now" (hold), never allow or deny.
    else if (action === 'hold' && !item.held) onDecide('hold');
  };

  const busyText =
    busy === 'approve' || busy === 'approve-run' || busy === 'approve-always' ? t('card.approving') : busy === 'hold' ? t('card.holding') : undefined;

  return (
    <article
      className={`card panel${item.held ? ' is-held' : ''}${settling ? ' is-settling' : ''}`}
      aria-labelledby={titleId}
      aria-keyshortcuts="Alt+A Alt+R Alt+D Escape Enter"
      data-approval-id={item.id}
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <header className="card-head">
        <h4 id={titleId} className="card-tool">
          <SafeText text={item.toolName} />
        </h4>
        {item.held && <span className="badge badge-held">{t('card.held')}</span>}
        {item.isRead && <span className="badge badge-read">{t('card.read')}</span>}
        {item.duplicates > 0 && (
          <span className="badge badge-dup" title={t('card.duplicatesHint')}>
            {i18n.plural('card.duplicates', item.duplicates)}
          </span>
        )}
        <CardDeadline expiresAt={item.expiresAt} agentWaiting={item.agentWaiting} onTimeout={item.onTimeout} heldUntil={item.held ? item.heldUntil : undefined} />
      </header>

      <p className="card-grant">{describeGrant(item.toolName, targets, i18n)}</p>
      {item.note && (
        <p className="card-note">
          <SafeText text={translateCoreText(item.note, i18n)} />
        </p>
      )}
      {item.sandbox && (
        <p className={`card-sandbox ${item.sandbox.sandboxed ? 'card-sandboxed' : 'card-unsandboxed callout'}`} data-testid="card-sandbox">
          {item.sandbox.sandboxed ? (
            <>
              <SafeText text={item.sandbox.writable.length > 0 ? t('card.sandboxed', { paths: item.sandbox.writable.join(', ') }) : t('card.sandboxedNowhere')} />
              {item.sandbox.cwdWritable && (
                <>
                  {' '}
                  <SafeText text={t('card.sandboxedCwd', { cwd: item.sandbox.cwdWritable })} />
                </>
              )}
            </>
          ) : (
            <>
              {t('card.notSandboxed')}
              {item.sandbox.reason && (
                <>
                  {' '}
                  <SafeText text={t('card.notSandboxedWhy', { reason: translateCoreText(item.sandbox.reason, i18n) })} />
                </>
              )}
            </>
          )}
        </p>
      )}
      {!item.agentWaiting && <p className="card-away callout">{t(item.held ? 'card.heldAway' : 'card.away')}</p>}
      {!item.agentWaiting && item.told && (
        // What the agent was actually answered (also after a restart): its own words, so a person can tell what it knows.
        <p className="card-note card-told" data-testid="card-told">
          {t('card.told', { time: formatWallTime(Date.parse(item.told.at), Date.now(), i18n) })} <SafeText text={item.told.message} />
        </p>
      )}
      {suspicious && <p className="card-warning callout">{t('card.hiddenWarning')}</p>}

      <ActionTargetList targets={targets} expanded={details} />
      <ChangePreview item={item} />

      <dl className="card-meta">
        <div>
          <dt>{t('card.folder')}</dt>
          <dd>
            <SafeText text={item.cwd} />
          </dd>
        </div>
        <div>
          <dt>{t('card.session')}</dt>
          <dd title={item.sessionId}>
            <SafeText text={item.sessionId.slice(0, 8)} />
          </dd>
        </div>
        <div>
          <dt>{t('card.received')}</dt>
          <dd>
            <TimeAgo iso={item.receivedAt} />
          </dd>
        </div>
      </dl>

      {details && <ApprovalDetails item={item} id={detailsId} />}

      {mode === 'deny' ? (
        <DenyForm
          disabled={disabled}
          describedBy={titleId}
          onDeny={(reason) => onDecide('deny', { reason })}
          onCancel={() => backTo(denyButton)}
          // A deny or ask rule only tightens, so it is offered also while IT turns person-made allow rules off.
          {...(item.proposedRule ? { onAlwaysDeny: () => setMode('deny-rule') } : {})}
        />
      ) : mode === 'deny-rule' && item.proposedRule ? (
        <FolderRuleEditor
          proposed={item.proposedRule}
          denying
          disabled={disabled}
          describedBy={titleId}
          onSave={(edited) => onDecide('deny', { grant: 'always', rule: edited })}
          onCancel={() => backTo(denyButton)}
        />
      ) : mode === 'rule' && rule ? (
        <FolderRuleEditor
          proposed={rule}
          disabled={disabled}
          describedBy={titleId}
          onSave={(edited) => onDecide('approve', { grant: 'always', rule: edited })}
          onCancel={() => backTo(alwaysButton)}
        />
      ) : (
        <>
          <CardActions
            titleId={titleId}
            runGrantId={runGrantId}
            detailsId={detailsId}
            disabled={disabled}
            busy={busy}
            held={item.held}
            canGrant={rule !== undefined}
            details={details}
            denyButton={denyButton}
            alwaysButton={alwaysButton}
            onApprove={() => onDecide('approve')}
            onApproveRun={() => onDecide('approve', { grant: 'run' })}
            onAlways={() => setMode('rule')}
            onDeny={() => setMode('deny')}
            onHold={() => onDecide('hold')}
            onToggleDetails={() => setDetails(!details)}
          />
          {rule ? (
            <p id={runGrantId} className="card-run-grant">
              <span className="card-run-grant-label">{t('details.runGrant')}:</span> {describeRule(rule, 'run', i18n)}
            </p>
          ) : !personalRules ? (
            <p className="card-run-grant" data-testid="card-no-rule">
              {t('card.noRule.policy')} <LockedBy policyKey="allowPersonalRules" />
            </p>
          ) : (
            <p className="card-run-grant" data-testid="card-no-rule">
              {t(item.noRuleReason ? `card.noRule.${item.noRuleReason}` : 'card.noRule')}
            </p>
          )}
        </>
      )}
      {busy === 'deny' && <p className="card-status">{t('card.denying')}</p>}
      {busyText && mode !== 'answer' && <p className="card-status">{busyText}</p>}
      <ErrorNote>{error}</ErrorNote>
    </article>
  );
});

/** The rule editor with the shared folders a rule may be limited to (read only while it is open). */
function FolderRuleEditor(props: Omit<RuleEditorProps, 'folders'>) {
  const folders = useCompanionStore(useShallow((s) => s.snapshot?.scope.folders.map((f) => f.path) ?? []));
  return <RuleEditor {...props} folders={folders} />;
}
