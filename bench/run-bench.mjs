// npm run bench — latency of the agent API and of the hook client, written to bench/REPORT.md.
// Medians and ratios, not timed assertions: this is a measurement, run on demand.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = fileURLToPath(new URL('..', import.meta.url));
const { createCompanionCore } = await import(join(root, 'dist/electron/core/companion-core.js'));
const fixture = (name) => readFileSync(join(root, '../shared/fixtures/claude-code/input', name), 'utf8');

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
const core = await createCompanionCore({
  dataDir,
  port: 0,
  webUi: false,
  env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp },
  policy: () => ({ kind: 'decide', verdict: 'allow', source: 'policy', reason: 'bench', rule: 'bench.allow-all' }),
});
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
const decided = await series(fixture('pretooluse-write.json'), N);
const acked = await series(fixture('sessionstart-startup.json'), N);

function runProcess(args, input) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, COWORK_COMPANION_DATA_DIR: dataDir } });
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
const hookInput = fixture('pretooluse-bash.json');
for (let i = 0; i < 3; i++) {
  await runProcess(['-e', '0']);
  await runProcess(['bin/cowork-companion.js', 'hook'], hookInput);
}
for (let i = 0; i < R; i++) {
  bare.push((await runProcess(['-e', '0'])).t);
  const r = await runProcess(['bin/cowork-companion.js', 'hook'], hookInput);
  if (!r.out.includes('"allow"')) throw new Error(`unexpected hook answer: ${r.out}`);
  hook.push(r.t);
}

await core.close();
collector.close();
agent.destroy();
rmSync(dataDir, { recursive: true, force: true });

const rows = [
  ['PreToolUse decided by policy (journal fsync + export), server round trip', N, ms(quantile(decided, 0.5)), ms(quantile(decided, 0.99))],
  ['SessionStart acknowledged, server round trip', N, ms(quantile(acked, 0.5)), ms(quantile(acked, 0.99))],
  ['`node -e 0` (process start, baseline)', R, ms(quantile(bare, 0.5)), ms(quantile(bare, 0.99))],
  ['`cowork-companion hook` round trip (process + request)', R, ms(quantile(hook, 0.5)), ms(quantile(hook, 0.99))],
];
const ratio = quantile(hook, 0.5) / quantile(bare, 0.5);
const table = [
  '| measurement | n | p50 | p99 |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
].join('\n');
const report = `# Bench report

Run: ${new Date().toISOString()} — Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}.
Loopback HTTP with keep-alive, sequential requests; the journal fsyncs every event (two per decision).

${table}

Hook client / bare \`node -e 0\` (median): **${ratio.toFixed(2)}×** (${ms(quantile(hook, 0.5) - quantile(bare, 0.5))} over process start).
`;
writeFileSync(join(root, 'bench/REPORT.md'), report);
process.stdout.write(`${report}\n`);
