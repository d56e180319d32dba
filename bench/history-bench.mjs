// History at start: a companion starting on a journal of N events (approvals with their decisions,
// out-of-scope changes, ended runs, spread over the retention window) against one starting on an empty
// data folder, and the rebuild pass alone. Called by run-bench.mjs; alone: `node bench/history-bench.mjs`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const DAY = 86_400_000;

export async function benchHistory(root, n = 100_000, otlp = 'http://127.0.0.1:9') {
  const core_ = (capability) => import(join(root, `dist/electron/core/${capability}/index.js`));
  const { createCompanionCore } = await core_('app');
  const { newEvidenceEvent } = await core_('evidence');
  const { journalHistory } = await core_('history');
  const { DecisionJournalService } = await import(join(root, 'dist/electron/core/evidence/decision-journal-service.js'));
  const { loadOrCreateIntegrityKey, StateSealService } = await core_('integrity');
  const { systemClock } = await core_('base');

  const full = mkdtempSync(join(tmpdir(), 'cc-bench-history-'));
  const empty = mkdtempSync(join(tmpdir(), 'cc-bench-history-empty-'));
  const startCore = async (dataDir) => {
    const t0 = performance.now();
    const core = await createCompanionCore({ dataDir, port: 0, webUi: false, watch: false, env: { OTEL_EXPORTER_OTLP_ENDPOINT: otlp } });
    const ms = performance.now() - t0;
    const s = core.getSnapshot();
    await core.close();
    return { ms, recent: s.recent.length, runs: s.runs.length, alerts: s.alerts.length };
  };
  // The journal as a busy week leaves it, tagged and numbered as the running core writes it: per request
  // an approval.requested and an approval.decided, every 50th event a change outside the scope, every
  // 500th a run ending.
  await startCore(full);
  const { key } = loadOrCreateIntegrityKey(full);
  const seals = new StateSealService({ dataDir: full, key, trustUnsealed: false, clock: systemClock });
  const journal = new DecisionJournalService(join(full, 'journal'), {
    integrity: { key, checkpoint: seals.file('journal/checkpoint.json', { watch: false }), firstUse: false, sequenced: true },
  });
  const start = Date.now() - 6 * DAY;
  const step = (6 * DAY) / n;
  const request = (i) => ({ 'session.id': `run-${Math.floor(i / 500)}`, tool_name: 'Bash', hook_event_name: 'PreToolUse', cwd: '/home/u/work/payments-api', 'approval.id': `a-${i}` });
  const batch = [];
  for (let i = 0; i < n; i++) {
    const t = start + i * step;
    if (i % 500 === 499) {
      batch.push(newEvidenceEvent('run.ended', t, {
        'session.id': `run-${Math.floor(i / 500)}`, 'run.started_at': new Date(t - 500 * step).toISOString(), 'run.end_reason': 'session-end', 'run.tool_events': 250,
        'run.files': 12, 'run.files_created': 4, 'run.files_modified': 8, 'run.files_deleted': 0, 'run.files_transient': 0, 'run.changes': 40, 'run.unexplained': 1,
        'run.out_of_scope': 10, 'run.dropped': 0, 'run.client_bookkeeping': 30,
      }));
    } else if (i % 50 === 0) {
      batch.push(newEvidenceEvent('file.out_of_scope', t, { 'file.path': `/home/u/Documents/f${i}.txt`, 'file.change': 'modified', 'session.id': `run-${Math.floor(i / 500)}`, 'scope.violation': 'outside', 'scope.severity': 'medium', 'file.type': 'file' }));
    } else if (i % 2 === 0) {
      batch.push(newEvidenceEvent('approval.requested', t, request(i)));
    } else {
      batch.push(newEvidenceEvent('approval.decided', t, { ...request(i - 1), decision: 'deny', 'decision.source': 'policy', 'decision.latency_ms': 0, 'decision.reason': 'Blocked by Cowork Companion: outside the shared folders.', 'decision.rule': 'scope.outside' }));
    }
    if (batch.length === 1000) await Promise.all(batch.splice(0).map((e) => journal.append(e)));
  }
  await Promise.all(batch.map((e) => journal.append(e)));
  await journal.close();

  seals.close();
  const reader = new DecisionJournalService(join(full, 'journal'), {
    integrity: { key, checkpoint: seals.file('journal/checkpoint.json', { watch: false }), firstUse: false, sequenced: false },
  });
  const pass = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    journalHistory(reader.events(), { now: Date.now(), historyDays: 7, home: '/home/u' });
    pass.push(performance.now() - t0);
  }
  await reader.close();
  // Twice each, the second counted (the first warms the module and file caches alike for both).
  await startCore(empty);
  const base = await startCore(empty);
  await startCore(full);
  const loaded = await startCore(full);
  rmSync(full, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
  const passMs = [...pass].sort((a, b) => a - b)[1];
  return {
    n,
    text: `
History at start: with a journal of ${n.toLocaleString('en')} events over 6 days, the companion starts in **${loaded.ms.toFixed(0)} ms** against ${base.ms.toFixed(0)} ms on an empty data folder
(one pass over the journal shared by pending.json's check and the history; the journal's integrity check, the
shipper's count of what is queued and the tamper watch's first look each read it too).
The history pass alone (tags checked): ${passMs.toFixed(0)} ms (median of 3). Rebuilt: ${loaded.recent} recent decisions, ${loaded.runs} runs, ${loaded.alerts} alerts.
`,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const { text } = await benchHistory(root, Number(process.env.BENCH_HISTORY ?? 100_000));
  process.stdout.write(text);
}
