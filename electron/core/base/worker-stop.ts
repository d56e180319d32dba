// Ending a worker thread that was asked to stop: it gets a while to finish its turn (an export, an
// indexing batch), then it is terminated, so a stuck one never holds up the companion's exit.
import type { Worker } from 'node:worker_threads';

/** Waits up to `ms` for `exited` (the worker's 'exit'); terminates the worker if it has not come. */
export async function awaitWorkerExit(worker: Worker, exited: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const stopped = await Promise.race([exited.then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
  clearTimeout(timer);
  if (!stopped) await worker.terminate();
  await exited;
}
