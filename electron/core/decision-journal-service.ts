// Append-only, fsynced JSON-lines journal of every evidence event. A decision is on disk before the
// agent receives it, so a crash or an unreachable collector never loses what was decided.
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvidenceEvent } from './evidence-event.js';

export const JOURNAL_FILE = 'evidence.jsonl';

export class DecisionJournalService {
  private handle: Promise<FileHandle> | undefined;
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly dir: string) {}

  get file(): string {
    return join(this.dir, JOURNAL_FILE);
  }

  /** Resolves once the line is durably on disk; rejects (and keeps order) if the write fails. */
  append(event: EvidenceEvent): Promise<void> {
    const line = `${JSON.stringify({ v: 1, ...event })}\n`;
    const write = this.tail.then(async () => {
      const fh = await this.open();
      await fh.appendFile(line, 'utf8');
      await fh.datasync();
    });
    // The chain continues after a failure; the caller still sees the rejection.
    this.tail = write.catch(() => undefined);
    return write;
  }

  async close(): Promise<void> {
    await this.tail;
    const h = this.handle;
    this.handle = undefined;
    if (h) await (await h).close();
  }

  private open(): Promise<FileHandle> {
    this.handle ??= mkdir(this.dir, { recursive: true, mode: 0o700 }).then(() => open(this.file, 'a', 0o600));
    // A failed open is retried on the next append (e.g. after the disk frees up).
    this.handle.catch(() => (this.handle = undefined));
    return this.handle;
  }
}
