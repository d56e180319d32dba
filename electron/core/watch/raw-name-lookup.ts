// Node decodes file names as UTF-8; a name that is not valid UTF-8 comes out with U+FFFD and cannot
// be opened by that string. The folder's listing as bytes still has it: find the entry whose bytes
// decode to the notified name.
import { lstat, readdir } from 'node:fs/promises';
import type { posix } from 'node:path';
import type { EntryType } from '../../../shared/run-watch-contract.js';

/** Is the entry `name` (as decoded) in `dir`, and is it a folder? Never throws. */
export async function lookUpRawName(dir: string, name: string, p: Pick<typeof posix, 'sep'>): Promise<{ found: boolean; type: EntryType }> {
  let match: Buffer | undefined;
  try {
    const entries = await readdir(dir, { encoding: 'buffer' });
    match = entries.find((b) => b.toString('utf8') === name);
  } catch {
    match = undefined;
  }
  let type: EntryType = 'file';
  if (match) {
    try {
      const st = await lstat(Buffer.concat([Buffer.from(dir.endsWith(p.sep) ? dir : dir + p.sep), match]));
      if (st.isDirectory()) type = 'directory';
    } catch {
      // gone meanwhile: reported as a change of a file
    }
  }
  return { found: match !== undefined, type };
}
