// What a test started (servers, cores, temp folders), undone after each test, last started first.
import { afterEach } from 'vitest';

export type Cleanup = () => Promise<void> | void;

/** A list to push undo steps on; after each test of the file they run in reverse order. */
export function cleanupAfterEach(): Cleanup[] {
  const steps: Cleanup[] = [];
  afterEach(async () => {
    for (const step of steps.splice(0).reverse()) await step();
  });
  return steps;
}
