// The evidence state at a glance in the header; a click opens the Evidence view.
import { evidenceChip } from '../evidence-at-a-glance.js';
import { useI18n } from '../i18n/use-i18n.js';
import { useCompanionStore } from '../store/companion-store.js';
import './evidence-chip.css';

export function EvidenceChip({ onOpen }: { onOpen(): void }) {
  const i18n = useI18n();
  const evidence = useCompanionStore((s) => s.snapshot?.evidence);
  if (!evidence) return null;
  const chip = evidenceChip(evidence, i18n);
  return (
    <button type="button" className={`evidence-chip pill tone-${chip.tone}`} onClick={onOpen} title={i18n.t('evidence.chip.open')}>
      <span className="evidence-icon" aria-hidden="true">
        {chip.icon}
      </span>
      {chip.text}
    </button>
  );
}
