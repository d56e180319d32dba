// The worker threads of the core (the timeline's follower, the evidence export) start from built
// files beside their services and fall back to the main thread when none starts; a stop gives one a
// while to finish its turn (an export, an indexing batch), then it is terminated, so a stuck one never
// holds up the companion's exit. Each runs at background priority where a thread can have one.
import { access, existsSync, readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isMainThread, Worker, type WorkerOptions } from 'node:worker_threads';

/** The nice value of the core's background threads (0 is the default, 19 the lowest priority). */
export const BACKGROUND_NICE = 10;

/** The worker, or why there is none: no built file (running from TypeScript sources), or it did not start. */
export function startBuiltWorker(file: URL, options: WorkerOptions): { worker: Worker } | { reason: string; error?: unknown } {
  if (!existsSync(fileURLToPath(file))) return { reason: `no built worker at ${fileURLToPath(file)} (running from TypeScript sources)` };
  // libuv starts its thread pool at its first use, and a new thread takes its creator's nice value:
  // started first by a worker that has lowered itself, every thread of the pool (the journal's durable
  // writes among its work) would run at background priority. One call from here starts it first.
  access(fileURLToPath(file), () => undefined);
  try {
    return { worker: new Worker(file, options) };
  } catch (error) {
    return { reason: `the worker did not start: ${(error as Error).message}`, error };
  }
}

/**
 * Calls `exited` within the worker's 'exit' event — before anything else runs, so no message goes to a
 * thread that is gone — with why it stopped: its exit code and the message of the error that ended
 * it, if one did. The promise resolves once `exited` has run (awaitWorkerExit's `exited`).
 */
export function onWorkerExit(worker: Worker, what: string, exited: (why: string) => void): Promise<void> {
  let failure: string | undefined;
  worker.on('error', (error) => (failure = error.message));
  return new Promise((resolve) => {
    worker.once('exit', (code) => {
      try {
        exited(`${what} stopped (exit code ${code})${failure ? `: ${failure}` : ''}`);
      } finally {
        resolve();
      }
    });
  });
}

/** Waits up to `ms` for `exited` (the worker's 'exit'); terminates the worker if it has not come. */
export async function awaitWorkerExit(worker: Worker, exited: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const stopped = await Promise.race([exited.then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
  clearTimeout(timer);
  if (!stopped) await worker.terminate();
  await exited;
}

/**
 * Puts the calling worker thread at BACKGROUND_NICE, so that where cores are few (two, with the
 * agent's own builds and tests beside them) indexing and exports give way to the thread that answers
 * hooks; both are behind the durable journal, so running later loses nothing. (On the quiet 2-core
 * bench machine the effect on a decision's p99 was within its noise: bench/decision-profile.md.)
 * Linux only: there a nice value belongs to one thread (setpriority(2) on the id /proc/thread-self
 * names). On macOS and Windows os.setPriority sets the whole process's, so nothing is changed there;
 * nor on the main thread, whose priority is the hooks'. Never throws: says what it did.
 */
export function runAtBackgroundPriority(platform: NodeJS.Platform = process.platform): { nice: number; threadId: number } | { skipped: string } {
  if (isMainThread) return { skipped: 'the main thread answers hooks: its priority stays' };
  if (platform !== 'linux') return { skipped: `a thread's own priority is Linux's (here ${platform} would set the whole process's)` };
  try {
    // "<pid>/task/<tid>", of this process in this /proc (another PID namespace's /proc names others)
    const link = readlinkSync('/proc/thread-self');
    const m = /^(\d+)\/task\/(\d+)$/.exec(link);
    const threadId = Number(m?.[2]);
    if (!m || Number(m[1]) !== process.pid || threadId === process.pid) return { skipped: `no thread id of its own in /proc (/proc/thread-self → ${link})` };
    // Never higher than it runs now: a companion started at a lower priority keeps it.
    const nice = Math.max(getPriority(threadId), BACKGROUND_NICE);
    setPriority(threadId, nice);
    return { nice, threadId };
  } catch (error) {
    return { skipped: `could not lower it: ${(error as Error).message}` };
  }
}
