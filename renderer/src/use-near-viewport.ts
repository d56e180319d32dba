// Whether an element is on screen or within a screen's height of it, and how tall it was when it
// last left that zone (while it was drawn). A long Inbox draws only the cards near the screen; one
// IntersectionObserver watches every slot.
import { useEffect, useState, type RefObject } from 'react';

export interface Nearness {
  near: boolean;
  /** Height (px) the element had when it last moved away, i.e. with its content drawn. */
  height?: number;
}

type Listener = (entry: IntersectionObserverEntry) => void;
const listeners = new Map<Element, Listener>();
let observer: IntersectionObserver | undefined;

function observe(element: Element, listener: Listener): () => void {
  observer ??= new IntersectionObserver((entries) => entries.forEach((e) => listeners.get(e.target)?.(e)), { rootMargin: '100% 0px' });
  listeners.set(element, listener);
  observer.observe(element);
  return () => {
    listeners.delete(element);
    observer?.unobserve(element);
  };
}

const canObserve = typeof IntersectionObserver !== 'undefined';

export function useNearViewport(ref: RefObject<Element | null>): Nearness {
  // Without an observer everything counts as near, so everything is drawn.
  const [state, setState] = useState<Nearness>({ near: !canObserve });
  useEffect(() => {
    const element = ref.current;
    if (!canObserve || !element) return;
    return observe(element, (entry) =>
      setState((s) => (entry.isIntersecting === s.near ? s : entry.isIntersecting ? { ...s, near: true } : { near: false, height: entry.boundingClientRect.height })),
    );
  }, [ref]);
  return state;
}
