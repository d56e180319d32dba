// The pending approvals, grouped by run, in a stable order: new requests go to the end of their run,
// new runs to the end of the list, never above the card being read. When a decided card leaves,
// focus moves to the card that takes its place. The whole inbox works from the keyboard.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { displayIds, groupByRun } from '../group-by-run.js';
import { useI18n } from '../i18n/use-i18n.js';
import { CARD_SELECTOR, keyContext, shortcutFor } from '../keyboard-shortcuts.js';
import { useCompanionStore } from '../store/companion-store.js';
import { useNow } from '../use-now.js';
import { ApprovalCard } from './approval-card.js';
import { RunGroup } from './run-group.js';
import { ShortcutsPanel } from './shortcuts-panel.js';

export function Inbox() {
  const { t } = useI18n();
  const snapshot = useCompanionStore((s) => s.snapshot);
  const order = useCompanionStore((s) => s.order);
  const runOrder = useCompanionStore((s) => s.runOrder);
  const busy = useCompanionStore((s) => s.busy);
  const errors = useCompanionStore((s) => s.errors);
  const offset = useCompanionStore((s) => s.clockOffsetMs);
  const connected = useCompanionStore((s) => s.connection === 'live');
  const decide = useCompanionStore((s) => s.decide);
  const now = useNow() + offset;
  const panelId = useId();

  const list = useRef<HTMLDivElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const [focused, setFocused] = useState<{ id: string; index: number } | null>(null);
  const [help, setHelp] = useState(false);

  const groups = useMemo(
    () => (snapshot ? groupByRun(runOrder, order, snapshot.pending, snapshot.pausedRuns) : []),
    [snapshot, runOrder, order],
  );
  const ids = useMemo(() => displayIds(groups), [groups]);
  const folders = useMemo(() => snapshot?.scope.folders.map((f) => f.path) ?? [], [snapshot]);

  useEffect(() => {
    if (!focused || ids.includes(focused.id)) return;
    const active = document.activeElement;
    if (active && active !== document.body) return;
    const cards = list.current?.querySelectorAll<HTMLElement>(CARD_SELECTOR);
    const next = cards?.[Math.min(focused.index, cards.length - 1)];
    // The card itself, not a button: a stray Enter must not answer the next request.
    (next ?? heading.current)?.focus();
    setFocused(null);
  }, [ids, focused]);

  // Moving between cards and the help panel; a card answers its own shortcuts (approval-card.tsx).
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const action = shortcutFor(e, keyContext(e.target));
      if (action === 'help') {
        e.preventDefault();
        setHelp((open) => !open);
      } else if (action === 'next' || action === 'previous') {
        const cards = [...(list.current?.querySelectorAll<HTMLElement>(CARD_SELECTOR) ?? [])];
        if (cards.length === 0) return;
        e.preventDefault();
        const current = document.activeElement?.closest<HTMLElement>(CARD_SELECTOR);
        const at = current ? cards.indexOf(current) : -1;
        const step = action === 'next' ? 1 : -1;
        const target = at < 0 ? (step > 0 ? cards[0] : cards.at(-1)) : cards[Math.max(0, Math.min(cards.length - 1, at + step))];
        target?.focus();
        target?.scrollIntoView({ block: 'nearest' });
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  if (!snapshot) return null;
  let index = 0;

  return (
    <section className="inbox" aria-labelledby="inbox-title">
      <h2 id="inbox-title" className="section-title" ref={heading} tabIndex={-1}>
        {t('inbox.title')}
      </h2>
      <p className="keys-hint">
        <span>{t('inbox.keysHint')}</span>
        <button type="button" className="btn-link" aria-expanded={help} aria-controls={help ? panelId : undefined} aria-keyshortcuts="?" onClick={() => setHelp(!help)}>
          {t('keys.title')} <kbd aria-hidden="true">?</kbd>
        </button>
      </p>
      {help && <ShortcutsPanel id={panelId} onClose={() => setHelp(false)} />}
      {groups.length === 0 ? (
        <div className="empty">
          <p className="empty-title">{t('inbox.emptyTitle')}</p>
          <p className="empty-hint">{t('inbox.emptyHint')}</p>
        </div>
      ) : (
        <div
          className="runs"
          ref={list}
          onFocus={(e) => {
            const card = (e.target as HTMLElement).closest<HTMLElement>(CARD_SELECTOR);
            const id = card?.dataset.approvalId;
            if (id) setFocused({ id, index: ids.indexOf(id) });
          }}
        >
          {groups.map((group) => (
            <RunGroup key={group.sessionId} group={group} now={now} connected={connected}>
              {group.items.map((item) => (
                <li key={item.id}>
                  <ApprovalCard
                    item={item}
                    index={index++}
                    now={now}
                    busy={busy[item.id]}
                    error={errors[item.id]}
                    connected={connected}
                    folders={folders}
                    onDecide={(decision, options) => void decide(decision, item, options)}
                  />
                </li>
              ))}
            </RunGroup>
          ))}
        </div>
      )}
    </section>
  );
}
