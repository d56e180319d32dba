// npm run bench:deltas — one decision with 1,000 pending requests (the inbox bench's mix: edits, writes,
// Bash calls, MCP calls, 20 runs) on the real `serve`: what the push to the window costs, as a whole
// snapshot (every push before deltas) and as the delta that now goes instead. Bytes on the wire, and
// the receiver's work: JSON.parse + zod validation (+ applying the delta), the median of repeats in
// this Node process (the browser's V8 is the same engine; bench/INBOX-REPORT.md has the page's frames).
// Also the sender's: JSON of the snapshot per stream before, per push now, plus the diff.
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { inboxWorkload, startBenchServe } from './inbox-workload.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { SnapshotSchema } = await import(join(root, 'dist/shared/ui-contract.js'));
const { applySnapshotDelta, readSnapshotDelta, snapshotDelta } = await import(join(root, 'dist/shared/snapshot-delta.js'));

const N = Number(process.env.BENCH_ITEMS ?? 1000);
const RUNS = 20;
const REPEATS = 30;
const dataDir = mkdtempSync(join(tmpdir(), 'cc-delta-bench-'));
const project = realpathSync(mkdtempSync(join(tmpdir(), 'cc-delta-bench-project-')));
const { serve, ready, token, newLink } = await startBenchServe(root, dataDir);
try {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const url = await newLink();
  const pairing = new URL(url).hash.replace('#token=', '');
  const { sessionToken } = await fetch(new URL('/ui/session', url), { method: 'POST', headers: { Authorization: `Bearer ${pairing}` } }).then((r) => r.json());
  const ui = (method, body = {}) =>
    fetch(new URL(`/ui/api/${method}`, url), { method: 'POST', headers: { Authorization: `Bearer ${sessionToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
  await ui('addSharedFolder', { path: project, mode: 'read' });

  // The inbox bench's requests (bench/inbox-workload.mjs).
  const toolCall = inboxWorkload(project);
  for (let i = 0; i < N; i++) {
    const body = JSON.stringify({ session_id: `run-${i % RUNS}`, cwd: project, hook_event_name: 'PreToolUse', ...toolCall(i), tool_use_id: `toolu_${i}` });
    const req = request(`${ready.agentApiUrl}/hooks/claude-code`, { method: 'POST', agent, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Content-Length': Buffer.byteLength(body) } }, (res) => res.resume());
    req.on('error', () => undefined);
    req.end(body);
  }
  for (;;) {
    const snap = await ui('getSnapshot');
    process.stderr.write(`bench: ${snap.pending?.length} of ${N} pending\n`);
    if (snap.pending.length >= N) break;
    await new Promise((r) => setTimeout(r, 300));
  }
  await new Promise((r) => setTimeout(r, 1000));

  // The push channel, as the window reads it.
  const events = [];
  let wake = () => {};
  const sse = request(new URL('/ui/events', url), { headers: { Authorization: `Bearer ${sessionToken}`, Accept: 'text/event-stream' } }, (res) => {
    res.setEncoding('utf8');
    let buffer = '';
    res.on('data', (chunk) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith(':')) continue;
        const field = (name) => block.split('\n').find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2);
        events.push({ event: field('event'), id: field('id'), data: field('data'), bytes: Buffer.byteLength(block) + 2 });
        wake();
      }
    });
  });
  sse.end();
  const until = async (check) => {
    for (;;) {
      const found = events.find(check);
      if (found) return found;
      await new Promise((r) => (wake = r));
    }
  };
  const whole = await until((e) => e.event === 'snapshot');
  const held = SnapshotSchema.parse(JSON.parse(whole.data));
  const item = held.pending[Math.floor(N / 2)];
  await ui('deny', { id: item.id, contentHash: item.contentHash, reason: 'bench' });
  const decided = await until((e) => e.event === 'delta' && (JSON.parse(e.data).pending?.remove ?? []).includes(item.id));
  sse.destroy();

  const median = (run) => {
    const times = [];
    for (let i = 0; i < REPEATS; i++) {
      const started = performance.now();
      run();
      times.push(performance.now() - started);
    }
    return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
  };
  // The base the delta applies to is the snapshot right before it on the stream.
  let base = held;
  let baseSeq = Number(whole.id);
  for (const e of events.slice(events.indexOf(whole) + 1)) {
    if (e === decided) break;
    const d = readSnapshotDelta(JSON.parse(e.data));
    const applied = d.ok && d.delta.base === baseSeq ? applySnapshotDelta(base, d.delta) : { ok: false };
    if (!applied.ok) throw new Error('the stream did not apply');
    [base, baseSeq] = [applied.snapshot, d.delta.seq];
  }
  const wholeReceive = median(() => {
    if (!SnapshotSchema.safeParse(JSON.parse(whole.data)).success) throw new Error('invalid snapshot');
  });
  const deltaReceive = median(() => {
    const d = readSnapshotDelta(JSON.parse(decided.data));
    if (!d.ok || d.delta.base !== baseSeq || !applySnapshotDelta(base, d.delta).ok) throw new Error('the delta did not apply');
  });
  // Sender: before, each stream wrote JSON.stringify(snapshot) per push; now the texts are made once per
  // push (fresh objects each repeat, as getSnapshot builds them) and the diff compares them.
  const after = applySnapshotDelta(base, readSnapshotDelta(JSON.parse(decided.data)).delta).snapshot;
  const wholeSend = median(() => JSON.stringify(structuredClone(after)));
  const cloneOnly = median(() => structuredClone(after));
  const deltaSend = median(() => snapshotDelta(base, structuredClone(after), { base: 1, seq: 2 }));
  const delta = JSON.parse(decided.data);
  const report = {
    pending: held.pending.length,
    wholeSnapshotPush: { bytes: whole.bytes, receiveMs: +wholeReceive.toFixed(2), sendMsPerStream: +(wholeSend - cloneOnly).toFixed(2) },
    decisionDeltaPush: { bytes: decided.bytes, receiveMs: +deltaReceive.toFixed(2), sendMsPerPush: +(deltaSend - cloneOnly).toFixed(2), keys: Object.keys(delta.set), pending: { upsert: delta.pending.upsert.length, remove: delta.pending.remove.length, order: delta.pending.order !== undefined } },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
} finally {
  serve.kill('SIGTERM');
  await new Promise((r) => serve.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
}
