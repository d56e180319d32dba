// What the Evidence view says about where evidence goes and whether it gets there. Pure (the time and
// the language are passed in), so every state is unit-tested; state is always in words, colour and icon
// only repeat it.
import type { EvidenceStatus, IntegrityView } from '../../shared/ui-contract.js';
import { formatAge, formatClock, formatIn } from './format-time.js';
import { EN, type I18n } from './i18n/translator.js';

export type Tone = 'ok' | 'info' | 'warn' | 'danger';

/**
 * not-tried: no delivery attempt yet · delivered: reachable, nothing waiting · sending: reachable, records
 * on their way · retrying: the collector answered but asked to wait (429/503, Retry-After) · unreachable.
 */
export type DeliveryState = 'not-tried' | 'delivered' | 'sending' | 'retrying' | 'unreachable';

export function deliveryState(e: EvidenceStatus): DeliveryState {
  if (e.collectorReachable === null) return 'not-tried';
  if (!e.collectorReachable) return 'unreachable';
  if (e.queued === 0) return 'delivered';
  return e.nextAttemptAt ? 'retrying' : 'sending';
}

/** Share of the journal's disk budget from which it counts as nearly full. */
export const NEAR_LIMIT = 0.8;

export interface CollectorText {
  state: DeliveryState;
  tone: Tone;
  /** Decorative; the title says the same in words. */
  icon: string;
  title: string;
}

const COLLECTOR: Record<DeliveryState, Pick<CollectorText, 'tone' | 'icon'>> = {
  'not-tried': { tone: 'info', icon: '○' },
  delivered: { tone: 'ok', icon: '✓' },
  sending: { tone: 'info', icon: '↻' },
  retrying: { tone: 'warn', icon: '⏸' },
  unreachable: { tone: 'warn', icon: '⚠' },
};

export function describeCollector(e: EvidenceStatus, i18n: I18n = EN): CollectorText {
  const state = deliveryState(e);
  return { state, ...COLLECTOR[state], title: i18n.t(`evidence.state.${state}`) };
}

/** The plain-language line about what waits in the journal. */
export function describeQueued(e: EvidenceStatus, i18n: I18n = EN): string {
  const n = e.queued;
  const state = deliveryState(e);
  if (n === 0) return i18n.t(state === 'not-tried' ? 'evidence.queued.none' : 'evidence.queued.allAccepted');
  const form = state === 'unreachable' || state === 'retrying' || state === 'sending' ? state : 'later';
  return i18n.plural(`evidence.queued.${form}`, n);
}

export function describeLastExport(e: EvidenceStatus, nowMs: number, i18n: I18n = EN): string {
  const at = e.lastExportAt ? Date.parse(e.lastExportAt) : NaN;
  return Number.isFinite(at) ? i18n.t('evidence.lastExport', { age: formatAge(at, nowMs, i18n) }) : i18n.t('evidence.noExport');
}

/** When the next delivery attempt is due, while records wait; undefined otherwise. */
export function describeNextAttempt(e: EvidenceStatus, nowMs: number, i18n: I18n = EN): string | undefined {
  const at = e.nextAttemptAt ? Date.parse(e.nextAttemptAt) : NaN;
  if (e.queued === 0 || !Number.isFinite(at)) return undefined;
  if (at - nowMs < 1000) return i18n.t('evidence.tryingNow');
  return i18n.t('evidence.nextTry', { when: formatIn(at, nowMs, i18n), clock: formatClock(at, i18n) });
}

export function describeRejected(n: number, i18n: I18n = EN): string | undefined {
  return n === 0 ? undefined : i18n.plural('evidence.rejected', n);
}

export function describeLost(n: number, i18n: I18n = EN): string | undefined {
  return n === 0 ? undefined : i18n.plural('evidence.lost', n);
}

/** Sizes as people read them: "812 B", "4.3 KB", "256 MB". */
export function formatBytes(bytes: number, i18n: I18n = EN): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = unit === 0 || value >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${i18n.number(shown)} ${units[unit]}`;
}

export interface JournalUse {
  /** 0–1 (more only if the core overshoots its budget). */
  ratio: number;
  text: string;
  nearLimit: boolean;
  warning?: string;
}

export function describeJournalUse(e: EvidenceStatus, i18n: I18n = EN): JournalUse {
  const ratio = e.journalBytes / e.journalLimitBytes;
  const percent = Math.min(100, Math.floor(ratio * 100));
  const shownPercent = ratio > 0 && percent === 0 ? '<1' : String(percent);
  const text = i18n.t('evidence.journalText', { used: formatBytes(e.journalBytes, i18n), limit: formatBytes(e.journalLimitBytes, i18n), percent: shownPercent });
  if (ratio < NEAR_LIMIT) return { ratio, text, nearLimit: false };
  return { ratio, text, nearLimit: true, warning: i18n.t('evidence.journalWarning', { percent }) };
}

export const describeProtocol = (protocol: EvidenceStatus['protocol'], i18n: I18n = EN): string => i18n.t(`evidence.protocol.${protocol}`);

export function describeConfigSource(source: EvidenceStatus['configSource'], organization?: string, i18n: I18n = EN): string {
  if (source === 'policy') return organization ? i18n.t('evidence.source.policyNamed', { org: organization }) : i18n.t('evidence.source.policy');
  return i18n.t(source === 'environment' ? 'evidence.source.environment' : 'evidence.source.default');
}

export interface JournalCheckText {
  /** Nothing missing, nothing forged, no problem found. */
  ok: boolean;
  title: string;
  /** What became of a problem (reported as a loss, or only as a change). */
  advice?: string;
}

/** The check of the journal at start, in words: verified, or what was missing or forged. */
export function describeJournalCheck(journal: IntegrityView['journal'], i18n: I18n = EN): JournalCheckText {
  const { checked, missing, forged, problems } = journal;
  if (problems.length === 0 && missing === 0 && forged === 0) return { ok: true, title: i18n.plural('evidence.journalVerified', checked) };
  return {
    ok: false,
    title: i18n.t('evidence.journalChanged', { missing, forged }),
    advice: i18n.t(missing + forged > 0 ? 'evidence.journalLoss' : 'evidence.journalNoLoss'),
  };
}
