// The running core's timeline follows the journal in a worker thread: indexing (SQLite inserts and
// the full-text trigger, ~70 µs an event) must not run on the thread that answers hooks. The worker
// is one more writer of the shared store (timeline-store-service.ts: BEGIN IMMEDIATE, the position in
// the same transaction), over its own read-only view of the journal that checks every line's tag as
// the core's own read() does. The core's queries still catch up first, so they stay complete.
//
// Where no worker starts (running from TypeScript sources, which have no built worker file beside
// them; or it fails, or stops), the store follows on this thread as before, and `status` says which.
import { debuglog } from 'node:util';
import type { Worker } from 'node:worker_threads';
import { awaitWorkerExit, onWorkerExit, startBuiltWorker } from '../base/index.js';
import type { DecisionJournalService, JournalCursor } from '../evidence/index.js';
import type { SharedIntegrityKey } from '../integrity/index.js';
import type { TimelineStoreService } from './timeline-store-service.js';

/** What the worker is given (workerData): the key as a copy in memory, never through a file or the environment. */
export interface TimelineFollowerData {
  dataDir: string;
  journalDir: string;
  trust: { key: SharedIntegrityKey; legacyEnd: JournalCursor } | undefined;
  retentionDays: number;
  now: number;
  delayMs: number;
  /** The platform the store's folder keys are made for (this thread's store's, so both make the same keys). */
  platform: NodeJS.Platform | undefined;
}

/** To the worker: durable appends happened (with the retention and the core's clock now), or stop. */
export type ToTimelineFollower = { kind: 'appended'; retentionDays: number; now: number } | { kind: 'stop' };
/** From the worker: it follows, or a turn of indexing failed (the core's onError reports it). */
export type FromTimelineFollower = { kind: 'ready' } | { kind: 'error'; message: string; stack?: string };

export interface TimelineFollowStatus {
  mode: 'starting' | 'worker' | 'main-thread' | 'stopped';
  /** Why the main thread follows. */
  reason?: string;
}

export interface TimelineFollowerOptions {
  /** This thread's store: its queries catch up first; it follows here when no worker can. */
  store: TimelineStoreService;
  dataDir: string;
  journal: Pick<DecisionJournalService, 'directory' | 'legacyEnd' | 'onAppend'>;
  /** The journal's integrity key (undefined: none, every line is read as the core reads it). */
  key: { share(): SharedIntegrityKey } | undefined;
  retentionDays: () => number;
  now: () => number;
  onError: (error: unknown) => void;
  /** From a durable append to indexing it: appends within it are indexed together. */
  delayMs?: number;
  /** The worker's entry; default: the built one beside this module. */
  workerFile?: URL;
}

const WORKER_FILE = new URL('./timeline-follower-worker.js', import.meta.url);
/** How long close() waits for the worker to finish its turn before it is terminated. */
const STOP_WAIT_MS = 5000;
const log = debuglog('timeline');

export class TimelineFollowerService {
  private worker: Worker | undefined;
  private exited: Promise<void> = Promise.resolve();
  private unsubscribe: (() => void) | undefined;
  private state: TimelineFollowStatus = { mode: 'starting' };
  private closing = false;
  private readonly delayMs: number;

  constructor(private readonly o: TimelineFollowerOptions) {
    this.delayMs = o.delayMs ?? 500;
  }

  get status(): TimelineFollowStatus {
    return { ...this.state };
  }

  start(): void {
    if (this.worker || this.state.mode !== 'starting' || this.closing) return;
    const legacyEnd = this.o.journal.legacyEnd;
    const data: TimelineFollowerData = {
      dataDir: this.o.dataDir,
      journalDir: this.o.journal.directory,
      trust: this.o.key && legacyEnd ? { key: this.o.key.share(), legacyEnd } : undefined,
      retentionDays: this.o.retentionDays(),
      now: this.o.now(),
      delayMs: this.delayMs,
      platform: this.o.store.folderKeyPlatform,
    };
    const started = startBuiltWorker(this.o.workerFile ?? WORKER_FILE, { workerData: data, name: 'timeline-follower' });
    if (!('worker' in started)) {
      if (started.error) this.o.onError(started.error);
      this.fallBack(started.reason);
      return;
    }
    const { worker } = started;
    // Like follow()'s unref'd timer: the follower never keeps the process alive (close() waits for it).
    worker.unref();
    this.worker = worker;
    this.exited = onWorkerExit(worker, 'the worker', (why) => {
      this.worker = undefined;
      if (!this.closing) this.fallBack(why);
    });
    worker.on('error', (error) => {
      if (!this.closing) this.o.onError(error);
    });
    worker.on('message', (m: FromTimelineFollower) => {
      if (m.kind === 'ready') {
        if (this.state.mode !== 'starting') return;
        this.state = { mode: 'worker' };
        log('the timeline follows the journal in a worker thread (%d)', worker.threadId);
      } else if (!this.closing) {
        this.o.onError(Object.assign(new Error(m.message), m.stack ? { stack: m.stack } : {}));
      }
    });
    // At most one message per delay, and one after every durable append (a later one, within the
    // delay): the worker runs after each message it gets, so each such line is read by a run.
    let sent = -Infinity;
    let trailing: NodeJS.Timeout | undefined;
    const post = (): void => {
      trailing = undefined;
      sent = performance.now();
      worker.postMessage({ kind: 'appended', retentionDays: this.o.retentionDays(), now: this.o.now() } satisfies ToTimelineFollower);
    };
    const unsubscribe = this.o.journal.onAppend((_count, durable) => {
      if (!durable || trailing) return;
      const wait = sent + this.delayMs - performance.now();
      if (wait <= 0) post();
      else {
        trailing = setTimeout(post, wait);
        trailing.unref();
      }
    });
    this.unsubscribe = () => {
      unsubscribe();
      clearTimeout(trailing);
    };
  }

  private fallBack(reason: string): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.closing) return;
    this.state = { mode: 'main-thread', reason };
    log('the timeline follows the journal on the main thread: %s', reason);
    this.o.store.follow(this.o.onError, this.delayMs);
  }

  /** Stops the worker and waits until it has exited. A main-thread follow ends with the store's close(). */
  async close(): Promise<void> {
    this.closing = true;
    this.state = { mode: 'stopped' };
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    const worker = this.worker;
    if (!worker) return;
    worker.ref();
    worker.postMessage({ kind: 'stop' } satisfies ToTimelineFollower);
    await awaitWorkerExit(worker, this.exited, STOP_WAIT_MS);
  }
}
