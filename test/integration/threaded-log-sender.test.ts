// Evidence exports in a worker thread, over the built core (dist/: the worker is a built file, so
// `npm run build:core` first; from the TypeScript sources exports run on the main thread, which
// evidence-delivery.test.ts covers). What crosses the thread: the events (decoded by a real OTLP
// receiver exactly as the main thread's sender sends them), each outcome, and a thread that stops.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as AppIndex from '../../electron/core/app/index.js';
import type * as EvidenceIndex from '../../electron/core/evidence/index.js';
import type * as Threaded from '../../electron/core/evidence/threaded-log-sender.js';
import type * as Sender from '../../electron/core/evidence/otlp-log-sender.js';
import type { OtlpLogsConfig } from '../../electron/core/evidence/otlp-config.js';
import { importBuilt, requireBuilt } from '../support/built-core.js';
import { cleanupAfterEach } from '../support/cleanup.js';
import { rawRequest } from '../support/http-client.js';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';

let app: typeof AppIndex;
let evidence: typeof EvidenceIndex;
let threaded: typeof Threaded;
let sender: typeof Sender;

beforeAll(async () => {
  requireBuilt('evidence/otlp-sender-worker.js');
  app = await importBuilt<typeof AppIndex>('app/index.js');
  evidence = await importBuilt<typeof EvidenceIndex>('evidence/index.js');
  threaded = await importBuilt<typeof Threaded>('evidence/threaded-log-sender.js');
  sender = await importBuilt<typeof Sender>('evidence/otlp-log-sender.js');
});

const cleanup = cleanupAfterEach();

async function receiver(): Promise<OtlpReceiver> {
  const r = await startOtlpReceiver();
  cleanup.push(() => r.close());
  return r;
}

const config = (url: string, protocol: OtlpLogsConfig['protocol'] = 'http/json'): OtlpLogsConfig => ({ url: `${url}/v1/logs`, headers: { 'x-team': 'evidence' }, protocol, resourceAttributes: { team: 'payments' }, source: 'environment' });

/** Journal lines' JSON text, as the shipper reads them (readJson) and hands them to a sender. */
function events(n: number): string[] {
  return Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      v: 1,
      ...evidence.newEvidenceEvent('scope.changed', 1_700_000_000_000 + i, { 'scope.action': 'add', 'scope.path': `/p/${i}`, 'scope.mode': 'read', 'scope.folder_count': i + 1 }),
      trace: { traceId: 'ab'.repeat(16), spanId: `${String(i).padStart(2, '0')}`.repeat(8) },
    }),
  );
}

function start(c: OtlpLogsConfig, workerFile?: URL): Threaded.ThreadedLogSender {
  const s = new threaded.ThreadedLogSender(c, '9.9.9', undefined, workerFile);
  cleanup.push(() => s.shutdown());
  return s;
}

describe('evidence exports in a worker thread', () => {
  it.each([['http/json'], ['http/protobuf']] as const)('%s: the collector gets what the main thread would send, record for record', async (protocol) => {
    const viaThread = await receiver();
    const viaMain = await receiver();
    const batch = events(20);
    const s = start(config(viaThread.url, protocol));
    expect(s.mode).toEqual({ thread: 'worker' });
    expect(await s.send(batch)).toEqual({ kind: 'accepted' });
    const main = new sender.OtlpLogSender(config(viaMain.url, protocol), '9.9.9');
    cleanup.push(() => main.shutdown());
    expect(await main.send(batch)).toEqual({ kind: 'accepted' });
    expect(viaThread.records).toHaveLength(20);
    expect(viaThread.records).toEqual(viaMain.records);
    expect(viaThread.records[3]).toMatchObject({ eventName: 'scope.changed', spanId: '03'.repeat(8), attributes: { 'scope.path': '/p/3' }, resource: { team: 'payments', 'service.version': '9.9.9' } });
    expect(viaThread.requests[0]?.headers['x-team']).toBe('evidence');
  });

  it('brings each outcome back: refused (4xx, never retried) and busy (5xx, retried)', async () => {
    const r = await receiver();
    r.behave(() => ({ status: 400, body: '{"message":"bad"}' }));
    const s = start(config(r.url));
    expect(await s.send(events(2))).toMatchObject({ kind: 'rejected', status: 400 });
    r.behave(() => ({ status: 503, headers: { 'Retry-After': '0' } }));
    expect(await s.send(events(1))).toMatchObject({ kind: 'retry' });
    expect(r.records).toHaveLength(0);
    // A line that is no event never reaches the collector (the journal gives none: a bug, refused).
    expect(await s.send(['{"v":1,"name":"no id"}'])).toMatchObject({ kind: 'rejected', message: expect.stringContaining('not an event') });
    expect(s.mode.thread).toBe('worker');
  });

  it('a thread that stops answers what was in flight "retry", and later exports run on the main thread', async () => {
    const r = await receiver();
    const dir = mkdtempSync(join(tmpdir(), 'cc-sender-worker-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const dying = join(dir, 'dying-worker.mjs');
    writeFileSync(dying, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => process.exit(3));\n");
    const s = start(config(r.url), pathToFileURL(dying));
    const first = await s.send(events(2));
    expect(first).toMatchObject({ kind: 'retry', message: expect.stringContaining('exit code 3') });
    expect(s.mode).toEqual({ thread: 'main', reason: expect.stringContaining('exit code 3') });
    expect(await s.send(events(2))).toEqual({ kind: 'accepted' });
    expect(r.records).toHaveLength(2);
  });

  it('without a built worker file, exports run on the main thread and it says why', async () => {
    const r = await receiver();
    const s = start(config(r.url), pathToFileURL(join(tmpdir(), 'no-such-dir', 'otlp-sender-worker.js')));
    expect(s.mode).toEqual({ thread: 'main', reason: expect.stringContaining('no built worker') });
    expect(await s.send(events(1))).toEqual({ kind: 'accepted' });
  });

  it('shutdown ends the thread; a send after it is answered "retry" and nothing is sent', async () => {
    const r = await receiver();
    const s = start(config(r.url));
    await s.shutdown();
    expect(s.mode.thread).toBe('main');
    expect(await s.send(events(1))).toMatchObject({ kind: 'retry', message: expect.stringContaining('shut down') });
    expect(r.requests).toHaveLength(0);
  });

  it('refuses a collector address that cannot work, as the main thread sender does', () => {
    expect(() => new threaded.ThreadedLogSender(config('ftp://127.0.0.1:9'), '9.9.9')).toThrow();
  });

  it('the built core delivers each decision it journals once, through the thread', async () => {
    const r = await receiver();
    const temp = (prefix: string): string => {
      const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
      cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
      return dir;
    };
    const dataDir = temp('cc-sender-core-');
    const project = temp('cc-sender-project-');
    mkdirSync(join(project, 'src'));
    const core = await app.createCompanionCore({ dataDir, port: 0, webUi: false, watch: false, env: { OTEL_EXPORTER_OTLP_ENDPOINT: r.url } });
    cleanup.push(() => core.close());
    await core.callUi('addSharedFolder', { path: project, mode: 'read-write' });
    const token = readFileSync(core.tokenFile, 'utf8').trim();
    await Promise.all(
      Array.from({ length: 30 }, async (_, n) => {
        const body = { session_id: 'threaded', cwd: project, hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: { file_path: join(project, 'src', `${n}.ts`) }, tool_use_id: `toolu_${n}` };
        const res = await rawRequest(`${core.agentApiUrl}/hooks/claude-code`, { headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
        expect(res.status).toBe(200);
      }),
    );
    const journal = join(dataDir, 'journal');
    const ids = readdirSync(journal)
      .filter((f) => f.endsWith('.jsonl'))
      .flatMap((f) => readFileSync(join(journal, f), 'utf8').split('\n').filter(Boolean))
      .map((l) => String((JSON.parse(l) as { attributes: Record<string, unknown> }).attributes['event.id']));
    expect(ids.length).toBeGreaterThanOrEqual(30);
    await r.waitFor(() => ids.every((id) => r.deliveries().has(id)), 10_000);
    expect([...r.deliveries().values()].every((times) => times === 1)).toBe(true);
    expect(r.records.filter((x) => x.eventName === 'approval.decided')).toHaveLength(30);
  });
});
