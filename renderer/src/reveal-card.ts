// Focus a card by approval id. A long Inbox draws only the cards near the screen, so the card may
// not exist yet: then it is asked for, and its slot focuses it once drawn (card-slot.tsx).
import { CARD_SELECTOR } from './keyboard-shortcuts.js';
import { useCardFocus } from './store/card-focus.js';

export function revealCard(id: string, { scroll }: { scroll: boolean }): void {
  const card = document.querySelector<HTMLElement>(`${CARD_SELECTOR}[data-approval-id="${CSS.escape(id)}"]`);
  if (card) focusCard(card, scroll);
  else useCardFocus.setState({ wanted: { id, scroll } });
}

export function focusCard(card: HTMLElement, scroll: boolean): void {
  card.focus();
  if (scroll) card.scrollIntoView({ block: 'nearest' });
}
