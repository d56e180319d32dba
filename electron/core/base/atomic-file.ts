import { renameSync, writeFileSync } from 'node:fs';

/** Temp file + rename, user-only: a crash leaves the old file or the new one, never half of one. */
export function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}
