// The place of one request in a run's list. A long Inbox draws only the cards on or near the screen
// (a thousand drawn cards take seconds to lay out and make every answer janky); the others keep
// their place with an empty box of the height they had, or of a typical card. Also kept drawn:
// the card with focus, the card keyboard navigation moves to, and a card the person is busy in.
import { memo, useDeferredValue, useLayoutEffect, useRef, useState } from 'react';
import type { ApprovalItem } from '../../../shared/ui-contract.js';
import { CARD_SELECTOR } from '../keyboard-shortcuts.js';
import { focusCard } from '../reveal-card.js';
import { useCardFocus } from '../store/card-focus.js';
import { useCompanionStore } from '../store/companion-store.js';
import { useNearViewport } from '../use-near-viewport.js';
import { ApprovalCard } from './approval-card.js';
import './card-slot.css';

/** Lists longer than this draw only what is near the screen; shorter ones draw every card. */
export const WINDOW_FROM = 30;
/** Height (px) of a card never drawn yet: about a one-line command with a rule. */
const TYPICAL_HEIGHT = 300;

export const CardSlot = memo(function CardSlot({ item, windowed }: { item: ApprovalItem; windowed: boolean }) {
  const ref = useRef<HTMLLIElement>(null);
  const { near, height } = useNearViewport(ref);
  const [engaged, setEngaged] = useState(false);
  // One subscription per slot (there may be a thousand): 'wanted' to be focused, 'pinned' (has focus).
  const focus = useCardFocus((s) => (s.wanted?.id === item.id ? 'wanted' : s.pinned === item.id ? 'pinned' : undefined));
  const drawn = !windowed || near || engaged || focus !== undefined;

  useLayoutEffect(() => {
    const request = useCardFocus.getState().wanted;
    if (!drawn || focus !== 'wanted' || request?.id !== item.id) return;
    const card = ref.current?.querySelector<HTMLElement>(CARD_SELECTOR);
    if (card) focusCard(card, request.scroll);
    useCardFocus.setState({ wanted: null });
  }, [drawn, focus, item.id]);

  return drawn ? (
    <li ref={ref}>
      <PlacedCard item={item} onEngaged={setEngaged} />
    </li>
  ) : (
    <li ref={ref} className="card-slot" aria-hidden="true" style={{ height: height ?? TYPICAL_HEIGHT }} />
  );
});

/** A drawn card with what the store knows about it, read here rather than passed down (a card
 *  leaving then redraws neither the runs nor the slots below it). Its place changes in the
 *  background (useDeferredValue), with the list that moves it. A call in flight shows at once; when
 *  the core's answer clears it, the last state stays until the list removes or updates the card, so
 *  its buttons never flicker back on in between. */
function PlacedCard({ item, onEngaged }: { item: ApprovalItem; onEngaged(engaged: boolean): void }) {
  const index = useDeferredValue(useCompanionStore((s) => s.displayIds.indexOf(item.id)));
  const busy = useCompanionStore((s) => s.busy[item.id]);
  const lingering = useDeferredValue(busy);
  const error = useCompanionStore((s) => s.errors[item.id]);
  return <ApprovalCard item={item} index={index} busy={busy ?? lingering} error={error} onEngaged={onEngaged} />;
}
