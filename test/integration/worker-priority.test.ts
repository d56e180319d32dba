// The core's background threads (the timeline's follower, the evidence export) run at a lower CPU
// priority than the thread that answers hooks (Linux, where a nice value is per thread). Read from
// outside each thread, in /proc, over the built core (the workers start from built files: npm test
// builds it first).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type * as AppIndex from '../../electron/core/app/index.js';
import type * as WorkerThread from '../../electron/core/base/worker-thread.js';
import { BUILT_CORE, importBuilt, requireBuilt } from '../support/built-core.js';
import { cleanupAfterEach } from '../support/cleanup.js';
import { startOtlpReceiver } from '../support/otlp-receiver.js';

const linux = process.platform === 'linux';
const niceOf = (stat: string): number => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
/** This process's main thread's nice value (the tests may run under `nice`). */
const mainNice = linux ? niceOf(readFileSync(`/proc/${process.pid}/task/${process.pid}/stat`, 'utf8')) : 0;

/** Each thread of this process and its nice value (field 19 of /proc/<pid>/task/<tid>/stat). */
function threadNices(): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      out.set(Number(tid), niceOf(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

/** Runs runAtBackgroundPriority(platform) in a new worker thread; its answer and its nice then. */
async function inWorker(platform: string): Promise<{ result: ReturnType<typeof WorkerThread.runAtBackgroundPriority>; nice: number; before: number }> {
  const moduleUrl = pathToFileURL(join(BUILT_CORE, 'base/worker-thread.js')).href;
  const code = `
    const { parentPort } = await import('node:worker_threads');
    const { readFileSync } = await import('node:fs');
    const nice = () => Number(readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')[16]);
    const { runAtBackgroundPriority } = await import(${JSON.stringify(moduleUrl)});
    const before = nice();
    const result = runAtBackgroundPriority(${JSON.stringify(platform)});
    parentPort.postMessage({ result, nice: nice(), before });
  `;
  const worker = new Worker(code, { eval: true, type: 'module' } as ConstructorParameters<typeof Worker>[1]);
  try {
    return await new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject));
  } finally {
    await worker.terminate();
  }
}

const cleanup = cleanupAfterEach();

describe.skipIf(!linux)('background threads at a lower priority (Linux: a nice value per thread)', () => {
  let base: typeof WorkerThread;
  let app: typeof AppIndex;
  beforeAll(async () => {
    requireBuilt('timeline/timeline-follower-worker.js');
    requireBuilt('evidence/otlp-sender-worker.js');
    base = await importBuilt<typeof WorkerThread>('base/worker-thread.js');
    app = await importBuilt<typeof AppIndex>('app/index.js');
  });

  it('a worker thread lowers its own priority (never raises it) and no other thread\'s; the main thread keeps its own', async () => {
    expect(base.runAtBackgroundPriority()).toEqual({ skipped: expect.stringMatching(/main thread/) });
    const { result, nice, before } = await inWorker('linux');
    expect(before).toBe(mainNice);
    const expected = Math.max(mainNice, base.BACKGROUND_NICE);
    expect(result).toEqual({ nice: expected, threadId: expect.any(Number) });
    expect(nice).toBe(expected);
    expect(threadNices().get(process.pid)).toBe(mainNice);
  });

  it('libuv\'s pool threads keep the main thread\'s priority, even when a lowered worker is the first to use the pool', () => {
    // A fresh process whose pool has not started (loading modules does not start it): the worker
    // lowers itself, then makes the process's first pooled call. New threads take their creator's nice.
    const dir = mkdtempSync(join(tmpdir(), 'cc-priority-pool-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const built = pathToFileURL(join(BUILT_CORE, 'base/worker-thread.js')).href;
    writeFileSync(join(dir, 'worker.mjs'), `import { parentPort } from 'node:worker_threads';
import { stat } from 'node:fs/promises';
const { runAtBackgroundPriority } = await import(${JSON.stringify(built)});
runAtBackgroundPriority();
await stat('/');
parentPort.postMessage('done');
`);
    writeFileSync(join(dir, 'main.cjs'), `const { readdirSync, readFileSync } = require('node:fs');
const { pathToFileURL } = require('node:url');
const { startBuiltWorker } = require(${JSON.stringify(join(BUILT_CORE, 'base/worker-thread.js'))});
const threads = () => readdirSync('/proc/self/task').map((t) => {
  const stat = readFileSync('/proc/self/task/' + t + '/stat', 'utf8');
  return { tid: Number(t), comm: readFileSync('/proc/self/task/' + t + '/comm', 'utf8').trim(), nice: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]) };
});
const poolBefore = threads().filter((t) => t.comm === 'libuv-worker').length;
const { worker } = startBuiltWorker(pathToFileURL(${JSON.stringify(join(dir, 'worker.mjs'))}), {});
worker.once('message', () => { console.log(JSON.stringify({ pid: process.pid, poolBefore, threads: threads() })); process.exit(0); });
`);
    const out = JSON.parse(execFileSync(process.execPath, [join(dir, 'main.cjs')], { encoding: 'utf8', timeout: 20_000 }).trim().split('\n').at(-1)!) as { pid: number; poolBefore: number; threads: { tid: number; comm: string; nice: number }[] };
    expect(out.poolBefore).toBe(0);
    const main = out.threads.find((t) => t.tid === out.pid)!;
    const pool = out.threads.filter((t) => t.comm === 'libuv-worker');
    expect(pool.length).toBeGreaterThan(0);
    for (const t of pool) expect(t.nice, `pool thread ${t.tid}`).toBe(main.nice);
    expect(out.threads.filter((t) => t.nice === Math.max(main.nice, base.BACKGROUND_NICE) && t.tid !== out.pid).length).toBeGreaterThan(0);
  });

  it('where a nice value is the whole process\'s (macOS, Windows), nothing is changed', async () => {
    const { result, nice, before } = await inWorker('darwin');
    expect(result).toEqual({ skipped: expect.stringMatching(/darwin would set the whole process/) });
    expect(nice).toBe(before);
  });

  it.skipIf(mainNice >= 10)('the running core\'s timeline follower and export thread run lower than the thread answering hooks (skipped when the tests run at nice 10 or more: every thread would)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-priority-'));
    const project = realpathSync(mkdtempSync(join(tmpdir(), 'cc-priority-project-')));
    mkdirSync(join(project, 'src'));
    const receiver = await startOtlpReceiver();
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }), () => rmSync(project, { recursive: true, force: true }), () => receiver.close());
    const before = threadNices();
    const core = await app.createCompanionCore({ dataDir, port: 0, webUi: false, watch: false, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });
    cleanup.push(() => core.close());
    await core.callUi('addSharedFolder', { path: project, mode: 'read-write' });
    await vi.waitFor(() => expect(core.timelineFollowing).toEqual({ mode: 'worker' }), { timeout: 10_000, interval: 20 });
    // Both new threads at the background priority; every thread that was there keeps its own.
    const lowered = (): number[] => [...threadNices()].filter(([tid, nice]) => !before.has(tid) && nice === base.BACKGROUND_NICE).map(([tid]) => tid);
    await vi.waitFor(() => expect(lowered()).toHaveLength(2), { timeout: 10_000, interval: 20 });
    for (const [tid, nice] of threadNices()) if (before.has(tid)) expect(nice, `thread ${tid}`).toBe(before.get(tid));
    expect(threadNices().get(process.pid)).toBe(mainNice);
  });
});
