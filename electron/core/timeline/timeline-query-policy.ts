// What the timeline stores of one evidence event (its columns), and the SQL of a filtered query.
// Pure: no database here. Results are the newest `limit` by time (journal order among equal times):
// every filter column is indexed as (column, time), so "the newest N that match" walks one index
// backwards and stops, with no sort, whatever the time range. With words, journal order instead
// (the rowid, the same but across a clock change): the full-text index yields its matches in rowid
// order, and sorting every match of a common word by time would cost hundreds of ms at 1M events.
//
// A folder is resolved first (resolveFolder) against the small `folders` table of the folder keys
// stored: nothing under it; a few keys, each read through its (key, time) index; the folder's rows
// through those indexes; or, when the folder holds many rows, another index leading and each row
// tested. Testing every row instead cost 1.2 s at 1M events for a folder with nothing in it.
import { ATTR, EVENT_NAMES } from '../../../shared/telemetry-events.js';
import type { EvidenceEvent } from '../evidence/index.js';

/** Where the stored paths come from: the home folder (the journal may hold it as `~`, policy
 *  `telemetry.redaction.shortenHomePaths`) and the platform (whose paths compare without case). */
export interface TimelinePaths {
  home?: string;
  platform?: NodeJS.Platform;
}

/** `/` separators, no repeats, no trailing one. A leading pair stays (a UNC path, \\server\share). */
const separated = (path: string): string => path.replace(/\\/g, '/').replace(/(?<!^)\/+/g, '/').replace(/\/+$/, '');

/** Windows and macOS paths, and any path with a drive letter or a UNC start, compare without case
 *  (asked of the separated path, so that a stored path and a typed one are asked alike). */
const caseInsensitive = (path: string, platform: NodeJS.Platform | undefined): boolean =>
  /^([A-Za-z]:|\/\/[^/])/.test(path) || platform === 'win32' || platform === 'darwin';

const folded = (path: string): string => path.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** A path as the folder filter compares it: separated, and in ASCII lower case where paths are
 *  case-insensitive. */
function folderKey(path: string, platform: NodeJS.Platform | undefined): string {
  const key = separated(path);
  return caseInsensitive(key, platform) ? folded(key) : key;
}

/** A stored path (a working folder, a changed file) as the folder index holds it; null for none or a root. */
export function storedFolderKey(path: string | null, platform: NodeJS.Platform | undefined): string | null {
  if (path === null) return null;
  const key = folderKey(path, platform);
  return key === '' ? null : key;
}

/** The folder a changed file is in, as the folder index holds it (a folder of many files is one key). */
function storedFileFolderKey(path: string | null, platform: NodeJS.Platform | undefined): string | null {
  const key = storedFolderKey(path, platform);
  const slash = key === null ? -1 : key.lastIndexOf('/');
  return slash <= 0 ? null : key!.slice(0, slash);
}

/**
 * The forms of a folder the filter matches: as typed, and with the home folder as `~` (or typed as
 * `~`, expanded), since the journal holds either depending on the redaction policy when recorded.
 * Windows and macOS paths (and any path with a drive letter) compare without case. `undefined`: a
 * root (`/`, `C:\`) or an empty folder, which is every event.
 */
export function folderForms(folder: string, paths: TimelinePaths = {}): string[] | undefined {
  const typed = separated(folder.trim());
  const fold = caseInsensitive(typed, paths.platform);
  const key = fold ? folded(typed) : typed;
  if (key === '' || /^[a-z]:$/i.test(key)) return undefined;
  const keys = [key];
  // The home as the typed folder compares (a Windows home under a drive letter folds with it).
  const home = paths.home?.trim() ? (fold ? folded(separated(paths.home.trim())) : separated(paths.home.trim())) : '';
  // A root home is never shortened (redaction-policy.ts homePathPattern).
  if (home !== '' && !/^[a-z]:$/i.test(home)) {
    if (key === home || key.startsWith(`${home}/`)) keys.push(`~${key.slice(home.length)}`);
    else if (key === '~' || key.startsWith('~/')) keys.push(home + key.slice(1));
  }
  return keys;
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
  /** The working folder as the folder index holds it (storedFolderKey). */
  cwdKey: string | null;
  /** The folder of the file an out-of-scope change or an escalation names, as the folder index holds it. */
  fileFolderKey: string | null;
  text: string;
  json: string;
}

/** The events whose `file.path` the folder filter matches (a changed file, not a request's target). */
const FILE_EVENTS: ReadonlySet<string> = new Set([EVENT_NAMES.fileOutOfScope, EVENT_NAMES.escalationRaised]);

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** `platform`: the one the store's folder keys are made for (TimelinePaths). */
export function timelineRow(event: EvidenceEvent, platform?: NodeJS.Platform): TimelineRow {
  const a = event.attributes;
  const cwd = str(a[ATTR.cwd]);
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
    cwd,
    cwdKey: storedFolderKey(cwd, platform),
    fileFolderKey: FILE_EVENTS.has(event.name) ? storedFileFolderKey(str(a[ATTR.filePath]), platform) : null,
    text: words.join(' '),
    json: JSON.stringify({ eventId: event.eventId, name: event.name, time: event.time, attributes: a, ...(event.trace ? { trace: event.trace } : {}) }),
  };
}

/** The store's tables (SQLite). `folders` holds each folder key once, by the column it is in: the
 *  folder filter's first step reads a range of it. */
export const TIMELINE_SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
  rowid INTEGER PRIMARY KEY,
  event_id TEXT NOT NULL,
  time INTEGER NOT NULL,
  name TEXT NOT NULL,
  session TEXT, tool TEXT, decision TEXT, asked INTEGER NOT NULL DEFAULT 0, decided_by TEXT, cwd TEXT,
  cwd_key TEXT, file_folder_key TEXT,
  text TEXT NOT NULL,
  json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_time ON events(time);
CREATE INDEX IF NOT EXISTS events_session ON events(session, time);
CREATE INDEX IF NOT EXISTS events_tool ON events(tool, time);
CREATE INDEX IF NOT EXISTS events_decision ON events(decision, time);
CREATE INDEX IF NOT EXISTS events_tool_decision ON events(tool, decision, time);
CREATE INDEX IF NOT EXISTS events_asked ON events(asked, time) WHERE asked = 1;
CREATE INDEX IF NOT EXISTS events_cwd_key ON events(cwd_key, time) WHERE cwd_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_file_folder_key ON events(file_folder_key, time) WHERE file_folder_key IS NOT NULL;
CREATE TABLE IF NOT EXISTS folders (column_name TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (key, column_name)) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS events_fts USING fts5(text, content='events', content_rowid='rowid');
CREATE TRIGGER IF NOT EXISTS events_ai AFTER INSERT ON events BEGIN
  INSERT INTO events_fts(rowid, text) VALUES (new.rowid, new.text);
  INSERT OR IGNORE INTO folders(column_name, key) SELECT 'cwd_key', new.cwd_key WHERE new.cwd_key IS NOT NULL;
  INSERT OR IGNORE INTO folders(column_name, key) SELECT 'file_folder_key', new.file_folder_key WHERE new.file_folder_key IS NOT NULL;
END;
CREATE TRIGGER IF NOT EXISTS events_ad AFTER DELETE ON events BEGIN
  INSERT INTO events_fts(events_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
END;
`;

/** A store made by another schema is made again from the journal (it is only an index). */
export const TIMELINE_SCHEMA_VERSION = 2;

export const TIMELINE_INSERT =
  'INSERT INTO events (event_id, time, name, session, tool, decision, asked, decided_by, cwd, cwd_key, file_folder_key, text, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

/** TIMELINE_INSERT's values for a row, in order. */
export const insertValues = (r: TimelineRow): (string | number | null)[] => [r.eventId, r.time, r.name, r.session, r.tool, r.decision, r.asked, r.decidedBy, r.cwd, r.cwdKey, r.fileFolderKey, r.text, r.json];

/** Each folder key column's (key, time) index: also the list of columns a folder key may name. */
const FOLDER_INDEXES: ReadonlyMap<string, string> = new Map([
  ['cwd_key', 'events_cwd_key'],
  ['file_folder_key', 'events_file_folder_key'],
]);

/** Before the rows older than `cutoff` are pruned: the folder keys they hold. */
export function folderKeysBefore(cutoff: number): TimelineSql {
  const columns = [...FOLDER_INDEXES.keys()];
  return {
    sql: columns.map((column) => `SELECT '${column}' AS column_name, ${column} AS key FROM events WHERE time < ? AND ${column} IS NOT NULL`).join(' UNION '),
    params: columns.map(() => cutoff),
  };
}

/** After the prune: a key of folderKeysBefore that no row holds any more is dropped (`?` twice: the key). */
export const DROP_FOLDER_KEY: Readonly<Record<string, string>> = Object.fromEntries(
  [...FOLDER_INDEXES.keys()].map((column) => [column, `DELETE FROM folders WHERE column_name = '${column}' AND key = ? AND NOT EXISTS (SELECT 1 FROM events WHERE ${column} = ?)`]),
);

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
  /** Events of a working folder (cwd) at or below this folder, and changes of files (file.path) in it
   *  (through the folder keys' indexes: resolveFolder). */
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

/** A folder key the store holds, and the column it is in (a row of `folders`). */
export interface FolderKey {
  column_name: string;
  key: string;
}

/** How a folder filter is read (resolveFolder decides; timelineQuery builds it). */
export type ResolvedFolder =
  /** Nothing was ever stored at or below the folder. */
  | { read: 'none' }
  /** Each of a few keys' newest `limit` through its own (key, time) index, merged. */
  | { read: 'per-key'; keys: readonly FolderKey[] }
  /** The rows of many keys on few rows, through the keys' indexes, sorted. */
  | { read: 'key-rows'; forms: readonly string[] }
  /** Another index leads (time, run, tool, decision, words), each row tested against the folder,
   *  from the newest row under it (`newest`: a folder of old runs does not walk every newer row). */
  | { read: 'tested'; forms: readonly string[]; newest: number };

/** Up to this many keys, each key's newest `limit` can be read through its own index. */
export const MAX_FOLDER_BRANCHES = 16;

/** Past this many rows under a folder (counting stops there: asking is cheap), another index leads
 *  and each row is tested: at least this share of the store matches, so matches come soon. Below
 *  it, the folder's own indexes lead (at most this many rows read). */
export const DENSE_FOLDER_ROWS = 50_000;

/** `folders` rows at or below the folder's forms. "/work/a" never reaches "/work/ab": `0` follows
 *  `/`, so the range [k/, k0) holds exactly the keys that start with `k/`. */
function keysUnder(forms: readonly string[], params: (string | number)[], column?: string): string {
  params.push(...forms.flatMap((k) => [k, `${k}/`, `${k}0`]));
  const range = forms.map(() => '(key = ? OR (key >= ? AND key < ?))').join(' OR ');
  return column === undefined ? `(${range})` : `column_name = '${column}' AND (${range})`;
}

/** The rows under the folder, each column through its index (no key is bound: a folder of many
 *  changed files has thousands). */
function rowsUnder(forms: readonly string[], params: (string | number)[]): string {
  return [...FOLDER_INDEXES]
    .map(([column, index]) => `SELECT rowid FROM events INDEXED BY ${index} WHERE ${column} IN (SELECT key FROM folders WHERE ${keysUnder(forms, params, column)})`)
    .join(' UNION ALL ');
}

/**
 * How a filter's folder is read, asking the store through `run`: its keys (a few at most), and,
 * where another filter could lead instead, whether more than DENSE_FOLDER_ROWS rows are under it.
 * A run or words always lead (one run is small; words have their own order). `undefined`: no
 * folder, or a root (every event).
 */
export function resolveFolder(
  f: TimelineFilter,
  paths: TimelinePaths,
  run: (q: TimelineSql) => unknown[],
  /** The bounds (tests move them to reach each way of reading). */
  limits: { branches?: number; denseRows?: number } = {},
): ResolvedFolder | undefined {
  const forms = f.folder === undefined ? undefined : folderForms(f.folder, paths);
  if (forms === undefined) return undefined;
  const branches = limits.branches ?? MAX_FOLDER_BRANCHES;
  const lookup: (string | number)[] = [];
  const sql = `SELECT column_name, key FROM folders WHERE ${keysUnder(forms, lookup)} LIMIT ${branches + 1}`;
  const keys = (run({ sql, params: lookup }) as FolderKey[]).filter((k) => FOLDER_INDEXES.has(k.column_name));
  if (keys.length === 0) return { read: 'none' };
  const tested = (): ResolvedFolder => {
    // Each key's newest row is one step down its (key, time) index.
    const params: (string | number)[] = [];
    const newest = [...FOLDER_INDEXES]
      .map(([column, index]) => `SELECT (SELECT max(e.time) FROM events e INDEXED BY ${index} WHERE e.${column} = f.key) AS t FROM folders f WHERE ${keysUnder(forms, params, column)}`)
      .join(' UNION ALL ');
    const [row] = run({ sql: `SELECT max(t) AS t FROM (${newest})`, params }) as { t: number | null }[];
    return typeof row?.t === 'number' ? { read: 'tested', forms, newest: row.t } : { read: 'none' };
  };
  if (f.session !== undefined || f.text !== undefined) return tested();
  const others = f.tool !== undefined || f.decision !== undefined || f.decidedBy !== undefined || f.cwd !== undefined;
  if (keys.length <= branches && !others) return { read: 'per-key', keys };
  const denseRows = limits.denseRows ?? DENSE_FOLDER_ROWS;
  const params: (string | number)[] = [];
  const rows = rowsUnder(forms, params);
  params.push(denseRows + 1);
  const [count] = run({ sql: `SELECT count(*) AS n FROM (${rows} LIMIT ?)`, params }) as { n: number }[];
  if ((count?.n ?? 0) > denseRows) return tested();
  return keys.length <= branches ? { read: 'per-key', keys } : { read: 'key-rows', forms };
}

/**
 * Newest first, at most `limit`; the caller shows them oldest first. A folder filter is taken as
 * resolved (`folder`: resolveFolder); `f.folder` itself is not read here.
 */
export function timelineQuery(f: TimelineFilter, folder?: ResolvedFolder): TimelineSql {
  if (f.folder !== undefined && folder === undefined && folderForms(f.folder) !== undefined) {
    throw new Error('a folder filter is queried with its keys (resolveFolder first)');
  }
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
  const order = match !== undefined ? 'e.rowid DESC' : 'e.time DESC, e.rowid DESC';
  if (folder?.read === 'per-key') {
    // Each key's newest `limit` through its (key, time) index, then the newest of those: no row
    // outside the folder is read. UNION, not UNION ALL: a changed file's event can be in two branches.
    const rest = where.map((w) => ` AND ${w}`).join('');
    const branches = folder.keys.map(
      (k) =>
        `SELECT rowid, time FROM (SELECT e.rowid AS rowid, e.time AS time FROM events e INDEXED BY ${FOLDER_INDEXES.get(k.column_name)} WHERE e.${k.column_name} = ?${rest} ORDER BY ${order} LIMIT ?)`,
    );
    return {
      sql: `SELECT e.rowid AS rowid, e.time AS time, e.json AS json FROM (${branches.join(' UNION ')}) AS u CROSS JOIN events e ON e.rowid = u.rowid ORDER BY ${order.replace(/e\./g, 'u.')} LIMIT ?`,
      params: [...folder.keys.flatMap((k) => [k.key, ...params, f.limit]), f.limit],
    };
  }
  if (folder?.read === 'none') where.push('0');
  else if (folder?.read === 'key-rows') where.push(`e.rowid IN (${rowsUnder(folder.forms, params)})`);
  else if (folder?.read === 'tested') {
    where.push('e.time <= ?');
    params.push(folder.newest);
    // `+`: the test is never an index of its own, so the time, run, tool, decision or words' index leads.
    const tests = [...FOLDER_INDEXES.keys()].map((column) => `+e.${column} IN (SELECT key FROM folders WHERE ${keysUnder(folder.forms, params, column)})`);
    where.push(`(${tests.join(' OR ')})`);
  }
  params.push(f.limit);
  return {
    sql: `SELECT e.rowid AS rowid, e.time AS time, e.json AS json FROM events e${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`,
    params,
  };
}
