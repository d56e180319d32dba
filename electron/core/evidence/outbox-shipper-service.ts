// Drains the journal to the collector. The cursor advances only after the collector accepted a
// batch, so an outage or a crash never loses an event (a crash between acceptance and the cursor
// write re-sends that batch: same event.id, so backends can drop the duplicate). Retries forever
// with backoff; refused batches are kept in rejected.jsonl; the disk budget drops the oldest
// undelivered segment only when it must, and says so with a telemetry.loss event.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvidenceStatus } from '../../../shared/ui-contract.js';
import { EVENT_NAMES } from '../../../shared/telemetry-events.js';
import { type Clock, type SealedLatestPort, writeAtomic } from '../base/index.js';
import { parseJournalLine, type DecisionJournalService, type JournalCursor } from './decision-journal-service.js';
import { newEvidenceEvent } from './evidence-event.js';
import type { LogSender } from './otlp-log-sender.js';

export const CURSOR_FILE = 'cursor.json';

function bounded(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([work.then(() => undefined, () => undefined), limit]).finally(() => clearTimeout(timer));
}
export const REJECTED_FILE = 'rejected.jsonl';

/** Where and how evidence is delivered (changes when the managed policy does). */
export interface DeliverySetup {
  sender: LogSender;
  describe: { endpoint: string; protocol: EvidenceStatus['protocol']; configSource: EvidenceStatus['configSource'] };
  limitBytes: number;
}

export interface ShipperOptions extends DeliverySetup {
  journal: DecisionJournalService;
  clock: Clock;
  batchSize?: number;
  /** After new events arrive, wait this long for more before sending (fewer, fuller batches). */
  lingerMs?: number;
  /** Backoff after a failed attempt: 1 s doubling to 60 s. */
  backoffMs?: (failures: number) => number;
  /** The cursor's sealed file (the running core): moving it forward by hand would skip delivery. */
  cursorFile?: SealedLatestPort;
}

interface Counters {
  sent: number;
  rejected: number;
  lost: number;
  corrupt: number;
}

export class OutboxShipperService {
  private cursor: JournalCursor;
  private queued: number;
  private counters: Counters;
  private reachable: boolean | null = null;
  private lastError: string | undefined;
  private lastExportAt: number | undefined;
  private nextAttemptAt: number | undefined;
  private failures = 0;
  private running = false;
  private wake: (() => void) | undefined;
  /** Ends a pause (only stop() does). */
  private halt: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private timer: { cancel(): void } | undefined;
  private readonly listeners = new Set<() => void>();

  private o: ShipperOptions;

  constructor(options: ShipperOptions) {
    const o = options;
    this.o = options;
    const saved = this.loadCursor();
    this.cursor = saved.cursor;
    this.counters = saved.counters;
    this.queued = o.journal.countFrom(this.cursor);
    o.journal.onAppend((count, durable) => {
      this.queued = Math.max(0, this.queued + count);
      if (!durable) return;
      this.enforceBudget();
      this.wake?.();
      this.changed();
    });
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  /** New collector settings: the next attempt uses them (the old sender is shut down). */
  reconfigure(setup: DeliverySetup): void {
    const old = this.o.sender;
    this.o = { ...this.o, ...setup };
    this.failures = 0;
    void old.shutdown();
    this.enforceBudget();
    this.wake?.();
    this.changed();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the current attempt; `drainMs` > 0 first tries to deliver what is queued. */
  async stop(drainMs = 0): Promise<void> {
    const deliverable = (): boolean => this.queued > 0 && this.reachable !== false;
    // A bound on the wait to stop, so it is measured on a monotonic clock (a wall clock set back, or a
    // test's clock that does not move, must not keep the companion from quitting).
    const deadline = performance.now() + drainMs;
    while (deliverable() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    this.running = false;
    this.timer?.cancel();
    this.wake?.();
    this.halt?.();
    // An export in flight may sit in the exporter's own retries: never let it hold up shutdown.
    // Whatever it was sending is still behind the cursor and goes out on the next start.
    await bounded(Promise.all([this.loop, this.o.sender.shutdown()]), 2000);
    await this.o.cursorFile?.flushed();
  }

  status(): EvidenceStatus {
    const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());
    return {
      ...this.o.describe,
      collectorReachable: this.reachable,
      ...(this.lastError ? { lastError: this.lastError } : {}),
      queued: this.queued,
      ...(this.lastExportAt ? { lastExportAt: iso(this.lastExportAt) } : {}),
      ...(this.nextAttemptAt ? { nextAttemptAt: iso(this.nextAttemptAt) } : {}),
      rejected: this.counters.rejected,
      lost: this.counters.lost,
      journalBytes: this.o.journal.totalBytes(),
      journalLimitBytes: this.o.limitBytes,
    };
  }

  private async run(): Promise<void> {
    while (this.running) {
      const batchSize = this.o.batchSize ?? 512;
      // As JSON text: the sender parses it, in the export thread when there is one.
      const batch = this.o.journal.readJson(this.cursor, batchSize);
      this.counters.corrupt += batch.corrupt;
      if (batch.lines.length === 0) {
        if (batch.next.segment !== this.cursor.segment || batch.next.offset !== this.cursor.offset) this.advance(batch.next, 0);
        await this.sleep(1000);
        // Woken by new events: let a burst gather into one batch (like the SDK's batch processor).
        if (this.running) await this.pause(this.o.lingerMs ?? 200);
        continue;
      }
      const outcome = await this.o.sender.send(batch.lines);
      if (outcome.kind === 'accepted') {
        this.reachable = true;
        this.lastError = undefined;
        this.failures = 0;
        this.nextAttemptAt = undefined;
        this.lastExportAt = this.o.clock.now();
        this.counters.sent += batch.lines.length;
        this.advance(batch.next, batch.lines.length);
        // A batch that was not full took all there was: let the next ones gather for a moment, or a
        // steady stream of decisions costs an export and a cursor write every few of them.
        if (batch.lines.length < batchSize && this.running) await this.pause(this.o.lingerMs ?? 200);
      } else if (outcome.kind === 'rejected') {
        // Kept for inspection, never retried: resending the same bytes would be refused again.
        this.reachable = true;
        this.lastError = `The collector refused ${batch.lines.length} record(s): ${outcome.message}`;
        const refused = batch.lines.map((line) => `${JSON.stringify({ rejectedAt: this.o.clock.now(), status: outcome.status, event: parseJournalLine(line) })}\n`);
        appendFileSync(join(this.o.journal.directory, REJECTED_FILE), refused.join(''), { mode: 0o600 });
        this.counters.rejected += batch.lines.length;
        this.advance(batch.next, batch.lines.length);
      } else {
        // A collector that answered 429/503 is reachable but busy; only no answer is "unreachable".
        this.reachable = outcome.status !== undefined;
        this.lastError = outcome.message;
        this.failures += 1;
        const wait = (this.o.backoffMs ?? ((n) => Math.min(60_000, 1000 * 2 ** (n - 1))))(this.failures);
        this.nextAttemptAt = this.o.clock.now() + wait;
        this.changed();
        await this.sleep(wait);
        this.nextAttemptAt = undefined;
      }
      this.changed();
    }
  }

  /** A plain wait that appends do not cut short (stop() does). */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        this.halt = undefined;
        resolve();
      };
      this.timer = this.o.clock.setTimeout(done, ms);
      this.halt = () => {
        this.timer?.cancel();
        done();
      };
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.timer = this.o.clock.setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        this.timer?.cancel();
        this.wake = undefined;
        resolve();
      };
    });
  }

  private advance(next: JournalCursor, delivered: number): void {
    this.cursor = next;
    this.queued = Math.max(0, this.queued - delivered);
    this.saveCursor();
  }

  /** Over budget: delete delivered segments first; only then the oldest undelivered one. */
  private enforceBudget(): void {
    const j = this.o.journal;
    let total = j.totalBytes();
    if (total <= this.o.limitBytes) return; // asked after every batch: no listing while under budget
    for (const seq of j.segments()) {
      if (total <= this.o.limitBytes || seq >= j.writingSegment) break;
      const size = j.segmentSize(seq);
      let dropped = 0;
      let firstTime: number | undefined;
      let lastTime: number | undefined;
      if (seq >= this.cursor.segment) {
        const lost = j.read(seq === this.cursor.segment ? this.cursor : { segment: seq, offset: 0 }, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true);
        const inSegment = lost.events;
        dropped = inSegment.length;
        firstTime = inSegment[0]?.time;
        lastTime = inSegment.at(-1)?.time;
      }
      j.deleteSegment(seq);
      total -= size;
      if (seq >= this.cursor.segment) {
        this.cursor = { segment: seq + 1, offset: 0 };
        this.saveCursor();
      }
      if (dropped > 0) {
        this.counters.lost += dropped;
        this.queued = Math.max(0, this.queued - dropped);
        this.saveCursor();
        // The loss itself is evidence (and is small, so it fits the budget).
        void j
          .append(
            newEvidenceEvent(EVENT_NAMES.telemetryLoss, this.o.clock.now(), {
              'loss.count': dropped,
              // Cumulative, so the newest loss event tells the whole story even if older ones were dropped too.
              'loss.total': this.counters.lost,
              'loss.reason': 'journal disk budget exceeded while the collector was unreachable',
              'loss.first_event_time': firstTime !== undefined ? new Date(firstTime).toISOString() : undefined,
              'loss.last_event_time': lastTime !== undefined ? new Date(lastTime).toISOString() : undefined,
            }),
          )
          .catch(() => undefined);
      }
    }
  }

  private loadCursor(): { cursor: JournalCursor; counters: Counters } {
    const fallback = { cursor: { segment: this.o.journal.segments()[0] ?? 1, offset: 0 }, counters: { sent: 0, rejected: 0, lost: 0, corrupt: 0 } };
    try {
      const text = this.o.cursorFile ? this.o.cursorFile.read() : readFileSync(join(this.o.journal.directory, CURSOR_FILE), 'utf8');
      if (text === undefined) return fallback;
      const saved = JSON.parse(text) as { cursor?: JournalCursor; counters?: Partial<Counters> };
      const c = saved.cursor;
      if (!c || !Number.isInteger(c.segment) || !Number.isInteger(c.offset) || c.offset < 0) return fallback;
      return { cursor: c, counters: { ...fallback.counters, ...saved.counters } };
    } catch {
      return fallback; // no cursor yet (or unreadable): deliver from the start; duplicates are dedupable
    }
  }

  /** Atomic (temp file + rename). Not fsynced: after a power cut an older cursor only means
   *  re-sending some events, which carry their event.id for de-duplication. The sealed one is written
   *  off the event loop (stop() waits for it). */
  private saveCursor(): void {
    try {
      const text = JSON.stringify({ cursor: this.cursor, counters: this.counters });
      if (this.o.cursorFile) this.o.cursorFile.writeSoon(text);
      else writeAtomic(join(this.o.journal.directory, CURSOR_FILE), text);
    } catch {
      // Losing the cursor only means re-sending (at-least-once); never lose events over it.
    }
  }
}
