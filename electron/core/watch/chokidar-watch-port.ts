// The chokidar backend of WatcherPort (macOS and Windows, where chokidar uses the native tree
// watchers; see watch-port-for.ts).
import { watch as chokidarWatch } from 'chokidar';
import type { RawWatchEvent, WatcherPort } from './watcher-port.js';

const RAW_EVENTS = new Set<string>(['add', 'change', 'unlink', 'addDir', 'unlinkDir']);

/**
 * chokidar 6: no initial add events, symbolic links watched as themselves (never followed: no loops,
 * no watching outside the planned trees, and every reported path is already canonical), no editor
 * temp-file filtering and no unlink+add merging (the service pairs renames itself), not keeping the
 * process alive.
 */
export const chokidarPort: WatcherPort = {
  watch(root, options, sink) {
    const w = chokidarWatch(root, {
      ignoreInitial: true,
      followSymlinks: false,
      atomic: false,
      persistent: false,
      depth: options.depth,
      ignored: (path: string) => options.ignored(path),
    });
    w.on('all', (event, path) => {
      if (RAW_EVENTS.has(event)) sink.event(event as RawWatchEvent, path);
    });
    w.on('error', (error) => sink.error(error));
    w.on('ready', () => sink.ready());
    if (sink.raw) {
      const raw = sink.raw.bind(sink);
      w.on('raw', (event, name, details) => raw(String(event), typeof name === 'string' ? name : null, (details as { watchedPath?: string } | undefined)?.watchedPath));
    }
    return { close: () => w.close() };
  },
};
