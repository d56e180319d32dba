// What the watcher watches: roots by kind, nesting, the data folder, noise, depth. Pure.
import { describe, expect, it } from 'vitest';
import type { CanonicalPath } from '../../electron/core/paths/path-canonicalizer.js';
import { volumeRulesFor } from '../../electron/core/paths/path-containment-policy.js';
import { DEFAULT_WATCH_POLICY, ignoreTest, planWatch, type WatchPlanInput, type WatchPolicy } from '../../electron/core/watch/watch-plan-policy.js';

const linux = volumeRulesFor('linux');
const mac = volumeRulesFor('darwin');
const HOME = '/home/dana';
const DATA = '/home/dana/.config/cowork-companion';
const EXISTING = new Set([HOME, '/home/dana/work/proj', '/srv/shared', '/home/dana/.cache']);
const canonicalize = (p: string): CanonicalPath => ({ ok: true, path: p.replace(/\/+$/, '') || '/', exists: EXISTING.has(p), hardLinked: false, isDirectory: true });

function plan(over: Partial<WatchPlanInput> = {}, policy: Partial<WatchPolicy> = {}) {
  return planWatch({
    folders: [{ path: '/home/dana/work/proj', mode: 'read-write' }],
    forbidden: [
      { path: DATA, reason: 'own data' },
      { path: '/home/dana/.ssh', reason: 'SSH keys' },
      { path: '/etc/claude-code', reason: 'managed settings' },
    ],
    home: HOME,
    volume: linux,
    policy: { ...DEFAULT_WATCH_POLICY, ...policy },
    dataDir: DATA,
    canonicalize,
    ...over,
  });
}

const roles = (p: ReturnType<typeof plan>) => p.roots.map((r) => [r.role, r.path]);

describe('planWatch', () => {
  it('watches protected paths, shared folders, then the home folder; never the data folder', () => {
    const p = plan();
    expect(roles(p)).toEqual([
      ['forbidden', '/etc/claude-code'],
      ['forbidden', '/home/dana/.ssh'],
      ['shared', '/home/dana/work/proj'],
      ['sentinel', HOME],
    ]);
    const home = p.roots.find((r) => r.role === 'sentinel')!;
    // The outer root skips what is watched by itself, and the data folder.
    const claudeState = ['projects', 'todos', 'shell-snapshots', 'statsig'].map((d) => `/home/dana/.claude/${d}`);
    expect(home.skip).toEqual([DATA, '/home/dana/.ssh', '/home/dana/work/proj', ...claudeState].sort());
    // Claude Code's own transcripts and state are noise by default (rewritten on every turn).
    for (const d of claudeState) expect(p.notWatched).toContainEqual({ path: d, reason: 'excluded by the watch policy' });
    expect(p.notWatched).toContainEqual({ path: DATA, reason: expect.stringContaining('own data') });
  });

  it('applies noise patterns to shared and sentinel roots, never to protected paths', () => {
    const p = plan();
    expect(p.roots.find((r) => r.role === 'forbidden')!.exclude).toEqual([]);
    expect(p.roots.find((r) => r.role === 'shared')!.exclude).toContain('node_modules');
    expect(p.roots.find((r) => r.role === 'sentinel')!.exclude).toContain('.git/objects');
  });

  it('leaves a root inside another of the same kind to the outer one', () => {
    const p = plan({ folders: [{ path: '/home/dana/work/proj', mode: 'read-write' }, { path: '/home/dana/work/proj/sub', mode: 'read' }] });
    expect(p.roots.filter((r) => r.role === 'shared').map((r) => r.path)).toEqual(['/home/dana/work/proj']);
    // ...but both stay scope for classification
    expect(p.folders).toHaveLength(2);
  });

  it('watches a protected path inside a shared folder by itself (no noise filter there)', () => {
    const p = plan({ folders: [{ path: HOME, mode: 'read' }] });
    // Sharing the whole home: the sentinel is the same folder and is dropped; .ssh is its own root.
    expect(roles(p)).toEqual([
      ['forbidden', '/etc/claude-code'],
      ['forbidden', '/home/dana/.ssh'],
      ['shared', HOME],
    ]);
    expect(p.roots.find((r) => r.role === 'shared')!.skip).toEqual(expect.arrayContaining([DATA, '/home/dana/.ssh', '/home/dana/.claude/projects']));
  });

  it('drops a sentinel inside a shared folder and one inside an excluded path', () => {
    const p = plan({}, { sentinelRoots: ['~', '~/work/proj', '~/.cache'], exclude: ['~/.cache'] });
    expect(p.roots.filter((r) => r.role === 'sentinel').map((r) => r.path)).toEqual([HOME]);
    expect(p.notWatched).toContainEqual({ path: '/home/dana/.cache', reason: 'excluded by the watch policy' });
    expect(p.roots.find((r) => r.role === 'sentinel')!.skip).toContain('/home/dana/.cache');
  });

  it('reports a sentinel folder that does not exist', () => {
    const p = plan({}, { sentinelRoots: ['~', '/mnt/nowhere'] });
    expect(p.notWatched).toContainEqual({ path: '/mnt/nowhere', reason: 'the sentinel folder does not exist' });
  });

  it('passes depth limits and reports them', () => {
    const p = plan({}, { sentinelDepth: 3, sharedDepth: 10 });
    expect(p.roots.find((r) => r.role === 'sentinel')!.depth).toBe(3);
    expect(p.roots.find((r) => r.role === 'shared')!.depth).toBe(10);
    expect(p.roots.find((r) => r.role === 'forbidden')!.depth).toBeUndefined();
    expect(p.notWatched).toContainEqual({ path: HOME, reason: 'only 3 folder levels deep (watch policy)' });
  });

  it('gives a new key when what a root watches changes (so its watcher restarts)', () => {
    const a = plan().roots.find((r) => r.role === 'sentinel')!.key;
    const b = plan({ folders: [{ path: '/home/dana/work/proj', mode: 'read-write' }, { path: '/srv/shared', mode: 'read' }] }).roots.find((r) => r.role === 'sentinel')!.key;
    const c = plan({ folders: [{ path: '/home/dana/work/proj', mode: 'read' }] }).roots.find((r) => r.role === 'sentinel')!.key;
    const d = plan({ folders: [{ path: '/home/dana/work/other', mode: 'read' }] }).roots.find((r) => r.role === 'sentinel')!.key;
    expect(b).toBe(a); // /srv/shared is not inside home
    expect(c).toBe(a); // a mode change needs no restart
    expect(d).not.toBe(a);
  });

  it('uses the canonical form of protected paths', () => {
    const p = plan({ forbidden: [{ path: '/home/dana/.aws', reason: 'AWS', canonical: '/data/aws' }] });
    expect(p.roots.find((r) => r.role === 'forbidden')!.path).toBe('/data/aws');
  });
});

describe('ignoreTest', () => {
  const root = (over: Partial<Parameters<typeof ignoreTest>[0]> = {}) => ({ path: '/home/dana', role: 'sentinel' as const, skip: ['/home/dana/work/proj', DATA], exclude: ['node_modules', '.git/objects'], key: '', ...over });

  it('skips subtrees and noise below the root', () => {
    const t = ignoreTest(root(), linux);
    expect(t('/home/dana/work/proj')).toBe(true);
    expect(t('/home/dana/work/proj/a.ts')).toBe(true);
    expect(t(`${DATA}/journal/evidence-1.jsonl`)).toBe(true);
    expect(t('/home/dana/x/node_modules')).toBe(true);
    expect(t('/home/dana/x/node_modules/a/b.js')).toBe(true);
    expect(t('/home/dana/repo/.git/objects/ab/cdef')).toBe(true);
    expect(t('/home/dana/repo/.git/config')).toBe(false);
    expect(t('/home/dana/work/project/a.ts')).toBe(false); // whole components only
    expect(t('/home/dana/Documents/node_modules_notes.txt')).toBe(false);
    expect(t('/home/dana')).toBe(false);
  });

  it('matches names only below the root (a root inside a folder called like noise is watched)', () => {
    const t = ignoreTest(root({ path: '/srv/node_modules/app', skip: [] }), linux);
    expect(t('/srv/node_modules/app/src/a.ts')).toBe(false);
    expect(t('/srv/node_modules/app/node_modules/x')).toBe(true);
  });

  it('folds case on case-insensitive volumes', () => {
    const t = ignoreTest(root({ path: '/Users/dana', skip: ['/Users/dana/Work'] }), mac);
    expect(t('/users/DANA/work/a')).toBe(true);
    expect(t('/Users/dana/x/Node_Modules/y')).toBe(true);
  });
});
