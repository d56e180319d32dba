// The worker threads of the core (the timeline's follower, the evidence export) start from built
// files beside their services and fall back to the main thread when none starts; a stop gives one a
// while to finish its turn (an export, an indexing batch), then it is terminated, so a stuck one never
// holds up the companion's exit.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** The worker, or why there is none: no built file (running from TypeScript sources), or it did not start. */
export function startBuiltWorker(file: URL, options: WorkerOptions): { worker: Worker } | { reason: string; error?: unknown } {
  if (!existsSync(fileURLToPath(file))) return { reason: `no built worker at ${fileURLToPath(file)} (running from TypeScript sources)` };
  try {
    return { worker: new Worker(file, options) };
  } catch (error) {
    return { reason: `the worker did not start: ${(error as Error).message}`, error };
  }
}

/** Waits up to `ms` for `exited` (the worker's 'exit'); terminates the worker if it has not come. */
export async function awaitWorkerExit(worker: Worker, exited: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const stopped = await Promise.race([exited.then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
  clearTimeout(timer);
  if (!stopped) await worker.terminate();
  await exited;
}
