// The timeline over 1,000,000 events: a journal of N events (approval requests and their decisions,
// out-of-scope changes, scope changes; 2,000 runs over 30 days) is indexed from scratch (the rebuild
// a missing store gets), then typical filtered queries are timed. Called by run-bench.mjs; alone:
// `node bench/timeline-bench.mjs [N]` (after `npm run build:core`), which rewrites only the timeline
// section of bench/REPORT.md.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const DAY = 86_400_000;
const TOOLS = ['Bash', 'Read', 'Write', 'Edit', 'Grep', 'WebFetch', 'mcp__github__create_issue', 'mcp__filesystem__read_file'];
const RUNS = 2000;
export const TIMELINE_SECTION = '## Timeline: 1,000,000-event queries';

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

/** Journal segment files written directly (the format DecisionJournalService writes, without a key). */
export function writeJournal(dir, n, now) {
  mkdirSync(dir, { recursive: true });
  const span = 30 * DAY;
  let segment = 1;
  let lines = [];
  let bytes = 0;
  const flush = () => {
    writeFileSync(join(dir, `evidence-${String(segment).padStart(10, '0')}.jsonl`), lines.join(''));
    segment++;
    lines = [];
    bytes = 0;
  };
  for (let i = 0; i < n; i++) {
    const time = now - span + Math.floor((i / n) * span);
    const run = Math.floor((i / n) * RUNS);
    const session = `run-${run}`;
    const tool = TOOLS[i % TOOLS.length];
    const eventId = `e-${i}`;
    const base = { 'event.id': eventId, 'session.id': session, tool_name: tool, hook_event_name: 'PreToolUse', cwd: `/home/u/projects/p${run % 40}`, 'approval.id': `a-${i >> 1}` };
    let name;
    let attributes;
    if (i % 1000 === 999) {
      name = 'scope.changed';
      attributes = { 'event.id': eventId, 'scope.action': 'add', 'scope.path': `/home/u/projects/p${run % 40}`, 'scope.mode': 'read-write' };
    } else if (i % 97 === 0) {
      name = 'file.out_of_scope';
      attributes = { 'event.id': eventId, 'session.id': session, 'file.path': `/home/u/.ssh/key${i % 7}`, 'file.change': 'modified', 'scope.violation': 'forbidden', 'scope.severity': 'high', 'file.type': 'file' };
    } else if (i % 2 === 0) {
      name = 'approval.requested';
      attributes = base;
    } else {
      const deny = i % 5 === 1;
      const source = i % 7 === 0 ? 'user' : deny ? 'policy' : 'rule';
      name = 'approval.decided';
      attributes = {
        ...base,
        decision: deny ? 'deny' : 'allow',
        'decision.source': source,
        'decision.latency_ms': source === 'user' ? 4000 : 0,
        'decision.reason': deny ? `Blocked by Cowork Companion: /home/u/other/f${i % 5000}.txt is outside the shared folders.` : 'Allowed by a remembered rule.',
      };
    }
    const line = `${JSON.stringify({ v: 1, eventId, name, time, attributes })}\n`;
    lines.push(line);
    bytes += line.length;
    if (bytes >= 8 * 1024 * 1024) flush();
  }
  if (lines.length) flush();
}

export async function benchTimeline(root, n = 1_000_000) {
  const { DecisionJournalService } = await import(join(root, 'dist/electron/core/evidence/index.js'));
  const { TimelineStoreService, TIMELINE_FILE } = await import(join(root, 'dist/electron/core/timeline/index.js'));
  const dataDir = mkdtempSync(join(tmpdir(), 'cc-bench-timeline-'));
  try {
    const now = Date.now();
    writeJournal(join(dataDir, 'journal'), n, now);
    const journal = new DecisionJournalService(join(dataDir, 'journal'));
    const store = new TimelineStoreService({ dataDir, journal, retentionDays: () => 90, now: () => now });
    const t0 = performance.now();
    store.catchUp();
    const rebuildMs = performance.now() - t0;
    const count = store.count();
    const size = statSync(join(dataDir, TIMELINE_FILE)).size;
    const R = 50;
    const series = [];
    const time = (label, filterAt) => {
      store.queryOnly(filterAt(R)); // warm
      const xs = [];
      let rows = 0;
      for (let i = 0; i < R; i++) {
        const t = performance.now();
        rows += store.queryOnly(filterAt(i)).length;
        xs.push(performance.now() - t);
      }
      series.push({ label, median: quantile(xs, 0.5), p95: quantile(xs, 0.95), rows: Math.round(rows / R) });
    };
    const limit = 1000;
    time('one run (`--session S`), all its events', (i) => ({ session: `run-${(i * 37) % RUNS}`, limit }));
    time('time range (a day) + decision (`--since … --until … --decision deny`)', (i) => ({ since: now - (i % 29 + 1) * DAY, until: now - (i % 29) * DAY, decision: 'deny', limit }));
    time('last hour (`--since 1h`)', () => ({ since: now - 3_600_000, limit }));
    time('tool + decision, newest 1000 (`--tool Write --decision deny`)', (i) => ({ tool: TOOLS[i % TOOLS.length], decision: 'deny', limit }));
    time('person asked (`--decision ask`), a week', () => ({ decision: 'ask', since: now - 7 * DAY, limit }));
    time('words, rare (`--text "f1234.txt"`)', (i) => ({ text: `f${1000 + i}.txt`, limit }));
    time('words, common, newest 1000 (`--text "shared folders"`)', () => ({ text: 'shared folders', limit }));
    time('words + run (`--session S --text ssh`)', (i) => ({ session: `run-${(i * 37) % RUNS}`, text: 'ssh', limit }));
    // Folders: one project (1 of 40), the parent of all 40, the changed files of one folder, a folder
    // with nothing in it, a project and a decision, a project and a common word.
    time('folder, one project (`--folder ~/projects/p7`)', (i) => ({ folder: `/home/u/projects/p${i % 40}`, limit }));
    time('folder, the parent of 40 projects (`--folder ~/projects`)', () => ({ folder: '/home/u/projects', limit }));
    time('folder of changed files (`--folder ~/.ssh`)', () => ({ folder: '/home/u/.ssh', limit }));
    time('folder with nothing in it (`--folder ~/elsewhere`)', (i) => ({ folder: `/home/u/elsewhere${i}`, limit }));
    time('folder + decision (`--folder ~/projects/p7 --decision deny`)', (i) => ({ folder: `/home/u/projects/p${i % 40}`, decision: 'deny', limit }));
    // Words lead (their journal order), each match tested against the folder: ~1 in 40 passes here.
    time('folder + words (`--folder ~/projects/p7 --text remembered`)', (i) => ({ folder: `/home/u/projects/p${i % 40}`, text: 'remembered', limit }));
    store.close();
    await journal.close();
    const f = (x) => `${x.toFixed(2)} ms`;
    const text = `
${TIMELINE_SECTION}

${count.toLocaleString('en')} events (${RUNS.toLocaleString('en')} runs over 30 days) indexed from the journal in ${(rebuildMs / 1000).toFixed(1)} s
(the rebuild a missing store gets); store ${(size / 1024 / 1024).toFixed(0)} MB (SQLite, WAL, FTS5). Each query ${R} times with
varying values, limit ${limit}, results parsed back to events (what \`timeline --json\` prints); the target is ≤ 100 ms.

| query | rows | median | p95 |
|---|---|---|---|
${series.map((s) => `| ${s.label} | ${s.rows} | ${f(s.median)} | ${f(s.p95)} |`).join('\n')}
`;
    return { text, series, rebuildMs, count };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const { text } = await benchTimeline(root, Number(process.argv[2] ?? 1_000_000));
  const file = join(root, 'bench/REPORT.md');
  const report = readFileSync(file, 'utf8');
  const at = report.indexOf(TIMELINE_SECTION);
  const next = at < 0 ? -1 : report.indexOf('\n## ', at + TIMELINE_SECTION.length);
  const updated = at < 0 ? `${report.trimEnd()}\n${text}` : `${report.slice(0, at).trimEnd()}\n${text}${next < 0 ? '' : report.slice(next)}`;
  writeFileSync(file, updated);
  process.stdout.write(text);
}
