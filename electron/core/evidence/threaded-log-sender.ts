// A LogSender whose exports run in a worker thread. Turning a batch into OTLP (records, then JSON or
// protobuf) and sending it took ~15 µs an event on the thread that answers hooks, in slices of
// milliseconds a batch that a decision arriving meanwhile waited behind. The events cross as the
// journal's JSON text (parsed there, not here); outcomes and partial-success notes come back. Where
// no worker runs (TypeScript sources have no built worker file; it fails to start or stops), sends go
// through an OtlpLogSender on this thread, and what was in flight is answered "retry" (it is still
// behind the shipper's cursor, so nothing is lost).
import { debuglog } from 'node:util';
import type { Worker } from 'node:worker_threads';
import { awaitWorkerExit, onWorkerExit, startBuiltWorker } from '../base/index.js';
import { checkEndpoint, type OtlpLogsConfig } from './otlp-config.js';
import { OtlpLogSender, type LogSender, type SendOutcome } from './otlp-log-sender.js';

/** What the worker is given (workerData): the collector's settings, headers included, in memory only. */
export interface SenderThreadData {
  config: OtlpLogsConfig;
  serviceVersion: string;
}
export type ToSenderThread = { kind: 'send'; id: number; lines: readonly string[] } | { kind: 'shutdown' };
export type FromSenderThread = { kind: 'outcome'; id: number; outcome: SendOutcome } | { kind: 'partial'; detail: string };

const WORKER_FILE = new URL('./otlp-sender-worker.js', import.meta.url);
/** A batch (512 events at most) turned into one request needs a few MB: a small young generation
 *  keeps the thread's memory small, and a thread past the old-generation bound stops (and the main
 *  thread takes over) rather than growing. */
const THREAD_LIMITS = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 64 };
/** How long shutdown() lets the exporter finish before the thread is terminated. */
const SHUTDOWN_WAIT_MS = 2000;
const log = debuglog('evidence');

export class ThreadedLogSender implements LogSender {
  private worker: Worker | undefined;
  private inThread: OtlpLogSender | undefined;
  private readonly inFlight = new Map<number, (outcome: SendOutcome) => void>();
  private nextId = 1;
  private exited: Promise<void> = Promise.resolve();
  private closing = false;
  private why: string | undefined;

  /** Throws, as OtlpLogSender does, on a collector address that cannot work. */
  constructor(
    private readonly config: OtlpLogsConfig,
    private readonly serviceVersion: string,
    private readonly onPartialSuccess: (detail: string) => void = () => undefined,
    workerFile: URL = WORKER_FILE,
  ) {
    const invalid = checkEndpoint(config.url);
    if (invalid) throw new Error(invalid);
    const started = startBuiltWorker(workerFile, { workerData: { config, serviceVersion } satisfies SenderThreadData, name: 'otlp-log-sender', resourceLimits: THREAD_LIMITS });
    if (!('worker' in started)) {
      this.fallBack(started.reason);
      return;
    }
    const { worker } = started;
    // Held only while an export is in flight, as the exporter's own socket would hold this thread.
    worker.unref();
    this.worker = worker;
    worker.on('message', (m: FromSenderThread) => {
      if (m.kind === 'partial') return this.onPartialSuccess(m.detail);
      const settle = this.inFlight.get(m.id);
      this.inFlight.delete(m.id);
      if (this.inFlight.size === 0) worker.unref();
      settle?.(m.outcome);
    });
    this.exited = onWorkerExit(worker, 'the export thread', (why) => {
      this.worker = undefined;
      for (const settle of this.inFlight.values()) settle({ kind: 'retry', message: `${why}; retrying` });
      this.inFlight.clear();
      if (!this.closing) this.fallBack(why);
    });
    log('evidence exports run in a worker thread (%d)', worker.threadId);
  }

  /** Where exports run now, and why not in the worker when they do not. */
  get mode(): { thread: 'worker' | 'main'; reason?: string } {
    return this.worker ? { thread: 'worker' } : { thread: 'main', ...(this.why ? { reason: this.why } : {}) };
  }

  send(lines: readonly string[]): Promise<SendOutcome> {
    const worker = this.worker;
    if (this.closing) return Promise.resolve({ kind: 'retry', message: 'this sender was shut down (the collector settings changed, or the companion is stopping)' });
    if (!worker) return this.mainThreadSender().send(lines);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.inFlight.set(id, resolve);
      worker.ref();
      worker.postMessage({ kind: 'send', id, lines } satisfies ToSenderThread);
    });
  }

  async shutdown(): Promise<void> {
    this.closing = true;
    const worker = this.worker;
    if (worker) {
      worker.ref();
      worker.postMessage({ kind: 'shutdown' } satisfies ToSenderThread);
      await awaitWorkerExit(worker, this.exited, SHUTDOWN_WAIT_MS);
    }
    await this.inThread?.shutdown();
  }

  private fallBack(reason: string): void {
    this.why = reason;
    log('evidence exports run on the main thread: %s', reason);
  }

  private mainThreadSender(): OtlpLogSender {
    this.inThread ??= new OtlpLogSender(this.config, this.serviceVersion, this.onPartialSuccess);
    return this.inThread;
  }
}
