// What a person saw before a restart, rebuilt from the evidence journal at start: recent decisions,
// runs (with their manifest counts and out-of-scope changes) and out-of-scope alerts. One pass over
// the events (oldest first), bounded by the retention window and the same count limits as the live
// views. Only trusted lines reach here (the journal drops lines whose tag does not verify); an event
// whose attributes do not match its schema is skipped, never guessed.
//
// The journal keeps what was exported: paths may have had the home folder shortened to `~` (the
// redaction policy, electron/core/evidence/redaction-policy.ts); they are shown expanded again.
// What an action named (DecisionRecord.targets) is not in the journal (tool input is not exported by
// default): it comes from the local display store (decision-targets-store.ts), when it has it.
import { validateEvidenceAttributes } from '../../../shared/evidence-schema.js';
import type { OutOfScopeAlert, OutOfScopeRecord, RunManifest, RunView } from '../../../shared/run-watch-contract.js';
import { ATTR, EVENT_NAMES, type EventName } from '../../../shared/telemetry-events.js';
import type { ActionTargets, DecisionRecord } from '../../../shared/ui-contract.js';
import { setBounded } from '../base/index.js';
import type { EvidenceEvent } from '../evidence/index.js';

export const DAY_MS = 86_400_000;

export interface HistoryOptions {
  now: number;
  /** Events older than this many days are not loaded. */
  historyDays: number;
  /** The user's home folder, for paths the redaction policy shortened to `~`. */
  home: string;
  /** Approvals still pending (restored from pending.json): not decided yet, whatever the agent was told. */
  pending?: ReadonlySet<string>;
  /** What each decided action named, where the local display store kept it. */
  targets?: ReadonlyMap<string, ActionTargets>;
  decisionsKept?: number;
  runsKept?: number;
  alertsKept?: number;
}

export interface PastRun {
  view: RunView;
  manifest: RunManifest;
}

export interface JournalHistory {
  /** Newest first. */
  decisions: DecisionRecord[];
  /** Newest activity first; none of them active. */
  runs: PastRun[];
  /** Newest first. */
  alerts: OutOfScopeAlert[];
  /** Events in the window that failed their schema (not shown). */
  skipped: number;
}

/** The live views' limits (broker RECENT_LIMIT, run tracker keepEndedRuns, monitor ALERTS_KEPT). */
const KEPT = 50;
/** Out-of-scope records kept per rebuilt manifest (the live manifest's maxOutOfScope). */
const RUN_OUT_OF_SCOPE_KEPT = 1000;

interface RunAcc {
  sessionId: string;
  cwd?: string;
  first: number;
  /** Latest approval or file event of the run. */
  last: number;
  requests: number;
  outOfScope: OutOfScopeRecord[];
  outOfScopeTotal: number;
  ended?: { time: number; attributes: Record<string, unknown> };
}

const iso = (t: number): string => new Date(t).toISOString();
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A path as the person's machine names it: `~` put back to the home folder when redaction shortened it. */
function expandHome(path: string | undefined, event: EvidenceEvent, home: string): string | undefined {
  if (path === undefined || home === '' || !String(event.attributes[ATTR.redactionPolicy] ?? '').includes('home=~')) return path;
  if (path === '~') return home;
  return /^~[\\/]/.test(path) ? home.replace(/[\\/]+$/, '') + path.slice(1) : path;
}

/** The same inside a sentence (a decision's reason names paths): each `~` that starts a path. */
function expandHomeInText(text: string, event: EvidenceEvent, home: string): string {
  if (home === '' || !String(event.attributes[ATTR.redactionPolicy] ?? '').includes('home=~')) return text;
  const bare = home.replace(/[\\/]+$/, '');
  return text.replace(/(^|[\s"'`(])~(?=[\\/]|$|[\s"'`),.;:])/g, (_m, before: string) => before + bare);
}

export function journalHistory(events: Iterable<EvidenceEvent>, o: HistoryOptions): JournalHistory {
  const since = o.now - o.historyDays * DAY_MS;
  const decisionsKept = o.decisionsKept ?? KEPT;
  const alertsKept = o.alertsKept ?? KEPT;
  // Decided records by approval id, the last one winning (a held item answered "on hold", then decided);
  // more are kept than shown so that ids decided again later still find their place.
  const decided = new Map<string, EvidenceEvent>();
  const runs = new Map<string, RunAcc>();
  const alerts: OutOfScopeAlert[] = [];
  let skipped = 0;

  const runOf = (sessionId: string, time: number): RunAcc => {
    let r = runs.get(sessionId);
    if (!r) runs.set(sessionId, (r = { sessionId, first: time, last: time, requests: 0, outOfScope: [], outOfScopeTotal: 0 }));
    return r;
  };
  /** The run, with activity at `time`. */
  const active = (sessionId: string, time: number): RunAcc => {
    const r = runOf(sessionId, time);
    r.last = Math.max(r.last, time);
    return r;
  };
  /** The event's attributes if they match its schema; otherwise it is counted as skipped. */
  const checked = <N extends EventName>(name: N, event: EvidenceEvent) => {
    const v = validateEvidenceAttributes(name, event.attributes);
    if (v.ok) return v.attributes;
    skipped++;
    return undefined;
  };

  for (const event of events) {
    if (!(event.time >= since)) continue;
    const a = event.attributes;
    switch (event.name) {
      case EVENT_NAMES.runStarted:
      case EVENT_NAMES.approvalRequested:
      case EVENT_NAMES.approvalWithdrawn: {
        const sessionId = str(a[ATTR.sessionId]);
        if (!sessionId) continue;
        const r = active(sessionId, event.time);
        r.cwd = expandHome(str(a[ATTR.cwd]), event, o.home) ?? r.cwd;
        if (event.name === EVENT_NAMES.approvalRequested) r.requests++;
        break;
      }
      case EVENT_NAMES.approvalDecided: {
        const id = str(a[ATTR.approvalId]);
        const sessionId = str(a[ATTR.sessionId]);
        if (!id || !sessionId) continue;
        // Checked against the schema only if shown (most are not): the pass stays cheap.
        setBounded(decided, id, event, decisionsKept * 4); // events arrive oldest first
        const r = active(sessionId, event.time);
        // Decided as it arrived: the request's only record.
        if (a[ATTR.decisionImmediate] === true) {
          r.requests++;
          r.cwd = expandHome(str(a[ATTR.cwd]), event, o.home) ?? r.cwd;
        }
        break;
      }
      case EVENT_NAMES.fileOutOfScope: {
        const f = checked(EVENT_NAMES.fileOutOfScope, event);
        const sessionId = f?.[ATTR.sessionId];
        if (!f || !sessionId) continue;
        const violation = f[ATTR.scopeViolation] ?? 'outside';
        const record: OutOfScopeRecord = {
          path: expandHome(f[ATTR.filePath], event, o.home)!,
          ...(f[ATTR.filePreviousPath] ? { previousPath: expandHome(f[ATTR.filePreviousPath], event, o.home)! } : {}),
          change: f[ATTR.fileChange],
          type: f[ATTR.fileType] ?? 'file',
          violation,
          severity: f[ATTR.scopeSeverity] ?? (violation === 'forbidden' ? 'high' : 'medium'),
          ...(f[ATTR.toolUseId] ? { toolUseId: f[ATTR.toolUseId] } : {}),
          at: iso(event.time),
        };
        const r = active(sessionId, event.time);
        if (f[ATTR.cwd]) r.cwd = expandHome(f[ATTR.cwd], event, o.home);
        // A follow-up record folds repeats of a change already listed: counted, not listed again.
        if (!f[ATTR.fileRepeats]) {
          r.outOfScopeTotal++;
          if (r.outOfScope.length < RUN_OUT_OF_SCOPE_KEPT) r.outOfScope.push(record);
        }
        alerts.unshift({
          ...record,
          eventId: f[ATTR.eventId],
          sessionId,
          ...(f[ATTR.toolName] ? { toolName: f[ATTR.toolName] } : {}),
          ...(f[ATTR.fileRepeats] ? { repeats: f[ATTR.fileRepeats] } : {}),
          recorded: true,
        });
        alerts.length = Math.min(alerts.length, alertsKept);
        break;
      }
      case EVENT_NAMES.runEnded: {
        const e = checked(EVENT_NAMES.runEnded, event);
        if (!e) continue;
        const startedAt = Date.parse(e[ATTR.runStartedAt]);
        const r = runOf(e[ATTR.sessionId], Math.min(startedAt, event.time));
        r.first = Math.min(r.first, startedAt);
        r.ended = { time: event.time, attributes: e };
        if (e[ATTR.cwd]) r.cwd = expandHome(e[ATTR.cwd], event, o.home);
        break;
      }
      default:
        break;
    }
  }

  const decisions: DecisionRecord[] = [];
  for (const event of [...decided.values()].reverse()) {
    if (decisions.length >= decisionsKept) break;
    const d = checked(EVENT_NAMES.approvalDecided, event);
    if (!d) continue;
    if (o.pending?.has(d[ATTR.approvalId])) continue;
    const targets = o.targets?.get(d[ATTR.approvalId]);
    decisions.push({
      approvalId: d[ATTR.approvalId],
      toolName: d[ATTR.toolName],
      sessionId: d[ATTR.sessionId],
      decision: d[ATTR.decision],
      source: d[ATTR.decisionSource],
      reason: expandHomeInText(d[ATTR.decisionReason], event, o.home),
      decidedAt: iso(event.time),
      cwd: expandHome(d[ATTR.cwd], event, o.home)!,
      ...(targets ? { targets } : {}),
      ...(d[ATTR.decisionRule] !== undefined ? { rule: d[ATTR.decisionRule] } : {}),
    });
  }
  // Events are in time order except across a clock change: newest first by time, as the live list.
  decisions.sort((x, y) => Date.parse(y.decidedAt) - Date.parse(x.decidedAt));

  const pastRuns = [...runs.values()]
    .sort((x, y) => lastOf(y) - lastOf(x))
    .slice(0, o.runsKept ?? KEPT)
    .map(pastRun);
  return { decisions, runs: pastRuns, alerts, skipped };
}

function lastOf(r: RunAcc): number {
  return Math.max(r.last, r.ended?.time ?? 0);
}

const n = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** A run from before the restart: ended as recorded, or (activity after its last recorded end, or none
 *  recorded) ended at an unknown time — never shown as live. */
function pastRun(r: RunAcc): PastRun {
  const ended = r.ended && r.ended.time >= r.last ? r.ended : undefined;
  const e = ended?.attributes ?? {};
  const totals: RunManifest['totals'] = {
    files: n(e[ATTR.runFiles]),
    created: n(e[ATTR.runFilesCreated]),
    modified: n(e[ATTR.runFilesModified]),
    deleted: n(e[ATTR.runFilesDeleted]),
    transient: n(e[ATTR.runFilesTransient]),
    changes: n(e[ATTR.runChanges]),
    unexplained: n(e[ATTR.runUnexplained]),
    outOfScope: Math.max(n(e[ATTR.runOutOfScope]), r.outOfScopeTotal),
    dropped: n(e[ATTR.runDropped]),
    clientBookkeeping: n(e[ATTR.runClientBookkeeping]),
  };
  const endReason = ended ? (e[ATTR.runEndReason] as RunView['endReason']) : 'unknown';
  const lastEventAt = iso(lastOf(r));
  const view: RunView = {
    sessionId: r.sessionId,
    ...(r.cwd ? { cwd: r.cwd } : {}),
    active: false,
    status: 'ended',
    startedAt: iso(r.first),
    lastEventAt,
    ...(ended ? { endedAt: iso(ended.time) } : {}),
    endReason,
    toolEvents: ended ? n(e[ATTR.runToolEvents]) : r.requests,
    files: { total: totals.files, created: totals.created, modified: totals.modified, deleted: totals.deleted, transient: totals.transient, unexplained: totals.unexplained },
    outOfScope: totals.outOfScope,
  };
  const note = ended
    ? 'Rebuilt from the evidence journal after Cowork Companion restarted: the counts and the out-of-scope changes are as recorded; the list of files changed inside the shared folders is kept only while the companion runs.'
    : 'Rebuilt from the evidence journal after Cowork Companion restarted. The companion stopped while this run was active, so its end and its file counts were not recorded; the out-of-scope changes are as recorded.';
  const manifest: RunManifest = {
    sessionId: r.sessionId,
    ...(r.cwd ? { cwd: r.cwd } : {}),
    active: false,
    startedAt: view.startedAt,
    ...(view.endedAt ? { endedAt: view.endedAt } : {}),
    endReason,
    totals,
    files: [],
    outOfScope: r.outOfScope,
    coverage: { watched: [], notWatched: [], excluded: [] },
    note,
  };
  return { view, manifest };
}
