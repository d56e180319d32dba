// Append-only, fsynced JSON-lines journal of every evidence event. A decision is on disk before the
// agent receives it, so a crash or an unreachable collector never loses what was decided.
// Group commit: events arriving while a write is in flight share the next write + fsync.
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvidenceEvent } from './evidence-event.js';

export const JOURNAL_FILE = 'evidence.jsonl';

interface Waiting {
  line: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class DecisionJournalService {
  private handle: FileHandle | undefined;
  private queue: Waiting[] = [];
  private flushing: Promise<void> | undefined;

  constructor(private readonly dir: string) {}

  get file(): string {
    return join(this.dir, JOURNAL_FILE);
  }

  /** Resolves once the line is durably on disk; rejects if the write or fsync fails. */
  append(event: EvidenceEvent): Promise<void> {
    const line = `${JSON.stringify({ v: 1, ...event })}\n`;
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line, resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    const h = this.handle;
    this.handle = undefined;
    await h?.close();
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        if (!this.handle) {
          await mkdir(this.dir, { recursive: true, mode: 0o700 });
          this.handle = await open(this.file, 'a', 0o600);
        }
        const handle = this.handle;
        await handle.appendFile(batch.map((w) => w.line).join(''), 'utf8');
        await handle.datasync();
        for (const w of batch) w.resolve();
      } catch (error) {
        // Reopen on the next batch (the disk may free up, the folder may come back).
        const h = this.handle;
        this.handle = undefined;
        await h?.close().catch(() => undefined);
        for (const w of batch) w.reject(error);
      }
    }
    this.flushing = undefined;
  }
}
