// The evidence state at a glance in the header; a click opens the Evidence view.
import { evidenceChip } from '../evidence-at-a-glance.js';
import { useCompanionStore } from '../store/companion-store.js';

export function EvidenceChip({ onOpen }: { onOpen(): void }) {
  const evidence = useCompanionStore((s) => s.snapshot?.evidence);
  if (!evidence) return null;
  const chip = evidenceChip(evidence);
  return (
    <button type="button" className={`evidence-chip tone-${chip.tone}`} onClick={onOpen} title="Open the Evidence view">
      <span className="evidence-icon" aria-hidden="true">
        {chip.icon}
      </span>
      {chip.text}
    </button>
  );
}
