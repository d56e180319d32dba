// A lean WatcherPort for Linux: one inotify watch per folder through fs.watch (not its `recursive`
// option, which on Linux is a JavaScript emulation that stats every file), and per folder only the
// names of its entries and whether each is a folder: no fs.Stats kept, and no file stat during the
// initial walk (readdir with file types). A notification names an entry; one lstat of it tells what
// happened: appeared (add/addDir), disappeared (unlink/unlinkDir), still there (change).
//
// Linux only. On macOS (FSEvents) and Windows (ReadDirectoryChangesW) fs.watch has other semantics
// and a watch per folder is wasteful or misses events: keep chokidarPort there.
//
// Semantics follow chokidarPort: no initial events; symbolic links are entries, never followed;
// depth 0 = the root's own entries; a root that does not exist (yet) is no error: it is awaited from
// its nearest existing ancestor, reported with addDir/add when it appears, unlinkDir/unlink when it
// goes. Not seen: an inotify queue overflow (Node does not report one), so events beyond
// fs.inotify.max_queued_events in one burst are lost.
import { watch, type Dirent, type FSWatcher, type Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { PoolShare, WATCH_POOL_SLOTS } from './pool-share.js';
import type { RawWatchEvent, WatchEventSink, WatcherHandle, WatcherPort, WatchRootOptions } from './watcher-port.js';

/** Listings and looks of every root, through one share of libuv's pool (pool-share.ts). */
const POOL = new PoolShare(WATCH_POOL_SLOTS);
/** How long a reported file is remembered by identity, to drop the kernel's late echo of that change. */
const ECHO_MS = 1000;

interface Folder {
  /** Entry name → is a folder (a symbolic link is not). */
  entries: Map<string, boolean>;
  depth: number;
  /** null: its watch was lost (the folder went); revived when the name is notified again. */
  watcher: FSWatcher | null;
  /** Names notified and not yet looked at, in arrival order. */
  pending: Set<string>;
  /** List the folder before looking at pending names (first walk, or a notification without a name). */
  list: boolean;
  /** Report what a listing finds (false for the initial walk: no initial events). */
  report: boolean;
  busy: boolean;
  /** Its first listing counts towards `ready`. */
  counted: boolean;
}

type Looked = Stats | NodeJS.ErrnoException;
const isGone = (e: unknown): boolean => ['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException | undefined)?.code ?? '');
const look = (path: string): Promise<Looked> => lstat(path).catch((e: NodeJS.ErrnoException) => e);

class DirectoryWatch implements WatcherHandle {
  private readonly folders = new Map<string, Folder>();
  private closed = false;
  private readySent = false;
  /** The start and the initial listings not finished yet. */
  private walking = 1;
  private present: 'dir' | 'file' | undefined;
  /** Watches the nearest existing ancestor of the root, for the root's own appearance and removal. */
  private anchor: { path: string; watcher: FSWatcher } | undefined;
  private rootBusy = true; // until start() has looked
  private rootAgain = false;
  private recent = new Map<string, string>();
  private older = new Map<string, string>();
  private rotatedAt = Date.now();

  constructor(private readonly root: string, private readonly o: WatchRootOptions, private readonly sink: WatchEventSink) {
    void this.start();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.anchor?.watcher.close();
    for (const f of this.folders.values()) f.watcher?.close();
    this.folders.clear();
    POOL.drop(this);
    this.recent.clear();
    this.older.clear();
  }

  private async start(): Promise<void> {
    const anchorError = this.watchAnchor().error; // first: a root created meanwhile is not missed
    const st = await look(this.root);
    if (this.closed) return;
    if (!(st instanceof Error)) {
      this.present = st.isDirectory() ? 'dir' : 'file';
      if (this.present === 'dir') this.addFolder(this.root, 0, false);
    } else if (!isGone(st)) this.fail(st, this.root);
    else if (anchorError) this.fail(anchorError, this.root); // missing, and its appearance cannot be seen
    this.rootBusy = false;
    if (this.rootAgain) void this.checkRoot();
    this.walked();
  }

  // ---- the root itself ----

  private watchAnchor(): { changed: boolean; error?: unknown } {
    for (let at = dirname(this.root); at !== this.root; at = dirname(at)) {
      if (this.anchor?.path === at) return { changed: false };
      try {
        const next = relative(at, this.root).split(sep)[0];
        const watcher = watch(at, { persistent: false }, (event, name) => {
          if (name === next) this.call(() => this.sink.raw?.(event, name, at));
          // The anchor's own removal is notified under its own name: then climb.
          if (name === null || name === next || name === basename(at)) void this.checkRoot();
        });
        watcher.on('error', () => {
          watcher.close();
          if (this.anchor?.watcher === watcher) this.anchor = undefined;
        });
        this.anchor?.watcher.close();
        this.anchor = { path: at, watcher };
        return { changed: true };
      } catch (error) {
        if (!isGone(error) || dirname(at) === at) return { changed: false, error };
      }
    }
    return { changed: false };
  }

  /** The root appeared, went, was replaced or (a file root) changed. One check at a time. */
  private async checkRoot(): Promise<void> {
    if (this.rootBusy) return void (this.rootAgain = true);
    this.rootBusy = true;
    try {
      do {
        this.rootAgain = false;
        const st = await look(this.root);
        if (this.closed) return;
        if (st instanceof Error && !isGone(st)) continue; // unreadable for now: nothing is known
        const now = st instanceof Error ? undefined : st.isDirectory() ? 'dir' : 'file';
        if (now === 'file' && this.present === 'file') this.report('change', this.root, st as Stats);
        else if (now === 'dir' && this.present === 'dir') this.revive(this.root);
        else if (now !== this.present) {
          if (this.present === 'dir') this.removeTree(this.root);
          else if (this.present === 'file') this.emit('unlink', this.root);
          this.present = now;
          if (now === 'dir') {
            this.addFolder(this.root, 0, true); // watched before reported: what is written next is seen
            this.emit('addDir', this.root);
          } else if (now === 'file') this.report('add', this.root, st as Stats);
        }
        if (!this.present && this.anchor && (await look(this.anchor.path)) instanceof Error) {
          this.anchor.watcher.close();
          this.anchor = undefined;
        }
        // An ancestor appeared (mkdir -p) or went: move the anchor and look again.
        if (!this.closed && this.watchAnchor().changed) this.rootAgain = true;
      } while (this.rootAgain && !this.closed);
    } catch (error) {
      this.fail(error, this.root);
    } finally {
      this.rootBusy = false;
    }
  }

  // ---- folders ----

  private addFolder(path: string, depth: number, report: boolean): void {
    if (this.closed) return;
    const f: Folder = { entries: new Map(), depth, watcher: null, pending: new Set(), list: true, report, busy: false, counted: !this.readySent };
    const error = this.open(path, f);
    if (error) {
      // Gone meanwhile, or a name that is not valid UTF-8 (the service reports those from `raw`).
      if (!isGone(error)) this.fail(error, path);
      return;
    }
    this.folders.set(path, f);
    if (f.counted) this.walking++;
    void this.drain(path, f);
  }

  /** (Re)watches the folder now at `path`; the previous watcher is closed once the new one is up. */
  private open(path: string, f: Folder): unknown {
    try {
      const watcher = watch(path, { persistent: false }, (event, name) => {
        if (this.closed || this.folders.get(path) !== f || f.watcher !== watcher) return;
        this.call(() => this.sink.raw?.(event, name, path));
        if (name === null) f.list = true;
        else f.pending.add(name);
        // Its own removal or move is notified under its own name: what is at `path` now is another folder.
        if (event === 'rename' && name === basename(path)) this.reopen(path, f);
        void this.drain(path, f);
      });
      watcher.on('error', (error) => {
        this.fail(error, path);
        watcher.close();
        if (f.watcher === watcher) f.watcher = null; // revived by the next notification about it
      });
      f.watcher?.close();
      f.watcher = watcher;
      return undefined;
    } catch (error) {
      return error;
    }
  }

  /** Watches what is at `path` now and lists it again (the differences are reported). */
  private reopen(path: string, f: Folder): void {
    const error = this.open(path, f);
    if (error) {
      // Nothing there (yet): the parent (or the anchor) sees what happens to the name and revives it.
      f.watcher?.close();
      f.watcher = null;
      if (!isGone(error)) this.fail(error, path);
    } else f.list = true;
  }

  /** A known folder is (still or again) at `path`: if its watch was lost, watch and list it again. */
  private revive(path: string): void {
    const f = this.folders.get(path);
    if (!f || f.watcher) return;
    this.reopen(path, f);
    void this.drain(path, f);
  }

  /** Works through a folder's notifications in order; the names of one batch are looked at together. */
  private async drain(dir: string, f: Folder): Promise<void> {
    if (f.busy) return;
    f.busy = true;
    try {
      while (!this.closed && this.folders.get(dir) === f && (f.list || f.pending.size > 0)) {
        if (f.list) {
          f.list = false;
          await this.list(dir, f);
          continue;
        }
        const names = [...f.pending];
        f.pending.clear();
        const looked = await Promise.all(names.map((n) => this.pooled(() => look(join(dir, n)), f, dir)));
        for (let i = 0; i < names.length && !this.closed && this.folders.get(dir) === f; i++) {
          const st = looked[i];
          if (st) this.apply(dir, f, names[i]!, st);
        }
      }
    } catch (error) {
      this.fail(error, dir);
    } finally {
      f.busy = false;
      this.settle(f);
    }
  }

  private async list(dir: string, f: Folder): Promise<void> {
    let dirents: Dirent[] | undefined;
    try {
      dirents = await this.pooled(() => readdir(dir, { withFileTypes: true }), f, dir);
    } catch (error) {
      if (!isGone(error)) this.fail(error, dir);
    }
    if (!dirents || this.closed || this.folders.get(dir) !== f) return;
    const seen = f.entries.size > 0 ? new Set<string>() : undefined;
    for (const d of dirents) {
      seen?.add(d.name);
      const path = join(dir, d.name);
      const isDir = d.isDirectory();
      const known = f.entries.get(d.name);
      const lost = known === true && this.folders.get(path)?.watcher === null;
      if ((known === isDir && !lost) || this.ignored(path)) continue;
      // What is to be reported goes through lstat, like a notification.
      if (f.report || known !== undefined) f.pending.add(d.name);
      else {
        f.entries.set(d.name, isDir);
        if (isDir && this.within(f.depth + 1)) this.addFolder(path, f.depth + 1, false);
      }
    }
    if (seen) for (const [name, wasDir] of f.entries) if (!seen.has(name)) this.remove(dir, f, name, wasDir);
    f.report = true; // a later listing (a notification without a name) reports what changed
    this.settle(f);
  }

  /** What a notification (or a listing) about `name` means, from its lstat. */
  private apply(dir: string, f: Folder, name: string, st: Looked): void {
    const path = join(dir, name);
    if (this.ignored(path)) return;
    const known = f.entries.get(name);
    if (st instanceof Error) {
      if (known !== undefined && isGone(st)) this.remove(dir, f, name, known);
      return;
    }
    const isDir = st.isDirectory();
    if (known === isDir) {
      // A file written or renamed over (atomic save) is a change; a folder's attributes are not.
      if (isDir) this.revive(path);
      else this.report('change', path, st);
      return;
    }
    if (known !== undefined) this.remove(dir, f, name, known); // replaced by the other kind
    f.entries.set(name, isDir);
    if (!isDir) return this.report('add', path, st);
    if (this.within(f.depth + 1)) this.addFolder(path, f.depth + 1, true);
    this.emit('addDir', path);
  }

  private remove(dir: string, f: Folder, name: string, wasDir: boolean): void {
    f.entries.delete(name);
    if (wasDir) this.removeTree(join(dir, name));
    else this.emit('unlink', join(dir, name));
  }

  /** A folder went: what was known below it goes too (deepest first), then the folder. */
  private removeTree(path: string): void {
    const f = this.folders.get(path);
    if (f) {
      this.folders.delete(path);
      f.watcher?.close();
      this.settle(f);
      for (const [name, isDir] of f.entries) {
        if (isDir) this.removeTree(join(path, name));
        else this.emit('unlink', join(path, name));
      }
    }
    this.emit('unlinkDir', path);
  }

  // ---- files: drop echoes ----
  // A file found by a listing is often notified a moment later too (created after the watch was set
  // up), and one write is notified as a creation and a modification that may arrive apart. The
  // identity (inode, size, mtime) reported in the last second or so drops those repeats, without
  // keeping anything for the files of the whole tree.

  private report(kind: 'add' | 'change', path: string, st: Stats): void {
    const id = `${st.ino}:${st.size}:${st.mtimeMs}`;
    if (kind === 'change' && (this.recent.get(path) ?? this.older.get(path)) === id) return;
    if (Date.now() - this.rotatedAt > ECHO_MS) {
      this.older = this.recent;
      this.recent = new Map();
      this.rotatedAt = Date.now();
    }
    this.recent.set(path, id);
    this.emit(kind, path);
  }

  // ---- helpers ----

  private within(depth: number): boolean {
    return this.o.depth === undefined || depth <= this.o.depth;
  }

  private ignored(path: string): boolean {
    try {
      return this.o.ignored(path);
    } catch {
      return false;
    }
  }

  /** Undefined (not run) once this watch is closed or `f` is no longer the folder at `dir` (a
   *  subtree removed during the walk is not listed). */
  private pooled<T>(task: () => Promise<T>, f: Folder, dir: string): Promise<T | undefined> {
    return POOL.run(this, () => this.closed || this.folders.get(dir) !== f, task);
  }

  /** A folder's first listing is over (or the folder went): maybe the initial walk is done. */
  private settle(f: Folder): void {
    if (!f.counted) return;
    f.counted = false;
    this.walked();
  }

  private walked(): void {
    if (--this.walking > 0 || this.readySent) return;
    this.readySent = true;
    this.call(() => this.sink.ready());
  }

  private emit(kind: RawWatchEvent, path: string): void {
    this.call(() => this.sink.event(kind, path));
  }

  /** Reports an error with its `code` and the `path` it is about (what classifyWatchError reads). */
  private fail(error: unknown, path: string): void {
    const e = (error instanceof Error ? error : new Error(String(error))) as NodeJS.ErrnoException;
    if (typeof e.path !== 'string') e.path = path;
    this.call(() => this.sink.error(e));
  }

  /** Calls the sink, never after close(); its exceptions are its own and never stop the watching. */
  private call(fn: () => void): void {
    if (this.closed) return;
    try {
      fn();
    } catch {
      // ignored on purpose
    }
  }
}

/** fs.watch on every folder (Linux inotify); see the top of this file for where it fits. */
export const directoryWatchPort: WatcherPort = {
  watch(root, options, sink) {
    return new DirectoryWatch(root, options, sink);
  },
};
