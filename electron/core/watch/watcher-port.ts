// The port between the file watcher service and a watcher backend: one watcher per root, raw events
// out. Backends: chokidar-watch-port.ts (macOS, Windows) and directory-watch-port.ts (Linux); which
// one runs is chosen by watch-port-for.ts in the wiring.

export type RawWatchEvent = 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir';

export interface WatchEventSink {
  event(kind: RawWatchEvent, path: string): void;
  /** The backend's raw notification (used to see names the library drops: invalid UTF-8). */
  raw?(event: string, name: string | null, dir: string | undefined): void;
  error(error: unknown): void;
  ready(): void;
}

export interface WatcherHandle {
  close(): Promise<void>;
}

export interface WatchRootOptions {
  depth?: number;
  ignored: (path: string) => boolean;
}

export interface WatcherPort {
  /** Starts watching `root` (recursively); may throw (then the root is reported as not watched). */
  watch(root: string, options: WatchRootOptions, sink: WatchEventSink): WatcherHandle;
}
