// One companion per data folder: two would fight over the same state files (each putting back the
// other's writes as tampering), the address file and the journal's numbering. The lock is a file
// created exclusively, holding the owner's pid and address; a lock whose process is gone is stale.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { INSTANCE_LOCK_FILE } from '../../../shared/agent-files.js';
import { writeAtomic } from './atomic-file.js';

export { INSTANCE_LOCK_FILE };

/** Another companion holds this data folder. */
export class InstanceRunningError extends Error {
  readonly code = 'already_running';
  constructor(
    readonly pid: number,
    readonly url: string | undefined,
    readonly lockFile: string,
  ) {
    super(
      `Cowork Companion is already running for this data folder (pid ${pid}${url ? `, at ${url}` : ''}); use that one — its window or tray, or Enter in the terminal where it runs for a new Inbox address — or give this one another --data-dir`,
    );
  }
}

export interface InstanceLock {
  /** Records where this companion can be reached (shown to a second start). */
  publish(url: string): void;
  release(): void;
}

interface LockRecord {
  pid: number;
  url?: string;
}

/** Whether a process with this id exists (EPERM: it does, as another user's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's process.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readRecord(file: string): LockRecord | undefined {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockRecord>;
    return Number.isInteger(v.pid) && (v.pid as number) > 0 ? { pid: v.pid as number, ...(typeof v.url === 'string' ? { url: v.url } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the data folder's lock, or throws InstanceRunningError naming the companion that holds it. */
export function acquireInstanceLock(dataDir: string): InstanceLock {
  const file = join(dataDir, INSTANCE_LOCK_FILE);
  const record: LockRecord = { pid: process.pid };
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, JSON.stringify(record));
      } finally {
        closeSync(fd);
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const holder = readRecord(file);
      if (holder && holder.pid !== process.pid && processAlive(holder.pid)) throw new InstanceRunningError(holder.pid, holder.url, file);
      // Left by a companion that is gone (or unreadable): take it over.
      unlinkSync(file);
    }
  }
  let held = true;
  return {
    publish(url) {
      if (held) writeAtomic(file, JSON.stringify({ ...record, url }));
    },
    release() {
      if (!held) return;
      held = false;
      // Only our own lock: never remove one another companion took after ours was declared stale.
      if (readRecord(file)?.pid === process.pid) unlinkSync(file);
    },
  };
}
