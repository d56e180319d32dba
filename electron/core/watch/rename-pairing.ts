// Renames: a watcher backend (watcher-port.ts) reports unlink + add. A deletion and a creation of
// the same name in another folder (moved) or in the same folder (renamed) within a short window are
// reported as one rename. The two halves may come from different watchers and in either order (each
// is confirmed by its own asynchronous stat), so:
//   - a deletion waits up to the window for its creation;
//   - a creation is held only while the kernel has announced a rename (raw notification, delivered
//     in order) of a fitting name that the backend has not reported yet: until that is reported, or
//     the window ends. A plain creation is reported at once.
import { posix, win32 } from 'node:path';
import type { EntryType } from '../../../shared/run-watch-contract.js';
import type { Clock } from '../base/index.js';
import type { ActiveRunView, ObservedChange } from './change-attribution-policy.js';
import type { RawWatchEvent } from './watcher-port.js';

export interface RawChange {
  event: RawWatchEvent;
  path: string;
  at: number;
  runs: ActiveRunView[];
}

interface Waiting extends RawChange {
  type: EntryType;
  due: number;
  done: boolean;
  base: string;
  dir: string;
}

interface Announced {
  base: string;
  dir: string;
  at: number;
}

/** Used by the file watcher service only (and its unit test). */
export class RenamePairing {
  /** Deletions waiting for their creation (arrival order). */
  private deletes: Waiting[] = [];
  /** Creations held while a fitting rename is still being confirmed. */
  private creates: Waiting[] = [];
  /** Kernel rename notifications not yet reported by the library, by path key. */
  private readonly announced = new Map<string, Announced>();
  private timer: { cancel(): void; due: number } | undefined;
  private readonly path: typeof posix;

  constructor(
    private readonly clock: Clock,
    private readonly windowMs: number,
    private readonly out: (change: ObservedChange, runs: ActiveRunView[]) => void,
    private readonly key: (p: string) => string,
    windows: boolean,
  ) {
    this.path = windows ? (win32 as unknown as typeof posix) : posix;
  }

  /** A raw `rename` notification from the kernel: `name` appeared or disappeared in `dir`. */
  noteRename(dir: string, name: string): void {
    if (this.windowMs <= 0) return;
    const full = this.path.join(dir, name);
    this.announced.set(this.key(full), { base: this.key(name), dir: this.key(dir), at: this.clock.now() });
    if (this.announced.size > 10_000) this.pruneAnnounced(this.clock.now());
  }

  push(raw: RawChange): void {
    const type: EntryType = raw.event === 'addDir' || raw.event === 'unlinkDir' ? 'directory' : 'file';
    const pathKey = this.key(raw.path);
    this.announced.delete(pathKey); // reported now
    if (raw.event === 'change') {
      this.out({ path: raw.path, kind: 'modified', type, at: raw.at }, raw.runs);
      return this.recheck();
    }
    const w: Waiting = { ...raw, type, due: raw.at + this.windowMs, done: false, base: this.key(this.path.basename(raw.path)), dir: this.key(this.path.dirname(raw.path)) };
    if (raw.event === 'unlink' || raw.event === 'unlinkDir') {
      if (this.windowMs <= 0) return this.out({ path: raw.path, kind: 'deleted', type, at: raw.at }, raw.runs);
      // The creation was reported first and is being held: pair now.
      const created = this.take(this.creates, (c) => c.type === type && c.base === w.base && c.dir !== w.dir) ?? this.take(this.creates, (c) => c.type === type && c.dir === w.dir);
      if (created) {
        this.out({ path: created.path, previousPath: raw.path, kind: 'renamed', type, at: created.at }, created.runs);
        return this.recheck();
      }
      this.deletes.push(w);
      this.recheck();
      return this.arm();
    }
    // add / addDir
    const same = this.take(this.deletes, (d) => d.type === type && this.key(d.path) === pathKey);
    if (same) {
      if (type === 'file') this.out({ path: raw.path, kind: 'modified', type, at: raw.at }, raw.runs);
      else {
        this.out({ path: same.path, kind: 'deleted', type, at: same.at }, same.runs);
        this.out({ path: raw.path, kind: 'created', type, at: raw.at }, raw.runs);
      }
      return this.recheck();
    }
    const moved = this.take(this.deletes, (d) => d.type === type && d.base === w.base) ?? this.take(this.deletes, (d) => d.type === type && d.dir === w.dir);
    if (moved) {
      this.out({ path: raw.path, previousPath: moved.path, kind: 'renamed', type, at: raw.at }, raw.runs);
      return this.recheck();
    }
    if (this.windowMs > 0 && this.suspicious(w, raw.at)) {
      this.creates.push(w);
      return this.arm();
    }
    this.out({ path: raw.path, kind: 'created', type, at: raw.at }, raw.runs);
    this.recheck();
  }

  /** Reports everything waiting now (the watcher stops). */
  flush(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.release(Number.POSITIVE_INFINITY);
    this.announced.clear();
  }

  /** Is a rename of a fitting name announced by the kernel and not yet reported? */
  private suspicious(w: Waiting, now: number): boolean {
    for (const a of this.announced.values()) {
      if (now - a.at > this.windowMs) continue;
      if ((a.base === w.base && a.dir !== w.dir) || (a.dir === w.dir && a.base !== w.base)) return true;
    }
    return false;
  }

  /** The most recent waiting entry in `list` that fits, marked done. */
  private take(list: Waiting[], fits: (w: Waiting) => boolean): Waiting | undefined {
    for (let i = list.length - 1; i >= 0; i--) {
      const w = list[i]!;
      if (!w.done && fits(w)) {
        w.done = true;
        return w;
      }
    }
    return undefined;
  }

  /** Held creations whose suspicion has cleared are reported at once. */
  private recheck(): void {
    if (this.creates.length === 0) return;
    const now = this.clock.now();
    for (const c of this.creates) {
      if (c.done || this.suspicious(c, now)) continue;
      c.done = true;
      this.out({ path: c.path, kind: 'created', type: c.type, at: c.at }, c.runs);
    }
    this.creates = this.creates.filter((c) => !c.done);
  }

  private release(now: number): void {
    // Deletions first: a creation held for them then finds nothing left to wait for.
    for (const d of this.deletes) {
      if (d.done || d.due > now) continue;
      d.done = true;
      this.out({ path: d.path, kind: 'deleted', type: d.type, at: d.at }, d.runs);
    }
    this.deletes = this.deletes.filter((d) => !d.done);
    for (const c of this.creates) {
      if (c.done || c.due > now) continue;
      c.done = true;
      this.out({ path: c.path, kind: 'created', type: c.type, at: c.at }, c.runs);
    }
    this.creates = this.creates.filter((c) => !c.done);
    this.pruneAnnounced(now);
    this.recheck();
  }

  private pruneAnnounced(now: number): void {
    for (const [k, a] of this.announced) if (now - a.at > this.windowMs) this.announced.delete(k);
  }

  private arm(): void {
    // Both lists are in arrival order, so by due time: the first live entry of each is the earliest.
    const first = (list: Waiting[]): number => list.find((w) => !w.done)?.due ?? Number.POSITIVE_INFINITY;
    const due = Math.min(first(this.deletes), first(this.creates));
    if (due === Number.POSITIVE_INFINITY) return;
    if (this.timer && this.timer.due <= due) return;
    this.timer?.cancel();
    const t = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.release(this.clock.now());
      this.arm();
    }, Math.max(0, due - this.clock.now()));
    this.timer = { cancel: () => t.cancel(), due };
  }
}
