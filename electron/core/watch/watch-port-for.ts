// Which watcher backend runs on a platform. Pure: the wiring calls it and hands the port to the
// service (tests hand in their own).
import { chokidarPort } from './chokidar-watch-port.js';
import { directoryWatchPort } from './directory-watch-port.js';
import type { WatcherPort } from './watcher-port.js';

/**
 * Linux: one inotify watch per folder without chokidar's per-file state (bench/WATCH-REPORT.md:
 * 5× faster to ready, a third of the memory). macOS and Windows watch trees natively: chokidar.
 */
export function watchPortFor(platform: NodeJS.Platform): WatcherPort {
  return platform === 'linux' ? directoryWatchPort : chokidarPort;
}
