// The evidence journal: append-only JSON lines in numbered segment files, fsynced before a decision
// is answered. It is both the audit trail on this machine and the outbox the shipper drains.
// Group commit: events arriving while a write is in flight share the next write + fsync.
import { mkdirSync, readdirSync, readFileSync, statSync, openSync, closeSync, writeSync, fstatSync, readSync, unlinkSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
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

interface Waiting {
  line: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface JournalOptions {
  /** Roll to a new segment after this many bytes. */
  segmentBytes?: number;
}

export class DecisionJournalService {
  private handle: FileHandle | undefined;
  private queue: Waiting[] = [];
  private flushing: Promise<void> | undefined;
  private current: number;
  private currentBytes: number;
  private readonly segmentBytes: number;
  private readonly listeners = new Set<(count: number, durable: boolean) => void>();

  constructor(
    private readonly dir: string,
    options: JournalOptions = {},
  ) {
    this.segmentBytes = options.segmentBytes ?? 8 * 1024 * 1024;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch {
      // Not fatal here: every append will fail (and each decision is then denied) until it works.
    }
    const segments = this.segments();
    this.current = segments.at(-1) ?? 1;
    this.currentBytes = this.repairTail(join(dir, segmentName(this.current)));
  }

  get directory(): string {
    return this.dir;
  }

  /** `count` lines are about to be written (negative: a write failed), so a reader that sees them
   *  early is never ahead of the count; `durable` is true once they are fsynced. */
  onAppend(listener: (count: number, durable: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once the line is durably on disk; rejects if the write or fsync fails. */
  append(event: EvidenceEvent): Promise<void> {
    const line = `${JSON.stringify({ v: 1, ...event })}\n`;
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line, resolve, reject });
      this.flushing ??= this.flush();
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

  totalBytes(): number {
    return this.segments().reduce((sum, s) => sum + this.segmentSize(s), 0);
  }

  /** Deletes a whole segment (never the one being written). */
  deleteSegment(seq: number): void {
    if (seq >= this.current) throw new Error('cannot delete the segment being written');
    unlinkSync(join(this.dir, segmentName(seq)));
  }

  /**
   * Reads complete lines from `from`, up to `maxEvents` / `maxBytes`. A final line without its
   * newline is left for later (it is still being written).
   */
  read(from: JournalCursor, maxEvents = 512, maxBytes = 1024 * 1024, oneSegment = false): JournalRead {
    const events: EvidenceEvent[] = [];
    let corrupt = 0;
    let cursor = { ...from };
    const segments = this.segments();
    if (!segments.includes(cursor.segment)) {
      const later = segments.find((s) => s > cursor.segment);
      if (later === undefined) return { events, corrupt, next: cursor };
      cursor = { segment: later, offset: 0 };
    }
    while (events.length < maxEvents) {
      const file = join(this.dir, segmentName(cursor.segment));
      let chunk: Buffer;
      try {
        const fd = openSync(file, 'r');
        try {
          const size = fstatSync(fd).size;
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
        pos = nl + 1;
        const event = parseLine(text);
        if (event) events.push(event);
        else if (text.trim() !== '') corrupt++;
      }
      cursor = { segment: cursor.segment, offset: cursor.offset + pos };
      const more = pos < chunk.length || chunk.length === maxBytes;
      if (events.length >= maxEvents || more || oneSegment) break;
      // This segment is read to its end: move on if a later one exists (it is then complete).
      const later = segments.find((s) => s > cursor.segment);
      if (later === undefined || cursor.segment === this.current) break;
      cursor = { segment: later, offset: 0 };
    }
    return { events, corrupt, next: cursor };
  }

  /** Every event in order (for tests and inspection). */
  readAll(): EvidenceEvent[] {
    const out: EvidenceEvent[] = [];
    for (const s of this.segments()) {
      for (const line of readFileSync(join(this.dir, segmentName(s)), 'utf8').split('\n')) {
        const e = parseLine(line);
        if (e) out.push(e);
      }
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
    while (this.flushing) await this.flushing;
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
      try {
        if (this.currentBytes >= this.segmentBytes) await this.roll();
        if (!this.handle) {
          mkdirSync(this.dir, { recursive: true, mode: 0o700 });
          this.handle = await open(join(this.dir, segmentName(this.current)), 'a', 0o600);
        }
        const handle = this.handle;
        const text = batch.map((w) => w.line).join('');
        for (const l of this.listeners) l(batch.length, false);
        announced = batch.length;
        await handle.appendFile(text, 'utf8');
        await handle.datasync();
        this.currentBytes += Buffer.byteLength(text);
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

  private async roll(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    await h?.close();
    this.current += 1;
    this.currentBytes = 0;
  }
}

function parseLine(text: string): EvidenceEvent | undefined {
  if (text.trim() === '') return undefined;
  try {
    const v = JSON.parse(text) as Partial<EvidenceEvent> & { v?: number };
    if (v.v !== 1 || typeof v.eventId !== 'string' || typeof v.name !== 'string' || typeof v.time !== 'number' || typeof v.attributes !== 'object' || v.attributes === null) return undefined;
    return { eventId: v.eventId, name: v.name, time: v.time, attributes: v.attributes, ...(v.trace ? { trace: v.trace } : {}) } as EvidenceEvent;
  } catch {
    return undefined;
  }
}
