// The backend the wiring hands the file watcher: fs.watch per folder on Linux, chokidar elsewhere.
import { describe, expect, it } from 'vitest';
import { chokidarPort } from '../../electron/core/watch/chokidar-watch-port.js';
import { directoryWatchPort } from '../../electron/core/watch/directory-watch-port.js';
import { watchPortFor } from '../../electron/core/watch/index.js';

describe('watchPortFor', () => {
  it('picks directoryWatchPort on Linux and chokidar on macOS and Windows', () => {
    expect(watchPortFor('linux')).toBe(directoryWatchPort);
    expect(watchPortFor('darwin')).toBe(chokidarPort);
    expect(watchPortFor('win32')).toBe(chokidarPort);
  });
});
