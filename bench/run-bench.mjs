// npm run bench — latency of the agent API and of the hook client, written to bench/REPORT.md.
// Medians and ratios, not timed assertions: this is a measurement, run on demand.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { cpus, homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = fileURLToPath(new URL('..', import.meta.url));
const core_ = (capability) => import(join(root, `dist/electron/core/${capability}/index.js`));
const { createCompanionCore } = await core_('app');
const { evaluateScope, builtInForbiddenPaths } = await core_('scope');
const { canonicalizerFor, volumeRulesFor } = await core_('paths');
const { resolveRequest } = await core_('requests');
const fixture = (name) => readFileSync(join(root, 'test/fixtures/claude-code/input', name), 'utf8');

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const ms = (x) => `${x.toFixed(2)} ms`;

// A collector that accepts everything, so export runs as in production.
const collector = createServer((req, res) => req.resume().on('end', () => res.writeHead(200).end('{}')));
await new Promise((r) => collector.listen(0, '127.0.0.1', r));
const otlp = `http://127.0.0.1:${collector.address().port}`;

const dataDir = mkdtempSync(join(tmpdir(), 'cc-bench-'));
// A real shared project folder, 5 levels deep, with 2,000 files for the cold-path series.
const project = realpathSync(mkdtempSync(join(tmpdir(), 'cc-bench-project-')));
const deep = join(project, 'a/b/c/d/e');
mkdirSync(deep, { recursive: true });
const coldFiles = [];
for (let i = 0; i < 2000; i++) {
  const dir = join(project, `pkg${i % 200}`, `mod${i}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.ts'), '');
  coldFiles.push(join(dir, 'index.ts'));
}
writeFileSync(join(deep, 'file.ts'), '');
const core = await createCompanionCore({ dataDir, port: 0, webUi: false, env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp } });
await core.callUi('addSharedFolder', { path: project, mode: 'read-write' });

// The scope check alone (canonicalisation + containment + forbidden list), no HTTP.
const canonicalize = canonicalizerFor(process.platform);
const scopeState = {
  folders: [{ path: project, mode: 'read-write' }],
  // As the scope service holds them: with canonical forms, refreshed each second.
  forbidden: builtInForbiddenPaths(homedir(), dataDir, process.platform).map((f) => {
    const c = canonicalize(f.path);
    return { ...f, canonical: c.ok ? c.path : f.path };
  }),
  outOfScope: 'deny',
  mcpPathArguments: {},
  home: homedir(),
  volume: volumeRulesFor(process.platform),
};
const readOf = (file) => ({ session_id: 's', cwd: project, hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: { file_path: file }, tool_use_id: 't' });
const timeCheck = (payload) => {
  const t0 = performance.now();
  // As the agent API does it: resolve the call once, then check it against the scope.
  const request = resolveRequest(payload, { canonicalize, home: scopeState.home, mcpPathArguments: {} });
  const outcome = evaluateScope(request, scopeState, canonicalize);
  const dt = performance.now() - t0;
  if (outcome.kind !== 'decide' || outcome.verdict !== 'allow') throw new Error(`unexpected scope outcome ${JSON.stringify(outcome)}`);
  return dt;
};
for (let i = 0; i < 500; i++) timeCheck(readOf(join(deep, 'file.ts')));
const checkWarm = Array.from({ length: 10000 }, () => timeCheck(readOf(join(deep, 'file.ts'))));
const checkCold = coldFiles.map((f) => timeCheck(readOf(f)));

// Rule matching with 1,000 remembered rules (worst case: no rule matches, all are tried).
const { RulesService } = await core_('approvals');
const { ManagedPolicyService } = await core_('policy');
const { SettingsRepository } = await core_('settings');
const memoryStore = { data: new Map(), get(k) { return this.data.get(k); }, set(k, v) { this.data.set(k, v); }, path: '(memory)' };
const ruleService = new RulesService({
  settings: new SettingsRepository(memoryStore),
  policy: new ManagedPolicyService(join(dataDir, 'no-policy.json'), false),
  clock: { now: () => Date.now(), setTimeout: (fn, ms) => { const t = setTimeout(fn, ms); return { cancel: () => clearTimeout(t) }; } },
  ctx: { canonicalize, volume: volumeRulesFor(process.platform) },
  home: homedir(),
});
for (let i = 0; i < 1000; i++) {
  const kind = i % 4;
  const draft =
    kind === 0 ? { toolName: 'Bash', match: { kind: 'command-prefix', prefix: `tool${i} run` } }
    : kind === 1 ? { toolName: 'WebFetch', match: { kind: 'domain', domain: `site${i}.example.com` } }
    : kind === 2 ? { toolName: 'Edit', match: { kind: 'path-prefix', path: join(project, `pkg${i % 200}`) } }
    : { toolName: `mcp__server${i}__tool`, match: { kind: 'any' } };
  ruleService.add(draft, 'always', 's');
}
const rulePayloads = [
  { session_id: 's', cwd: project, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'make deploy' }, tool_use_id: 't' },
  { session_id: 's', cwd: project, hook_event_name: 'PreToolUse', tool_name: 'Edit', tool_input: { file_path: join(project, 'a/b/c/d/e/file.ts') }, tool_use_id: 't' },
  { session_id: 's', cwd: project, hook_event_name: 'PreToolUse', tool_name: 'WebFetch', tool_input: { url: 'https://nowhere.example.org/x' }, tool_use_id: 't' },
];
const resolveRule = (p) => resolveRequest(p, { canonicalize, home: homedir(), mcpPathArguments: {} });
for (let i = 0; i < 200; i++) ruleService.match(resolveRule(rulePayloads[i % 3]));
const ruleLat = [];
for (let i = 0; i < 3000; i++) {
  const t0 = performance.now();
  ruleService.match(resolveRule(rulePayloads[i % 3]));
  ruleLat.push(performance.now() - t0);
}
const token = readFileSync(core.tokenFile, 'utf8').trim();
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function post(body) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(`${core.agentApiUrl}/hooks/claude-code`, {
      method: 'POST',
      agent,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Content-Length': Buffer.byteLength(body) },
    }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function series(body, n) {
  for (let i = 0; i < 20; i++) await post(body); // warm-up
  const xs = [];
  for (let i = 0; i < n; i++) xs.push(await post(body));
  return xs;
}

const N = Number(process.env.BENCH_N ?? 1000);
const decided = await series(JSON.stringify(readOf(join(deep, 'file.ts'))), N);
const acked = await series(fixture('sessionstart-startup.json'), N);

// Throughput: 8 connections for 3 s, each request a scope-decided Read.
const wide = new Agent({ keepAlive: true, maxSockets: 8 });
let done = 0;
const until = performance.now() + 3000;
const tStart = performance.now();
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (performance.now() < until) {
      await new Promise((resolve, reject) => {
        const body = JSON.stringify(readOf(join(deep, 'file.ts')));
        const req = request(`${core.agentApiUrl}/hooks/claude-code`, { method: 'POST', agent: wide, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', reject);
        req.end(body);
      });
      done++;
    }
  }),
);
const throughput = done / ((performance.now() - tStart) / 1000);
wide.destroy();

function runProcess(args, input, command = process.execPath) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { cwd: root, stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, COWORK_COMPANION_DATA_DIR: dataDir } });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve({ t: performance.now() - t0, out }) : reject(new Error(`exit ${code}`))));
    child.stdin.end(input ?? '');
  });
}

const R = Number(process.env.BENCH_RUNS ?? 30);
const bare = [];
const hook = [];
const shellHook = [];
const hookInput = JSON.stringify(readOf(join(deep, 'file.ts')));
// The bash client as `connect` writes it: with the token's fingerprint, which it checks on each call.
const fingerprint = createHash('sha256').update(readFileSync(join(dataDir, 'agent-token'), 'utf8').trim()).digest('hex').slice(0, 32);
const shellClient = join(root, 'bin/cowork-companion-hook');
const shellArgs = ['--data-dir', dataDir, '--token-sha256', fingerprint];
for (let i = 0; i < 3; i++) {
  await runProcess(['-e', '0']);
  await runProcess(['bin/cowork-companion.js', 'hook'], hookInput);
  await runProcess(shellArgs, hookInput, shellClient);
}
// Interleaved, so a drift in the machine's speed touches all three alike.
for (let i = 0; i < R; i++) {
  bare.push((await runProcess(['-e', '0'])).t);
  const r = await runProcess(['bin/cowork-companion.js', 'hook'], hookInput);
  if (!r.out.includes('"allow"')) throw new Error(`unexpected hook answer: ${r.out}`);
  hook.push(r.t);
  const s = await runProcess(shellArgs, hookInput, shellClient);
  if (!s.out.includes('"allow"')) throw new Error(`unexpected answer from the bash hook client: ${s.out}`);
  shellHook.push(s.t);
}

await core.close();

// --- Evidence journal and delivery ---
// The pipeline's parts, measured one by one (inside the evidence capability, by path).
const { DecisionJournalService } = await import(join(root, 'dist/electron/core/evidence/decision-journal-service.js'));
const { OutboxShipperService } = await import(join(root, 'dist/electron/core/evidence/outbox-shipper-service.js'));
const { OtlpLogSender } = await import(join(root, 'dist/electron/core/evidence/otlp-log-sender.js'));
const { newEvidenceEvent } = await core_('evidence');
const { systemClock } = await core_('base');
const evidenceDir = mkdtempSync(join(tmpdir(), 'cc-bench-journal-'));
const journal = new DecisionJournalService(evidenceDir);
const sampleEvent = () =>
  newEvidenceEvent('approval.decided', Date.now(), {
    'session.id': '5b0e6f3c-9a41-4c7e-8d2f-1f6a3b9c7e21', 'prompt.id': 'c3f1a7d2-4e8b-4b6a-9c0d-2e7f5a1b8d44', tool_use_id: 'toolu_01Bv6sNq4XeL8mRt2WcK9Hd7',
    tool_name: 'Read', hook_event_name: 'PreToolUse', 'approval.id': '0b9d4f0e-7d1c-4a43-9a77-3f1de2c0b6a1', decision: 'allow',
    'decision.reason': 'Allowed by Cowork Companion: inside the shared folder /home/u/work/payments-api.', 'decision.source': 'policy', 'decision.latency_ms': 0, cwd: '/home/u/work/payments-api',
    'decision.rule': 'scope.shared-folder:read-write:/home/u/work/payments-api',
  });
const appendLat = [];
for (let i = 0; i < 500; i++) {
  const t0 = performance.now();
  await journal.append(sampleEvent());
  appendLat.push(performance.now() - t0);
}
const Q = Number(process.env.BENCH_QUEUE ?? 100_000);
global.gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const tQueue = performance.now();
for (let i = 0; i < Q; i += 1000) await Promise.all(Array.from({ length: Math.min(1000, Q - i) }, () => journal.append(sampleEvent())));
const queueMs = performance.now() - tQueue;
const fast = createServer((req, res) => req.resume().on('end', () => res.writeHead(200).end('{}')));
await new Promise((r) => fast.listen(0, '127.0.0.1', r));
const shipper = new OutboxShipperService({
  journal,
  sender: new OtlpLogSender({ url: `http://127.0.0.1:${fast.address().port}/v1/logs`, headers: {}, protocol: 'http/json', resourceAttributes: {}, source: 'default' }, '0.0.0'),
  clock: systemClock,
  describe: { endpoint: 'bench', protocol: 'http/json', configSource: 'default' },
  limitBytes: 1e12,
});
global.gc?.();
const heapQueued = process.memoryUsage().heapUsed;
const queuedAtStart = shipper.status().queued;
const tDrain = performance.now();
let peakRss = process.memoryUsage().rss;
shipper.start();
while (shipper.status().queued > 0) {
  await new Promise((r) => setTimeout(r, 20));
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
const drainMs = performance.now() - tDrain;
await shipper.stop();
await journal.close();
fast.close();
rmSync(evidenceDir, { recursive: true, force: true });
const mb = (b) => `${(b / 1024 / 1024).toFixed(1)} MB`;
const evidenceRows = [
  ['Journal append, one event, fsync each (sequential)', 500, ms(quantile(appendLat, 0.5)), ms(quantile(appendLat, 0.99))],
];
const evidenceText = `
Evidence journal: ${Q.toLocaleString('en')} events queued in ${(queueMs / 1000).toFixed(1)} s with the collector absent (${Math.round(Q / (queueMs / 1000)).toLocaleString('en')} appends/s with group commit);
heap ${mb(heapBefore)} before → ${mb(heapQueued)} with ${queuedAtStart.toLocaleString('en')} queued (the queue lives on disk, not in memory).
Drain to a local OTLP/HTTP receiver (JSON, batches of 512): **${Math.round(queuedAtStart / (drainMs / 1000)).toLocaleString('en')} events/s** (${(drainMs / 1000).toFixed(1)} s); peak RSS while draining ${mb(peakRss)}.
`;
const { benchHistory } = await import('./history-bench.mjs');
const history = await benchHistory(root, Number(process.env.BENCH_HISTORY ?? 100_000), otlp);
const { benchDecisionRounds } = await import('./decision-bench.mjs');
// Where the time of an automatic decision goes, profiled before and after each change (issue 17):
// written by hand from `BENCH_CPU_PROF=1 npm run bench:decisions`, carried into the report as is.
const profileNotes = readFileSync(join(root, 'bench/decision-profile.md'), 'utf8');
const decisions = await benchDecisionRounds(root, { rounds: 3, n: N, seconds: Number(process.env.BENCH_SECONDS ?? 3) });
const { benchTimeline } = await import('./timeline-bench.mjs');
const timeline = await benchTimeline(root, Number(process.env.BENCH_TIMELINE ?? 1_000_000));
collector.close();
agent.destroy();
rmSync(dataDir, { recursive: true, force: true });
rmSync(project, { recursive: true, force: true });

const rows = [
  ['Scope check only, warm (same path, 5 levels deep)', checkWarm.length, ms(quantile(checkWarm, 0.5)), ms(quantile(checkWarm, 0.99))],
  ['Scope check only, first sight of each path (2,000 files)', checkCold.length, ms(quantile(checkCold, 0.5)), ms(quantile(checkCold, 0.99))],
  ['Rule matching, 1,000 rules, no match (every rule tried)', ruleLat.length, ms(quantile(ruleLat, 0.5)), ms(quantile(ruleLat, 0.99))],
  ['Read in scope, allowed by policy: server round trip (one record, fsynced before the answer, + export)', N, ms(quantile(decided, 0.5)), ms(quantile(decided, 0.99))],
  ['SessionStart acknowledged, server round trip', N, ms(quantile(acked, 0.5)), ms(quantile(acked, 0.99))],
  ['`node -e 0` (process start, baseline)', R, ms(quantile(bare, 0.5)), ms(quantile(bare, 0.99))],
  ['`cowork-companion hook` (Node client) round trip (process + request)', R, ms(quantile(hook, 0.5)), ms(quantile(hook, 0.99))],
  ['`cowork-companion-hook` (bash client) round trip (process + request)', R, ms(quantile(shellHook, 0.5)), ms(quantile(shellHook, 0.99))],
  ...evidenceRows,
];
const ratio = quantile(hook, 0.5) / quantile(bare, 0.5);
const shellRatio = quantile(shellHook, 0.5) / quantile(bare, 0.5);
const table = [
  '| measurement | n | p50 | p99 |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
].join('\n');
const report = `# Bench report

Run: ${new Date().toISOString()} — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}.
Loopback HTTP with keep-alive, sequential requests; an automatic decision is one record, fsynced before the answer (concurrent decisions share one fsync: group commit).

${table}

Throughput, scope-decided Reads over 8 keep-alive connections for 3 s: **${Math.round(throughput)} decisions/s**.

Hook client / bare \`node -e 0\` (medians): Node client **${ratio.toFixed(2)}×** (${ms(quantile(hook, 0.5) - quantile(bare, 0.5))} over process start);
bash client **${shellRatio.toFixed(2)}×** (of which the companion's own answer, the server round trip above, is ${ms(quantile(decided, 0.5))}).
${evidenceText}${decisions.text}${profileNotes}${history.text}${timeline.text}`;
writeFileSync(join(root, 'bench/REPORT.md'), report);
process.stdout.write(`${report}\n`);
