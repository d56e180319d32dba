// The timeline's columns of an event and the SQL of its filters: run against a real in-memory store
// so a filter that builds valid SQL but selects the wrong rows fails.
import { describe, expect, it } from 'vitest';
import {
  folderForms,
  ftsQuery,
  insertValues,
  loadSqlite,
  MAX_FOLDER_BRANCHES,
  resolveFolder,
  TIMELINE_INSERT,
  TIMELINE_SCHEMA,
  timelineQuery,
  timelineRow,
  type TimelineFilter,
  type TimelinePaths,
} from '../../electron/core/timeline/index.js';
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

/** An in-memory store of the real schema holding `events` (folder keys made for `platform`). */
function memoryStore(events: readonly EvidenceEvent[], platform?: NodeJS.Platform, limits?: Parameters<typeof resolveFolder>[3]) {
  const { DatabaseSync } = loadSqlite();
  const db = new DatabaseSync(':memory:');
  db.exec(TIMELINE_SCHEMA);
  const insert = db.prepare(TIMELINE_INSERT);
  db.exec('BEGIN');
  for (const e of events) insert.run(...insertValues(timelineRow(e, platform)));
  db.exec('COMMIT');
  /** As the store service does: the folder's keys first, then the query. */
  const sqlOf = (f: Partial<TimelineFilter>, paths: TimelinePaths = { platform }) => {
    const filter = { limit: 100, ...f };
    return timelineQuery(filter, resolveFolder(filter, paths, (q) => db.prepare(q.sql).all(...q.params), limits));
  };
  const rows = (f: Partial<TimelineFilter>, paths?: TimelinePaths) => {
    const { sql, params } = sqlOf(f, paths);
    return db.prepare(sql).all(...params) as { rowid: number; time: number; json: string }[];
  };
  const ids = (f: Partial<TimelineFilter>, paths?: TimelinePaths): string[] => rows(f, paths).map((r) => (JSON.parse(r.json) as EvidenceEvent).eventId).reverse();
  return { db, sqlOf, rows, ids };
}

function store() {
  const { rows, ids } = memoryStore(EVENTS);
  pageOf = (f) => rows(f).map((r) => ({ id: (JSON.parse(r.json) as EvidenceEvent).eventId, rowid: r.rowid, time: r.time }));
  return (f: Partial<TimelineFilter>): string[] => ids(f);
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
  const run = (folder: string, paths: TimelinePaths): string[] => {
    const { db, ids } = memoryStore(HOME_EVENTS, paths.platform);
    const found = ids({ folder }, paths);
    db.close();
    return found;
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

  it('a UNC path compares without case, stored with its slashes repeated or typed with them', () => {
    const unc = [ev('u1', 'approval.requested', 1000, { 'session.id': 'u', cwd: '///Srv/Share/Proj' }), ev('u2', 'approval.requested', 2000, { 'session.id': 'u', cwd: '\\\\srv\\share\\proj\\src' })];
    const { db, ids } = memoryStore(unc, 'linux');
    expect(ids({ folder: '//SRV/share/Proj' }, { platform: 'linux' })).toEqual(['u1', 'u2']);
    expect(ids({ folder: '\\\\srv\\share' }, { platform: 'linux' })).toEqual(['u1', 'u2']);
    db.close();
  });

  it('a root folder is every event', () => {
    expect(run('/', { home: '/Users/me', platform: 'linux' })).toEqual(['h1', 'h2', 'h3', 'h4']);
    expect(run('C:\\', { platform: 'win32' })).toEqual(['h1', 'h2', 'h3', 'h4']);
    expect(folderForms('//')).toBeUndefined();
    expect(resolveFolder({ limit: 1, folder: 'C:\\' }, {}, () => [])).toBeUndefined();
  });
});

describe('folder filter: the keys under a folder, then each key through its own index', () => {
  // Working folders under a few roots (a sibling sharing a start among them), with changed files.
  const FOLDERS = ['/w/a', '/w/a/x', '/w/a/x/y', '/w/ab', '/w/b', '/v/a', '/w/A'];
  const TOOLS = ['Bash', 'Read', 'Write'];
  const DECISIONS = ['allow', 'deny'];
  let seed = 7;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const MANY = Array.from({ length: 600 }, (_, i) => {
    // The first events are a folder's whose runs are long over (a walk from the newest would pass every other).
    if (i < 12) return decided(`m${i}`, 100 + i, { session: 's9', tool: TOOLS[i % 3]!, decision: DECISIONS[i % 2]!, source: 'rule', cwd: `/old/p${i % 3}` });
    const cwd = FOLDERS[random(FOLDERS.length)]!;
    // Equal times now and then: the order among them is the journal's.
    const time = 1000 + i - (i % 3 === 0 ? 1 : 0);
    if (i % 11 === 0) return ev(`m${i}`, 'file.out_of_scope', time, { 'session.id': `s${i % 4}`, cwd, 'file.path': `${FOLDERS[random(FOLDERS.length)]}/f${i}.txt` });
    return decided(`m${i}`, time, { session: `s${i % 4}`, tool: TOOLS[random(3)]!, decision: DECISIONS[random(2)]!, source: 'rule', cwd });
  });
  const under = (path: unknown, typed: string): boolean => {
    const folder = typed.replace(/\/+$/, '');
    return typeof path === 'string' && (path === folder || path.startsWith(`${folder}/`));
  };
  /** What the filter means, event by event: the newest `limit` that match, shown oldest first. */
  const naive = (f: Partial<TimelineFilter> & { folder: string }): string[] =>
    MANY.filter(
      (e) =>
        (under(e.attributes['cwd'], f.folder) || (e.name === 'file.out_of_scope' && under(e.attributes['file.path'], f.folder))) &&
        (f.tool === undefined || e.attributes['tool_name'] === f.tool) &&
        (f.decision === undefined || e.attributes['decision'] === f.decision) &&
        (f.session === undefined || e.attributes['session.id'] === f.session) &&
        (f.since === undefined || e.time >= f.since),
    )
      .map((e, i) => ({ e, i }))
      .sort((p, q) => q.e.time - p.e.time || q.i - p.i)
      .slice(0, f.limit ?? 100)
      .map((p) => p.e.eventId)
      .reverse();

  // Each way of reading a folder: a walk per key; many keys on few rows; many keys on many rows.
  const WAYS: Record<string, { branches: number; denseRows?: number }> = { 'a walk per key': { branches: 1000 }, 'the keys’ rows, sorted': { branches: 0, denseRows: 1e9 }, 'the time index, each row tested': { branches: 0, denseRows: 0 } };

  it.each(Object.entries(WAYS))('matches what the filter means, with every other filter and limit (%s)', (_, limits) => {
    const { db, sqlOf, ids } = memoryStore(MANY, 'linux', limits);
    const cases: (Partial<TimelineFilter> & { folder: string })[] = [
      { folder: '/w/a' },
      { folder: '/w/a', limit: 7 },
      { folder: '/w/a/x', tool: 'Write' },
      { folder: '/w', decision: 'deny', limit: 20 },
      { folder: '/w/a', session: 's2', since: 1300 },
      { folder: '/w/A' },
      { folder: '/w/ab/' },
      { folder: '/v' },
      { folder: '/nothing/here' },
      { folder: '/old' },
      { folder: '/old', tool: 'Read', limit: 3 },
    ];
    for (const f of cases) expect(ids(f), JSON.stringify(f)).toEqual(naive(f));
    // Each way is the one taken.
    const { sql } = sqlOf({ folder: '/w' });
    expect(sql.includes(' UNION SELECT rowid, time FROM ('), 'a walk per key').toBe(limits.branches > 0);
    expect(sql.includes('e.rowid IN (SELECT rowid FROM events INDEXED BY'), 'rows of the keys').toBe(limits.branches === 0 && limits.denseRows !== 0);
    expect(sql.includes('e.time <= ? AND (+e.cwd_key IN ('), 'each row tested, from the newest under it').toBe(limits.branches === 0 && limits.denseRows === 0);
    db.close();
  });

  it('pages a folder backwards from a cursor with no row twice or left out', () => {
    const { db, rows } = memoryStore(MANY, 'linux');
    const seen: string[] = [];
    let before: TimelineFilter['before'];
    for (let i = 0; i < 100; i++) {
      const page = rows({ folder: '/w/a', limit: 9, ...(before ? { before } : {}) });
      if (page.length === 0) break;
      seen.push(...page.map((r) => (JSON.parse(r.json) as EvidenceEvent).eventId));
      before = { time: page.at(-1)!.time, rowid: page.at(-1)!.rowid };
    }
    expect(seen).toEqual(naive({ folder: '/w/a', limit: 1000 }).reverse());
    db.close();
  });

  it('reads no row outside a folder of a few keys: each key through its own index, no scan', () => {
    const few = [
      decided('f1', 1000, { session: 's', tool: 'Read', decision: 'deny', source: 'rule', cwd: '/p/a' }),
      decided('f2', 1001, { session: 's', tool: 'Read', decision: 'allow', source: 'rule', cwd: '/p/a/b' }),
      ev('f3', 'file.out_of_scope', 1002, { 'session.id': 's', cwd: '/q', 'file.path': '/p/c.txt' }),
      decided('f4', 1003, { session: 's', tool: 'Read', decision: 'deny', source: 'rule', cwd: '/q' }),
    ];
    const { db, sqlOf, ids } = memoryStore(few, 'linux');
    const { sql, params } = sqlOf({ folder: '/p', decision: 'deny' });
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((p) => p.detail);
    expect(plan.filter((d) => /USING INDEX events_(cwd|file_folder)_key/.test(d))).toHaveLength(3);
    expect(plan.join('; ')).not.toMatch(/SCAN e\b|events_time|events_decision/);
    expect(ids({ folder: '/p', decision: 'deny' })).toEqual(['f1']);
    expect(ids({ folder: '/p' })).toEqual(['f1', 'f2', 'f3']);
    db.close();
  });

  it('a changed file under the folder from a working folder under it too is one row', () => {
    const both = [ev('b1', 'file.out_of_scope', 1000, { 'session.id': 's', cwd: '/p/q', 'file.path': '/p/q/r.txt' })];
    const { db, ids } = memoryStore(both, 'linux');
    expect(ids({ folder: '/p' })).toEqual(['b1']);
    db.close();
  });

  it('with words, or more keys than branches, tests each row against the keys: the same rows', () => {
    const wide = Array.from({ length: MAX_FOLDER_BRANCHES + 5 }, (_, i) => decided(`k${i}`, 1000 + i, { session: 's', tool: 'Read', decision: 'allow', source: 'rule', cwd: `/wide/d${i}` }));
    const { db, sqlOf, ids } = memoryStore([...wide, ...EVENTS], 'linux');
    expect(sqlOf({ folder: '/wide' }).sql).not.toContain(' UNION SELECT rowid, time FROM (');
    expect(ids({ folder: '/wide', limit: 1000 })).toEqual(wide.map((e) => e.eventId));
    expect(ids({ folder: '/wide/d3' })).toEqual(['k3']);
    expect(ids({ folder: '/work', text: 'ssh' })).toEqual(['e3']);
    expect(ids({ folder: '/work/project-b', text: 'notes' })).toEqual(['e7']);
    expect(ids({ folder: '/nowhere', text: 'ssh' })).toEqual([]);
    db.close();
  });

  it('a run or words lead, the folder only tested; a folder of tens of thousands of folders binds none of them', () => {
    const { db, sqlOf, ids } = memoryStore(MANY, 'linux');
    const { sql, params } = sqlOf({ folder: '/w', session: 's1' });
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((p) => p.detail).join('; ');
    expect(plan).toMatch(/SEARCH e USING INDEX events_session/);
    expect(plan).not.toMatch(/events_cwd_key|events_file_folder_key/);
    expect(ids({ folder: '/w', session: 's1' })).toEqual(naive({ folder: '/w', session: 's1' }));
    db.close();
    // More folders under one than SQLite takes variables (32,766), each with an event, and a changed file.
    const wide = Array.from({ length: 33_000 }, (_, i) =>
      i % 2 ? ev(`w${i}`, 'approval.requested', 1000 + i, { cwd: `/wide/d${i}` }) : ev(`w${i}`, 'file.out_of_scope', 1000 + i, { 'file.path': `/wide/f/d${i}/x.txt` }),
    );
    const way: { branches?: number; denseRows?: number } = {};
    const big = memoryStore(wide, 'linux', way);
    for (const limits of Object.values(WAYS)) {
      Object.assign(way, { branches: limits.branches, denseRows: limits.denseRows });
      expect(big.ids({ folder: '/wide', limit: 3 })).toEqual(['w32997', 'w32998', 'w32999']);
      expect(big.ids({ folder: '/wide/f', limit: 2, decision: 'deny' })).toEqual([]);
    }
    big.db.close();
  });

  it('a folder key of a column the store does not have (an edited store) is left out, not run', () => {
    const { db, ids } = memoryStore(MANY, 'linux');
    db.prepare('INSERT INTO folders (column_name, key) VALUES (?, ?), (?, ?)').run('constructor', '/w/zz', 'json', '/w/zz');
    expect(ids({ folder: '/w/zz' })).toEqual([]);
    expect(ids({ folder: '/w/a' })).toEqual(naive({ folder: '/w/a' }));
    db.close();
  });

  it('refuses to query a folder whose keys were not looked up (it would match every event)', () => {
    expect(() => timelineQuery({ limit: 10, folder: '/w' })).toThrow(/resolveFolder/);
    expect(timelineQuery({ limit: 10, folder: '/' }).sql).not.toContain('cwd_key');
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
    const { db, sqlOf, ids } = memoryStore(RUNS);
    const { sql, params } = sqlOf({ session });
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((p) => p.detail).join('; ');
    expect(plan).toMatch(/SEARCH e USING INDEX events_session \(session[<>=]/);
    const found = ids({ session });
    db.close();
    return found;
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
