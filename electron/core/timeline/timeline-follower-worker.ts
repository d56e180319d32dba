// The timeline's follower thread (started by timeline-follower-service.ts): its own store over its own
// read-only view of the journal, following it as the main thread's follow() did — a delay after the
// core says lines were made durable, then FOLLOW_BATCH events a transaction, again until done. The
// journal view checks each line's tag with the core's key, so a forged line is never indexed here
// either. Plain Node only: it runs in Electron's main process as in `serve`.
import { debuglog } from 'node:util';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runAtBackgroundPriority } from '../base/index.js';
import { DecisionJournalService } from '../evidence/index.js';
import { IntegrityKey } from '../integrity/index.js';
import type { FromTimelineFollower, TimelineFollowerData, ToTimelineFollower } from './timeline-follower-service.js';
import { TimelineStoreService } from './timeline-store-service.js';

if (isMainThread || !parentPort) throw new Error('timeline-follower-worker runs as a worker thread (timeline-follower-service.ts starts it)');
const port = parentPort;
const data = workerData as TimelineFollowerData;
const send = (m: FromTimelineFollower): void => port.postMessage(m);
debuglog('timeline')('the follower thread at background priority: %j', runAtBackgroundPriority());

const journal = new DecisionJournalService(data.journalDir, {
  reader: { trust: data.trust && { key: IntegrityKey.fromShared(data.trust.key), legacyEnd: data.trust.legacyEnd } },
});
let retentionDays = data.retentionDays;
// The core's clock (a test's may be set anywhere), carried forward by this thread's.
let offset = data.now - Date.now();
const appended = new Set<(count: number, durable: boolean) => void>();
const store = new TimelineStoreService({
  dataDir: data.dataDir,
  journal: {
    read: (from, maxEvents, maxBytes, oneSegment) => journal.read(from, maxEvents, maxBytes, oneSegment),
    segments: () => journal.segments(),
    segmentSize: (segment) => journal.segmentSize(segment),
    // This view never appends: the core's messages say when its appends are durable.
    onAppend: (listener) => {
      appended.add(listener);
      return () => appended.delete(listener);
    },
  },
  retentionDays: () => retentionDays,
  now: () => Date.now() + offset,
  paths: { platform: data.platform },
});

port.on('message', (m: ToTimelineFollower) => {
  if (m.kind === 'stop') {
    store.close();
    // Nothing else holds the thread: it exits once this turn ends.
    port.close();
    return;
  }
  retentionDays = m.retentionDays;
  offset = m.now - Date.now();
  for (const listener of appended) listener(0, true);
});
store.follow((error) => {
  const e = error instanceof Error ? error : new Error(String(error));
  send({ kind: 'error', message: `the timeline's follower: ${e.message}`, ...(e.stack ? { stack: e.stack } : {}) });
}, data.delayMs);
send({ kind: 'ready' });
