// The evidence state in a few words for the header chip, and whether the Evidence tab needs a badge.
// The most serious condition wins: lost, then rejected, a nearly full journal, an unreachable collector.
import type { EvidenceStatus } from '../../shared/ui-contract.js';
import { NEAR_LIMIT, deliveryState, type Tone } from './describe-evidence.js';
import { EN, type I18n } from './i18n/translator.js';

export interface GlanceText {
  text: string;
  tone: Tone;
  /** Decorative; the text says the same in words. */
  icon: string;
}

export function evidenceChip(e: EvidenceStatus, i18n: I18n = EN): GlanceText {
  const { t } = i18n;
  if (e.lost > 0) return { text: t('evidence.chip.lost', { count: e.lost }), tone: 'danger', icon: '✕' };
  if (e.rejected > 0) return { text: t('evidence.chip.rejected', { count: e.rejected }), tone: 'warn', icon: '!' };
  if (e.journalBytes / e.journalLimitBytes >= NEAR_LIMIT) return { text: t('evidence.chip.nearlyFull'), tone: 'warn', icon: '!' };
  const state = deliveryState(e);
  if (state === 'unreachable') return { text: t('evidence.chip.unreachable'), tone: 'warn', icon: '⚠' };
  if (e.queued > 0) return { text: t('evidence.chip.waiting', { count: e.queued }), tone: 'info', icon: '↻' };
  if (state === 'delivered') return { text: t('evidence.chip.delivered'), tone: 'ok', icon: '✓' };
  return { text: t('evidence.chip.nothingYet'), tone: 'info', icon: '○' };
}

/** Badge for the Evidence tab when a person should look: undefined when all is well. */
export function evidenceAttention(e: EvidenceStatus): 'warn' | 'danger' | undefined {
  if (e.lost > 0) return 'danger';
  if (e.rejected > 0 || e.journalBytes / e.journalLimitBytes >= NEAR_LIMIT) return 'warn';
  if (deliveryState(e) === 'unreachable' && e.queued > 0) return 'warn';
  return undefined;
}
