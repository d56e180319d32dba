// The evidence journal: append-only JSON lines in numbered segment files, fsynced before a decision
// is answered. It is both the audit trail on this machine and the outbox the shipper drains.
// Group commit: events arriving while a write is in flight share the next write + fsync.
// With an integrity key, each line carries a sequence number and a tag (HMAC over the line), and a
// sealed checkpoint keeps the first and last sequence numbers: an edited or added line, a gap, a
// removed oldest segment and a cut tail are all detected, and forged lines are neither trusted nor
// delivered.
import { constants, mkdirSync, readdirSync, readFileSync, statSync, openSync, closeSync, writeSync, fstatSync, readSync, unlinkSync, watch, type FSWatcher } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { SealedLatestPort, TagKey } from '../base/index.js';
import type { EvidenceEvent } from './evidence-event.js';

const SEGMENT = /^evidence-(\d{10})\.jsonl$/;
export const segmentName = (seq: number): string => `evidence-${String(seq).padStart(10, '0')}.jsonl`;

/** Position in the journal: the next unread byte of segment `segment`. */
export interface JournalCursor {
  segment: number;
  offset: number;
}

export interface JournalRead {
  events: EvidenceEvent[];
  /** Lines that are not valid events (torn by a crash mid-write, or edited by hand): skipped. */
  corrupt: number;
  next: JournalCursor;
}

/** read() with each event as JSON text (readJson). */
export type JournalReadJson = Omit<JournalRead, 'events'> & { lines: string[] };

interface Waiting {
  /** The line's JSON without its sequence number and tag (both are given at write time). */
  json: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface JournalIntegrityOptions {
  key: TagKey;
  /** Where the first and last sequence numbers are kept (sealed: only the core writes it). */
  checkpoint: SealedLatestPort;
  /** The key is new (first start with integrity): lines already in the journal are from before. */
  firstUse: boolean;
  /** The running core numbers its lines; a one-shot command appending beside it tags its lines
   *  without numbers (two counters would collide) and leaves the checkpoint to the core. */
  sequenced: boolean;
}

/** What a journal's reader trusts: lines tagged with `key`, and untagged lines before `legacyEnd`
 *  (written before integrity tags existed). */
export interface JournalTrust {
  key: TagKey;
  legacyEnd: JournalCursor;
}

export interface JournalOptions {
  /** Roll to a new segment after this many bytes. */
  segmentBytes?: number;
  integrity?: JournalIntegrityOptions;
  /**
   * Only read, beside the core that writes it (the timeline's worker thread): opening writes nothing
   * (a tail without its newline is a line still being written, not one to repair), appends are
   * refused, and what is trusted is the writer's (its `legacyEnd`, its key); undefined: no key.
   */
  reader?: { trust: JournalTrust | undefined };
}

/** What a check of the whole journal found. */
export interface JournalIntegrity {
  checked: number;
  /** Events that should be there and are not: sequence gaps, removed oldest segments, a cut tail. */
  missing: number;
  /** Lines whose tag does not verify, or untagged lines after tagged ones: edited or added by another process. */
  forged: number;
  problems: string[];
}

const CheckpointShape = (v: unknown): v is Checkpoint =>
  typeof v === 'object' && v !== null && Number.isInteger((v as Checkpoint).firstSeq) && Number.isInteger((v as Checkpoint).lastSeq);
interface Checkpoint {
  /** The oldest sequence number that should still be on disk (older ones were dropped and reported). */
  firstSeq: number;
  lastSeq: number;
  /** Untagged lines before this position were written before integrity tags existed. */
  legacyEnd: JournalCursor;
}

const CHECKPOINT_DELAY_MS = 100;
/** How long a sum of the segments' sizes stands (other processes append too: a one-shot command's lines). */
const TOTAL_BYTES_TTL_MS = 1000;
/** Lines remembered as written (a few batches: the shipper and the timeline read them back soon). */
const WRITTEN_KEPT = 4096;
/** A line as this process wrote it: its text, its JSON before the tag, its event once parsed. */
interface Written {
  text: string;
  json: string;
  event?: EvidenceEvent | undefined;
}
const TAG = /,"tag":"([A-Za-z0-9_-]+)"\}$/;
const before = (a: JournalCursor, b: JournalCursor): boolean => a.segment < b.segment || (a.segment === b.segment && a.offset < b.offset);

export class DecisionJournalService {
  private handle: FileHandle | undefined;
  private queue: Waiting[] = [];
  private totalCache: { at: number; bytes: number; segment: number; current: number } | undefined;
  /** See remember(): the newest lines written, by `segment:offset`. */
  private readonly written = new Map<string, Written>();
  private flushing: Promise<void> | undefined;
  private current: number;
  private currentBytes: number;
  private readonly segmentBytes: number;
  private readonly listeners = new Set<(count: number, durable: boolean) => void>();
  private readonly integrity: JournalIntegrityOptions | undefined;
  private checkpoint: Checkpoint | undefined;
  /** The last sequence number written. */
  private seq = 0;
  private watcher: FSWatcher | undefined;
  private watchTimer: NodeJS.Timeout | undefined;
  private checkpointTimer: NodeJS.Timeout | undefined;
  /** Set when this only reads (options.reader). */
  private readonly reader: { trust: JournalTrust | undefined } | undefined;

  constructor(
    private readonly dir: string,
    options: JournalOptions = {},
  ) {
    this.segmentBytes = options.segmentBytes ?? 8 * 1024 * 1024;
    this.reader = options.reader;
    if (this.reader) {
      this.current = this.segments().at(-1) ?? 1;
      this.currentBytes = 0;
      return;
    }
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch {
      // Not fatal here: every append will fail (and each decision is then denied) until it works.
    }
    const segments = this.segments();
    this.current = segments.at(-1) ?? 1;
    this.currentBytes = this.repairTail(join(dir, segmentName(this.current)));
    this.integrity = options.integrity;
    if (this.integrity) this.openCheckpoint(this.integrity);
  }

  private openCheckpoint(integrity: JournalIntegrityOptions): void {
    let stored: unknown;
    try {
      stored = JSON.parse(integrity.checkpoint.read() ?? 'null');
    } catch {
      stored = null;
    }
    const tail = this.lastSeqIn(this.current);
    if (CheckpointShape(stored)) {
      this.checkpoint = stored;
      this.seq = Math.max(stored.lastSeq, tail ?? 0);
    } else {
      // First start with tags: what is there is from before. Otherwise the checkpoint was removed
      // (its seal reported it): nothing untagged is trusted, and the next check says what it can.
      const end = { segment: this.current, offset: this.currentBytes };
      this.seq = tail ?? 0;
      this.checkpoint = { firstSeq: integrity.firstUse ? 1 : 0, lastSeq: this.seq, legacyEnd: integrity.firstUse ? end : { segment: 0, offset: 0 } };
      // At once, not in the background: a one-shot command may end without closing the journal.
      try {
        integrity.checkpoint.write(JSON.stringify(this.checkpoint));
      } catch {
        // A full disk: the next start makes it again.
      }
    }
  }

  /** After appends: the checkpoint follows within CHECKPOINT_DELAY_MS (two file writes per batch would
   *  double an append's cost); a cut tail younger than that is the one thing it cannot count. */
  private scheduleCheckpoint(): void {
    if (this.checkpointTimer) return;
    this.checkpointTimer = setTimeout(() => {
      this.checkpointTimer = undefined;
      this.saveCheckpoint();
    }, CHECKPOINT_DELAY_MS);
    this.checkpointTimer.unref();
  }

  private saveCheckpoint(): void {
    clearTimeout(this.checkpointTimer);
    this.checkpointTimer = undefined;
    if (!this.integrity || !this.checkpoint) return;
    // Off the event loop (decisions wait on it otherwise). A full disk: the previous checkpoint
    // stays, which only makes the next check less strict.
    this.checkpoint.lastSeq = this.seq;
    this.integrity.checkpoint.writeSoon(JSON.stringify(this.checkpoint));
  }

  get directory(): string {
    return this.dir;
  }

  /** Untagged lines before this position are trusted (written before integrity tags existed);
   *  undefined without an integrity key. What a reader beside this writer is given (JournalTrust). */
  get legacyEnd(): JournalCursor | undefined {
    return this.integrity && this.checkpoint ? { ...this.checkpoint.legacyEnd } : undefined;
  }

  /** `count` lines are about to be written (negative: a write failed), so a reader that sees them
   *  early is never ahead of the count; `durable` is true once they are fsynced. */
  onAppend(listener: (count: number, durable: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once the line is durably on disk; rejects if the write or fsync fails. */
  append(event: EvidenceEvent): Promise<void> {
    if (this.reader) return Promise.reject(new Error('this journal is opened to read only'));
    const json = JSON.stringify({ v: 1, ...event });
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ json, resolve, reject });
      // Started a microtask later, so every append of this synchronous stretch (a decision's request
      // and decision records, the answers of several connections) joins the same write and fsync.
      this.flushing ??= Promise.resolve().then(() => this.flush());
    });
  }

  /** Segment numbers present, oldest first. */
  segments(): number[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    return names
      .map((n) => SEGMENT.exec(n)?.[1])
      .filter((s): s is string => s !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  segmentSize(seq: number): number {
    try {
      return statSync(join(this.dir, segmentName(seq))).size;
    } catch {
      return 0;
    }
  }

  /** Bytes of every segment. Listing and stating them all on each call cost more than the append
   *  itself (status and the budget ask after every batch): the sum is taken again at most once per
   *  TOTAL_BYTES_TTL_MS, or when segments roll or go, and this process's own appends are added as made. */
  totalBytes(): number {
    const now = Date.now();
    const c = this.totalCache;
    if (c && now - c.at < TOTAL_BYTES_TTL_MS && c.segment === this.current) return c.bytes + (this.currentBytes - c.current);
    const bytes = this.segments().reduce((sum, s) => sum + this.segmentSize(s), 0);
    this.totalCache = { at: now, bytes, segment: this.current, current: this.currentBytes };
    return bytes;
  }

  /** Deletes a whole segment (never the one being written); the caller reports the loss. */
  deleteSegment(seq: number): void {
    if (this.reader) throw new Error('this journal is opened to read only');
    if (seq >= this.current) throw new Error('cannot delete the segment being written');
    const last = this.lastSeqIn(seq);
    unlinkSync(join(this.dir, segmentName(seq)));
    this.totalCache = undefined;
    if (this.checkpoint && last !== undefined) {
      this.checkpoint.firstSeq = Math.max(this.checkpoint.firstSeq, last + 1);
      this.saveCheckpoint();
    }
  }

  /**
   * Reads complete lines from `from`, up to `maxEvents` / `maxBytes`. A final line without its
   * newline is left for later (it is still being written).
   */
  read(from: JournalCursor, maxEvents = 512, maxBytes = 1024 * 1024, oneSegment = false): JournalRead {
    const { items: events, corrupt, next } = this.readWith(from, maxEvents, maxBytes, oneSegment, (text, at) => this.accept(text, at));
    return { events, corrupt, next };
  }

  /**
   * As read(), but each event as the JSON text of a journal line (parseJournalLine reads it back):
   * a line this process just wrote is given as written, unparsed — the reader that sends it on
   * (the export thread) parses it, not the thread that answers hooks.
   */
  readJson(from: JournalCursor, maxEvents = 512, maxBytes = 1024 * 1024): JournalReadJson {
    const { items: lines, corrupt, next } = this.readWith(from, maxEvents, maxBytes, false, (text, at) => {
      const mine = this.mine(text, at);
      if (mine) return mine.json;
      const event = this.accept(text, at);
      return event && JSON.stringify({ v: 1, ...event });
    });
    return { lines, corrupt, next };
  }

  private readWith<T>(from: JournalCursor, maxEvents: number, maxBytes: number, oneSegment: boolean, take: (text: string, at: JournalCursor) => T | undefined): { items: T[]; corrupt: number; next: JournalCursor } {
    const events: T[] = [];
    let corrupt = 0;
    let cursor = { ...from };
    const segments = this.segments();
    if (!segments.includes(cursor.segment)) {
      const later = segments.find((s) => s > cursor.segment);
      if (later === undefined) return { items: events, corrupt, next: cursor };
      cursor = { segment: later, offset: 0 };
    }
    while (events.length < maxEvents) {
      const file = join(this.dir, segmentName(cursor.segment));
      let chunk: Buffer;
      try {
        const fd = openSync(file, 'r');
        try {
          const size = fstatSync(fd).size;
          // Cut below the reader by another process: read it again from its start (what is re-sent
          // carries its event.id), or what is appended after the cut would never be read.
          if (cursor.offset > size) cursor = { segment: cursor.segment, offset: 0 };
          const length = Math.max(0, Math.min(maxBytes, size - cursor.offset));
          chunk = Buffer.alloc(length);
          readSync(fd, chunk, 0, length, cursor.offset);
        } finally {
          closeSync(fd);
        }
      } catch {
        chunk = Buffer.alloc(0);
      }
      let pos = 0;
      for (;;) {
        if (events.length >= maxEvents) break;
        const nl = chunk.indexOf(0x0a, pos);
        if (nl < 0) break;
        const text = chunk.subarray(pos, nl).toString('utf8');
        const at = { segment: cursor.segment, offset: cursor.offset + pos };
        pos = nl + 1;
        const item = take(text, at);
        if (item !== undefined) events.push(item);
        else if (text.trim() !== '') corrupt++;
      }
      cursor = { segment: cursor.segment, offset: cursor.offset + pos };
      // Read up to the bound: the segment may go on past it.
      if (events.length >= maxEvents || chunk.length === maxBytes || oneSegment) break;
      // This segment is read to its end: move on if a later one exists (it is then complete). A
      // reader's `current` is only where the writer was when it opened: the later segment decides.
      const later = segments.find((s) => s > cursor.segment);
      if (later === undefined || (!this.reader && cursor.segment === this.current)) break;
      // A last line without its newline in a complete segment (another process died mid-write, or
      // its disk filled) is never finished: one corrupt line, not a wait for ever.
      if (chunk.subarray(pos).toString('utf8').trim() !== '') corrupt++;
      cursor = { segment: later, offset: 0 };
    }
    return { items: events, corrupt, next: cursor };
  }

  /** Every event in order that can be trusted (with a key: lines whose tag verifies). */
  readAll(): EvidenceEvent[] {
    return [...this.events()];
  }

  /** The same events one at a time: a pass over the journal that holds one segment, not every event. */
  *events(): Generator<EvidenceEvent> {
    for (const { text, at } of this.lines()) {
      const e = this.accept(text, at);
      if (e) yield e;
    }
  }

  /**
   * Checks the whole journal against its tags and checkpoint (at start; a pass over every line).
   * Without an integrity key there is nothing to check.
   */
  verify(): JournalIntegrity {
    const result: JournalIntegrity = { checked: 0, missing: 0, forged: 0, problems: [] };
    const cp = this.checkpoint;
    if (!this.integrity || !cp) return result;
    let first: number | undefined;
    let prev: number | undefined;
    let gaps = 0;
    this.scan((text, at) => {
      if (text.trim() === '') return;
      result.checked++;
      const line = this.tagged(text);
      if (line === 'legacy' && before(at, cp.legacyEnd)) return;
      if (line === 'legacy' || line === 'forged') {
        result.forged++;
        return;
      }
      if (line === 'corrupt' || line.seq === undefined) return;
      first ??= line.seq;
      if (prev !== undefined && line.seq <= prev) result.forged++;
      else {
        if (prev !== undefined && line.seq > prev + 1) gaps += line.seq - prev - 1;
        prev = line.seq;
      }
    });
    if (result.forged > 0) result.problems.push(`${result.forged} journal line(s) were edited or added by another process; they are not trusted or delivered`);
    if (gaps > 0) result.problems.push(`${gaps} event(s) are missing from the middle of the journal`);
    const head = first !== undefined && cp.firstSeq > 0 ? first - cp.firstSeq : 0;
    if (head > 0) result.problems.push(`the oldest ${head} event(s) were removed from the journal`);
    const last = prev ?? (cp.firstSeq > 0 ? cp.firstSeq - 1 : 0);
    const tail = cp.lastSeq - last;
    if (tail > 0) result.problems.push(`the newest ${tail} event(s) were cut from the journal`);
    if (cp.firstSeq === 0) result.problems.push('the journal checkpoint was removed or edited, so removed events cannot be counted');
    result.missing = gaps + Math.max(0, head) + Math.max(0, tail);
    return result;
  }

  /**
   * Watches the journal folder while the core runs: a segment removed or cut short by another
   * process is reported at once (a full check runs at each start).
   */
  watchForTampering(onProblem: (problem: string) => void): void {
    if (this.watcher || !this.integrity) return;
    // Each finding is reported once (the report is itself appended, which wakes this watch again),
    // and only what changed since the watch began: the check at start has told the rest.
    const reported = new Set<string>();
    const report = (problem: string): void => {
      if (reported.has(problem)) return;
      reported.add(problem);
      onProblem(problem);
    };
    const oldestAtStart = this.segments()[0];
    const firstAtStart = oldestAtStart === undefined ? undefined : this.firstSeqIn(oldestAtStart);
    const check = (): void => {
      const present = this.segments();
      const oldest = present[0];
      if (oldest !== undefined) {
        for (let s = oldest; s < this.current; s++) if (!present.includes(s)) report(`journal segment ${segmentName(s)} was removed`);
      }
      if (this.segmentSize(this.current) < this.currentBytes) report(`journal segment ${segmentName(this.current)} was cut short`);
      if (oldest !== undefined && firstAtStart !== undefined && this.checkpoint && oldest !== oldestAtStart) {
        // The oldest segment changed: fine when the core dropped it (the checkpoint moved on with it).
        const first = this.firstSeqIn(oldest);
        if (first !== undefined && first > this.checkpoint.firstSeq) report(`the oldest ${first - this.checkpoint.firstSeq} event(s) were removed from the journal`);
      }
    };
    try {
      // Every append of ours is an event here too: the check runs 200 ms after the first event
      // (not after the last one, which a steady stream of decisions would put off for ever).
      this.watcher = watch(this.dir, { persistent: false }, (_event, name) => {
        if (this.watchTimer || (name !== null && !SEGMENT.test(name))) return;
        this.watchTimer = setTimeout(() => {
          this.watchTimer = undefined;
          check();
        }, 200);
      });
      this.watcher.on('error', () => undefined);
    } catch {
      // No watcher: the check at the next start still finds it.
    }
  }

  /** Calls `visit` for each line of every segment, oldest first, with its position. */
  private scan(visit: (text: string, at: JournalCursor) => void): void {
    for (const { text, at } of this.lines()) visit(text, at);
  }

  private *lines(): Generator<{ text: string; at: JournalCursor }> {
    for (const segment of this.segments()) {
      let text: string;
      try {
        text = readFileSync(join(this.dir, segmentName(segment)), 'utf8');
      } catch {
        continue;
      }
      let offset = 0;
      for (const line of text.split('\n')) {
        yield { text: line, at: { segment, offset } };
        offset += Buffer.byteLength(line) + 1;
      }
    }
  }

  /**
   * The lines this process just wrote, by position, with their events: the shipper and the timeline
   * read each line back right after it is written, and a line that is byte for byte what this process
   * wrote there needs no tag check nor parse. Any other text at that position (another process's
   * line, an edit) is read as usual. Positions come from this process's own count, so a line another
   * process appended in between only makes later lookups miss.
   */
  private remember(segment: number, start: number, lines: readonly string[], batch: readonly Waiting[]): void {
    let offset = start;
    lines.forEach((line, i) => {
      // Parsed on the first read back, not here: this runs before the batch's answers go out.
      this.written.set(`${segment}:${offset}`, { text: line.slice(0, -1), json: batch[i]!.json });
      offset += Buffer.byteLength(line);
    });
    for (const key of this.written.keys()) {
      if (this.written.size <= WRITTEN_KEPT) break;
      this.written.delete(key);
    }
  }

  /** What this process wrote at `at`, if `text` is byte for byte that line (see remember()). */
  private mine(text: string, at: JournalCursor): Written | undefined {
    const mine = this.written.get(`${at.segment}:${at.offset}`);
    return mine && mine.text === text ? mine : undefined;
  }

  /** The line as an event, if it is one the core wrote. */
  private accept(text: string, at: JournalCursor): EvidenceEvent | undefined {
    const mine = this.mine(text, at);
    if (mine) {
      if (!('event' in mine)) {
        const event = parseJournalLine(mine.json);
        // Shared by every reader (the shipper, the timeline): frozen, so none can change another's.
        mine.event = event && Object.freeze({ ...event, attributes: Object.freeze(event.attributes) });
      }
      if (mine.event) return mine.event;
    }
    const key = this.reader ? this.reader.trust?.key : this.integrity?.key;
    const legacyEnd = this.reader ? this.reader.trust?.legacyEnd : this.checkpoint?.legacyEnd;
    if (key && legacyEnd) {
      const line = this.tagged(text, key);
      if (line === 'forged' || line === 'corrupt') return undefined;
      if (line === 'legacy' && !before(at, legacyEnd)) return undefined;
    }
    return parseJournalLine(text);
  }

  /** A tagged line without a number was appended by a one-shot command (see `sequenced`). */
  private tagged(text: string, key = this.integrity!.key): { seq: number | undefined } | 'legacy' | 'forged' | 'corrupt' {
    const m = TAG.exec(text);
    if (!m) return parseJournalLine(text) ? 'legacy' : 'corrupt';
    const body = `${text.slice(0, m.index)}}`;
    if (!key.verifies(m[1]!, 'journal', body)) return 'forged';
    const seq = /,"seq":(\d+)\}$/.exec(body)?.[1];
    return { seq: seq === undefined ? undefined : Number(seq) };
  }

  private lastSeqIn(segment: number): number | undefined {
    return this.seqsIn(segment).at(-1);
  }

  private firstSeqIn(segment: number): number | undefined {
    return this.seqsIn(segment)[0];
  }

  private seqsIn(segment: number): number[] {
    if (!this.integrity) return [];
    let text: string;
    try {
      text = readFileSync(join(this.dir, segmentName(segment)), 'utf8');
    } catch {
      return [];
    }
    const out: number[] = [];
    for (const line of text.split('\n')) {
      const t = line ? this.tagged(line) : 'corrupt';
      if (typeof t === 'object' && t.seq !== undefined) out.push(t.seq);
    }
    return out;
  }

  /** Counts complete lines from `from` to the end (startup: how much is still queued). */
  countFrom(from: JournalCursor): number {
    let n = 0;
    let cursor = from;
    for (;;) {
      const r = this.read(cursor, 10_000, 4 * 1024 * 1024);
      n += r.events.length;
      if (r.next.segment === cursor.segment && r.next.offset === cursor.offset) return n;
      cursor = r.next;
    }
  }

  get writingSegment(): number {
    return this.current;
  }

  async close(): Promise<void> {
    clearTimeout(this.watchTimer);
    this.watcher?.close();
    this.watcher = undefined;
    while (this.flushing) await this.flushing;
    if (this.checkpointTimer) this.saveCheckpoint();
    await this.integrity?.checkpoint.flushed();
    const h = this.handle;
    this.handle = undefined;
    await h?.close();
  }

  /** A crash mid-write leaves a line without its newline: end it, so it reads as one corrupt line
   *  and never glues itself to the next event. Returns the file's size. */
  private repairTail(file: string): number {
    let fd: number;
    try {
      fd = openSync(file, 'r+');
    } catch {
      return 0;
    }
    try {
      const size = fstatSync(fd).size;
      if (size === 0) return 0;
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] === 0x0a) return size;
      writeSync(fd, '\n', size);
      return size + 1;
    } finally {
      closeSync(fd);
    }
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      let announced = 0;
      const first = this.seq + 1;
      try {
        if (this.currentBytes >= this.segmentBytes) await this.roll();
        if (!this.handle) {
          mkdirSync(this.dir, { recursive: true, mode: 0o700 });
          this.handle = await open(join(this.dir, segmentName(this.current)), SEGMENT_FLAGS, 0o600);
        }
        const handle = this.handle;
        const lines = batch.map((w, i) => this.line(w.json, first + i));
        const text = lines.join('');
        const segment = this.current;
        const start = this.currentBytes;
        for (const l of this.listeners) l(batch.length, false);
        announced = batch.length;
        const bytes = Buffer.from(text, 'utf8');
        await writeDurably(handle, bytes);
        this.remember(segment, start, lines, batch);
        this.currentBytes += bytes.length;
        if (this.integrity?.sequenced) {
          this.seq += batch.length;
          this.scheduleCheckpoint();
        }
        for (const w of batch) w.resolve();
        for (const l of this.listeners) l(0, true);
      } catch (error) {
        if (announced) for (const l of this.listeners) l(-announced, false);
        // Reopen on the next batch (the disk may free up, the folder may come back).
        const h = this.handle;
        this.handle = undefined;
        await h?.close().catch(() => undefined);
        for (const w of batch) w.reject(error);
      }
    }
    this.flushing = undefined;
  }

  /** With a key: the sequence number and the tag go last, so the tagged body is the line before them. */
  private line(json: string, seq: number): string {
    if (!this.integrity) return `${json}\n`;
    const body = this.integrity.sequenced ? `${json.slice(0, -1)},"seq":${seq}}` : json;
    return `${body.slice(0, -1)},"tag":"${this.integrity.key.tag('journal', body)}"}\n`;
  }

  private async roll(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    await h?.close();
    this.current += 1;
    this.currentBytes = 0;
  }
}

/**
 * Segments are opened so that a write returns once its data is on disk (O_DSYNC: POSIX synchronized
 * I/O data integrity): one system call per batch instead of a write and an fdatasync, each its own
 * trip through libuv's thread pool. Where the OS has no O_DSYNC (Windows), each write is followed by
 * a datasync.
 */
const SEGMENT_FLAGS = constants.O_DSYNC === undefined ? 'a' : constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_DSYNC;

async function writeDurably(handle: FileHandle, bytes: Buffer): Promise<void> {
  for (let done = 0; done < bytes.length; ) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done);
    if (bytesWritten <= 0) throw new Error('the journal write made no progress');
    done += bytesWritten;
  }
  if (constants.O_DSYNC === undefined) await handle.datasync();
}

/** One journal line's event (its `v`, sequence number and tag left out), or undefined if it is none. */
export function parseJournalLine(text: string): EvidenceEvent | undefined {
  if (text.trim() === '') return undefined;
  try {
    const v = JSON.parse(text) as Partial<EvidenceEvent> & { v?: number };
    if (v.v !== 1 || typeof v.eventId !== 'string' || typeof v.name !== 'string' || typeof v.time !== 'number' || typeof v.attributes !== 'object' || v.attributes === null) return undefined;
    return { eventId: v.eventId, name: v.name, time: v.time, attributes: v.attributes, ...(v.trace ? { trace: v.trace } : {}) } as EvidenceEvent;
  } catch {
    return undefined;
  }
}
