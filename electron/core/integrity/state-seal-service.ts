// State files only the core writes (settings, pending approvals, the delivery cursor, the journal's
// checkpoint) each get a seal: the content the core last wrote, tagged with the integrity key. At
// start and whenever the file changes, a file that differs from its seal was changed by someone
// else: the sealed content is put back (the last state the core wrote stays in force) and the change
// is reported. The seal is written before the file, so a crash between the two completes the write
// at the next start instead of looking like tampering.
import { hash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, watch, type FSWatcher } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { writeAtomic, writeAtomicAsync, type Clock, type SealedLatestPort } from '../base/index.js';
import { INTEGRITY_KEY_FILE, type IntegrityKey } from './integrity-key.js';

export const SEALS_DIR = 'seals';

const SealSchema = z.object({ v: z.literal(1), file: z.string(), content: z.string(), previous: z.string().optional(), tag: z.string() });
type Seal = z.infer<typeof SealSchema>;

export interface TamperReport {
  /** The state file, relative to the data folder. */
  file: string;
  reason: string;
  /** The sealed content was put back. */
  restored: boolean;
  at: number;
}

export type SealCheck = { kind: 'ok' } | { kind: 'tampered'; reason: string; restored: boolean };

export interface StateSealOptions {
  dataDir: string;
  key: IntegrityKey;
  /** The key was just created: files without a seal are this version's first start, not tampering. */
  trustUnsealed: boolean;
  /** The key file as the core loaded or wrote it (watched while the core runs). */
  keyFileText?: string;
  clock: Clock;
}

const sha256 = (text: string): string => hash('sha256', text, 'base64url');

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export class StateSealService {
  private readonly files = new Map<string, SealedStateFile>();
  private readonly listeners = new Set<(report: TamperReport) => void>();
  /** Reports made before anyone listened (checks at start run before the journal is open). */
  private readonly early: TamperReport[] = [];
  private readonly watchers: FSWatcher[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private watched: { count: number; byPath: Map<string, SealedStateFile> } | undefined;

  constructor(private o: StateSealOptions) {
    mkdirSync(join(o.dataDir, SEALS_DIR), { recursive: true, mode: 0o700 });
  }

  get keyProtection(): IntegrityKey['protection'] {
    return this.o.key.protection;
  }

  /** Start-up is over: from now on a state file without a seal was made by someone else. */
  endFirstUse(): void {
    this.o = { ...this.o, trustUnsealed: false };
  }

  /** The sealed file at `name` (relative to the data folder). `watch: false` when its owner watches it. */
  file(name: string, options: { watch?: boolean } = {}): SealedStateFile {
    let file = this.files.get(name);
    if (!file) {
      file = new SealedStateFile(name, () => this.o, (reason, restored) => this.report({ file: name, reason, restored, at: this.o.clock.now() }), options.watch !== false);
      this.files.set(name, file);
    }
    return file;
  }

  onTamper(listener: (report: TamperReport) => void): () => void {
    this.listeners.add(listener);
    for (const report of this.early.splice(0)) listener(report);
    return () => this.listeners.delete(listener);
  }

  /** Every state file is checked again whenever it changes, for as long as the core runs. */
  watchAll(): void {
    if (this.watchers.length > 0) return;
    const folders = new Set([...this.files.values()].filter((f) => f.watched).map((f) => dirname(f.path)));
    folders.add(join(this.o.dataDir, SEALS_DIR));
    folders.add(this.o.dataDir);
    for (const folder of folders) {
      try {
        const watcher = watch(folder, { persistent: false }, (_event, changed) => this.changed(folder, changed));
        watcher.on('error', () => undefined);
        this.watchers.push(watcher);
      } catch {
        // The folder is gone: every read still checks the seal.
      }
    }
  }

  close(): void {
    for (const w of this.watchers.splice(0)) w.close();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  private changed(folder: string, changed: string | null): void {
    if (folder === this.o.dataDir && (changed === null || changed === INTEGRITY_KEY_FILE)) this.checkKeyFile();
    for (const file of this.concerned(folder, changed)) {
      clearTimeout(this.timers.get(file.name));
      this.timers.set(
        file.name,
        setTimeout(() => {
          this.timers.delete(file.name);
          file.verify();
        }, 50),
      );
    }
  }

  /** The state files a change in `folder` to `changed` (null: not said) may concern. A seal is
   *  checked whoever watches its file: an edited seal says nothing about the file's events. */
  private concerned(folder: string, changed: string | null): SealedStateFile[] {
    const files = [...this.files.values()];
    if (folder === join(this.o.dataDir, SEALS_DIR)) return files.filter((f) => changed === null || changed.startsWith(f.sealName));
    if (changed === null) return files.filter((f) => f.watched && dirname(f.path) === folder);
    // Looked up, not searched: most events are no state file's (each journal append is one).
    const file = this.watchedByPath().get(join(folder, changed));
    return file ? [file] : [];
  }

  /** The watched state files by path (made again when a file is added). */
  private watchedByPath(): Map<string, SealedStateFile> {
    if (this.watched?.count !== this.files.size) this.watched = { count: this.files.size, byPath: new Map([...this.files.values()].filter((f) => f.watched).map((f) => [f.path, f])) };
    return this.watched.byPath;
  }

  /** The key file must keep the key this core holds: a replaced or removed one is put back. */
  private checkKeyFile(): void {
    const expected = this.o.keyFileText;
    if (expected === undefined) return;
    const file = join(this.o.dataDir, INTEGRITY_KEY_FILE);
    let now: string | undefined;
    try {
      now = readText(file);
    } catch {
      now = undefined;
    }
    if (now === expected) return;
    writeAtomic(file, expected);
    this.report({ file: INTEGRITY_KEY_FILE, reason: `${now === undefined ? 'it was deleted' : 'it was replaced'}; the key this companion holds was put back`, restored: true, at: this.o.clock.now() });
  }

  private report(report: TamperReport): void {
    if (this.listeners.size === 0) this.early.push(report);
    for (const l of this.listeners) l(report);
  }
}

const sealParts = (body: Omit<Seal, 'tag'>): string[] => ['seal', body.file, body.content, body.previous ?? ''];

export class SealedStateFile implements SealedLatestPort {
  readonly path: string;
  readonly sealName: string;
  private readonly sealPath: string;
  /** The content of our last seal: a watcher event that finds it in place is our own write. */
  private lastSealed: string | undefined;
  /** writeSoon: the text waiting for the write in progress, and that write. */
  private waiting: string | undefined;
  private writing: Promise<void> | undefined;

  constructor(
    readonly name: string,
    private readonly options: () => StateSealOptions,
    private readonly onTamper: (reason: string, restored: boolean) => void,
    readonly watched: boolean,
  ) {
    const { dataDir } = options();
    this.path = join(dataDir, name);
    this.sealName = `${name.replaceAll('/', '__')}.seal`;
    this.sealPath = join(dataDir, SEALS_DIR, this.sealName);
  }

  /** The file's content once checked against its seal (restored if it was changed); undefined if none. */
  read(): string | undefined {
    const check = this.verify();
    if (check.kind === 'tampered' && !check.restored) return undefined;
    return readText(this.path);
  }

  /** Seal, then write: the core's only way to change the file. */
  write(text: string): void {
    // A write in the background could land after this one and put an older content in place.
    if (this.writing) throw new Error(`${this.name} is being written in the background: it is written with writeSoon only`);
    this.seal(text);
    writeAtomic(this.path, text);
  }

  writeSoon(text: string): void {
    this.waiting = text;
    this.writing ??= this.drain();
  }

  flushed(): Promise<void> {
    return this.writing ?? Promise.resolve();
  }

  private async drain(): Promise<void> {
    try {
      for (let text = this.waiting; text !== undefined; text = this.waiting) {
        this.waiting = undefined;
        try {
          // As write(): the seal first, so a stop between the two finishes the write at the next start.
          const seal = this.sealText(text);
          for (const folder of this.folders()) await mkdir(folder, { recursive: true, mode: 0o700 });
          await writeAtomicAsync(this.sealPath, seal);
          this.lastSealed = text;
          await writeAtomicAsync(this.path, text);
        } catch {
          // A full disk: the previous content stays (what write()'s callers do with its error).
        }
      }
    } finally {
      this.writing = undefined;
    }
  }

  /** Removes the file, then its seal. (A crash between the two leaves a seal without its file: the
   *  next start puts the file back and reports it, as it cannot tell; a stale address only makes
   *  hooks fail closed.) */
  remove(): void {
    rmSync(this.path, { force: true });
    rmSync(this.sealPath, { force: true });
    this.lastSealed = undefined;
  }

  /** Records `text` as what the file holds (or is about to hold) by the core's hand. */
  seal(text: string): void {
    const seal = this.sealText(text);
    for (const folder of this.folders()) mkdirSync(folder, { recursive: true, mode: 0o700 });
    writeAtomic(this.sealPath, seal);
    this.lastSealed = text;
  }

  /** Made before every write: the agent (same user) may have removed them. */
  private folders(): string[] {
    return [dirname(this.sealPath), dirname(this.path)];
  }

  /** The seal of `text` (naming the content it replaces). */
  private sealText(text: string): string {
    const stored = this.lastSealed === undefined ? this.readSeal() : undefined;
    const previous = this.lastSealed ?? (typeof stored === 'object' ? stored.content : undefined);
    const body = { v: 1 as const, file: this.name, content: text, ...(previous !== undefined && previous !== text ? { previous: sha256(previous) } : {}) };
    return `${JSON.stringify({ ...body, tag: this.tagOf(body) })}\n`;
  }

  /**
   * Compares the file with its seal. A difference is put right (the sealed content is written back)
   * and reported; a missing or forged seal cannot be put right: the file is then not to be trusted.
   */
  verify(): SealCheck {
    const seal = this.readSeal();
    const now = readText(this.path);
    if (seal === 'forged' || seal === undefined) {
      if (now === undefined) return { kind: 'ok' };
      if (seal === undefined && this.options().trustUnsealed) {
        this.seal(now);
        return { kind: 'ok' };
      }
      const reason = `${seal === 'forged' ? 'its integrity seal does not verify (the seal was edited)' : 'it has no integrity seal (the seal was removed, or the companion never wrote this file)'}; its content is not trusted`;
      this.onTamper(reason, false);
      return { kind: 'tampered', reason, restored: false };
    }
    this.lastSealed = seal.content;
    if (now === seal.content) return { kind: 'ok' };
    writeAtomic(this.path, seal.content);
    // The core sealed this content and was stopped before writing it: finish the write quietly.
    if (now !== undefined && seal.previous !== undefined && sha256(now) === seal.previous) return { kind: 'ok' };
    const reason = now === undefined ? 'it was deleted' : 'its content differs from what the companion last wrote';
    this.onTamper(`${reason}; the companion's last version was put back`, true);
    return { kind: 'tampered', reason, restored: true };
  }

  private readSeal(): Seal | 'forged' | undefined {
    const text = readText(this.sealPath);
    if (text === undefined) return undefined;
    let seal: Seal;
    try {
      const parsed = SealSchema.safeParse(JSON.parse(text));
      if (!parsed.success) return 'forged';
      seal = parsed.data;
    } catch {
      return 'forged';
    }
    const { tag, ...body } = seal;
    return seal.file === this.name && this.options().key.verifies(tag, ...sealParts(body)) ? seal : 'forged';
  }

  private tagOf(body: Omit<Seal, 'tag'>): string {
    return this.options().key.tag(...sealParts(body));
  }
}
