// `cowork-companion timeline`: what happened, from the evidence journal's index, whether or not the
// companion runs (the store is SQLite in WAL mode: this reads beside the running core, and first
// indexes what the journal gained since, the same way the core does).
import ms from 'ms';
import { DEFAULT_TIMELINE_RETENTION_DAYS } from '../../shared/managed-policy-contract.js';
import { ATTR, DECISION_SOURCES } from '../../shared/telemetry-events.js';
import { openCoreServices } from '../core/app/index.js';
import { ensureDataDir, systemClock } from '../core/base/index.js';
import type { EvidenceEvent } from '../core/evidence/index.js';
import { TIMELINE_DECISIONS, TimelineStoreService, type TimelineDecision, type TimelineFilter } from '../core/timeline/index.js';

export const DEFAULT_TIMELINE_LIMIT = 1000;
const MAX_LIMIT = 1_000_000;

export interface TimelineCommandOptions {
  dataDir: string;
  policyFile?: string;
  since?: string;
  until?: string;
  session?: string;
  tool?: string;
  decision?: string;
  decidedBy?: string;
  folder?: string;
  text?: string;
  limit?: string;
  json: boolean;
  out: NodeJS.WritableStream;
  env?: Record<string, string | undefined>;
  now?: () => number;
}

export class TimelineCommandError extends Error {}

/** `1h`, `30m`, `2d` (that long before now) or an ISO date/time. */
export function parseTimeArgument(value: string, name: string, now: number): number {
  const span = /^\d+(\.\d+)?\s*[a-z]+$/i.test(value) ? (ms as (v: string) => number | undefined)(value) : undefined;
  if (typeof span === 'number' && Number.isFinite(span) && span > 0) return now - span;
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const t = Date.parse(value);
    if (Number.isFinite(t)) return t;
  }
  throw new TimelineCommandError(`--${name} must be a duration before now (30m, 1h, 2d, 1w) or a date and time (2026-12-31, 2026-12-31T18:00Z); got "${value}"`);
}

export function timelineFilter(o: Omit<TimelineCommandOptions, 'dataDir' | 'json' | 'out'>, now: number): TimelineFilter {
  const decision = o.decision;
  if (decision !== undefined && !(TIMELINE_DECISIONS as readonly string[]).includes(decision)) throw new TimelineCommandError(`--decision must be one of ${TIMELINE_DECISIONS.join(', ')} (got "${decision}")`);
  const decidedBy = o.decidedBy;
  if (decidedBy !== undefined && !(DECISION_SOURCES as readonly string[]).includes(decidedBy)) throw new TimelineCommandError(`--decided-by must be one of ${DECISION_SOURCES.join(', ')} (got "${decidedBy}")`);
  const limit = o.limit === undefined ? DEFAULT_TIMELINE_LIMIT : Number(o.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new TimelineCommandError(`--limit must be an integer from 1 to ${MAX_LIMIT} (got "${o.limit}")`);
  const since = o.since === undefined ? undefined : parseTimeArgument(o.since, 'since', now);
  const until = o.until === undefined ? undefined : parseTimeArgument(o.until, 'until', now);
  if (since !== undefined && until !== undefined && since >= until) throw new TimelineCommandError('--since must be before --until');
  return {
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    ...(o.session !== undefined ? { session: o.session } : {}),
    ...(o.tool !== undefined ? { tool: o.tool } : {}),
    ...(decision !== undefined ? { decision: decision as TimelineDecision } : {}),
    ...(decidedBy !== undefined ? { decidedBy } : {}),
    ...(o.folder !== undefined ? { folder: o.folder } : {}),
    ...(o.text !== undefined ? { text: o.text } : {}),
    limit,
  };
}

/** One line per event: when, what, the decision and who made it, the tool, the run, and why. */
export function describeEvent(e: EvidenceEvent): string {
  const a = e.attributes;
  const s = (k: string): string | undefined => (typeof a[k] === 'string' && a[k] !== '' ? (a[k] as string) : undefined);
  const decision = s(ATTR.decision);
  const parts = [
    new Date(e.time).toISOString(),
    e.name,
    decision ? `${decision}${s(ATTR.decisionSource) ? ` by ${s(ATTR.decisionSource)}` : ''}` : undefined,
    s(ATTR.toolName),
    s(ATTR.sessionId) ? `session ${s(ATTR.sessionId)}` : undefined,
    s(ATTR.filePath) ?? s(ATTR.scopePath) ?? s(ATTR.cwd),
    s(ATTR.decisionReason) ?? s(ATTR.escalationReason) ?? s(ATTR.policyError) ?? s(ATTR.lossReason) ?? s(ATTR.stateReason),
  ];
  // One line each, whatever a reason holds.
  return parts
    .filter((p): p is string => p !== undefined)
    .join('  ')
    .replace(/[\r\n]+/g, ' ');
}

export async function runTimelineCommand(o: TimelineCommandOptions): Promise<number> {
  const now = (o.now ?? (() => systemClock.now()))();
  const filter = timelineFilter(o, now);
  const dataDir = ensureDataDir(o.dataDir);
  // The same journal (with its integrity key: only verified lines are indexed) and policy as the app.
  const services = openCoreServices({ dataDir, clock: systemClock, env: o.env ?? process.env, policyFile: o.policyFile, ship: false });
  let store: TimelineStoreService | undefined;
  try {
    store = new TimelineStoreService({
      dataDir,
      journal: services.evidence.journal,
      retentionDays: () => services.managedPolicy.state.policy.timeline?.retentionDays ?? DEFAULT_TIMELINE_RETENTION_DAYS,
      now: () => systemClock.now(),
      paths: { home: services.home, platform: services.platform },
    });
    const events = store.query(filter);
    if (o.json) o.out.write(`${JSON.stringify(events.map((e) => ({ ...e, time: new Date(e.time).toISOString() })))}\n`);
    else if (events.length === 0) o.out.write('No events match.\n');
    else o.out.write(`${events.map(describeEvent).join('\n')}\n`);
    return 0;
  } finally {
    store?.close();
    await services.close(0);
  }
}
