// The timeline: an index of the evidence journal in the data folder (SQLite, WAL), so "what happened"
// is a query, not a read of every JSONL line. The journal stays the record; this is a cache of it.
//
// Kept up to date by journal position, not by a hook on append: the running core and one-shot
// commands (scope, connect) both append, and `timeline` must answer whether or not the companion
// runs. So every reader first indexes what the journal gained since the recorded position (journal
// read(), which passes only lines whose integrity tag verifies: forged lines are never indexed).
// The running core also follows appends (follow(); in a worker thread where one starts:
// timeline-follower-service.ts), so its own queries stay cheap.
//
// Rebuilt when the store is missing or unreadable, or when the recorded position no longer matches
// the journal (deleted or started again, cut short). A crash between rows and position cannot
// happen: the position is written in the same transaction as the rows.
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import type { DecisionJournalService, EvidenceEvent } from '../evidence/index.js';
import { loadSqlite } from './sqlite-loader.js';
import {
  insertValues,
  DROP_FOLDER_KEY,
  folderKeysBefore,
  resolveFolder,
  TIMELINE_INSERT,
  TIMELINE_SCHEMA,
  TIMELINE_SCHEMA_VERSION,
  timelineQuery,
  timelineRow,
  type FolderKey,
  type TimelineFilter,
  type TimelinePaths,
  type TimelineSql,
} from './timeline-query-policy.js';

export const TIMELINE_FILE = 'timeline.sqlite';
// No unique index on event_id (TIMELINE_SCHEMA): lines are indexed once, by position, inside one
// transaction with the position; a random-key B-tree would double the cost of a rebuild.
const DAY_MS = 86_400_000;
/** Events per transaction while catching up (a one-shot command, nothing else waiting). */
const BATCH = 5000;
/** The running core's batch per turn of the event loop: about 50 ms of indexing, so a decision
 *  never waits long behind a rebuild. */
const FOLLOW_BATCH = 500;

type Journal = Pick<DecisionJournalService, 'read' | 'segments' | 'segmentSize' | 'onAppend'>;

/** The next unread byte of the journal, and the first event of that segment: proof that the segment
 *  is still the one indexed (a journal deleted and started again has another first event). */
interface Position {
  segment: number;
  offset: number;
  first?: string;
}

export interface TimelineOptions {
  dataDir: string;
  journal: Journal;
  /** Rows older than this many days are pruned (policy `timeline.retentionDays`), read at each use. */
  retentionDays: () => number;
  now: () => number;
  /** The home folder and platform of the stored paths (the folder filter, timeline-query-policy.ts).
   *  The platform decides how folder keys are stored: every process on one store gives the same. */
  paths?: TimelinePaths;
  /** Open without writing (a data folder this process may not write): no catch-up, no pruning. */
  readOnly?: boolean;
  /** At most this many events indexed before a query (the running core: its follower thread does
   *  the rest, so a rebuild never holds the thread that answers hooks); `complete` says whether the
   *  query saw the whole journal. Default: all (a one-shot command). */
  catchUpLimit?: number;
}

export interface CatchUpResult {
  indexed: number;
  rebuilt: boolean;
  pruned: number;
}

/** Everything the store holds (meta's position included): what a rebuild starts from. */
const DROP_TABLES = 'DROP TRIGGER IF EXISTS events_ai; DROP TRIGGER IF EXISTS events_ad; DROP TABLE IF EXISTS events_fts; DROP TABLE IF EXISTS events; DROP TABLE IF EXISTS folders; DROP TABLE IF EXISTS meta;';

/** SQLITE_BUSY or SQLITE_LOCKED (primary codes 5 and 6), as node:sqlite reports them. */
const busy = (error: unknown): boolean => [5, 6].includes(((error as { errcode?: number }).errcode ?? 0) & 0xff);

const userVersion = (db: DatabaseSync): number => (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;

export class TimelineStoreService {
  private db: DatabaseSync;
  private readonly file: string;
  private followTimer: NodeJS.Timeout | undefined;
  private unfollow: (() => void) | undefined;
  private caughtUp = true;

  constructor(private readonly o: TimelineOptions) {
    this.file = join(o.dataDir, TIMELINE_FILE);
    this.db = this.open();
  }

  private open(): DatabaseSync {
    const { DatabaseSync } = loadSqlite();
    if (this.o.readOnly) {
      const db = new DatabaseSync(this.file, { readOnly: true });
      const version = userVersion(db);
      if (version === TIMELINE_SCHEMA_VERSION) return db;
      db.close();
      throw new Error(`the timeline store is of another version (${version}, this one reads ${TIMELINE_SCHEMA_VERSION}); opened by its owner, it is made again from the journal`);
    }
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    try {
      return this.prepare(new DatabaseSync(this.file));
    } catch (error) {
      // Busy (another process holds it, rebuilding say): never deleted under that process.
      if (busy(error)) throw error;
      // Not a database: it is only an index, so it is made again.
      this.removeFiles();
      return this.prepare(new DatabaseSync(this.file));
    }
  }

  private prepare(db: DatabaseSync): DatabaseSync {
    try {
      // WAL: a query in one process never waits for the other's writes, nor blocks them.
      // A page cache that holds the indexes' hot pages: with SQLite's 2 MB default, indexing thrashes.
      db.exec('PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;');
      if (userVersion(db) !== TIMELINE_SCHEMA_VERSION) {
        // New, or of another schema: made (again) in place, in one transaction, and indexed from the
        // journal. Not by deleting the file: another process (a command, the follower thread) may
        // have it open, and would go on writing into a deleted file.
        db.exec('BEGIN IMMEDIATE');
        try {
          const version = userVersion(db); // another process may have just made it
          if (version !== TIMELINE_SCHEMA_VERSION) {
            if (version !== 0) db.exec(DROP_TABLES);
            db.exec(TIMELINE_SCHEMA);
            db.exec(`PRAGMA user_version = ${TIMELINE_SCHEMA_VERSION}`);
          }
          db.exec('COMMIT');
        } catch (error) {
          db.exec('ROLLBACK');
          throw error;
        }
      }
      db.exec(TIMELINE_SCHEMA); // a table removed by hand comes back (empty: the position is then redone)
      chmodSync(this.file, 0o600);
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private removeFiles(): void {
    for (const f of [this.file, `${this.file}-wal`, `${this.file}-shm`]) rmSync(f, { force: true });
  }

  private position(): Position {
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'position'").get() as { value: string } | undefined;
    if (!row) return { segment: 0, offset: 0 };
    try {
      return JSON.parse(row.value) as Position;
    } catch {
      return { segment: 0, offset: 0 };
    }
  }

  private firstEventOf(segment: number): string | undefined {
    return this.o.journal.read({ segment, offset: 0 }, 1, 1024 * 1024, true).events[0]?.eventId;
  }

  /** Whether the journal still is the one indexed up to the recorded position. */
  private positionHolds(p: Position): boolean {
    if (p.segment === 0) return true;
    const segments = this.o.journal.segments();
    if (!segments.includes(p.segment)) {
      // Dropped by the journal's disk budget while not yet indexed (older segments go first): go on
      // with the next one. No later segment: the journal was started again.
      return segments.some((s) => s > p.segment);
    }
    if (this.o.journal.segmentSize(p.segment) < p.offset) return false;
    return p.offset === 0 || this.firstEventOf(p.segment) === p.first;
  }

  private rebuild(): void {
    this.db.exec(DROP_TABLES);
    this.db.exec(TIMELINE_SCHEMA);
  }

  /**
   * Indexes what the journal holds beyond the recorded position (rebuilding first if that position
   * no longer matches), then prunes rows older than the retention. `maxBatches` bounds the work of
   * one call (the running core spreads a rebuild over several turns of the event loop).
   */
  catchUp(maxBatches = Infinity, batchSize = BATCH): CatchUpResult & { done: boolean } {
    const result = { indexed: 0, rebuilt: false, pruned: 0, done: true };
    if (this.o.readOnly) return result;
    const cutoff = this.o.now() - this.o.retentionDays() * DAY_MS;
    const insert = this.db.prepare(TIMELINE_INSERT);
    const savePosition = this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('position', ?)");
    for (let batch = 0; ; batch++) {
      if (batch >= maxBatches) {
        if (!this.atJournalEnd()) return { ...result, done: false };
        break; // all indexed: prune now (the follower's turns end here)
      }
      // One writer at a time across processes; the position is read inside the transaction.
      this.db.exec('BEGIN IMMEDIATE');
      try {
        let p = this.position();
        if (!this.positionHolds(p)) {
          this.rebuild();
          result.rebuilt = true;
          p = { segment: 0, offset: 0 };
        }
        const from = p.segment === 0 ? { segment: this.o.journal.segments()[0] ?? 1, offset: 0 } : { segment: p.segment, offset: p.offset };
        const read = this.o.journal.read(from, batchSize, 8 * 1024 * 1024);
        for (const event of read.events) {
          if (event.time < cutoff) continue;
          insert.run(...insertValues(timelineRow(event, this.o.paths?.platform)));
          result.indexed++;
        }
        const moved = read.next.segment !== from.segment || read.next.offset !== from.offset;
        if (moved) {
          const first = read.next.offset === 0 ? undefined : read.next.segment === p.segment && p.first !== undefined ? p.first : this.firstEventOf(read.next.segment);
          savePosition.run(JSON.stringify({ ...read.next, ...(first !== undefined ? { first } : {}) } satisfies Position));
        }
        this.db.exec('COMMIT');
        if (!moved) break;
      } catch (error) {
        this.db.exec('ROLLBACK');
        throw error;
      }
    }
    result.pruned = this.prune(cutoff);
    return result;
  }

  /** Whether the recorded position is the journal's end (nothing left to index). */
  private atJournalEnd(): boolean {
    const p = this.position();
    const last = this.o.journal.segments().at(-1);
    return last === undefined || (p.segment === last && p.offset >= this.o.journal.segmentSize(last));
  }

  /** Before a query: all that is new, or at most `catchUpLimit` events of it (see `complete`). */
  private catchUpForQuery(): void {
    const limit = this.o.catchUpLimit;
    const batch = Math.max(1, Math.min(limit ?? BATCH, FOLLOW_BATCH));
    this.caughtUp = (limit === undefined ? this.catchUp() : this.catchUp(Math.ceil(limit / batch), batch)).done;
  }

  /** The platform the folder keys are made for: another writer of this store must make the same. */
  get folderKeyPlatform(): NodeJS.Platform | undefined {
    return this.o.paths?.platform;
  }

  /** The last query saw the whole journal (false: the store is still being built, see catchUpLimit). */
  get complete(): boolean {
    return this.caughtUp;
  }

  /** Drops the rows older than `cutoff`, and the folder keys only they held (the work is the rows'). */
  private prune(cutoff: number): number {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const before = folderKeysBefore(cutoff);
      const keys = this.db.prepare(before.sql).all(...before.params) as unknown as FolderKey[];
      const pruned = Number(this.db.prepare('DELETE FROM events WHERE time < ?').run(cutoff).changes);
      if (keys.length > 0) {
        // Prepared only when there are keys to look at: this runs on every catch-up, nearly always with none.
        const drops = new Map(Object.entries(DROP_FOLDER_KEY).map(([column, sql]) => [column, this.db.prepare(sql)]));
        for (const k of keys) drops.get(k.column_name)?.run(k.key, k.key);
      }
      this.db.exec('COMMIT');
      return pruned;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** The SQL of a filter, its folder (if any) first resolved against the store. */
  private sqlFor(filter: TimelineFilter): TimelineSql {
    return timelineQuery(filter, resolveFolder(filter, this.o.paths ?? {}, (q) => this.db.prepare(q.sql).all(...q.params)));
  }

  /** The events that match, oldest first (the newest `limit` of them). Catches up first. */
  query(filter: TimelineFilter): EvidenceEvent[] {
    this.catchUpForQuery();
    const { sql, params } = this.sqlFor(filter);
    const rows = this.db.prepare(sql).all(...params) as { json: string }[];
    return rows.reverse().map((r) => JSON.parse(r.json) as EvidenceEvent);
  }

  /** Like query, but the newest events whose journaled text fits in `maxBytes` (UTF-8) as well as
   *  `limit`: `truncated` when either cut the result. */
  queryWithin(filter: TimelineFilter, maxBytes: number): { events: EvidenceEvent[]; truncated: boolean } {
    this.catchUpForQuery();
    const { sql, params } = this.sqlFor({ ...filter, limit: filter.limit + 1 });
    const kept: string[] = [];
    let bytes = 0;
    let truncated = false;
    // Row by row: nothing past the budget is read into memory or parsed.
    for (const row of this.db.prepare(sql).iterate(...params) as Iterable<{ json: string }>) {
      bytes += Buffer.byteLength(row.json);
      if (kept.length === filter.limit || bytes > maxBytes) {
        truncated = true;
        break;
      }
      kept.push(row.json);
    }
    return { events: kept.reverse().map((j) => JSON.parse(j) as EvidenceEvent), truncated };
  }

  /** One page for the Timeline view: the newest `limit` that match, newest first, each with its
   *  cursor (`before` of the next page). Catches up first. */
  page(filter: TimelineFilter, attributes?: readonly string[]): { event: EvidenceEvent; cursor: { time: number; rowid: number } }[] {
    this.catchUpForQuery();
    const query = this.sqlFor(filter);
    let { sql, params } = query;
    if (attributes) {
      // Only these attributes (with their JSON types), picked out by SQLite: a page of relayed agent
      // records of ~1 MB each is never read whole into the core.
      const pick = attributes.map(() => '?, json(e.json -> ?)').join(', ');
      sql = sql.replace('e.json AS json', `json_object('eventId', e.event_id, 'name', e.name, 'time', e.time, 'attributes', json_object(${pick})) AS json`);
      params = [...attributes.flatMap((k) => [k, `$.attributes."${k.replace(/"/g, '')}"`]), ...params];
    }
    const rows = this.db.prepare(sql).all(...params) as { rowid: number; time: number; json: string }[];
    return rows.map((r) => ({ event: JSON.parse(r.json) as EvidenceEvent, cursor: { time: r.time, rowid: r.rowid } }));
  }

  /** Without catching up first (the bench measures the query alone). */
  queryOnly(filter: TimelineFilter): EvidenceEvent[] {
    const { sql, params } = this.sqlFor(filter);
    return (this.db.prepare(sql).all(...params) as { json: string }[]).reverse().map((r) => JSON.parse(r.json) as EvidenceEvent);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  }

  /** The running core: index new lines shortly after they are durably journaled, a batch per turn. */
  follow(onError: (error: unknown) => void, delayMs = 500): void {
    if (this.unfollow || this.o.readOnly) return;
    const run = (): void => {
      this.followTimer = undefined;
      try {
        if (!this.catchUp(1, FOLLOW_BATCH).done) schedule(0);
      } catch (error) {
        onError(error);
      }
    };
    const schedule = (ms: number): void => {
      if (this.followTimer) return;
      this.followTimer = setTimeout(run, ms);
      this.followTimer.unref();
    };
    this.unfollow = this.o.journal.onAppend((_count, durable) => {
      if (durable) schedule(delayMs);
    });
    schedule(0);
  }

  close(): void {
    clearTimeout(this.followTimer);
    this.followTimer = undefined;
    this.unfollow?.();
    this.unfollow = undefined;
    if (this.db.isOpen) this.db.close();
  }
}
