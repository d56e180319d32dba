// History rebuilt from the journal at start: given events → recent decisions, runs and alerts; the
// retention cut; malformed and unknown events skipped; the local store of what decisions named.
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newEvidenceEvent, type EvidenceEvent } from '../../electron/core/evidence/index.js';
import { DAY_MS, DECISION_TARGETS_FILE, DecisionTargetsStore, journalHistory } from '../../electron/core/history/index.js';
import { cutMark, MAX_FILE_BYTES, MAX_LINE_BYTES, pathsCutMark } from '../../electron/core/history/decision-targets-store.js';
import { loadOrCreateIntegrityKey } from '../../electron/core/integrity/index.js';
import { RunManifestSchema, RunViewSchema, OutOfScopeAlertSchema } from '../../shared/run-watch-contract.js';
import { DecisionRecordSchema, type ActionTargets } from '../../shared/ui-contract.js';

const NOW = Date.parse('2026-12-02T12:00:00Z');
const HOME = '/home/dana';
const base = { now: NOW, historyDays: 7, home: HOME };

const request = (session: string, id: string, t: number, cwd = '/w/p') =>
  newEvidenceEvent('approval.requested', t, { 'session.id': session, tool_name: 'Bash', hook_event_name: 'PreToolUse', cwd, 'approval.id': id });
const decided = (session: string, id: string, t: number) =>
  newEvidenceEvent('approval.decided', t, {
      'session.id': session,
      tool_name: 'Bash',
      hook_event_name: 'PreToolUse',
      cwd: '/w/p',
      'approval.id': id,
      decision: 'deny',
      'decision.source': 'policy',
      'decision.latency_ms': 0,
      'decision.reason': `reason ${id}`,
      'decision.rule': 'scope.outside',
  });
const withAttrs = (e: EvidenceEvent, over: Record<string, string | number | boolean>): EvidenceEvent => ({ ...e, attributes: { ...e.attributes, ...over } });
const outOfScope = (session: string, path: string, t: number, over: Record<string, string | number | boolean> = {}) =>
  withAttrs(newEvidenceEvent('file.out_of_scope', t, { 'file.path': path, 'file.change': 'created', 'scope.violation': 'forbidden', 'scope.severity': 'high', 'session.id': session, 'file.type': 'file' }), over);
const ended = (session: string, started: number, t: number, files = 2) =>
  newEvidenceEvent('run.ended', t, {
    'session.id': session,
    cwd: '/w/p',
    'run.started_at': new Date(started).toISOString(),
    'run.end_reason': 'session-end',
    'run.tool_events': 5,
    'run.files': files,
    'run.files_created': files,
    'run.files_modified': 0,
    'run.files_deleted': 0,
    'run.files_transient': 0,
    'run.changes': files + 1,
    'run.unexplained': 1,
    'run.out_of_scope': 1,
    'run.dropped': 0,
    'run.client_bookkeeping': 3,
  });

describe('journalHistory: recent decisions', () => {
  it('newest first, one per approval (the last record wins), pending ones left out, within the limit', () => {
    const t = NOW - DAY_MS;
    const events = [
      request('s1', 'a', t),
      decided('s1', 'a', t + 1),
      withAttrs(decided('s1', 'held', t + 2), { decision: 'deny', 'decision.source': 'timeout', 'decision.reason': 'on hold' }),
      decided('s1', 'b', t + 3),
      withAttrs(decided('s1', 'held', t + 4), { decision: 'allow', 'decision.source': 'user', 'decision.reason': 'Approved in Cowork Companion' }),
      withAttrs(decided('s1', 'still-pending', t + 5), { 'decision.source': 'timeout' }),
    ];
    const h = journalHistory(events, { ...base, pending: new Set(['still-pending']), targets: new Map([['b', { paths: ['/etc/hosts'] }]]) });
    expect(h.decisions.map((d) => [d.approvalId, d.decision, d.source])).toEqual([
      ['held', 'allow', 'user'],
      ['b', 'deny', 'policy'],
      ['a', 'deny', 'policy'],
    ]);
    expect(h.decisions[1]).toEqual({
      approvalId: 'b', toolName: 'Bash', sessionId: 's1', decision: 'deny', source: 'policy', reason: 'reason b',
      decidedAt: new Date(t + 3).toISOString(), cwd: '/w/p', targets: { paths: ['/etc/hosts'] }, rule: 'scope.outside',
    });
    for (const d of h.decisions) expect(DecisionRecordSchema.safeParse(d).success).toBe(true);
    const many = Array.from({ length: 120 }, (_, i) => decided('s', `id${i}`, t + i));
    const limited = journalHistory(many, base).decisions;
    expect(limited).toHaveLength(50);
    expect(limited[0]!.approvalId).toBe('id119');
    expect(limited.at(-1)!.approvalId).toBe('id70');
  });

  it('loads nothing older than the retention window', () => {
    const events = [decided('s', 'old', NOW - 8 * DAY_MS), outOfScope('s', '/etc/x', NOW - 8 * DAY_MS), ended('s', NOW - 9 * DAY_MS, NOW - 8 * DAY_MS), decided('s2', 'new', NOW - 6 * DAY_MS)];
    const h = journalHistory(events, base);
    expect(h.decisions.map((d) => d.approvalId)).toEqual(['new']);
    expect(h.alerts).toEqual([]);
    expect(h.runs.map((r) => r.view.sessionId)).toEqual(['s2']);
    expect(journalHistory(events, { ...base, historyDays: 30 }).decisions.map((d) => d.approvalId)).toEqual(['new', 'old']);
    expect(journalHistory(events, { ...base, historyDays: 0 }).decisions).toEqual([]);
  });

  it('skips events that fail their schema, and ignores unknown ones', () => {
    const t = NOW - 1000;
    const events = [
      withAttrs(decided('s', 'bad', t), { decision: 'maybe' }),
      decided('s', 'good', t + 1),
      withAttrs(outOfScope('s', '/etc/x', t + 2), { 'file.change': 'exploded' }),
      { ...decided('s', 'x', t + 3), name: 'something.else' } as unknown as EvidenceEvent,
      withAttrs(decided('s', 'nosession', t + 4), { 'session.id': 5 }),
      withAttrs(ended('s', t, t + 5), { 'run.files': -1 }),
    ];
    const h = journalHistory(events, base);
    expect(h.decisions.map((d) => d.approvalId)).toEqual(['good']);
    expect(h.alerts).toEqual([]);
    expect(h.skipped).toBe(3);
    expect(h.runs[0]!.view.endReason).toBe('unknown');
  });

  it('puts the home folder back where the redaction policy shortened it to ~', () => {
    const e = withAttrs(decided('s', 'a', NOW - 10), { cwd: '~/work/p', 'decision.reason': 'Blocked: ~/x.txt is outside. Share ~ or ~/work, not a~b.', 'redaction.policy': 'identity=keep,home=~,input=off' });
    const kept = withAttrs(decided('s', 'b', NOW - 5), { cwd: '~/work/p', 'redaction.policy': 'identity=keep,home=kept,input=off' });
    const [b, a] = journalHistory([e, kept], base).decisions;
    expect(a!.cwd).toBe('/home/dana/work/p');
    expect(a!.reason).toBe('Blocked: /home/dana/x.txt is outside. Share /home/dana or /home/dana/work, not a~b.');
    expect(b!.cwd).toBe('~/work/p');
  });
});

describe('journalHistory: runs and alerts', () => {
  it('an ended run keeps its counts, end and out-of-scope changes; its manifest exports', () => {
    const t = NOW - 3600_000;
    const h = journalHistory([request('r1', 'a', t + 10), outOfScope('r1', '/etc/salaries.csv', t + 20, { tool_use_id: 'tu1', tool_name: 'Write' }), outOfScope('r1', '/etc/salaries.csv', t + 25, { 'file.repeats': 3 }), ended('r1', t, t + 30)], base);
    const [run] = h.runs;
    expect(run!.view).toEqual({
      sessionId: 'r1', cwd: '/w/p', active: false, status: 'ended', startedAt: new Date(t).toISOString(), lastEventAt: new Date(t + 30).toISOString(),
      endedAt: new Date(t + 30).toISOString(), endReason: 'session-end', toolEvents: 5,
      files: { total: 2, created: 2, modified: 0, deleted: 0, transient: 0, unexplained: 1 }, outOfScope: 1,
    });
    expect(RunViewSchema.parse(run!.view)).toBeTruthy();
    const manifest = RunManifestSchema.parse(run!.manifest);
    expect(manifest.totals).toMatchObject({ files: 2, changes: 3, outOfScope: 1, clientBookkeeping: 3 });
    expect(manifest.outOfScope).toEqual([{ path: '/etc/salaries.csv', change: 'created', type: 'file', violation: 'forbidden', severity: 'high', toolUseId: 'tu1', at: new Date(t + 20).toISOString() }]);
    expect(manifest.note).toMatch(/list of files changed inside the shared folders is kept only while the companion runs/);
    expect(h.alerts.map((a) => [a.path, a.repeats, a.toolName])).toEqual([
      ['/etc/salaries.csv', 3, undefined],
      ['/etc/salaries.csv', undefined, 'Write'],
    ]);
    for (const a of h.alerts) expect(OutOfScopeAlertSchema.parse(a).recorded).toBe(true);
  });

  it('a run the companion never saw end, or active again after its recorded end, is shown ended at an unknown time', () => {
    const t = NOW - 3600_000;
    const started = newEvidenceEvent('run.started', t + 1, { 'session.id': 'quiet', cwd: '/w/q' });
    const h = journalHistory([started, ended('back', t - 100, t), request('back', 'b', t + 50), request('crashed', 'c', t + 10), decided('crashed', 'c', t + 11)], base);
    expect(h.runs.map((r) => [r.view.sessionId, r.view.status, r.view.active, r.view.endReason, r.view.endedAt])).toEqual([
      ['back', 'ended', false, 'unknown', undefined],
      ['crashed', 'ended', false, 'unknown', undefined],
      ['quiet', 'ended', false, 'unknown', undefined],
    ]);
    expect(h.runs[2]!.view).toMatchObject({ cwd: '/w/q', startedAt: new Date(t + 1).toISOString(), toolEvents: 0 });
    expect(h.runs[1]!.view.toolEvents).toBe(1);
    expect(h.runs[1]!.manifest.note).toMatch(/stopped while this run was active/);
  });

  it('a decision made as the request arrived is that request\'s only record: counted once, with its folder', () => {
    const t = NOW - 3600_000;
    const immediate = (id: string, at: number) => withAttrs(decided('auto', id, at), { 'decision.immediate': true, cwd: '/w/auto' });
    // Two automatic decisions, and one request a person decided (requested + decided: one request).
    const h = journalHistory([immediate('a1', t + 1), immediate('a2', t + 2), request('auto', 'p1', t + 3, '/w/auto'), decided('auto', 'p1', t + 4)], base);
    expect(h.runs[0]!.view).toMatchObject({ sessionId: 'auto', cwd: '/w/auto', toolEvents: 3 });
  });

  it('keeps the 50 newest runs and alerts', () => {
    const events = Array.from({ length: 80 }, (_, i) => outOfScope(`run${i}`, `/etc/f${i}`, NOW - 100_000 + i));
    const h = journalHistory(events, base);
    expect(h.runs).toHaveLength(50);
    expect(h.runs[0]!.view.sessionId).toBe('run79');
    expect(h.alerts).toHaveLength(50);
    expect(h.alerts[0]!.path).toBe('/etc/f79');
  });
});

describe('DecisionTargetsStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cc-targets-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives back what decisions named; lines it did not write, edited or too old are not shown', async () => {
    const { key } = loadOrCreateIntegrityKey(dir);
    const store = new DecisionTargetsStore(dir, key);
    store.add('a', NOW - 10, { paths: [], command: 'rm -rf /tmp/x' });
    store.add('old', NOW - 9 * DAY_MS, { paths: ['/old'] });
    store.add('b', NOW - 5, { paths: ['/etc/hosts'] });
    const file = join(dir, DECISION_TARGETS_FILE);
    await expect.poll(() => readFileSync(file, 'utf8').split('\n').length).toBe(4);
    const lines = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, [lines[0], lines[1], lines[2]!.replace('/etc/hosts', '/etc/passwd'), ''].join('\n'));
    appendFileSync(file, `${JSON.stringify({ id: 'c', time: NOW, targets: { paths: ['/x'] }, tag: 'AAAA' })}\n{not json\n`);
    const loaded = new DecisionTargetsStore(dir, key).load(NOW - 7 * DAY_MS);
    expect([...loaded]).toEqual([['a', { paths: [], command: 'rm -rf /tmp/x' }]]);
    store.keepOnly(new Map([['a', { time: NOW - 10, targets: loaded.get('a')! }]]));
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1);
    expect([...store.load(0).keys()]).toEqual(['a']);
  });

  it('appends what decisions named together, not once per decision, and a stop writes what waits', async () => {
    const { key } = loadOrCreateIntegrityKey(dir);
    const store = new DecisionTargetsStore(dir, key, undefined, 60_000);
    for (let i = 0; i < 50; i++) store.add(`d${i}`, NOW, { paths: [`/p/${i}`] });
    const file = join(dir, DECISION_TARGETS_FILE);
    await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(file), 'nothing written within the append interval').toBe(false);
    await store.flush();
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(50);
    expect(new DecisionTargetsStore(dir, key).load(0).get('d49')).toEqual({ paths: ['/p/49'] });
    // Within the interval by default: no flush needed.
    const timed = new DecisionTargetsStore(dir, key, undefined, 20);
    timed.add('late', NOW, { paths: ['/late'] });
    await expect.poll(() => timed.load(0).has('late')).toBe(true);
  });

  it('keeps each line under 64 KiB: longer targets are kept cut, with a marker the list shows', async () => {
    const { key } = loadOrCreateIntegrityKey(dir);
    const store = new DecisionTargetsStore(dir, key);
    const command = `echo ${'x'.repeat(200 * 1024)}`;
    const paths = Array.from({ length: 100 }, (_, i) => `/w/p/f${i}`);
    store.add('big', NOW, { paths, command });
    // Control characters: JSON writes each as six, and the line still fits.
    store.add('escaped', NOW, { paths: [], command: '\u0001'.repeat(100 * 1024) });
    store.add('small', NOW, { paths: ['/a'], command: 'ls' });
    await store.flush();
    const lines = readFileSync(join(dir, DECISION_TARGETS_FILE), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    const loaded = store.load(0);
    const big = loaded.get('big')!;
    expect(big.command!.startsWith('echo xxx')).toBe(true);
    expect(big.command!.endsWith(cutMark(command.length - big.command!.indexOf('…[cut')))).toBe(true);
    expect(big.paths[0]).toBe('/w/p/f0');
    expect(big.paths.at(-1)).toBe(pathsCutMark(100 - (big.paths.length - 1)));
    expect(loaded.get('escaped')!.command).toMatch(/…\[cut: \d+ more characters not kept\]$/);
    expect(loaded.get('small')).toEqual({ paths: ['/a'], command: 'ls' });
  });

  it('stops appending at 8 MiB, saying so once, and does not read a bigger file at start', async () => {
    const { key } = loadOrCreateIntegrityKey(dir);
    const file = join(dir, DECISION_TARGETS_FILE);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      // The agent (or a flood of denies) has filled the file to just under the cap.
      writeFileSync(file, `${'j'.repeat(MAX_FILE_BYTES - 100)}\n`);
      const store = new DecisionTargetsStore(dir, key);
      store.add('a', NOW, { paths: [], command: 'a command longer than the hundred bytes left in the file, so it does not fit' });
      store.add('b', NOW, { paths: [], command: 'another command longer than the hundred bytes left in the file at its cap' });
      await store.flush();
      expect(statSync(file).size).toBe(MAX_FILE_BYTES - 99);
      expect(stderr.mock.calls.filter(([text]) => String(text).includes('reached 8 MiB'))).toHaveLength(1);
      // Over the cap at start: not read (one line on stderr), and the start's compaction empties it.
      appendFileSync(file, 'j'.repeat(200));
      expect(store.load(0).size).toBe(0);
      expect(stderr.mock.calls.filter(([text]) => String(text).includes('was not read'))).toHaveLength(1);
      store.keepOnly(new Map());
      expect(statSync(file).size).toBe(0);
      store.add('c', NOW, { paths: ['/c'] });
      await store.flush();
      expect([...store.load(0)]).toEqual([['c', { paths: ['/c'] }]]);
    } finally {
      stderr.mockRestore();
    }
  });

  it('compacts to the newest entries that fit under 8 MiB', () => {
    const { key } = loadOrCreateIntegrityKey(dir);
    const store = new DecisionTargetsStore(dir, key);
    const command = 'y'.repeat(60 * 1024);
    const entries = new Map<string, { time: number; targets: ActionTargets }>(Array.from({ length: 200 }, (_, i) => [`d${i}`, { time: NOW - 200 + i, targets: { paths: [], command } }]));
    store.keepOnly(entries);
    expect(statSync(join(dir, DECISION_TARGETS_FILE)).size).toBeLessThanOrEqual(MAX_FILE_BYTES);
    const loaded = store.load(0);
    expect(loaded.size).toBeGreaterThan(100);
    expect(loaded.size).toBeLessThan(200);
    expect(loaded.has('d199')).toBe(true);
    expect(loaded.has('d0')).toBe(false);
  });
});
