import { randomBytes } from 'node:crypto';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';

/** The temp file an atomic write of `file` goes through ends like this (a random part between). */
export const ATOMIC_TEMP = /\.tmp-[0-9a-f]{12}$/;
const tempFor = (file: string): string => `${file}.tmp-${randomBytes(6).toString('hex')}`;

/**
 * Temp file + rename, user-only unless `mode` says otherwise: a crash leaves the old file or the new one, never half of one. The
 * temp file has a fresh name and is created exclusively, so nothing planted at a predictable name (a
 * link to another file, say) is written through.
 */
export function writeAtomic(file: string, text: string, mode = 0o600): void {
  const tmp = tempFor(file);
  writeFileSync(tmp, text, { mode, flag: 'wx' });
  try {
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** writeAtomic off the event loop (the same temp file and rename, by libuv's threads). */
export async function writeAtomicAsync(file: string, text: string, mode = 0o600): Promise<void> {
  const tmp = tempFor(file);
  await writeFile(tmp, text, { mode, flag: 'wx' });
  try {
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
