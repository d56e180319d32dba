// The pending approvals, grouped by run, in a stable order: new requests go to the end of their run,
// new runs to the end of the list, never above the card being read. When a decided card leaves,
// focus moves to the card that takes its place. The whole inbox works from the keyboard.
// A long Inbox draws only the cards near the screen (card-slot.tsx); moving between cards works on
// the ids, so it reaches cards that are not drawn yet. The list itself is drawn in the background
// (useDeferredValue): a thousand requests arriving or a run's worth leaving is rendered in slices
// between frames, never as one long task that holds up a click or a key.
import { memo, useDeferredValue, useEffect, useId, useRef, useState } from 'react';
import { useShallow } from 'zustand/shallow';
import { useI18n } from '../i18n/use-i18n.js';
import { CARD_SELECTOR, keyContext, shortcutFor } from '../keyboard-shortcuts.js';
import { revealCard } from '../reveal-card.js';
import { useCardFocus } from '../store/card-focus.js';
import { useCompanionStore } from '../store/companion-store.js';
import { WINDOW_FROM } from './card-slot.js';
import { FirstRunGuide } from './first-run-guide.js';
import { RunGroup } from './run-group.js';
import { ShortcutsPanel } from './shortcuts-panel.js';
import { TitledSection } from './titled-section.js';
import './inbox.css';

/** Approval id of the card that holds `element`, if any. */
const cardIdOf = (element: Element | null): string | undefined => element?.closest<HTMLElement>(CARD_SELECTOR)?.dataset.approvalId;

// Memoised (no props): the window redraws on every snapshot for its counts; the Inbox has its own
// subscriptions.
export const Inbox = memo(function Inbox() {
  const { t } = useI18n();
  const hasSnapshot = useCompanionStore((s) => s.snapshot !== null);
  const latest = useCompanionStore(useShallow((s) => ({ groups: s.groups, ids: s.displayIds })));
  // null on the first pass only: the list follows in the background instead of holding up the page.
  const view = useDeferredValue<typeof latest | null>(latest, null);
  const ids = view?.ids;
  const panelId = useId();

  const heading = useRef<HTMLHeadingElement>(null);
  /** The card that last had focus, and its place, to focus the one taking its place when it leaves. */
  const focused = useRef<{ id: string; index: number } | null>(null);
  const [help, setHelp] = useState(false);

  useEffect(() => {
    const last = focused.current;
    if (!ids || !last || ids.includes(last.id)) return;
    focused.current = null;
    const active = document.activeElement;
    if (active && active !== document.body) return;
    const next = ids[Math.min(last.index, ids.length - 1)];
    // The card itself, not a button: a stray Enter must not answer the next request.
    if (next) revealCard(next, { scroll: false });
    else heading.current?.focus();
  }, [ids]);

  // Moving between cards and the help panel; a card answers its own shortcuts (approval-card.tsx).
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const action = shortcutFor(e, keyContext(e.target));
      if (action === 'help') {
        e.preventDefault();
        setHelp((open) => !open);
      } else if (action === 'next' || action === 'previous') {
        const all = useCompanionStore.getState().displayIds;
        if (all.length === 0) return;
        e.preventDefault();
        const current = cardIdOf(document.activeElement);
        const at = current === undefined ? -1 : all.indexOf(current);
        const step = action === 'next' ? 1 : -1;
        const target = at < 0 ? (step > 0 ? all[0] : all.at(-1)) : all[Math.max(0, Math.min(all.length - 1, at + step))];
        if (target) revealCard(target, { scroll: true });
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  if (!hasSnapshot) return null;
  const windowed = (ids?.length ?? 0) > WINDOW_FROM;

  return (
    <TitledSection id="inbox-title" className="inbox" title={t('inbox.title')} headingRef={heading} focusable>
      <p className="keys-hint">
        <span>{t('inbox.keysHint')}</span>
        <button type="button" className="btn-link" aria-expanded={help} aria-controls={help ? panelId : undefined} aria-keyshortcuts="?" onClick={() => setHelp(!help)}>
          {t('keys.title')} <kbd aria-hidden="true">?</kbd>
        </button>
      </p>
      {help && <ShortcutsPanel id={panelId} onClose={() => setHelp(false)} />}
      {!view ? null : view.groups.length === 0 ? (
        <div className="empty">
          <p className="empty-title">{t('inbox.emptyTitle')}</p>
          <p className="empty-hint">{t('inbox.emptyHint')}</p>
          <FirstRunGuide />
        </div>
      ) : (
        <div
          className="runs"
          onFocus={(e) => {
            const id = cardIdOf(e.target as HTMLElement);
            if (id === undefined) return;
            focused.current = { id, index: view.ids.indexOf(id) };
            // Keep the focused card drawn wherever the list scrolls.
            if (useCardFocus.getState().pinned !== id) useCardFocus.setState({ pinned: id });
          }}
        >
          {view.groups.map((group) => (
            <RunGroup key={group.sessionId} group={group} windowed={windowed} />
          ))}
        </div>
      )}
    </TitledSection>
  );
});
