// The evidence state in a few words for the header chip, and whether the Evidence tab needs a badge.
// The most serious condition wins: lost, then rejected, a nearly full journal, an unreachable collector.
import type { EvidenceStatus } from '../../shared/ui-contract.js';
import { NEAR_LIMIT, deliveryState, type Tone } from './describe-evidence.js';

export interface GlanceText {
  text: string;
  tone: Tone;
  /** Decorative; the text says the same in words. */
  icon: string;
}

const n = (value: number): string => value.toLocaleString('en-US');

export function evidenceChip(e: EvidenceStatus): GlanceText {
  if (e.lost > 0) return { text: `Evidence: ${n(e.lost)} lost`, tone: 'danger', icon: '✕' };
  if (e.rejected > 0) return { text: `Evidence: ${n(e.rejected)} rejected`, tone: 'warn', icon: '!' };
  if (e.journalBytes / e.journalLimitBytes >= NEAR_LIMIT) return { text: 'Evidence: journal nearly full', tone: 'warn', icon: '!' };
  const state = deliveryState(e);
  if (state === 'unreachable') return { text: 'Evidence: collector unreachable', tone: 'warn', icon: '⚠' };
  if (e.queued > 0) return { text: `Evidence: ${n(e.queued)} waiting`, tone: 'info', icon: '↻' };
  if (state === 'delivered') return { text: 'Evidence: delivered', tone: 'ok', icon: '✓' };
  return { text: 'Evidence: nothing sent yet', tone: 'info', icon: '○' };
}

/** Badge for the Evidence tab when a person should look: undefined when all is well. */
export function evidenceAttention(e: EvidenceStatus): 'warn' | 'danger' | undefined {
  if (e.lost > 0) return 'danger';
  if (e.rejected > 0 || e.journalBytes / e.journalLimitBytes >= NEAR_LIMIT) return 'warn';
  if (deliveryState(e) === 'unreachable' && e.queued > 0) return 'warn';
  return undefined;
}
