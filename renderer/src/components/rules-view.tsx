// The Rules page: every remembered rule, searchable, newest first, so people can see what they allowed. Revoking is one
// click plus an inline confirmation; rules set by the organisation are locked.
import { useMemo, useRef, useState } from 'react';
import { ruleMatchesQuery } from '../describe-rule.js';
import { useI18n } from '../i18n/use-i18n.js';
import { useCompanionStore } from '../store/companion-store.js';
import { useNow } from '../use-now.js';
import { LockedBy } from './locked-by.js';
import { RuleRow } from './rule-row.js';
import { TitledSection } from './titled-section.js';
import './rules-view.css';

export function RulesView() {
  const i18n = useI18n();
  const { t } = i18n;
  const rules = useCompanionStore((s) => s.snapshot?.rules);
  const organization = useCompanionStore((s) => s.snapshot?.scope.organization);
  const personalRules = useCompanionStore((s) => s.snapshot?.settings.personalRules ?? true);
  const offset = useCompanionStore((s) => s.clockOffsetMs);
  const now = useNow(15_000) + offset;
  const [query, setQuery] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);

  // The organisation's rules first (they win when both match), then the newest of the person's.
  const sorted = useMemo(
    () =>
      [...(rules ?? [])].sort(
        (a, b) => Number(b.origin === 'policy') - Number(a.origin === 'policy') || (Date.parse(b.createdAt) || 0) - (Date.parse(a.createdAt) || 0),
      ),
    [rules],
  );
  if (!rules) return null;
  const shown = sorted.filter((r) => ruleMatchesQuery(r, query, i18n));

  return (
    <TitledSection id="rules-title" className="rules" title={t('rules.title')} intro={t('rules.intro')} headingRef={heading} focusable>
      {!personalRules && (
        <div className="rules-off callout" data-testid="rules-personal-off">
          <p className="rules-off-title">{t('rules.personalOffTitle')}</p>
          <p>{t('rules.personalOffBody')}</p>
          <p className="field-hint">
            <LockedBy policyKey="allowPersonalRules" />
          </p>
        </div>
      )}
      {rules.length === 0 ? (
        <div className="empty">
          <p className="empty-title">{t('rules.emptyTitle')}</p>
          {/* While IT turns person-made rules off, the card buttons this hint names are not offered. */}
          {personalRules && <p className="empty-hint">{t('rules.emptyHint')}</p>}
        </div>
      ) : (
        <>
          <div className="rules-search">
            <input
              type="search"
              className="input"
              aria-label={t('rules.search')}
              placeholder={t('rules.searchPlaceholder')}
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              spellCheck={false}
              autoComplete="off"
            />
            <span className="rules-count" role="status">
              {i18n.plural('rules.shown', shown.length)}
            </span>
          </div>
          {shown.length === 0 ? (
            <p className="recent-empty">{t('rules.noMatch', { query: query.trim() })}</p>
          ) : (
            <ul className="rule-list">
              {shown.map((rule) => (
                <RuleRow key={rule.id} rule={rule} now={now} organization={organization} onRevoked={() => heading.current?.focus()} />
              ))}
            </ul>
          )}
        </>
      )}
    </TitledSection>
  );
}
