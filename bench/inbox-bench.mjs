// npm run bench:inbox — the Inbox with 1,000 pending requests from 20 runs, in real Chromium:
// time to render, time to approve one, and long tasks (> 50 ms) during the approval.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const N = Number(process.env.BENCH_ITEMS ?? 1000);
const RUNS = 20;
const dataDir = mkdtempSync(join(tmpdir(), 'cc-inbox-bench-'));
const project = realpathSync(mkdtempSync(join(tmpdir(), 'cc-inbox-bench-project-')));
const serve = spawn(process.execPath, ['dist/electron/cli/cli.js', 'serve', '--data-dir', dataDir, '--port', '0', '--budget-ms', '600000'], {
  cwd: root,
  env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' },
  stdio: ['pipe', 'pipe', 'inherit'],
});
const lines = createInterface({ input: serve.stdout });
const next = () => new Promise((r) => lines.once('line', r));
const ready = JSON.parse(await next());
const newLink = async () => {
  const p = next();
  serve.stdin.write('\n');
  return JSON.parse(await p).uiUrl;
};
const token = readFileSync(ready.tokenFile, 'utf8').trim();
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
const hook = (i) => {
  const body = JSON.stringify({ session_id: `run-${i % RUNS}`, cwd: project, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: `npm run task-${i} -- --verbose` }, tool_use_id: `toolu_${i}` });
  const req = request(`${ready.agentApiUrl}/hooks/claude-code`, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Content-Length': Buffer.byteLength(body) } }, (res) => res.resume());
  req.on('error', () => undefined);
  req.end(body);
};
for (let i = 0; i < N; i++) hook(i);

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] });
const page = await browser.newPage({ viewport: { width: 900, height: 800 } });
await page.addInitScript(() => {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
});
// Wait until the server holds all N, then time the page from navigation to N cards.
for (;;) {
  const url = await newLink();
  const pairing = new URL(url).hash.replace('#token=', '');
  const s = await fetch(new URL('/ui/session', url), { method: 'POST', headers: { Authorization: `Bearer ${pairing}` } }).then((r) => r.json());
  const snap = await fetch(new URL('/ui/api/getSnapshot', url), { method: 'POST', headers: { Authorization: `Bearer ${s.sessionToken}`, 'Content-Type': 'application/json' }, body: '{}' }).then((r) => r.json());
  if (snap.pending.length >= N) break;
  await new Promise((r) => setTimeout(r, 200));
}
const t0 = Date.now();
await page.goto(await newLink());
await page.waitForFunction((n) => document.querySelectorAll('article').length >= n, N, { timeout: 120_000, polling: 50 });
const renderMs = Date.now() - t0;
const before = await page.evaluate(() => window.__longTasks.length);
const first = page.locator('article').first();
const approve = first.getByRole('button', { name: 'Approve once' });
await approve.waitFor();
await page.waitForTimeout(800); // the grace period
const t1 = await page.evaluate(() => performance.now());
await approve.click();
await page.waitForFunction((n) => document.querySelectorAll('article').length === n - 1, N, { timeout: 60_000, polling: 'raf' });
const t2 = await page.evaluate(() => performance.now());
const tasks = await page.evaluate(() => window.__longTasks);
const during = tasks.slice(before).filter((t) => t.start >= t1 - 1 && t.start <= t2);
await browser.close();
serve.kill('SIGTERM');
await new Promise((r) => serve.once('exit', r));
agent.destroy();
rmSync(dataDir, { recursive: true, force: true });
rmSync(project, { recursive: true, force: true });

const longest = during.reduce((m, t) => Math.max(m, t.duration), 0);
const report = `# Inbox bench

Run: ${new Date().toISOString()} — ${N} pending requests from ${RUNS} runs, Chromium ${browser.version?.() ?? ''} headless, 900×800.

| measurement | value |
|---|---|
| navigation → all ${N} cards rendered | ${renderMs} ms |
| click "Approve once" → card gone (page clock) | ${(t2 - t1).toFixed(0)} ms |
| long tasks (> 50 ms) during the approval | ${during.length}${during.length ? ` (longest ${longest.toFixed(0)} ms)` : ''} |
`;
writeFileSync(join(root, 'bench/INBOX-REPORT.md'), report);
process.stdout.write(report);
