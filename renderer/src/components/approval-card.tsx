// One pending request: what it names, where it comes from, how long the agent will wait, and the
// three answers. Buttons ignore input for a moment after the card appears or moves (UX-NOTES #3).
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import type { ApprovalItem } from '../../../shared/ui-contract.js';
import { describeGrant } from '../describe-grant.js';
import { formatAge, formatTimeLeft } from '../format-time.js';
import { hasInvisible } from '../reveal-invisible.js';
import type { Decision } from '../store/companion-store.js';
import { useGracePeriod } from '../use-grace-period.js';
import { ActionTargetList } from './action-target-list.js';
import { DenyForm } from './deny-form.js';
import { SafeText } from './safe-text.js';

export interface ApprovalCardProps {
  item: ApprovalItem;
  index: number;
  /** Current time on the server's clock (ms). */
  now: number;
  busy: Decision | undefined;
  error: string | undefined;
  /** False while disconnected: what is shown may be stale. */
  connected: boolean;
  onDecide(decision: Decision, reason?: string): void;
}

const BUSY_TEXT: Record<Decision, string> = { approve: 'Approving…', deny: 'Denying…', hold: 'Holding…' };

export function ApprovalCard({ item, index, now, busy, error, connected, onDecide }: ApprovalCardProps) {
  const titleId = useId();
  const [denying, setDenying] = useState(false);
  const denyButton = useRef<HTMLButtonElement>(null);
  const settling = useGracePeriod(`${item.id}:${index}:${item.contentHash}`);
  const disabled = settling || busy !== undefined || !connected;

  const received = Date.parse(item.receivedAt);
  const timeLeft = formatTimeLeft(Date.parse(item.expiresAt), now);
  const { targets } = item;
  const suspicious = [item.toolName, item.cwd, ...targets.paths, targets.url, targets.query, targets.pattern, targets.mcp?.server, targets.mcp?.tool]
    .some((s) => s !== undefined && hasInvisible(s)) || (targets.command !== undefined && hasInvisible(targets.command, { multiline: true }));

  const onKeyDown = (e: KeyboardEvent) => {
    // Esc means "not now" (hold), never allow or deny.
    if (e.key === 'Escape' && !disabled && !item.held && !denying) {
      e.preventDefault();
      onDecide('hold');
    }
  };

  return (
    <article
      className={`card${item.held ? ' is-held' : ''}${settling ? ' is-settling' : ''}`}
      aria-labelledby={titleId}
      data-approval-id={item.id}
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <header className="card-head">
        <h3 id={titleId} className="card-tool">
          <SafeText text={item.toolName} />
        </h3>
        {item.held && <span className="badge badge-held">Held</span>}
        <span className={`card-deadline${timeLeft ? '' : ' is-expired'}`}>
          {timeLeft ?? 'Agent stopped waiting'}
        </span>
      </header>

      <p className="card-grant">{describeGrant(item.toolName, targets)}</p>
      {item.note && (
        <p className="card-note">
          <SafeText text={item.note} />
        </p>
      )}
      {suspicious && (
        <p className="card-warning">
          Contains hidden or direction-changing characters, shown as ⟨U+…⟩. Read it carefully.
        </p>
      )}

      <ActionTargetList targets={targets} />

      <dl className="card-meta">
        <div>
          <dt>Folder</dt>
          <dd><SafeText text={item.cwd} /></dd>
        </div>
        <div>
          <dt>Session</dt>
          <dd title={item.sessionId}>
            <SafeText text={item.sessionId.slice(0, 8)} />
          </dd>
        </div>
        <div>
          <dt>Received</dt>
          <dd>
            <time dateTime={item.receivedAt}>{formatAge(received, now)}</time>
          </dd>
        </div>
      </dl>

      {denying ? (
        <DenyForm
          disabled={disabled}
          describedBy={titleId}
          onDeny={(reason) => onDecide('deny', reason)}
          onCancel={() => {
            setDenying(false);
            requestAnimationFrame(() => denyButton.current?.focus());
          }}
        />
      ) : (
        <div className="card-actions">
          <button type="button" className="btn btn-approve" disabled={disabled} aria-describedby={titleId} onClick={() => onDecide('approve')}>
            {busy === 'approve' ? BUSY_TEXT.approve : 'Approve'}
          </button>
          <button
            ref={denyButton}
            type="button"
            className="btn btn-deny"
            disabled={disabled}
            aria-describedby={titleId}
            onClick={() => setDenying(true)}
          >
            Deny…
          </button>
          {!item.held && (
            <button type="button" className="btn btn-hold" disabled={disabled} aria-describedby={titleId} onClick={() => onDecide('hold')}>
              {busy === 'hold' ? BUSY_TEXT.hold : 'Hold'}
            </button>
          )}
        </div>
      )}
      {busy === 'deny' && <p className="card-status">{BUSY_TEXT.deny}</p>}
      {error && (
        <p className="card-error" role="alert">
          {error}
        </p>
      )}
    </article>
  );
}
