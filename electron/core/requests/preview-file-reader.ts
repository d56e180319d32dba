// Reads the file a change would touch, for the card's diff only: a regular file up to a size cap.
// Opened non-blocking and checked with fstat on the open descriptor, so a FIFO or a device never
// blocks the core or streams into it, and what is checked is what is read.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Files larger than this are not diffed (the card says so and shows the request's strings). */
export const PREVIEW_FILE_LIMIT = 4 * 1024 * 1024;

export type PreviewFile =
  | { kind: 'text'; text: string }
  | { kind: 'missing' }
  | { kind: 'too-large'; size: number }
  | { kind: 'binary' }
  | { kind: 'not-regular' }
  | { kind: 'protected' }
  | { kind: 'unreadable' };

// O_NONBLOCK does not exist on Windows (and FIFOs are not files there).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

export function readPreviewFile(path: string, limit = PREVIEW_FILE_LIMIT): PreviewFile {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? { kind: 'missing' } : { kind: 'unreadable' };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { kind: 'not-regular' };
    if (stat.size > limit) return { kind: 'too-large', size: stat.size };
    // One byte more than the cap: a file that grew since fstat is still caught.
    const buffer = Buffer.alloc(Math.min(limit + 1, stat.size + 1));
    let length = 0;
    for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, length)) > 0; ) length += n;
    if (length > limit) return { kind: 'too-large', size: length };
    // It grew while being read: what was read is not the whole file.
    if (length === buffer.length) return { kind: 'unreadable' };
    const bytes = buffer.subarray(0, length);
    if (bytes.includes(0)) return { kind: 'binary' };
    return { kind: 'text', text: bytes.toString('utf8') };
  } catch {
    return { kind: 'unreadable' };
  } finally {
    closeSync(fd);
  }
}
