// Which cards a long Inbox must draw even when they are off screen (see card-slot.tsx): the card
// that has focus, so windowing never drops it, and the card keyboard navigation is moving to.
import { create } from 'zustand';

export interface CardFocus {
  /** Approval id of the card that has (or last had) focus. */
  pinned: string | null;
  /** A card to focus as soon as it is drawn; `scroll` brings it into view the nearest way. */
  wanted: { id: string; scroll: boolean } | null;
}

export const useCardFocus = create<CardFocus>()(() => ({ pinned: null, wanted: null }));
