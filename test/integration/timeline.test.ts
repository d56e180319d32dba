// The timeline over a real journal (real integrity key, real segment files, real SQLite file): what
// it indexes, what it refuses, how it rebuilds and prunes, and the built CLI's output.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openCoreServices, timelineHandlers, type CoreServices, type TimelineUiDeps } from '../../electron/core/app/index.js';
import { CoreError } from '../../electron/core/base/index.js';
import { TIMELINE_EXPORT_MAX_BYTES, TIMELINE_RUN_MAX_BYTES, uiContract } from '../../shared/ui-contract.js';
import { EVENT_NAMES } from '../../shared/telemetry-events.js';
import { systemClock } from '../../electron/core/base/index.js';
import { newEvidenceEvent, type EvidenceEvent } from '../../electron/core/evidence/index.js';
import { loadSqlite, ROW_ATTRIBUTES, TIMELINE_FILE, timelineRowView, TimelineStoreService } from '../../electron/core/timeline/index.js';
import { CLI } from '../support/serve-process.js';
import { startTestCore } from '../support/start-core.js';

const DAY = 86_400_000;
let dataDir: string;
let opened: CoreServices[] = [];
let stores: TimelineStoreService[] = [];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'cc-timeline-'));
});
afterEach(async () => {
  for (const s of stores) s.close();
  for (const s of opened) await s.close(0);
  stores = [];
  opened = [];
  rmSync(dataDir, { recursive: true, force: true });
});

function services(): CoreServices {
  const s = openCoreServices({ dataDir, clock: systemClock, env: {}, ship: false });
  opened.push(s);
  return s;
}

function store(s: CoreServices, retentionDays = 90): TimelineStoreService {
  const t = new TimelineStoreService({ dataDir, journal: s.evidence.journal, retentionDays: () => retentionDays, now: () => Date.now() });
  stores.push(t);
  return t;
}

let n = 0;
function decided(o: { session: string; tool: string; decision: 'allow' | 'deny'; source: string; reason?: string; time?: number; cwd?: string }): EvidenceEvent {
  const eventId = `ev-${++n}-${Math.random().toString(36).slice(2)}`;
  return {
    eventId,
    name: 'approval.decided',
    time: o.time ?? Date.now(),
    attributes: {
      'event.id': eventId,
      'session.id': o.session,
      tool_name: o.tool,
      hook_event_name: 'PreToolUse',
      cwd: o.cwd ?? '/work/project',
      'approval.id': `a-${eventId}`,
      decision: o.decision,
      'decision.source': o.source,
      'decision.latency_ms': 3,
      'decision.reason': o.reason ?? 'a reason',
    },
  };
}

async function record(s: CoreServices, ...events: EvidenceEvent[]): Promise<void> {
  for (const e of events) await s.evidence.recorder.record(e);
}

const ids = (events: EvidenceEvent[]): string[] => events.map((e) => e.eventId);

describe('timeline store', () => {
  it('indexes what the journal holds, and never a line another process added', async () => {
    const s = services();
    const a = decided({ session: 's1', tool: 'Bash', decision: 'allow', source: 'rule' });
    const b = decided({ session: 's1', tool: 'Write', decision: 'deny', source: 'policy', reason: 'outside the shared folders' });
    const c = decided({ session: 's2', tool: 'Read', decision: 'deny', source: 'user' });
    await record(s, a, b, c);
    // A forged decision written straight into the journal: untagged, after tagged lines.
    const segment = readdirSync(join(dataDir, 'journal')).find((f) => f.endsWith('.jsonl'))!;
    const forged = decided({ session: 's1', tool: 'Bash', decision: 'allow', source: 'user' });
    appendFileSync(join(dataDir, 'journal', segment), `${JSON.stringify({ v: 1, ...forged })}\n`);
    const t = store(s);
    expect(ids(t.query({ limit: 100 }))).toEqual(ids([a, b, c]));
    expect(ids(t.query({ session: 's1', limit: 100 }))).toEqual(ids([a, b]));
    expect(ids(t.query({ decision: 'deny', limit: 100 }))).toEqual(ids([b, c]));
    expect(ids(t.query({ decision: 'ask', limit: 100 }))).toEqual(ids([c]));
    expect(ids(t.query({ text: 'shared folders', limit: 100 }))).toEqual(ids([b]));
    expect(t.query({ limit: 100 })[1]).toMatchObject({ name: 'approval.decided', attributes: { decision: 'deny', 'decision.source': 'policy', tool_name: 'Write' } });
  });

  it('follows the journal incrementally, and rebuilds when the store or the journal is gone', async () => {
    const s = services();
    const a = decided({ session: 's1', tool: 'Bash', decision: 'allow', source: 'rule' });
    await record(s, a);
    const t = store(s);
    expect(t.catchUp()).toMatchObject({ indexed: 1, rebuilt: false });
    const b = decided({ session: 's1', tool: 'Edit', decision: 'deny', source: 'user' });
    await record(s, b);
    expect(t.catchUp()).toMatchObject({ indexed: 1, rebuilt: false });
    expect(t.catchUp()).toMatchObject({ indexed: 0, rebuilt: false });
    t.close();

    // The store deleted: made again from the journal.
    rmSync(join(dataDir, TIMELINE_FILE));
    const again = store(s);
    expect(again.catchUp()).toMatchObject({ indexed: 2 });
    expect(ids(again.query({ limit: 10 }))).toEqual(ids([a, b]));
    again.close();
    await s.close(0);

    // The journal deleted and started again: the recorded position no longer matches, so the store
    // is rebuilt from what the journal now holds (nothing of the old journal survives in it).
    for (const f of readdirSync(join(dataDir, 'journal'))) if (f.endsWith('.jsonl')) rmSync(join(dataDir, 'journal', f));
    const s2 = services();
    const c = decided({ session: 's3', tool: 'Read', decision: 'allow', source: 'user' });
    await record(s2, c);
    const third = store(s2);
    expect(third.catchUp()).toMatchObject({ rebuilt: true, indexed: 1 });
    expect(ids(third.query({ limit: 10 }))).toEqual(ids([c]));
  });

  it('keeps the retention: older events are not indexed, and indexed ones are pruned when it shrinks', async () => {
    const s = services();
    const old = decided({ session: 's1', tool: 'Bash', decision: 'allow', source: 'rule', time: Date.now() - 40 * DAY });
    const middle = decided({ session: 's1', tool: 'Bash', decision: 'deny', source: 'user', time: Date.now() - 10 * DAY });
    const recent = decided({ session: 's1', tool: 'Bash', decision: 'allow', source: 'user' });
    await record(s, old, middle, recent);
    let days = 30;
    const t = new TimelineStoreService({ dataDir, journal: s.evidence.journal, retentionDays: () => days, now: () => Date.now() });
    stores.push(t);
    expect(ids(t.query({ limit: 10 }))).toEqual(ids([middle, recent]));
    days = 5;
    // A turn of the follower (one batch) that indexes what is new and reaches the end prunes too:
    // under a steady stream of appends, there is no other turn.
    const newer = decided({ session: 's1', tool: 'Bash', decision: 'allow', source: 'user' });
    await record(s, newer);
    expect(t.catchUp(1, 500)).toMatchObject({ indexed: 1, pruned: 1, done: true });
    expect(ids(t.query({ limit: 10 }))).toEqual(ids([recent, newer]));
  });

  it('forgets the folder keys of pruned events: the folder filter finds nothing there, at once', async () => {
    const s = services();
    const old = decided({ session: 's1', tool: 'Bash', decision: 'allow', source: 'rule', time: Date.now() - 10 * DAY, cwd: '/work/old' });
    // Pruned too, but its folder is still another row's.
    const oldOfNew = decided({ session: 's1', tool: 'Bash', decision: 'deny', source: 'rule', time: Date.now() - 9 * DAY, cwd: '/work/new' });
    const recent = decided({ session: 's1', tool: 'Bash', decision: 'allow', source: 'user', cwd: '/work/new' });
    await record(s, old, oldOfNew, recent);
    let days = 30;
    const t = new TimelineStoreService({ dataDir, journal: s.evidence.journal, retentionDays: () => days, now: () => Date.now() });
    stores.push(t);
    const keys = (): string[] => {
      const db = new (loadSqlite().DatabaseSync)(join(dataDir, TIMELINE_FILE), { readOnly: true });
      const found = (db.prepare('SELECT key FROM folders ORDER BY key').all() as { key: string }[]).map((r) => r.key);
      db.close();
      return found;
    };
    expect(ids(t.query({ folder: '/work', limit: 10 }))).toEqual(ids([old, oldOfNew, recent]));
    expect(keys()).toEqual(['/work/new', '/work/old']);
    days = 5;
    expect(t.catchUp()).toMatchObject({ pruned: 2 });
    expect(keys()).toEqual(['/work/new']);
    expect(ids(t.query({ folder: '/work/new', limit: 10 }))).toEqual(ids([recent]));
    expect(ids(t.query({ folder: '/work/old', limit: 10 }))).toEqual([]);
  });

  it('makes a store of the earlier schema again from the journal; opened read-only, says why it cannot', async () => {
    const s = services();
    const a = decided({ session: 's1', tool: 'Bash', decision: 'allow', source: 'rule', cwd: '/work/a' });
    await record(s, a);
    // The first schema's store: no folder keys, version 1, an event in it the journal does not hold.
    const { DatabaseSync } = loadSqlite();
    const v1 = new DatabaseSync(join(dataDir, TIMELINE_FILE));
    v1.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE events (rowid INTEGER PRIMARY KEY, event_id TEXT NOT NULL, time INTEGER NOT NULL, name TEXT NOT NULL, session TEXT, tool TEXT, decision TEXT, asked INTEGER NOT NULL DEFAULT 0, decided_by TEXT, cwd TEXT, text TEXT NOT NULL, json TEXT NOT NULL);
      INSERT INTO events (event_id, time, name, cwd, text, json) VALUES ('stale', 1, 'x', '/work/a', 'x', '{}');
      PRAGMA user_version = 1;`);
    v1.close();
    const readOnly = () => new TimelineStoreService({ dataDir, journal: s.evidence.journal, retentionDays: () => 90, now: () => Date.now(), readOnly: true });
    expect(readOnly).toThrow(/timeline store is of another version \(1, this one reads 2\)/);
    // Made again in the same file (another process may have it open), not deleted and made anew.
    const inode = statSync(join(dataDir, TIMELINE_FILE)).ino;
    const t = store(s);
    expect(statSync(join(dataDir, TIMELINE_FILE)).ino).toBe(inode);
    expect(ids(t.query({ folder: '/work/a', limit: 10 }))).toEqual(ids([a]));
    stores.push(readOnly());
    expect(ids(stores.at(-1)!.query({ folder: '/work', limit: 10 }))).toEqual(ids([a]));
  });

  it('follows appends while the core runs', async () => {
    const s = services();
    const t = store(s);
    const errors: unknown[] = [];
    t.follow((e) => errors.push(e), 10);
    await record(s, decided({ session: 's1', tool: 'Bash', decision: 'allow', source: 'rule' }));
    await vi.waitFor(() => expect(t.count()).toBe(1), { timeout: 5000 });
    expect(errors).toEqual([]);
  });
});

describe('timeline in the running core', () => {
  it('indexes what the core records as it records it', async () => {
    // startTestCore shares a folder: its scope.changed event reaches the store without any query.
    const t = await startTestCore();
    try {
      // From the TypeScript sources there is no built worker: the main thread follows, and says why
      // (the worker itself: timeline-follower-worker.test.ts, over dist/).
      expect(t.core.timelineFollowing).toEqual({ mode: 'main-thread', reason: expect.stringMatching(/no built worker at .*timeline-follower-worker\.js \(running from TypeScript sources\)/) });
      const { DatabaseSync } = loadSqlite();
      await vi.waitFor(
        () => {
          const db = new DatabaseSync(join(t.dataDir, TIMELINE_FILE), { readOnly: true });
          try {
            expect(db.prepare("SELECT count(*) AS n FROM events WHERE name = 'scope.changed'").get()).toEqual({ n: 1 });
          } finally {
            db.close();
          }
        },
        { timeout: 10_000, interval: 100 },
      );
    } finally {
      await t.dispose();
    }
  });
});

describe('the Timeline view’s calls', () => {
  const deps = (t: TimelineStoreService | undefined): TimelineUiDeps => ({ store: t, unavailable: 'no node:sqlite here', resource: () => ({ 'service.name': 'cowork-companion' }), scopeName: 'cowork-companion', now: () => Date.now() });

  it('indexes a bounded number of events per call while the store is being built: the list says so; a story and an export refuse', async () => {
    const s = services();
    const events = Array.from({ length: 1200 }, (_, i) => decided({ session: 'sess-big', tool: 'Read', decision: 'allow', source: 'policy', time: Date.now() - 60_000 + i }));
    await record(s, ...events);
    // As the running core's store: at most 300 events indexed per call (the follower does the rest).
    const t = new TimelineStoreService({ dataDir, journal: s.evidence.journal, retentionDays: () => 90, now: () => Date.now(), catchUpLimit: 300 });
    stores.push(t);
    const h = timelineHandlers(deps(t));
    const first = uiContract.timelineQuery.response.parse(h.timelineQuery({ filter: {}, limit: 10 }));
    expect(first).toMatchObject({ available: true, indexing: true });
    expect(t.count()).toBe(300);
    // Indexed oldest first: what is missing is the newest.
    expect(first.available && first.rows[0]!.eventId).toBe(events[299]!.eventId);
    const refused = { code: 'timeline_indexing', message: expect.stringMatching(/still being built from the evidence journal/) };
    expect(() => h.timelineRun({ sessionId: 'sess-big' })).toThrow(expect.objectContaining(refused));
    expect(() => h.timelineExport({ filter: {}, format: 'json' })).toThrow(expect.objectContaining(refused));
    expect(t.count()).toBe(900);
    // The next call indexes the rest and finds the journal's end: whole again.
    const last = uiContract.timelineQuery.response.parse(h.timelineQuery({ filter: {}, limit: 10 }));
    expect(t.count()).toBe(1200);
    expect(last).not.toHaveProperty('indexing');
    expect(last.available && last.rows[0]!.eventId).toBe(events[1199]!.eventId);
    expect((h.timelineRun({ sessionId: 'sess-big' }) as { steps: unknown[] }).steps.length).toBeGreaterThan(0);
  });

  it('pages newest first to the oldest, each event once, equal times included; a run as its story; an export', async () => {
    const s = services();
    const t0 = Date.now() - 60_000;
    // 250 events, many sharing a millisecond: a page boundary falls inside a run of equal times.
    const events = Array.from({ length: 250 }, (_, i) => decided({ session: i % 2 ? 'sess-odd' : 'sess-even', tool: 'Read', decision: 'allow', source: 'policy', time: t0 + Math.floor(i / 40) }));
    await record(s, ...events);
    const h = timelineHandlers(deps(store(s)));
    const seen: string[] = [];
    let before: string | undefined;
    let pages = 0;
    for (;;) {
      const page = uiContract.timelineQuery.response.parse(h.timelineQuery({ filter: {}, limit: 100, ...(before ? { before } : {}) }));
      if (!page.available) throw new Error('unavailable');
      pages++;
      seen.push(...page.rows.map((r) => r.eventId));
      if (!page.older) break;
      before = page.older;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(ids(events).reverse());

    const story = uiContract.timelineRun.response.parse(h.timelineRun({ sessionId: 'sess-odd' }));
    expect(story.truncated).toBe(false);
    expect(story.steps.map((x) => x.eventId)).toEqual(ids(events.filter((_, i) => i % 2)));
    expect(story.steps[0]).toMatchObject({ kind: 'decision', decision: 'allow', decidedBy: 'policy', attributes: { 'session.id': 'sess-odd' } });
    expect(h.timelineRun({ sessionId: 'nobody' })).toEqual({ sessionId: 'nobody', steps: [], truncated: false });

    const file = uiContract.timelineExport.response.parse(h.timelineExport({ filter: { sessionId: 'sess-even' }, format: 'json' }));
    expect(file).toMatchObject({ count: 125, truncated: false, max: 10_000, mimeType: 'application/json' });
    expect(file.fileName).toMatch(/^timeline-run-sess-eve-.*\.json$/);
    expect((JSON.parse(file.content) as { events: { eventId: string }[] }).events.map((e) => e.eventId)).toEqual(ids(events.filter((_, i) => i % 2 === 0)));
  });

  it('caps a story and an export by size, not only by count: oversized relayed agent records', async () => {
    const s = services();
    const t0 = Date.now() - 60_000;
    // As the relay keeps them at most: 128 attributes of 8192 characters (~1 MB each).
    const big = (i: number): EvidenceEvent => {
      const attributes: Record<string, string> = { 'session.id': 'sess-big', 'event.name': 'claude_code.tool_result', 'relay.source': 'claude-code' };
      for (let k = 0; k < 125; k++) attributes[`tool_output_${k}`] = String.fromCharCode(97 + (k % 26)).repeat(8192);
      return newEvidenceEvent(EVENT_NAMES.agentLog, t0 + i, attributes as Parameters<typeof newEvidenceEvent<typeof EVENT_NAMES.agentLog>>[2]);
    };
    const events = Array.from({ length: 24 }, (_, i) => big(i));
    await record(s, ...events);
    const h = timelineHandlers(deps(store(s)));

    const story = uiContract.timelineRun.response.parse(h.timelineRun({ sessionId: 'sess-big' }));
    expect(story.truncated).toBe(true);
    // The newest that fit in the byte budget, oldest first; each long value cut for the screen.
    const perEvent = Buffer.byteLength(JSON.stringify(events[0]));
    expect(story.steps.length).toBe(Math.floor(TIMELINE_RUN_MAX_BYTES / perEvent));
    expect(story.steps.map((x) => x.eventId)).toEqual(ids(events.slice(-story.steps.length)));
    expect(String(story.steps[0]?.attributes['tool_output_0'])).toMatch(/^a{2000}…\[truncated 6192 chars\]$/);
    expect(JSON.stringify(story).length).toBeLessThan(TIMELINE_RUN_MAX_BYTES);

    const file = uiContract.timelineExport.response.parse(h.timelineExport({ filter: { sessionId: 'sess-big' }, format: 'otlp-json' }));
    expect(file.truncated).toBe(true);
    expect(file.count).toBe(Math.floor(TIMELINE_EXPORT_MAX_BYTES / perEvent));
    expect(file.content.length).toBeLessThan(2 * TIMELINE_EXPORT_MAX_BYTES);
    // The export keeps the whole values.
    expect(file.content).toContain(`"${'b'.repeat(8192)}"`);
    const all = uiContract.timelineExport.response.parse(h.timelineExport({ filter: { sessionId: 'sess-big', since: t0 + 20 }, format: 'json' }));
    expect(all).toMatchObject({ count: 4, truncated: false });
    // The list reads only the attributes a row shows: the same rows, without the megabytes.
    const list = uiContract.timelineQuery.response.parse(h.timelineQuery({ filter: { sessionId: 'sess-big' }, limit: 100 }));
    if (!list.available) throw new Error('unavailable');
    expect(list.rows).toEqual(events.map(timelineRowView).reverse());
    const picked = store(s).page({ session: 'sess-big', limit: 1 }, ROW_ATTRIBUTES);
    expect(JSON.stringify(picked[0]!.event).length).toBeLessThan(1000);
  });

  it('without a store: the list says why, the story and export refuse with a clear error', () => {
    const h = timelineHandlers(deps(undefined));
    expect(h.timelineQuery({ filter: {}, limit: 100 })).toEqual({ available: false, reason: 'no node:sqlite here' });
    expect(() => h.timelineRun({ sessionId: 's' })).toThrow(CoreError);
    expect(() => h.timelineExport({ filter: {}, format: 'csv' })).toThrow(/The timeline is not available: no node:sqlite here/);
  });
});

describe('cowork-companion timeline (built CLI)', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, 'timeline', '--data-dir', dataDir, ...args], { encoding: 'utf8', env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: '' } });

  it('prints one line per event, or one JSON array of events with the schema attribute names', async () => {
    expect(existsSync(CLI), 'run npm run build:core first').toBe(true);
    const s = services();
    const a = decided({ session: 'sess-1', tool: 'Bash', decision: 'allow', source: 'rule', reason: 'remembered rule' });
    const b = decided({ session: 'sess-1', tool: 'Write', decision: 'deny', source: 'user', reason: 'not this file\nsecond line' });
    const c = decided({ session: 'sess-2', tool: 'Read', decision: 'allow', source: 'policy' });
    await record(s, a, b, c);
    await s.close(0);
    opened = [];

    const json = cli('--session', 'sess-1', '--json');
    expect(json.stderr).toBe('');
    expect(json.status).toBe(0);
    const events = JSON.parse(json.stdout) as { eventId: string; name: string; time: string; attributes: Record<string, unknown> }[];
    expect(events.map((e) => e.eventId)).toEqual(ids([a, b]));
    expect(events[1]).toMatchObject({ name: 'approval.decided', attributes: { 'session.id': 'sess-1', tool_name: 'Write', decision: 'deny', 'decision.source': 'user' } });
    expect(new Date(events[1]!.time).getTime()).toBe(b.time);

    const human = cli('--since', '1h', '--decision', 'deny');
    expect(human.status).toBe(0);
    expect(human.stderr).toBe('');
    const lines = human.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('approval.decided  deny by user  Write  session sess-1');
    expect(lines[0]).toContain('not this file second line');

    expect(cli('--text', 'remembered', '--json').stdout).toContain(a.eventId);
    expect(cli('--session', 'nobody').stdout).toBe('No events match.\n');
    expect(cli('--until', '2000-01-01', '--json').stdout).toBe('[]\n');
    expect(cli('--limit', '1', '--json').stdout).toContain(c.eventId);

    // Who decided, and a folder (the working folder at or below it; `decided` records /work/project).
    expect((JSON.parse(cli('--decided-by', 'user', '--json').stdout) as { eventId: string }[]).map((e) => e.eventId)).toEqual(ids([b]));
    expect(cli('--folder', '/work', '--json').stdout).toContain(c.eventId);
    expect(cli('--folder', '/work/proj', '--json').stdout).toBe('[]\n');
    expect(cli('--decided-by', 'robot').stderr).toContain('--decided-by must be one of user, policy, timeout, rule');

    const bad = cli('--decision', 'maybe');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('--decision must be one of allow, deny, ask, hold');
    expect(cli('--since', 'yesterdayish').stderr).toContain('--since must be a duration');
    // Eight CLI processes, each a Node start and a journal read: not a timing assertion.
  }, 120_000);
});
