// What a change means (where, which run, which tool call) and how the run manifest adds up. Pure.
import { describe, expect, it } from 'vitest';
import { validateEvidenceAttributes } from '../../shared/evidence-schema.js';
import { newEvidenceEvent } from '../../electron/core/evidence/evidence-event.js';
import {
  attributeChange,
  classifyPath,
  exportManifest,
  matchesTarget,
  newManifestState,
  recordInManifest,
  recordOutOfScope,
  severityOf,
  violationOf,
  worseViolation,
  type ActiveRunView,
  type ObservedChange,
  type PathClass,
} from '../../electron/core/watch/change-attribution-policy.js';
import type { CanonicalPath } from '../../electron/core/paths/path-canonicalizer.js';
import { volumeRulesFor } from '../../electron/core/paths/path-containment-policy.js';
import type { ScopeState } from '../../electron/core/scope/scope-policy.js';

const linux = volumeRulesFor('linux');
const canonicalize = (p: unknown): CanonicalPath => ({ ok: true, path: String(p), exists: true, hardLinked: false, isDirectory: false });
const scope: ScopeState = {
  folders: [
    { path: '/home/dana/proj', mode: 'read-write' },
    { path: '/home/dana/proj/vendor', mode: 'read' },
    { path: '/home/dana/ref', mode: 'read' },
  ],
  forbidden: [{ path: '/home/dana/.ssh', reason: 'SSH keys', canonical: '/home/dana/.ssh' }],
  outOfScope: 'deny',
  mcpPathArguments: {},
  home: '/home/dana',
  volume: linux,
};
const T = 1_700_000_000_000;
const change = (path: string, kind: ObservedChange['kind'] = 'created', extra: Partial<ObservedChange> = {}): ObservedChange => ({ path, kind, type: 'file', at: T, ...extra });

describe('classifyPath and violations', () => {
  it.each([
    ['/home/dana/proj/a.ts', { kind: 'inside', folder: '/home/dana/proj', mode: 'read-write' }, undefined],
    ['/home/dana/proj/vendor/x.js', { kind: 'inside', folder: '/home/dana/proj/vendor', mode: 'read' }, 'read_only'],
    ['/home/dana/ref/spec.md', { kind: 'inside', folder: '/home/dana/ref', mode: 'read' }, 'read_only'],
    ['/home/dana/Documents/a', { kind: 'outside' }, 'outside'],
    ['/home/dana/projects/a', { kind: 'outside' }, 'outside'],
    ['/home/dana/.ssh/id_ed25519', { kind: 'forbidden', reason: 'SSH keys', entry: '/home/dana/.ssh' }, 'forbidden'],
    ['/home/dana/proj/.claude/settings.json', { kind: 'forbidden', reason: expect.stringContaining('agent configuration'), entry: '/home/dana/proj/.claude/settings.json' }, 'forbidden'],
  ])('%s', (path, cls, violation) => {
    const c = classifyPath(path, scope, canonicalize);
    expect(c).toEqual(cls);
    expect(violationOf(c)).toBe(violation);
  });

  it('counts planned folders as scope (a shared folder deleted during the run)', () => {
    const gone: ScopeState = { ...scope, folders: [] };
    expect(classifyPath('/home/dana/proj/a.ts', gone, canonicalize).kind).toBe('outside');
    expect(classifyPath('/home/dana/proj/a.ts', gone, canonicalize, [{ path: '/home/dana/proj', mode: 'read-write' }]).kind).toBe('inside');
  });

  it('ranks violations and their severity', () => {
    expect(worseViolation('outside', 'forbidden')).toBe('forbidden');
    expect(worseViolation('read_only', 'outside')).toBe('read_only');
    expect(worseViolation(undefined, 'outside')).toBe('outside');
    expect(worseViolation(undefined, undefined)).toBeUndefined();
    expect(severityOf('forbidden')).toBe('high');
    expect(severityOf('outside')).toBe('medium');
    expect(severityOf('read_only')).toBe('medium');
  });
});

describe('matchesTarget', () => {
  it.each([
    ['/p/a.ts', 'file', 'modified', '/p/a.ts', true],
    ['/p/dir/x/y', 'file', 'created', '/p/dir', true], // inside a named folder
    ['/p/new', 'directory', 'created', '/p/new/deep/file.ts', true], // parent created for the file
    ['/p/new', 'directory', 'deleted', '/p/new/deep/file.ts', false],
    ['/p/a.ts.tmp.1234', 'file', 'created', '/p/a.ts', true], // temp sibling
    ['/p/.a.ts.swp', 'file', 'created', '/p/a.ts', true],
    ['/p/a.ts~', 'file', 'created', '/p/a.ts', true],
    ['/p/b.ts', 'file', 'created', '/p/a.ts', false],
    ['/q/a.ts.tmp', 'file', 'created', '/p/a.ts', false],
    ['/p/a.tsx', 'file', 'created', '/p/a.ts', false],
  ] as const)('%s vs %s', (path, type, kind, target, expected) => {
    expect(matchesTarget(path, type, kind, target, linux)).toBe(expected);
  });
});

describe('attributeChange', () => {
  const runs: ActiveRunView[] = [
    { sessionId: 's1', promptId: 'p1', cwd: '/home/dana/proj', announced: [{ path: '/tmp/out.txt', toolUseId: 't-old', toolName: 'Write', at: T - 5000 }, { path: '/tmp/out.txt', toolUseId: 't-new', toolName: 'Edit', at: T - 10 }] },
    { sessionId: 's2', announced: [{ path: '/tmp/other', toolUseId: 't2', toolName: 'Bash', at: T }] },
  ];

  it('links to the latest announcing call of the run that announced it, and only that run', () => {
    expect(attributeChange(change('/tmp/out.txt'), runs, linux)).toEqual({ explained: true, runs: [{ sessionId: 's1', promptId: 'p1', cwd: '/home/dana/proj', toolUseId: 't-new', toolName: 'Edit' }] });
  });

  it('gives an unannounced change to every active run, unexplained', () => {
    const a = attributeChange(change('/tmp/nobody.txt'), runs, linux);
    expect(a.explained).toBe(false);
    expect(a.runs.map((r) => [r.sessionId, r.toolUseId])).toEqual([['s1', undefined], ['s2', undefined]]);
  });

  it('matches a rename by its previous path too', () => {
    const a = attributeChange(change('/elsewhere/x', 'renamed', { previousPath: '/tmp/other/x' }), runs, linux);
    expect(a.runs).toEqual([{ sessionId: 's2', toolUseId: 't2', toolName: 'Bash', promptId: undefined, cwd: undefined }]);
  });

  it('with no active run, nobody', () => {
    expect(attributeChange(change('/tmp/x'), [], linux)).toEqual({ explained: false, runs: [] });
  });
});

describe('the run manifest', () => {
  const inside = (folder = '/home/dana/proj'): PathClass => ({ kind: 'inside', folder, mode: 'read-write' });

  it('keeps the net effect per file, with counts', () => {
    const m = newManifestState();
    const rec = (path: string, kind: ObservedChange['kind'], tool?: string) => recordInManifest(m, change(path, kind), { path: inside() }, tool);
    rec('/home/dana/proj/new.ts', 'created', 't1');
    rec('/home/dana/proj/new.ts', 'modified', 't2');
    rec('/home/dana/proj/old.ts', 'modified');
    rec('/home/dana/proj/old.ts', 'deleted');
    rec('/home/dana/proj/tmp.ts', 'created');
    rec('/home/dana/proj/tmp.ts', 'deleted');
    rec('/home/dana/proj/re.ts', 'deleted');
    rec('/home/dana/proj/re.ts', 'created');
    const e = (p: string) => m.entries.get(`/home/dana/proj/${p}`)!;
    expect(e('new.ts')).toMatchObject({ status: 'created', changes: 2, counts: { created: 1, modified: 1 }, toolUseIds: ['t1', 't2'], unexplained: 0 });
    expect(e('old.ts')).toMatchObject({ status: 'deleted', unexplained: 2 });
    expect(e('tmp.ts').status).toBe('transient');
    expect(e('re.ts').status).toBe('modified'); // replaced
  });

  it('records both sides of a rename that are inside the scope, nothing outside', () => {
    const m = newManifestState();
    recordInManifest(m, change('/home/dana/proj/b.ts', 'renamed', { previousPath: '/home/dana/proj/a.ts' }), { path: inside(), previous: inside() }, undefined);
    recordInManifest(m, change('/tmp/c.ts', 'renamed', { previousPath: '/home/dana/proj/b.ts' }), { path: { kind: 'outside' }, previous: inside() }, undefined);
    recordInManifest(m, change('/tmp/d.ts'), { path: { kind: 'outside' } }, undefined);
    expect([...m.entries.values()].map((e) => [e.path, e.status, e.renamedFrom, e.renamedTo])).toEqual([
      ['/home/dana/proj/a.ts', 'deleted', undefined, '/home/dana/proj/b.ts'],
      ['/home/dana/proj/b.ts', 'transient', '/home/dana/proj/a.ts', '/tmp/c.ts'],
    ]);
  });

  it('stops growing at its limit and counts what it dropped', () => {
    const m = newManifestState();
    const limits = { maxEntries: 2, maxOutOfScope: 1 };
    for (let i = 0; i < 5; i++) recordInManifest(m, change(`/home/dana/proj/${i}`), { path: inside() }, undefined, limits);
    recordInManifest(m, change('/home/dana/proj/0', 'modified'), { path: inside() }, undefined, limits); // known: still counted
    for (let i = 0; i < 3; i++) recordOutOfScope(m, { path: `/tmp/${i}`, change: 'created', type: 'file', violation: 'outside', severity: 'medium', at: T }, limits);
    expect(m.entries.size).toBe(2);
    expect(m.dropped).toBe(3);
    expect(m.entries.get('/home/dana/proj/0')!.changes).toBe(2);
    expect(m.outOfScope).toHaveLength(1);
    expect(m.outOfScopeTotal).toBe(3);
  });

  it('exports JSON with totals, ISO times and what it cannot show', () => {
    const m = newManifestState();
    recordInManifest(m, change('/home/dana/proj/b.ts'), { path: inside() }, 't1');
    recordInManifest(m, change('/home/dana/proj/a.ts', 'modified'), { path: inside() }, undefined);
    const j = exportManifest(m, { sessionId: 's1', cwd: '/home/dana/proj', active: false, startedAt: T - 1000, endedAt: T, endReason: 'stop' }, { watched: ['/home/dana/proj'], notWatched: [], excluded: ['node_modules'] });
    expect(j).toMatchObject({
      sessionId: 's1',
      startedAt: new Date(T - 1000).toISOString(),
      endedAt: new Date(T).toISOString(),
      totals: { files: 2, created: 1, modified: 1, deleted: 0, transient: 0, changes: 2, unexplained: 1, outOfScope: 0, dropped: 0 },
    });
    expect(j.files.map((f) => f.path)).toEqual(['/home/dana/proj/a.ts', '/home/dana/proj/b.ts']);
    expect(j.files[0]!.firstAt).toBe(new Date(T).toISOString());
    expect(j.note).toMatch(/Reads are not seen/);
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });
});

describe('file.out_of_scope schema', () => {
  const base = { 'file.path': '/home/dana/Documents/a.txt', 'file.change': 'created' as const, 'session.id': 's1' };
  it('accepts the watcher attributes', () => {
    const e = newEvidenceEvent('file.out_of_scope', T, {
      ...base,
      'file.previous_path': '/home/dana/proj/a.txt',
      'file.type': 'file',
      'scope.violation': 'outside',
      'scope.severity': 'medium',
      tool_use_id: 'toolu_1',
      tool_name: 'Bash',
      'file.attribution': 'tool_call',
      'file.change_id': 'c1',
      'file.active_runs': 2,
      'file.repeats': 4,
    });
    expect(validateEvidenceAttributes(e.name, e.attributes)).toMatchObject({ ok: true });
  });
  it.each([
    ['an unknown severity', { 'scope.severity': 'critical' }],
    ['zero active runs', { 'file.active_runs': 0 }],
    ['zero repeats', { 'file.repeats': 0 }],
    ['an unknown attribution', { 'file.attribution': 'agent' }],
    ['an unknown type', { 'file.type': 'socket' }],
  ])('rejects %s', (_label, extra) => {
    expect(validateEvidenceAttributes('file.out_of_scope', { 'event.id': 'e', ...base, ...extra }).ok).toBe(false);
  });
});
