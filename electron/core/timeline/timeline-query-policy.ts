// What the timeline stores of one evidence event (its columns), and the SQL of a filtered query.
// Pure: no database here. Results are the newest `limit` by time (journal order among equal times):
// every filter column is indexed as (column, time), so "the newest N that match" walks one index
// backwards and stops, with no sort, whatever the time range. With words, journal order instead
// (the rowid, the same but across a clock change): the full-text index yields its matches in rowid
// order, and sorting every match of a common word by time would cost hundreds of ms at 1M events.
import { ATTR, EVENT_NAMES } from '../../../shared/telemetry-events.js';
import type { EvidenceEvent } from '../evidence/index.js';

/** Where the stored paths come from: the home folder (the journal may hold it as `~`, policy
 *  `telemetry.redaction.shortenHomePaths`) and the platform (whose paths compare without case). */
export interface TimelinePaths {
  home?: string;
  platform?: NodeJS.Platform;
}

/** A path as the folder filter compares it: `/` separators, no repeats, no trailing one, and ASCII
 *  lower case where paths are case-insensitive (SQLite's lower() folds ASCII only: the same here). */
function folderKey(path: string, caseInsensitive: boolean): string {
  // A leading pair stays (a UNC path, \\server\share).
  const key = path.replace(/\\/g, '/').replace(/(?<!^)\/+/g, '/').replace(/\/+$/, '');
  return caseInsensitive ? key.replace(/[A-Z]/g, (c) => c.toLowerCase()) : key;
}

/**
 * The forms of a folder the filter matches: as typed, and with the home folder as `~` (or typed as
 * `~`, expanded), since the journal holds either depending on the redaction policy when recorded.
 * Windows and macOS paths (and any path with a drive letter) compare without case. `undefined`: a
 * root (`/`, `C:\`) or an empty folder, which is every event.
 */
export function folderForms(folder: string, paths: TimelinePaths = {}): { keys: string[]; caseInsensitive: boolean } | undefined {
  const typed = folder.trim();
  const drive = /^([A-Za-z]:|[\\/]{2}[^\\/])/.test(typed);
  const caseInsensitive = drive || paths.platform === 'win32' || paths.platform === 'darwin';
  const key = folderKey(typed, caseInsensitive);
  if (key === '' || /^[a-z]:$/i.test(key)) return undefined;
  const keys = [key];
  const home = paths.home?.trim() ? folderKey(paths.home.trim(), caseInsensitive) : '';
  // A root home is never shortened (redaction-policy.ts homePathPattern).
  if (home !== '' && !/^[a-z]:$/i.test(home)) {
    if (key === home || key.startsWith(`${home}/`)) keys.push(`~${key.slice(home.length)}`);
    else if (key === '~' || key.startsWith('~/')) keys.push(home + key.slice(1));
  }
  return { keys, caseInsensitive };
}

/** One row of the store: the columns filtered on, the search text, and the event as journaled. */
export interface TimelineRow {
  eventId: string;
  time: number;
  name: string;
  session: string | null;
  tool: string | null;
  /** The event's `decision` (allow, deny, hold; whatever later events carry). */
  decision: string | null;
  /** A person was asked (decided or held by a person or by the time budget of a person's wait). */
  asked: 0 | 1;
  /** `decision.source`: who decided (user, policy, timeout, rule). */
  decidedBy: string | null;
  cwd: string | null;
  text: string;
  json: string;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export function timelineRow(event: EvidenceEvent): TimelineRow {
  const a = event.attributes;
  const decidedBy = str(a[ATTR.decisionSource]);
  const decision = str(a[ATTR.decision]);
  // Every string attribute is searchable (reasons, rules, paths, ids): the event name first.
  const words = [event.name, ...Object.values(a).filter((v): v is string => typeof v === 'string')];
  return {
    eventId: event.eventId,
    time: event.time,
    name: event.name,
    session: str(a[ATTR.sessionId]),
    tool: str(a[ATTR.toolName]),
    decision,
    asked: decision === 'ask' || (decision !== null && (decidedBy === 'user' || decidedBy === 'timeout')) ? 1 : 0,
    decidedBy,
    cwd: str(a[ATTR.cwd]),
    text: words.join(' '),
    json: JSON.stringify({ eventId: event.eventId, name: event.name, time: event.time, attributes: a, ...(event.trace ? { trace: event.trace } : {}) }),
  };
}

/** The shortest start of a run id matched as a prefix (a shorter one must be the whole id). */
export const RUN_PREFIX_MIN = 4;

export const TIMELINE_DECISIONS = ['allow', 'deny', 'ask', 'hold'] as const;
export type TimelineDecision = (typeof TIMELINE_DECISIONS)[number];

export interface TimelineFilter {
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, exclusive. */
  until?: number;
  /** A run id, or its start (at least RUN_PREFIX_MIN characters; a whole id matches only itself). */
  session?: string;
  tool?: string;
  /** `ask`: the requests put to a person (whatever they decided); the others: the decision made. */
  decision?: TimelineDecision;
  decidedBy?: string;
  cwd?: string;
  /** Events of a working folder (cwd) at or below this folder, and changes of files (file.path) in it.
   *  Without an index (prefixes): it narrows what the time, run or tool indexes walk. */
  folder?: string;
  /** Older than this row only (the next page: the last row's time and rowid; with words, the rowid). */
  before?: { time: number; rowid: number };
  /** Words that must all appear (each as a word prefix) somewhere in the event. */
  text?: string;
  limit: number;
}

export interface TimelineSql {
  sql: string;
  params: (string | number)[];
}

/** The words as an FTS5 query: each one quoted (no operator can be injected) and a prefix. */
export function ftsQuery(text: string): string | undefined {
  const words = text
    .split(/\s+/)
    .map((w) => w.replace(/"/g, '""'))
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
  return words.length === 0 ? undefined : words.map((w) => `"${w}"*`).join(' ');
}

/** Newest first, at most `limit`; the caller shows them oldest first. */
export function timelineQuery(f: TimelineFilter, paths: TimelinePaths = {}): TimelineSql {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const eq = (column: string, value: string | undefined): void => {
    if (value === undefined) return;
    where.push(`e.${column} = ?`);
    params.push(value);
  };
  if (f.since !== undefined) {
    where.push('e.time >= ?');
    params.push(f.since);
  }
  if (f.until !== undefined) {
    where.push('e.time < ?');
    params.push(f.until);
  }
  if (f.session !== undefined && Array.from(f.session).length >= RUN_PREFIX_MIN) {
    // A run id or the start of one (the list shows 8 characters): a range of the session index
    // ([prefix, prefix with its last character + 1)); a whole id that exists matches itself only.
    // (SQLite compares text as UTF-8 bytes, which sort as code points do.) A range, not an equality:
    // the newest N of a prefix are sorted by time, which costs little for the runs of one prefix.
    const chars = Array.from(f.session);
    const last = chars.pop()!.codePointAt(0)!;
    const upper = chars.join('') + String.fromCodePoint(Math.min(last + 1, 0x10ffff));
    where.push('e.session >= ? AND e.session < ? AND (e.session = ? OR NOT EXISTS (SELECT 1 FROM events x WHERE x.session = ?))');
    params.push(f.session, upper, f.session, f.session);
  } else eq('session', f.session);
  eq('tool', f.tool);
  if (f.decision === 'ask') where.push('e.asked = 1');
  else eq('decision', f.decision);
  eq('decided_by', f.decidedBy);
  eq('cwd', f.cwd);
  const forms = f.folder === undefined ? undefined : folderForms(f.folder, paths);
  if (forms !== undefined) {
    // Separators and (where paths ignore it) case folded on both sides; "/work/a" never matches "/work/ab".
    const key = (column: string): string => (forms.caseInsensitive ? `lower(replace(${column}, '\\', '/'))` : `replace(${column}, '\\', '/')`);
    const under = (column: string): string => forms.keys.map(() => `(${key(column)} = ? OR substr(${key(column)}, 1, length(?) + 1) = ?)`).join(' OR ');
    // file.path is read from the JSON only for the events that carry one (a parse per row otherwise).
    const filePath = `json_extract(e.json, '$.attributes."file.path"')`;
    where.push(`((${under('e.cwd')}) OR (e.name IN ('${EVENT_NAMES.fileOutOfScope}', '${EVENT_NAMES.escalationRaised}') AND (${under(filePath)})))`);
    for (let i = 0; i < 2; i++) for (const k of forms.keys) params.push(k, k, `${k}/`);
  }
  const match = f.text === undefined ? undefined : ftsQuery(f.text);
  if (f.text !== undefined && match === undefined) where.push('0');
  if (match !== undefined) {
    where.push('e.rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)');
    params.push(match);
  }
  if (f.before !== undefined) {
    if (match !== undefined) {
      where.push('e.rowid < ?');
      params.push(f.before.rowid);
    } else {
      // `time <= ?` first: a bound the time index can seek to (an OR alone is not one).
      where.push('e.time <= ? AND (e.time < ? OR e.rowid < ?)');
      params.push(f.before.time, f.before.time, f.before.rowid);
    }
  }
  params.push(f.limit);
  return {
    sql: `SELECT e.rowid AS rowid, e.time AS time, e.json AS json FROM events e${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${match !== undefined ? 'e.rowid DESC' : 'e.time DESC, e.rowid DESC'} LIMIT ?`,
    params,
  };
}
