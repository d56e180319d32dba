// One remembered rule: what it does (allow, deny or ask), what it covers, its scope, lifetime, origin, when it was made and how often it
// matched. A person's rule is revoked with one click and an inline confirmation; a policy rule is
// locked (no revoke) and says whom to contact.
import { useEffect, useRef, useState } from 'react';
import type { Rule } from '../../../shared/ui-contract.js';
import { describeMatch, ruleSentence } from '../describe-rule.js';
import { useI18n } from '../i18n/use-i18n.js';
import { revealInvisible } from '../reveal-invisible.js';
import { useCompanionStore } from '../store/companion-store.js';
import { SafeText } from './safe-text.js';
import { LockIcon } from './lock-icon.js';
import { LockedBy } from './locked-by.js';
import { ErrorNote } from './error-note.js';
import './rule-row.css';

export interface RuleRowProps {
  rule: Rule;
  now: number;
  organization?: { name: string; contact?: string };
  /** After a revoke, where focus goes (the row is about to disappear). */
  onRevoked(): void;
}

export function RuleRow({ rule, now, organization, onRevoked }: RuleRowProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const call = useCompanionStore((s) => s.call);
  const connected = useCompanionStore((s) => s.connection === 'live');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const keep = useRef<HTMLButtonElement>(null);
  const revoke = useRef<HTMLButtonElement>(null);
  const sentence = ruleSentence(rule, i18n);
  const created = Date.parse(rule.createdAt);
  const last = rule.lastMatchedAt ? Date.parse(rule.lastMatchedAt) : NaN;

  useEffect(() => {
    if (confirming) keep.current?.focus();
  }, [confirming]);

  const cancel = () => {
    setConfirming(false);
    requestAnimationFrame(() => revoke.current?.focus());
  };
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await call('revokeRule', { id: rule.id });
      onRevoked();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };

  const origin =
    rule.origin === 'policy'
      ? organization
        ? t('rules.origin.policyNamed', { org: organization.name })
        : t('rules.origin.policy')
      : t('rules.origin.person');

  return (
    <li className={`rule${rule.locked ? ' is-locked' : ''}${rule.offByPolicy ? ' is-off' : ''}`} data-rule-id={rule.id}>
      <p className="rule-sentence">{sentence}</p>
      <dl className="rule-facts">
        <div>
          <dt>{t('rules.effect')}</dt>
          <dd>
            <span className={`rule-effect rule-effect-${rule.effect}`} data-testid="rule-effect">
              {t(`rules.effect.${rule.effect}`)}
            </span>
          </dd>
        </div>
        <div>
          <dt>{t('rules.tool')}</dt>
          <dd>
            <code className="mono">
              <SafeText text={rule.toolName} />
            </code>
          </dd>
        </div>
        <div>
          <dt>{t('rules.match')}</dt>
          <dd>{describeMatch(rule.match, i18n)}</dd>
        </div>
        <div>
          <dt>{t('rules.folder')}</dt>
          <dd>{rule.folder ? <SafeText text={rule.folder} /> : t('rules.anyFolder')}</dd>
        </div>
        <div>
          <dt>{t('rules.lifetime')}</dt>
          <dd>{rule.lifetime === 'run' ? t('rules.lifetime.run', { id: revealInvisible((rule.sessionId ?? '').slice(0, 8)) }) : t('rules.lifetime.always')}</dd>
        </div>
        <div>
          <dt>{t('rules.origin')}</dt>
          <dd>
            {rule.locked && <LockIcon />}
            {origin}
          </dd>
        </div>
        <div>
          <dt>{t('rules.created')}</dt>
          <dd>
            {Number.isFinite(created) ? (
              <time dateTime={rule.createdAt}>{i18n.dateTime(created)}</time>
            ) : rule.origin === 'policy' ? (
              t('rules.createdByPolicy')
            ) : (
              <SafeText text={rule.createdAt} />
            )}
          </dd>
        </div>
        <div>
          <dt>{t('rules.hits')}</dt>
          <dd>{i18n.plural('rules.hitCount', rule.hits)}</dd>
        </div>
        <div>
          <dt>{t('rules.lastMatch')}</dt>
          <dd>{Number.isFinite(last) ? <time dateTime={rule.lastMatchedAt}>{i18n.relative(last, now)}</time> : t('rules.never')}</dd>
        </div>
      </dl>

      {rule.offByPolicy && (
        <p className="rule-off" data-testid="rule-off">
          {t('rules.offByPolicy')} <LockedBy policyKey="allowPersonalRules" />
        </p>
      )}
      {rule.locked ? (
        <p className="rule-lock">
          <LockedBy policyKey="rules" />
        </p>
      ) : confirming ? (
        <div
          className="rule-confirm"
          role="group"
          aria-label={t('rules.revokeLabel', { sentence })}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              cancel();
            }
          }}
        >
          <p>{t('rules.confirm')}</p>
          <div className="card-actions">
            <button type="button" className="btn btn-deny-confirm" disabled={busy || !connected} onClick={() => void confirm()}>
              {t('rules.confirmYes')}
            </button>
            <button ref={keep} type="button" className="btn btn-hold" onClick={cancel}>
              {t('rules.confirmNo')}
            </button>
          </div>
        </div>
      ) : (
        <div className="card-actions">
          <button
            ref={revoke}
            type="button"
            className="btn btn-deny"
            aria-label={t('rules.revokeLabel', { sentence })}
            disabled={!connected}
            onClick={() => setConfirming(true)}
          >
            {t('rules.revoke')}
          </button>
        </div>
      )}
      <ErrorNote>{error}</ErrorNote>
    </li>
  );
}
