// The thread that turns journal events into OTLP requests and sends them (ThreadedLogSender's
// worker): the exporter's serialization and HTTP work stay off the thread that answers hooks.
import { debuglog } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import { runAtBackgroundPriority } from '../base/index.js';
import { OtlpLogSender } from './otlp-log-sender.js';
import type { FromSenderThread, SenderThreadData, ToSenderThread } from './threaded-log-sender.js';

const data = workerData as SenderThreadData;
const port = parentPort!;
const reply = (m: FromSenderThread): void => port.postMessage(m);
debuglog('evidence')('the export thread at background priority: %j', runAtBackgroundPriority());
const sender = new OtlpLogSender(data.config, data.serviceVersion, (detail) => reply({ kind: 'partial', detail }));

port.on('message', (m: ToSenderThread) => {
  if (m.kind === 'shutdown') {
    // Nothing else holds the thread once its port is closed: it exits when the exporter is done.
    void sender.shutdown().finally(() => port.close());
    return;
  }
  sender.send(m.lines).then(
    (outcome) => reply({ kind: 'outcome', id: m.id, outcome }),
    (error: unknown) => reply({ kind: 'outcome', id: m.id, outcome: { kind: 'retry', message: `the export failed: ${String((error as Error)?.message ?? error)}` } }),
  );
});
