// File-watcher bench: a tree of 100,000 files in 10,000 folders, watched by
//   - the companion's FileWatcherService (run tracker + watch plan + attribution + evidence journal),
//   - bare chokidar on the same tree, with the same options (the overhead ratio),
//   - bare fs.watch on every folder (the floor any inotify watcher pays),
//   - the service with a sentinel depth limit (what the policy knob buys),
//   - the service on directoryWatchPort (fs.watch per folder, names only) instead of chokidar.
// Each configuration runs in a fresh child process (clean RSS). Figures: time to ready, RSS after
// ready (after GC), inotify watches held (from /proc/self/fdinfo), write→event latency p50/p95 over
// sequential writes, RSS and watches after stopping. Writes the table to bench/WATCH-REPORT.md.
//
//   npm run build:core && node --expose-gc bench/watch-bench.mjs [--files 100000] [--writes 200]
//
// Targets: ready ≤ 5 s, RSS ≤ 150 MB, p95 ≤ 300 ms. A measurement, not a test: nothing fails.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = (p) => pathToFileURL(join(root, 'dist/electron/core', p)).href;
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};

const TARGETS = { readyMs: 5000, rssMb: 150, p95Ms: 300 };

// ---------------------------------------------------------------------------------------------
// Child: one configuration, prints one JSON line.

function watchCount() {
  let n = 0;
  try {
    for (const fd of readdirSync('/proc/self/fd')) {
      let target = '';
      try {
        target = readlinkSync(`/proc/self/fd/${fd}`);
      } catch {
        continue;
      }
      if (target !== 'anon_inode:inotify') continue;
      n += readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8').split('\n').filter((l) => l.startsWith('inotify')).length;
    }
  } catch {
    return null;
  }
  return n;
}

const mb = (b) => Math.round(b / (1024 * 1024));
async function settleMemory() {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await new Promise((r) => setTimeout(r, 100));
  }
  return process.memoryUsage();
}
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};

/** Sequential writes (half inside the shared folder, half outside): time from write to event. */
async function latencies(tree, count, waitFor, forget) {
  const out = [];
  for (let i = 0; i < count; i++) {
    const inside = i % 2 === 0;
    const top = inside ? `work/d${i % 50}` : `other/d${50 + (i % 50)}`;
    const file = join(tree.home, top, `e${(i * 7) % tree.perTop}`, `bench-${i}.txt`);
    const seen = waitFor(file);
    const t0 = performance.now();
    writeFileSync(file, String(i));
    const t1 = await Promise.race([seen, new Promise((r) => setTimeout(() => r(null), 1000))]);
    forget(file);
    out.push({ inside, ms: t1 === null ? Number.POSITIVE_INFINITY : t1 - t0 });
  }
  return out;
}

async function child(mode, tree, writes) {
  const base = (await settleMemory()).rss;
  const baseWatches = watchCount();
  const cpu0 = process.cpuUsage();
  const waiting = new Map();
  const notify = (path) => {
    const w = waiting.get(path);
    if (w) {
      waiting.delete(path);
      w(performance.now());
    }
  };
  const waitFor = (path) => new Promise((r) => waiting.set(path, r));
  let stop;
  let t0 = performance.now();
  let extra = {};
  if (mode === 'chokidar') {
    const { watch } = await import('chokidar');
    t0 = performance.now();
    const w = watch(tree.home, { ignoreInitial: true, followSymlinks: false, atomic: false, persistent: true });
    w.on('all', (_event, path) => notify(path));
    w.on('error', () => undefined);
    await new Promise((r) => w.on('ready', r));
    stop = () => w.close();
  } else if (mode === 'fswatch') {
    const { watch } = await import('node:fs');
    t0 = performance.now();
    const watchers = [];
    const stack = [tree.home];
    while (stack.length) {
      const dir = stack.pop();
      watchers.push(watch(dir, (_event, name) => name && notify(join(dir, name))));
      for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) stack.push(join(dir, e.name));
    }
    stop = async () => watchers.forEach((w) => w.close());
  } else {
    const { RunTrackerService } = await import(dist('watch/run-tracker-service.js'));
    const { FileWatcherService } = await import(dist('watch/file-watcher-service.js'));
    const { canonicalizerFor } = await import(dist('paths/canonical-path.js'));
    const { volumeRulesFor } = await import(dist('paths/path-containment-policy.js'));
    const { builtInForbiddenPaths } = await import(dist('scope/forbidden-paths.js'));
    const { systemClock } = await import(dist('base/system-clock.js'));
    const { DecisionJournalService } = await import(dist('evidence/decision-journal-service.js'));
    const { EvidenceRecorder } = await import(dist('evidence/evidence-recorder.js'));
    const canonicalize = canonicalizerFor('linux');
    const dataDir = join(tree.home, '.config', 'cowork-companion');
    const journal = new DecisionJournalService(join(dataDir, 'journal'));
    const evidence = new EvidenceRecorder(journal);
    const forbidden = builtInForbiddenPaths(tree.home, dataDir, 'linux');
    const scope = {
      state: () => ({ folders: [{ path: join(tree.home, 'work'), mode: 'read-write' }], forbidden, outOfScope: 'deny', mcpPathArguments: {}, home: tree.home, volume: volumeRulesFor('linux') }),
      onChange: () => () => undefined,
    };
    const runs = new RunTrackerService({ clock: systemClock });
    const depth = mode === 'service-depth2' ? 2 : undefined;
    // Explicit ports (the app picks with watchPortFor: directoryWatchPort on Linux, chokidar elsewhere).
    const port = mode === 'service-dirport' ? (await import(dist('watch/directory-watch-port.js'))).directoryWatchPort : (await import(dist('watch/chokidar-watch-port.js'))).chokidarPort;
    const watcher = new FileWatcherService({ runs, scope, evidence, clock: systemClock, canonicalize, dataDir, policy: () => ({ sentinelDepth: depth }), repeatWindowMs: 0, port });
    let outOfScope = 0;
    let manifest = 0;
    watcher.onOutOfScope((c) => {
      outOfScope++;
      notify(c.path);
    });
    watcher.onActivity((a) => {
      if (a.inScope) {
        manifest++;
        notify(a.change.path);
      }
    });
    t0 = performance.now();
    runs.observe({ hook_event_name: 'SessionStart', session_id: 'bench', cwd: join(tree.home, 'work') });
    // When the scope itself is protected: protected paths and shared folders ready (phase 1).
    let scopeReadyMs = null;
    const poll = setInterval(() => {
      const roots = watcher.status().roots;
      if (scopeReadyMs === null && roots.length > 0 && roots.filter((r) => r.role !== 'sentinel').every((r) => r.state !== 'scanning')) scopeReadyMs = performance.now() - t0;
    }, 10);
    await watcher.whenSettled();
    clearInterval(poll);
    extra.scopeReadyMs = scopeReadyMs;
    const st = watcher.status();
    extra = { ...extra, roots: st.roots.map((r) => `${r.role}:${r.state}`).join(' '), problem: st.problem ?? null, counted: () => ({ outOfScope, manifest, manifestFiles: watcher.manifest('bench')?.totals.files }) };
    stop = async () => {
      runs.close();
      await watcher.close();
      await journal.close();
    };
  }
  const readyMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const mem = await settleMemory();
  const watches = watchCount();
  const lat = await latencies(tree, writes, waitFor, (path) => waiting.delete(path));
  // Latency over the writes that were seen; unseen ones (e.g. below a depth limit) are counted apart.
  const seenOnly = (xs) => xs.filter((x) => Number.isFinite(x));
  const all = seenOnly(lat.map((l) => l.ms));
  const inside = seenOnly(lat.filter((l) => l.inside).map((l) => l.ms));
  const outside = seenOnly(lat.filter((l) => !l.inside).map((l) => l.ms));
  await stop();
  const after = await settleMemory();
  const counted = typeof extra.counted === 'function' ? extra.counted() : undefined;
  delete extra.counted;
  return {
    mode,
    readyMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    baseRssMb: mb(base),
    rssMb: mb(mem.rss),
    heapMb: mb(mem.heapUsed),
    watches: watches === null || baseWatches === null ? null : watches - baseWatches,
    p50: quantile(all, 0.5),
    p95: quantile(all, 0.95),
    p95Inside: quantile(inside, 0.95),
    p95Outside: quantile(outside, 0.95),
    missed: lat.filter((l) => !Number.isFinite(l.ms)).length,
    rssAfterStopMb: mb(after.rss),
    watchesAfterStop: watchCount() === null || baseWatches === null ? null : watchCount() - baseWatches,
    counted,
    ...extra,
  };
}

if (args[0] === '--child') {
  const result = await child(args[1], JSON.parse(args[2]), Number(args[3]));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// Parent: build the tree, run each configuration in a child, report.

const FILES = Number(opt('files', '100000'));
const WRITES = Number(opt('writes', '200'));
const FOLDERS = FILES / 10; // 10 files per leaf folder, 100 top-level folders
const PER_TOP = FOLDERS / 100;

function buildTree() {
  const home = realpathSync(mkdtempSync(join(tmpdir(), 'cc-watch-bench-')));
  const t0 = performance.now();
  for (let d = 0; d < 100; d++) {
    const top = d < 50 ? join(home, 'work', `d${d}`) : join(home, 'other', `d${d}`);
    for (let e = 0; e < PER_TOP; e++) {
      const dir = join(top, `e${e}`);
      mkdirSync(dir, { recursive: true });
      for (let f = 0; f < 10; f++) writeFileSync(join(dir, `f${f}.txt`), 'x');
    }
  }
  mkdirSync(join(home, '.config', 'cowork-companion'), { recursive: true });
  return { home, perTop: PER_TOP, buildMs: performance.now() - t0 };
}

function runChild(mode, tree) {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', mode, JSON.stringify(tree), String(WRITES)], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    timeout: 300_000,
  });
  const line = r.stdout.trim().split('\n').at(-1);
  try {
    return JSON.parse(line);
  } catch {
    return { mode, error: `${r.status}: ${r.stderr.slice(-2000)}` };
  }
}

const tree = buildTree();
process.stdout.write(`tree: ${FILES.toLocaleString('en')} files in ${FOLDERS.toLocaleString('en')} folders (+${100 + 3} above them), built in ${(tree.buildMs / 1000).toFixed(1)} s at ${tree.home}\n`);
const modes = [
  ['service', 'FileWatcherService (shared folder + home sentinel)'],
  ['chokidar', 'bare chokidar 6 (same options)'],
  ['fswatch', 'floor: fs.watch per folder'],
  ['service-depth2', 'FileWatcherService, sentinel depth 2'],
  ['service-dirport', 'FileWatcherService with directoryWatchPort'],
];
const results = [];
for (const [mode] of modes) {
  process.stdout.write(`running ${mode}…\n`);
  results.push(runChild(mode, tree));
}
rmSync(tree.home, { recursive: true, force: true });

const fmtMs = (x) => (Number.isFinite(x) ? (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`) : 'missed');
const check = (ok) => (ok ? 'yes' : '**no**');
const byMode = Object.fromEntries(results.map((r) => [r.mode, r]));
const rows = results.map((r) => {
  const label = modes.find(([m]) => m === r.mode)[1];
  if (r.error) return `| ${label} | error: ${r.error.replace(/\n/g, ' ').slice(0, 200)} |||||||||`;
  return `| ${label} | ${fmtMs(r.readyMs)} | ${(r.cpuMs / 1000).toFixed(1)} s | ${r.rssMb} MB (base ${r.baseRssMb}) | ${r.watches?.toLocaleString('en') ?? 'n/a'} | ${fmtMs(r.p50)} | ${fmtMs(r.p95)} | ${r.missed} | ${r.rssAfterStopMb} MB | ${r.watchesAfterStop ?? 'n/a'} |`;
});
const header = '| configuration | ready | CPU to ready | RSS after ready | inotify watches | write→event p50 | p95 | not seen (of ' + WRITES + ') | RSS after stop | watches after stop |\n|---|---|---|---|---|---|---|---|---|---|';
const svc = byMode.service;
const bare = byMode.chokidar;
const ratio = (a, b) => (a && b && Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
const table = `${header}\n${rows.join('\n')}`;
process.stdout.write(`\n${table}\n\n`);

const overhead = svc && bare && !svc.error && !bare.error
  ? `| ready | ${ratio(svc.readyMs, bare.readyMs)} |\n| RSS after ready | ${ratio(svc.rssMb, bare.rssMb)} |\n| inotify watches | ${ratio(svc.watches, bare.watches)} |\n| p50 | ${ratio(svc.p50, bare.p50)} |\n| p95 | ${ratio(svc.p95, bare.p95)} |`
  : '| (not available) | |';
const dirport = byMode['service-dirport'];
const targetCells = (r) => (r && !r.error
  ? [`${fmtMs(r.readyMs)} | ${check(r.readyMs <= TARGETS.readyMs)}`, `${r.rssMb} MB | ${check(r.rssMb <= TARGETS.rssMb)}`, `${fmtMs(r.p95)} (inside ${fmtMs(r.p95Inside)}, outside ${fmtMs(r.p95Outside)}) | ${check(r.p95 <= TARGETS.p95Ms && r.missed === 0)}`]
  : ['n/a | n/a', 'n/a | n/a', 'n/a | n/a']);
const [tc, td] = [targetCells(svc), targetCells(dirport)];
const targets = ['ready ≤ 5 s', 'RSS ≤ 150 MB', 'p95 ≤ 300 ms (and nothing missed)'].map((t, i) => `| ${t} | ${tc[i]} | ${td[i]} |`).join('\n');

const readings = [];
if (svc && bare && !svc.error && !bare.error) {
  readings.push(`- **The service costs about what chokidar costs.** Ready ${ratio(svc.readyMs, bare.readyMs)}, RSS ${ratio(svc.rssMb, bare.rssMb)}, watches ${ratio(svc.watches, bare.watches)} of bare chokidar. Write→event p50 ${fmtMs(svc.p50)} against ${fmtMs(bare.p50)}: its own per-event work (classification, attribution, manifest) is small; an out-of-scope event is reported only once its evidence is fsynced in the journal (p95 inside the scope ${fmtMs(svc.p95Inside)}, outside ${fmtMs(svc.p95Outside)}).`);
  if (svc.scopeReadyMs !== null && svc.scopeReadyMs !== undefined) readings.push(`- **Two phases.** Protected paths and shared folders are watched first (ready after ${fmtMs(svc.scopeReadyMs)} here), the home sentinel once they are set up, so that under tight limits the watches go where they matter most; the ready figure above is the end of both phases.`);
  readings.push(`- **chokidar 6 itself ${bare.readyMs <= TARGETS.readyMs && bare.rssMb <= TARGETS.rssMb ? 'meets' : 'misses'} the ready / RSS targets on this tree** (${fmtMs(bare.readyMs)}, ${bare.rssMb} MB). It stats every file during the initial scan (about two \`lstat\` per file, on the main thread) and keeps a per-entry tree; RSS stays high after \`close()\` (${bare.rssAfterStopMb} MB: the heap shrinks, the freed native memory is not returned to the OS), so "back to baseline" after a run holds for inotify watches and handles (${bare.watchesAfterStop ?? 'n/a'} left), not for RSS. Write→event latency is far below the target.`);
}
const floor = byMode.fswatch;
if (floor && !floor.error) readings.push(`- **The floor** (one \`fs.watch\` per folder, no per-file state): the same ${floor.watches?.toLocaleString('en')} inotify watches in ${fmtMs(floor.readyMs)} and ${floor.rssMb} MB. The kernel side is cheap; the cost is chokidar's per-file bookkeeping.`);
const d2 = byMode['service-depth2'];
if (dirport && !dirport.error) {
  const met = dirport.readyMs <= TARGETS.readyMs && dirport.rssMb <= TARGETS.rssMb && dirport.p95 <= TARGETS.p95Ms && dirport.missed === 0;
  const margin = (TARGETS.rssMb - dirport.rssMb) / TARGETS.rssMb < 0.1 ? ' (RSS narrowly)' : '';
  readings.push(`- **The service on \`directoryWatchPort\`** (\`electron/core/watch/directory-watch-port.ts\`: \`fs.watch\` on every folder, per folder only the entry names and a folder flag, no file stat during the walk, one \`lstat\` per notified name). Ready in ${fmtMs(dirport.readyMs)} (${ratio(svc?.readyMs, dirport.readyMs)} faster than on chokidar; protected paths and shared folders after ${fmtMs(dirport.scopeReadyMs)}), ${dirport.rssMb} MB after ready (${ratio(svc?.rssMb, dirport.rssMb)} less), ${dirport.watches?.toLocaleString('en') ?? 'n/a'} inotify watches (floor: ${floor?.watches?.toLocaleString('en') ?? 'n/a'}), write→event p50 ${fmtMs(dirport.p50)} / p95 ${fmtMs(dirport.p95)}, ${dirport.missed} of ${WRITES} writes not seen. ${met ? `All three targets are met${margin}.` : '**Not every target is met** (see the table above).'} Of the ${dirport.rssMb - dirport.baseRssMb} MB above the base, the JavaScript heap in use is ${dirport.heapMb} MB (the service and the per-folder names); most of the rest is heap pages V8 keeps after the allocation burst of the walk, and the ${floor?.rssMb && floor?.baseRssMb ? floor.rssMb - floor.baseRssMb : 'n/a'} MB the floor also pays for the watches. After stop: ${dirport.watchesAfterStop ?? 'n/a'} watches left, RSS ${dirport.rssAfterStopMb} MB (freed pages are not returned to the OS at once).`);
}
if (d2 && !d2.error) readings.push(`- **A sentinel depth limit** (policy \`sentinelDepth: 2\`): ${fmtMs(d2.readyMs)}, ${d2.rssMb} MB, ${d2.watches?.toLocaleString('en')} watches. Changes deeper than the limit are not seen (${d2.missed} of ${WRITES} writes, the outside ones, one level below the limit), and status() lists the root as "only 2 folder levels deep".`);

let limits = '';
try {
  limits = `fs.inotify.max_user_watches = ${readFileSync('/proc/sys/fs/inotify/max_user_watches', 'utf8').trim()}, max_user_instances = ${readFileSync('/proc/sys/fs/inotify/max_user_instances', 'utf8').trim()}`;
} catch {
  limits = 'inotify limits not readable';
}

const report = `# File watcher bench

Generated by \`node --expose-gc bench/watch-bench.mjs\` (after \`npm run build:core\`) on ${new Date().toISOString().slice(0, 10)}:
${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${mb(totalmem()).toLocaleString('en')} MB RAM, Node ${process.version}, ${process.platform}; ${limits}.

Tree: ${FILES.toLocaleString('en')} files in ${FOLDERS.toLocaleString('en')} leaf folders (10 each) under 100 top folders:
\`~/work/d0…d49\` is the shared folder (half the tree), \`~/other/d50…d99\` is outside the scope and watched as
part of the home sentinel. Every configuration runs in a fresh process; RSS is measured after GC.
Latency: ${WRITES} sequential writes of new files (alternately inside and outside the scope), from
\`writeFileSync\` to the event (service: the manifest update for inside writes, and the \`onOutOfScope\`
notification — after the evidence is fsynced in a real journal — for outside writes). Timings vary from run
to run (by up to about a third on a 2-CPU machine): compare the rows of one run.

${table}

Overhead of the service over bare chokidar on the same tree:

| figure | service / bare chokidar |
|---|---|
${overhead}

Targets (the service on chokidar — the default on macOS and Windows — and on directoryWatchPort, the default on Linux):

| target | chokidar | met | directoryWatchPort | met |
|---|---|---|---|---|
${targets}

## Reading the figures

${readings.join('\n')}

## Meeting the targets

1. On Linux, \`directoryWatchPort\` is the service's default port (\`test/integration/file-watcher-service.test.ts\`
   runs every scenario on both ports; the port's own tests are in \`test/integration/directory-watch-port.test.ts\`). Keep chokidar on macOS and Windows, where \`fs.watch\` is
   recursive natively and a watch per folder is the wrong model. Caveat: an inotify queue overflow
   (\`max_queued_events\`) is not reported by Node's \`fs.watch\`, so a burst beyond it is lost silently (the same
   holds for chokidar on Linux, which sits on \`fs.watch\` too).
2. Default sentinel depth (e.g. 3–4 levels below home) and the noise exclusions (already on by
   default: node_modules, caches, .git/objects, build trees) still matter: real home folders are dominated by
   those, and each watched folder costs an inotify watch against \`max_user_watches\`.
3. Set a short linger after the last run ends (the service's \`lingerMs\` option; default 0), e.g. 60 s, so back-to-back turns of a session do not rescan the tree each time (each start costs
   the "ready" time above in CPU, and changes made during a rescan are not seen).
`;
writeFileSync(join(root, 'bench', 'WATCH-REPORT.md'), report);
process.stdout.write(`written: bench/WATCH-REPORT.md\n`);
