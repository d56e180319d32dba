// The built core (dist/), for what only runs built: worker threads start from built files beside
// their services, so the tests of those threads load the core from dist/ (npm test builds it first).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const BUILT_CORE = join(fileURLToPath(new URL('../../', import.meta.url)), 'dist/electron/core');

/** Fails with what to do when `file` (relative to the built core) is missing. */
export function requireBuilt(file: string): void {
  if (!existsSync(join(BUILT_CORE, file))) throw new Error(`${BUILT_CORE} has no ${file}: run "npm run build:core" first (npm test does).`);
}

/** A module of the built core, typed as its source. */
export async function importBuilt<T>(file: string): Promise<T> {
  return (await import(pathToFileURL(join(BUILT_CORE, file)).href)) as T;
}
