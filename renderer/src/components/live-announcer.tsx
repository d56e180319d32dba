// Polite ARIA live region for new requests. A trailing no-break space alternates so a repeated
// message ("New request: Bash, …") is still announced.
import { useCompanionStore } from '../store/companion-store.js';

export function LiveAnnouncer() {
  const { text, seq } = useCompanionStore((s) => s.announcement);
  return (
    <div className="visually-hidden" aria-live="polite" aria-atomic="true">
      {text ? text + (seq % 2 ? '\u00a0' : '') : ''}
    </div>
  );
}
