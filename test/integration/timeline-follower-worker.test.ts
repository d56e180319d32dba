// The running core's timeline follower thread, over the built core (dist/: the worker is a built
// file, so `npm run build:core` first; from the TypeScript sources the core follows on its main
// thread, timeline.test.ts). The proof that the worker indexes: rows arrive while the main thread is
// blocked. Forged journal lines are not indexed by it; close() ends it; a worker that fails to start
// leaves the main thread following, and says so.
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type * as AppIndex from '../../electron/core/app/index.js';
import type * as BaseIndex from '../../electron/core/base/index.js';
import type * as TimelineIndex from '../../electron/core/timeline/index.js';
import type { CompanionCore } from '../../electron/core/app/index.js';
import { rawRequest } from '../support/http-client.js';
import { importBuilt, requireBuilt } from '../support/built-core.js';
import { cleanupAfterEach } from '../support/cleanup.js';
import { startOtlpReceiver } from '../support/otlp-receiver.js';

let app: typeof AppIndex;
let base: typeof BaseIndex;
let timeline: typeof TimelineIndex;

beforeAll(async () => {
  requireBuilt('timeline/timeline-follower-worker.js');
  app = await importBuilt<typeof AppIndex>('app/index.js');
  timeline = await importBuilt<typeof TimelineIndex>('timeline/index.js');
  base = await importBuilt<typeof BaseIndex>('base/index.js');
});

const cleanup = cleanupAfterEach();
afterEach(() => {
  vi.restoreAllMocks();
});

function temp(prefix: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The built core in a temp folder with a shared project; `hook()` sends a Read the scope allows. */
async function startBuiltCore(platform?: NodeJS.Platform): Promise<{ core: CompanionCore; dataDir: string; hook(n: number): Promise<void> }> {
  const dataDir = temp('cc-follower-');
  const project = temp('cc-follower-Project-');
  mkdirSync(join(project, 'src'));
  const sink = await startOtlpReceiver();
  cleanup.push(() => sink.close());
  const core = await app.createCompanionCore({
    dataDir,
    port: 0,
    webUi: false,
    watch: false,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_BLRP_SCHEDULE_DELAY: '50' },
    ...(platform ? { platform } : {}),
  });
  cleanup.push(() => core.close());
  await core.callUi('addSharedFolder', { path: project, mode: 'read-write' });
  const token = readFileSync(core.tokenFile, 'utf8').trim();
  return {
    core,
    dataDir,
    async hook(n) {
      const body = { session_id: 'follower', cwd: project, hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: { file_path: join(project, 'src', `${n}.ts`) }, tool_use_id: `toolu_${n}` };
      const r = await rawRequest(`${core.agentApiUrl}/hooks/claude-code`, { headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      expect(r.status).toBe(200);
    },
  };
}

/** The store's event ids, read through a connection of the test's own (no catch-up: only what was indexed). */
function indexedIds(dataDir: string): string[] {
  const { DatabaseSync } = timeline.loadSqlite();
  const db = new DatabaseSync(join(dataDir, timeline.TIMELINE_FILE), { readOnly: true });
  try {
    return (db.prepare('SELECT event_id FROM events ORDER BY rowid').all() as { event_id: string }[]).map((r) => r.event_id);
  } finally {
    db.close();
  }
}

const segmentFiles = (dataDir: string): string[] =>
  readdirSync(join(dataDir, 'journal'))
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(dataDir, 'journal', f));
/** The event id of every line in the journal, in order. */
const journalIds = (dataDir: string): string[] =>
  segmentFiles(dataDir).flatMap((f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => (JSON.parse(l) as { eventId: string }).eventId),
  );

const inWorker = async (core: CompanionCore): Promise<void> => vi.waitFor(() => expect(core.timelineFollowing).toEqual({ mode: 'worker' }), { timeout: 10_000, interval: 20 });

/** This thread's OS threads (Linux): a worker thread is one of them while it runs. */
const threads = (): Set<string> => new Set(readdirSync('/proc/self/task'));

describe('the timeline follower thread (built core)', () => {
  it('indexes what the core journals while the main thread is blocked, every line once, without a query', async () => {
    const internal = vi.spyOn(process.stderr, 'write');
    const t = await startBuiltCore();
    await inWorker(t.core);
    // The shared folder's scope.changed, indexed without any query.
    await vi.waitFor(() => expect(indexedIds(t.dataDir)).toEqual(journalIds(t.dataDir)), { timeout: 10_000, interval: 50 });
    // More than a delay after the last append: the next durable append is told to the worker at once.
    await new Promise((r) => setTimeout(r, 700));
    for (let n = 0; n < 5; n++) await t.hook(n);
    const journaled = journalIds(t.dataDir);
    expect(indexedIds(t.dataDir).length).toBeLessThan(journaled.length);
    // The main thread now runs nothing else (no timer, no message, no query) until the rows are there.
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    const deadline = Date.now() + 8000;
    while (indexedIds(t.dataDir).length < journaled.length && Date.now() < deadline) Atomics.wait(sleeper, 0, 0, 25);
    expect(indexedIds(t.dataDir).slice(0, journaled.length)).toEqual(journaled);
    expect(t.core.timelineFollowing).toEqual({ mode: 'worker' });
    await t.core.close();
    expect(internal.mock.calls.map((c) => String(c[0])).filter((s) => /internal error/.test(s))).toEqual([]);
  });

  it('stores folder keys for the platform of the core (macOS: without case), so its folder filter finds what the thread indexed', async () => {
    const t = await startBuiltCore('darwin');
    await inWorker(t.core);
    await t.hook(1);
    const journaled = journalIds(t.dataDir);
    await vi.waitFor(() => expect(indexedIds(t.dataDir)).toEqual(journaled), { timeout: 10_000, interval: 50 });
    const { DatabaseSync } = timeline.loadSqlite();
    const db = new DatabaseSync(join(t.dataDir, timeline.TIMELINE_FILE), { readOnly: true });
    const keys = (db.prepare('SELECT cwd_key FROM events WHERE cwd_key IS NOT NULL').all() as { cwd_key: string }[]).map((r) => r.cwd_key);
    db.close();
    expect(keys.length).toBeGreaterThan(0);
    for (const k of keys) expect(k).toBe(k.toLowerCase());
    const page = (await t.core.callUi('timelineQuery', { filter: { folder: tmpdir().toUpperCase() }, limit: 10 })) as { rows: unknown[] };
    expect(page.rows.length).toBeGreaterThan(0);
  });

  it('never indexes a line another process wrote into the journal, and reads on past it', async () => {
    const t = await startBuiltCore();
    await inWorker(t.core);
    await t.hook(0);
    const segment = segmentFiles(t.dataDir).at(-1)!;
    const forged = (id: string, extra: object = {}) =>
      `${JSON.stringify({ v: 1, eventId: id, name: 'approval.decided', time: Date.now(), attributes: { 'event.id': id, 'session.id': 'follower', tool_name: 'Bash', decision: 'allow', 'decision.source': 'user' }, ...extra })}\n`;
    // Untagged after tagged lines, and tagged with a tag the key did not make.
    appendFileSync(segment, forged('forged-untagged'));
    appendFileSync(segment, forged('forged-tagged', { seq: 10_000, tag: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }));
    await t.hook(1);
    await t.hook(2);
    const genuine = (): string[] => journalIds(t.dataDir).filter((id) => !id.startsWith('forged-'));
    expect(journalIds(t.dataDir).length - genuine().length).toBe(2);
    // Genuine lines follow the forged ones: indexed, they show the worker read past them.
    expect(journalIds(t.dataDir).slice(journalIds(t.dataDir).indexOf('forged-tagged') + 1).length).toBeGreaterThan(0);
    await vi.waitFor(() => expect(indexedIds(t.dataDir)).toEqual(genuine()), { timeout: 10_000, interval: 50 });
    expect(t.core.timelineFollowing).toEqual({ mode: 'worker' });
  });

  it.runIf(existsSync('/proc/self/task'))('close() ends the worker thread and waits for it', async () => {
    // libuv's thread pool started before (it starts whole, on first use): only the worker is new.
    await readFile(fileURLToPath(import.meta.url));
    const before = threads();
    const t = await startBuiltCore();
    await inWorker(t.core);
    const started = [...threads()].filter((id) => !before.has(id));
    expect(started.length).toBeGreaterThan(0);
    await t.hook(0);
    await t.core.close();
    expect(t.core.timelineFollowing).toEqual({ mode: 'stopped' });
    const left = threads();
    expect(started.filter((id) => left.has(id))).toEqual([]);
  });

  it('a worker that fails to start: reported, and the main thread follows instead', async () => {
    const dataDir = temp('cc-follower-fallback-');
    const broken = join(temp('cc-follower-broken-'), 'broken-worker.mjs');
    writeFileSync(broken, "throw new Error('this worker cannot start');\n");
    const services = app.openCoreServices({ dataDir, clock: base.systemClock, env: {}, ship: false });
    cleanup.push(() => services.close(0));
    const store = new timeline.TimelineStoreService({ dataDir, journal: services.evidence.journal, retentionDays: () => 30, now: () => Date.now() });
    cleanup.push(() => store.close());
    const errors: unknown[] = [];
    const follower = new timeline.TimelineFollowerService({
      store,
      dataDir,
      journal: services.evidence.journal,
      key: services.integrityKey,
      retentionDays: () => 30,
      now: () => Date.now(),
      onError: (e) => errors.push(e),
      delayMs: 10,
      workerFile: pathToFileURL(broken),
    });
    cleanup.push(() => follower.close());
    follower.start();
    await vi.waitFor(() => expect(follower.status).toMatchObject({ mode: 'main-thread', reason: expect.stringMatching(/this worker cannot start/) }), { timeout: 10_000, interval: 20 });
    expect(errors.map((e) => (e as Error).message)).toEqual([expect.stringMatching(/this worker cannot start/)]);
    await services.evidence.recorder.record({ eventId: 'after-fallback', name: 'scope.changed', time: Date.now(), attributes: { 'scope.action': 'add', 'scope.path': '/p', 'scope.mode': 'read', 'scope.folder_count': 1 } });
    await vi.waitFor(() => expect(indexedIds(dataDir)).toEqual(['after-fallback']), { timeout: 5000, interval: 20 });
  });
});
