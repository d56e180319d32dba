// Deny with an optional reason; the agent reads the reason, so it is worth a sentence.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n/use-i18n.js';
import './deny-form.css';

export const REASON_MAX = 2000;

export interface DenyFormProps {
  disabled: boolean;
  /** Id of the card title, so the buttons say which request they answer. */
  describedBy: string;
  onDeny(reason: string): void;
  onCancel(): void;
  /** Opens "Always deny…" (the rule editor with deny or ask); absent when no rule can cover the request. */
  onAlwaysDeny?: () => void;
}

export function DenyForm({ disabled, describedBy, onDeny, onCancel, onAlwaysDeny }: DenyFormProps) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const fieldId = useId();
  const keysId = useId();
  const field = useRef<HTMLTextAreaElement>(null);
  // The person just pressed "Deny…" (or Alt+D) in this window, so moving focus here is expected.
  useEffect(() => field.current?.focus(), []);

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (!disabled) onDeny(reason);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onCancel();
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit();
    }
  };

  return (
    <form className="deny-form" onSubmit={submit}>
      <label htmlFor={fieldId} className="deny-label">
        {t('deny.reason')} <span className="deny-hint">{t('deny.hint')}</span>
      </label>
      <textarea
        id={fieldId}
        ref={field}
        className="deny-reason input"
        rows={2}
        maxLength={REASON_MAX}
        value={reason}
        placeholder={t('deny.placeholder')}
        aria-describedby={keysId}
        aria-keyshortcuts="Control+Enter Meta+Enter Escape"
        onChange={(e) => setReason(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <p id={keysId} className="keys-inline">
        {t('deny.keys')}
      </p>
      <div className="card-actions">
        <button type="submit" className="btn btn-deny-confirm" disabled={disabled} aria-describedby={describedBy}>
          {t('deny.confirm')}
        </button>
        {onAlwaysDeny && (
          <button type="button" className="btn btn-grant" disabled={disabled} aria-describedby={describedBy} onClick={onAlwaysDeny}>
            {t('card.alwaysDeny')}
          </button>
        )}
        <button type="button" className="btn btn-hold" onClick={onCancel}>
          {t('deny.cancel')}
        </button>
      </div>
    </form>
  );
}
