// The timeline's columns of an event and the SQL of its filters: run against a real in-memory store
// so a filter that builds valid SQL but selects the wrong rows fails.
import { describe, expect, it } from 'vitest';
import { folderForms, ftsQuery, loadSqlite, timelineQuery, timelineRow, type TimelineFilter } from '../../electron/core/timeline/index.js';
import type { EvidenceEvent } from '../../electron/core/evidence/index.js';

const ev = (eventId: string, name: string, time: number, attributes: Record<string, string | number | boolean>): EvidenceEvent =>
  ({ eventId, name, time, attributes: { 'event.id': eventId, ...attributes } }) as EvidenceEvent;

const decided = (id: string, time: number, o: { session: string; tool: string; decision: string; source: string; reason?: string; cwd?: string }): EvidenceEvent =>
  ev(id, 'approval.decided', time, {
    'session.id': o.session,
    tool_name: o.tool,
    decision: o.decision,
    'decision.source': o.source,
    'decision.reason': o.reason ?? 'because',
    cwd: o.cwd ?? '/work/project',
    'approval.id': `a-${id}`,
    hook_event_name: 'PreToolUse',
    'decision.latency_ms': 5,
  });

const EVENTS: EvidenceEvent[] = [
  ev('e1', 'approval.requested', 1000, { 'session.id': 's1', tool_name: 'Bash', cwd: '/work/project', 'approval.id': 'a-e2', hook_event_name: 'PreToolUse' }),
  decided('e2', 1001, { session: 's1', tool: 'Bash', decision: 'allow', source: 'rule', reason: 'remembered rule git status' }),
  decided('e3', 2000, { session: 's1', tool: 'Write', decision: 'deny', source: 'policy', reason: 'outside the shared folders: ~/.ssh/id_rsa' }),
  decided('e4', 3000, { session: 's2', tool: 'mcp__github__create_issue', decision: 'deny', source: 'user', cwd: '/other' }),
  ev('e5', 'approval.held', 4000, { 'session.id': 's2', tool_name: 'Edit', decision: 'hold', 'decision.source': 'timeout', 'decision.reason': 'nobody answered' }),
  ev('e6', 'scope.changed', 5000, { 'scope.action': 'add', 'scope.path': '/work/project', 'scope.mode': 'read-write' }),
  ev('e7', 'file.out_of_scope', 5000, { 'session.id': 's3', 'file.path': '/work/project-b/notes.txt', 'file.change': 'modified', 'scope.violation': 'outside' }),
  ev('e8', 'file.out_of_scope', 6000, { 'session.id': 's3', 'file.path': 'C:\\work\\project\\a.txt', 'file.change': 'created', 'scope.violation': 'outside' }),
];

let pageOf: (f: Partial<TimelineFilter>) => { id: string; rowid: number; time: number }[] = () => [];

function store() {
  const { DatabaseSync } = loadSqlite();
  const db = new DatabaseSync(':memory:');
  db.exec(`CREATE TABLE events (rowid INTEGER PRIMARY KEY, event_id TEXT UNIQUE, time INTEGER, name TEXT, session TEXT, tool TEXT, decision TEXT, asked INTEGER, decided_by TEXT, cwd TEXT, text TEXT, json TEXT);
    CREATE VIRTUAL TABLE events_fts USING fts5(text, content='events', content_rowid='rowid');`);
  for (const e of EVENTS) {
    const r = timelineRow(e);
    const { lastInsertRowid } = db
      .prepare('INSERT INTO events (event_id, time, name, session, tool, decision, asked, decided_by, cwd, text, json) VALUES (?,?,?,?,?,?,?,?,?,?,?)')
      .run(r.eventId, r.time, r.name, r.session, r.tool, r.decision, r.asked, r.decidedBy, r.cwd, r.text, r.json);
    db.prepare('INSERT INTO events_fts (rowid, text) VALUES (?, ?)').run(lastInsertRowid, r.text);
  }
  const page = (f: Partial<TimelineFilter>): { id: string; rowid: number; time: number }[] => {
    const { sql, params } = timelineQuery({ limit: 100, ...f });
    return (db.prepare(sql).all(...params) as { rowid: number; time: number; json: string }[]).map((r) => ({ id: (JSON.parse(r.json) as EvidenceEvent).eventId, rowid: r.rowid, time: r.time }));
  };
  pageOf = page;
  return (f: Partial<TimelineFilter>): string[] => {
    const { sql, params } = timelineQuery({ limit: 100, ...f });
    return (db.prepare(sql).all(...params) as { json: string }[]).map((r) => (JSON.parse(r.json) as EvidenceEvent).eventId).reverse();
  };
}

describe('timeline rows', () => {
  it('takes the filtered columns from the evidence attributes', () => {
    const r = timelineRow(EVENTS[2]!);
    expect(r).toMatchObject({ eventId: 'e3', time: 2000, name: 'approval.decided', session: 's1', tool: 'Write', decision: 'deny', decidedBy: 'policy', cwd: '/work/project', asked: 0 });
    expect(r.text).toContain('~/.ssh/id_rsa');
    expect(JSON.parse(r.json)).toEqual(EVENTS[2]);
    expect(timelineRow(EVENTS[3]!).asked).toBe(1);
    expect(timelineRow(EVENTS[4]!).asked).toBe(1);
    expect(timelineRow(EVENTS[5]!)).toMatchObject({ session: null, tool: null, decision: null, asked: 0 });
  });
});

describe('timeline query', () => {
  const q = store();
  it('filters by session, tool, time range and decision, in journal order', () => {
    expect(q({ until: 5001 })).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7']);
    expect(q({ session: 's1' })).toEqual(['e1', 'e2', 'e3']);
    expect(q({ tool: 'Bash' })).toEqual(['e1', 'e2']);
    expect(q({ since: 2000, until: 4000 })).toEqual(['e3', 'e4']);
    expect(q({ decision: 'deny' })).toEqual(['e3', 'e4']);
    expect(q({ decision: 'allow', session: 's2' })).toEqual([]);
    expect(q({ decision: 'hold' })).toEqual(['e5']);
    expect(q({ decidedBy: 'policy' })).toEqual(['e3']);
    expect(q({ cwd: '/other' })).toEqual(['e4']);
  });
  it('ask means the requests a person was asked, whatever became of them', () => {
    expect(q({ decision: 'ask' })).toEqual(['e4', 'e5']);
  });
  it('keeps the newest `limit`, still shown oldest first', () => {
    expect(q({ limit: 2 })).toEqual(['e7', 'e8']);
  });
  it('folder: working folders and changed files at or below it, never a sibling with the same start', () => {
    expect(q({ folder: '/work/project' })).toEqual(['e1', 'e2', 'e3']);
    expect(q({ folder: '/work/project/' })).toEqual(['e1', 'e2', 'e3']);
    expect(q({ folder: '/work' })).toEqual(['e1', 'e2', 'e3', 'e7']);
    expect(q({ folder: '/work/project-b' })).toEqual(['e7']);
    expect(q({ folder: 'C:\\work\\project' })).toEqual(['e8']);
    expect(q({ folder: '/work/proj' })).toEqual([]);
    expect(q({ folder: "/x' OR 1=1 --" })).toEqual([]);
  });
  it('pages backwards from a cursor, with no row twice or left out among equal times', () => {
    const all = pageOf({}).map((r) => r.id);
    expect(all).toEqual(['e8', 'e7', 'e6', 'e5', 'e4', 'e3', 'e2', 'e1']);
    const seen: string[] = [];
    let before: TimelineFilter['before'];
    for (let i = 0; i < 10; i++) {
      const rows = pageOf({ limit: 3, ...(before ? { before } : {}) });
      if (rows.length === 0) break;
      seen.push(...rows.map((r) => r.id));
      const last = rows[rows.length - 1]!;
      before = { time: last.time, rowid: last.rowid };
    }
    expect(seen).toEqual(all);
    // With words, journal order: the cursor is the rowid.
    const words = pageOf({ text: 'outside' });
    expect(words.map((r) => r.id)).toEqual(['e8', 'e7', 'e3']);
    expect(pageOf({ text: 'outside', before: { time: 0, rowid: words[1]!.rowid } }).map((r) => r.id)).toEqual(['e3']);
  });
  it('finds words anywhere in the event, all of them, as prefixes', () => {
    expect(q({ text: 'ssh' })).toEqual(['e3']);
    expect(q({ text: 'remembered git' })).toEqual(['e2']);
    expect(q({ text: 'remem' })).toEqual(['e2']);
    expect(q({ text: 'github' })).toEqual(['e4']);
    expect(q({ text: 'remembered ssh' })).toEqual([]);
    expect(q({ text: 'scope.changed' })).toEqual(['e6']);
  });
  it('cannot be given FTS operators or SQL through the words', () => {
    expect(ftsQuery('a" OR "b')).toBe('"a"""* "OR"* """b"*');
    expect(ftsQuery('deny*')).toBe('"deny*"*');
    expect(q({ text: 'a" OR "b' })).toEqual([]);
    expect(q({ text: 'ssh OR github' })).toEqual([]);
    expect(q({ text: "x'); DROP TABLE events; --" })).toEqual([]);
    expect(q({ text: '  ' })).toEqual([]);
    expect(q({})).toHaveLength(8);
  });
});

describe('folder filter: the forms the journal stores', () => {
  const HOME_EVENTS: EvidenceEvent[] = [
    ev('h1', 'approval.requested', 1000, { 'session.id': 'h', cwd: '~/proj/src' }),
    ev('h2', 'approval.requested', 2000, { 'session.id': 'h', cwd: 'C:\\Users\\me\\proj\\src' }),
    ev('h3', 'approval.requested', 3000, { 'session.id': 'h', cwd: '/Users/me/project' }),
    ev('h4', 'file.out_of_scope', 4000, { 'session.id': 'h', 'file.path': '~\\proj\\a.txt' }),
  ];
  const run = (folder: string, paths: { home?: string; platform?: NodeJS.Platform }): string[] => {
    const { DatabaseSync } = loadSqlite();
    const db = new DatabaseSync(':memory:');
    db.exec(`CREATE TABLE events (rowid INTEGER PRIMARY KEY, event_id TEXT, time INTEGER, name TEXT, session TEXT, tool TEXT, decision TEXT, asked INTEGER, decided_by TEXT, cwd TEXT, text TEXT, json TEXT)`);
    for (const e of HOME_EVENTS) {
      const r = timelineRow(e);
      db.prepare('INSERT INTO events (event_id, time, name, session, tool, decision, asked, decided_by, cwd, text, json) VALUES (?,?,?,?,?,?,?,?,?,?,?)').run(r.eventId, r.time, r.name, r.session, r.tool, r.decision, r.asked, r.decidedBy, r.cwd, r.text, r.json);
    }
    const { sql, params } = timelineQuery({ limit: 100, folder }, paths);
    const ids = (db.prepare(sql).all(...params) as { json: string }[]).map((r) => (JSON.parse(r.json) as EvidenceEvent).eventId).reverse();
    db.close();
    return ids;
  };

  it('a folder under the home matches the paths stored as ~ (and typed as ~, the full ones)', () => {
    // Either separator everywhere (a stored Windows path, whatever this machine is).
    expect(run('/Users/me/proj', { home: '/Users/me', platform: 'linux' })).toEqual(['h1', 'h4']);
    expect(run('/Users/me/proj/', { home: '/Users/me/', platform: 'linux' })).toEqual(['h1', 'h4']);
    expect(run('~/project', { home: '/Users/me', platform: 'linux' })).toEqual(['h3']);
    // Without the home, only the form typed.
    expect(run('/Users/me/proj', { platform: 'linux' })).toEqual([]);
  });

  it('Windows: either separator, any case, and the home as ~ with backslashes', () => {
    expect(run('C:/Users/me/proj', { home: 'C:\\Users\\me', platform: 'win32' })).toEqual(['h1', 'h2', 'h4']);
    expect(run('c:\\users\\me\\proj', { home: 'C:\\Users\\me', platform: 'win32' })).toEqual(['h1', 'h2', 'h4']);
    expect(run('c:\\users\\me\\proj', { platform: 'linux' })).toEqual(['h2']);
    expect(run('c:\\users\\me\\pro', { home: 'C:\\Users\\me', platform: 'win32' })).toEqual([]);
  });

  it('macOS compares without case; Linux with it', () => {
    expect(run('/users/ME/Project', { platform: 'darwin' })).toEqual(['h3']);
    expect(run('/users/ME/Project', { platform: 'linux' })).toEqual([]);
  });

  it('a root folder is every event', () => {
    expect(run('/', { home: '/Users/me', platform: 'linux' })).toEqual(['h1', 'h2', 'h3', 'h4']);
    expect(run('C:\\', { platform: 'win32' })).toEqual(['h1', 'h2', 'h3', 'h4']);
    expect(folderForms('//')).toBeUndefined();
  });
});

describe('run filter: a whole id or its start', () => {
  const RUNS: EvidenceEvent[] = [
    ev('r1', 'approval.requested', 1000, { 'session.id': 'abcd1234-0000' }),
    ev('r2', 'approval.requested', 2000, { 'session.id': 'abcd1234-0000-extra' }),
    ev('r3', 'approval.requested', 3000, { 'session.id': 'abcd9999' }),
    ev('r4', 'approval.requested', 4000, { 'session.id': 'abce0000' }),
    ev('r5', 'approval.requested', 5000, { 'session.id': 'ab' }),
  ];
  const run = (session: string): string[] => {
    const { DatabaseSync } = loadSqlite();
    const db = new DatabaseSync(':memory:');
    db.exec(`CREATE TABLE events (rowid INTEGER PRIMARY KEY, event_id TEXT, time INTEGER, name TEXT, session TEXT, tool TEXT, decision TEXT, asked INTEGER, decided_by TEXT, cwd TEXT, text TEXT, json TEXT); CREATE INDEX by_session ON events (session, time);`);
    for (const e of RUNS) {
      const r = timelineRow(e);
      db.prepare('INSERT INTO events (event_id, time, name, session, json) VALUES (?,?,?,?,?)').run(r.eventId, r.time, r.name, r.session, r.json);
    }
    const { sql, params } = timelineQuery({ limit: 100, session });
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((p) => p.detail).join('; ');
    expect(plan).toMatch(/SEARCH e USING INDEX by_session \(session[<>=]/);
    const ids = (db.prepare(sql).all(...params) as { json: string }[]).map((r) => (JSON.parse(r.json) as EvidenceEvent).eventId).reverse();
    db.close();
    return ids;
  };

  it('matches the runs that start with it (4 characters or more), through the session index', () => {
    expect(run('abcd1234')).toEqual(['r1', 'r2']);
    expect(run('abcd')).toEqual(['r1', 'r2', 'r3']);
    expect(run('abc')).toEqual([]);
  });

  it('a whole id that exists matches only itself; a short id only as a whole', () => {
    expect(run('abcd1234-0000')).toEqual(['r1']);
    expect(run('abcd1234-0000-extra')).toEqual(['r2']);
    expect(run('ab')).toEqual(['r5']);
  });
});
