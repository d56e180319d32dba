// What the Evidence view says about where evidence goes and whether it gets there. Pure (the time is
// passed in), so every state is unit-tested; state is always in words, colour and icon only repeat it.
import type { EvidenceStatus } from '../../shared/ui-contract.js';
import { formatAge, formatClock, formatIn } from './format-time.js';

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

const count = (n: number): string => n.toLocaleString('en-US');
const records = (n: number): string => (n === 1 ? '1 record' : `${count(n)} records`);
const isAre = (n: number): string => (n === 1 ? 'is' : 'are');

export interface CollectorText {
  state: DeliveryState;
  tone: Tone;
  /** Decorative; the title says the same in words. */
  icon: string;
  title: string;
}

const COLLECTOR: Record<DeliveryState, Omit<CollectorText, 'state'>> = {
  'not-tried': { tone: 'info', icon: '○', title: 'Not contacted yet' },
  delivered: { tone: 'ok', icon: '✓', title: 'Reachable — everything delivered' },
  sending: { tone: 'info', icon: '↻', title: 'Reachable — sending' },
  retrying: { tone: 'warn', icon: '⏸', title: 'Collector busy — it asked to wait' },
  unreachable: { tone: 'warn', icon: '⚠', title: 'Collector unreachable' },
};

export function describeCollector(e: EvidenceStatus): CollectorText {
  const state = deliveryState(e);
  return { state, ...COLLECTOR[state] };
}

/** The plain-language line about what waits in the journal. */
export function describeQueued(e: EvidenceStatus): string {
  const n = e.queued;
  const state = deliveryState(e);
  if (n === 0) return state === 'not-tried' ? 'Nothing is waiting to be sent.' : 'Nothing is waiting: the collector has accepted every record.';
  const stored = `${records(n)} ${isAre(n)} stored safely on this computer`;
  if (state === 'unreachable') return `${stored} and will be sent when the collector is reachable.`;
  if (state === 'retrying') return `${stored} and will be sent when the collector is ready to accept ${n === 1 ? 'it' : 'them'}.`;
  if (state === 'sending') return `${stored} and ${isAre(n)} being sent now.`;
  return `${stored} and will be sent shortly.`;
}

export function describeLastExport(e: EvidenceStatus, nowMs: number): string {
  const at = e.lastExportAt ? Date.parse(e.lastExportAt) : NaN;
  return Number.isFinite(at) ? `Last delivered ${formatAge(at, nowMs)}` : 'Nothing delivered yet';
}

/** When the next delivery attempt is due, while records wait; undefined otherwise. */
export function describeNextAttempt(e: EvidenceStatus, nowMs: number): string | undefined {
  const at = e.nextAttemptAt ? Date.parse(e.nextAttemptAt) : NaN;
  if (e.queued === 0 || !Number.isFinite(at)) return undefined;
  const when = formatIn(at, nowMs);
  return when === 'now' ? 'Trying again now' : `Next try ${when} (at ${formatClock(at)})`;
}

export function describeRejected(n: number): string | undefined {
  if (n === 0) return undefined;
  return (
    `The collector refused ${records(n)} as invalid. ${n === 1 ? 'It' : 'They'} will not be sent again; ` +
    `${n === 1 ? 'it is' : 'they are'} kept for inspection in journal/rejected.jsonl in the companion's data folder.`
  );
}

export function describeLost(n: number): string | undefined {
  if (n === 0) return undefined;
  return (
    `${records(n)} ${n === 1 ? 'was' : 'were'} deleted before the collector accepted ${n === 1 ? 'it' : 'them'}: the journal reached its ` +
    'disk limit and the oldest records were dropped to make room. They cannot be recovered. The loss itself is ' +
    'reported as evidence; tell whoever runs your collector.'
  );
}

/** Sizes as people read them: "812 B", "4.3 KB", "256 MB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = unit === 0 || value >= 10 ? Math.round(value) : Math.round(value * 10) / 10;
  return `${shown} ${units[unit]}`;
}

export interface JournalUse {
  /** 0–1 (more only if the core overshoots its budget). */
  ratio: number;
  text: string;
  nearLimit: boolean;
  warning?: string;
}

export function describeJournalUse(e: EvidenceStatus): JournalUse {
  const ratio = e.journalBytes / e.journalLimitBytes;
  const percent = Math.min(100, Math.floor(ratio * 100));
  const shownPercent = ratio > 0 && percent === 0 ? '<1' : String(percent);
  const text = `${formatBytes(e.journalBytes)} of ${formatBytes(e.journalLimitBytes)} (${shownPercent}%)`;
  if (ratio < NEAR_LIMIT) return { ratio, text, nearLimit: false };
  return {
    ratio,
    text,
    nearLimit: true,
    warning: `The journal is ${percent}% full. When it is full, the oldest records are deleted to make room — they are lost for good.`,
  };
}

const PROTOCOL: Record<EvidenceStatus['protocol'], string> = {
  'http/json': 'OTLP over HTTP, JSON bodies',
  'http/protobuf': 'OTLP over HTTP, protobuf bodies',
};

export const describeProtocol = (protocol: EvidenceStatus['protocol']): string => PROTOCOL[protocol];

export function describeConfigSource(source: EvidenceStatus['configSource'], organization?: string): string {
  if (source === 'policy') return organization ? `Set by your organisation (${organization})` : 'Set by your organisation';
  if (source === 'environment') return 'From environment variables (OTEL_EXPORTER_OTLP_…)';
  return 'Default address (no collector configured)';
}
