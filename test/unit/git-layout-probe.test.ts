// Reading the repositories around a path from a real disk: .git folders and files, commondir, bare
// repositories, core.hooksPath in every config Git reads (with includes and ~), and reads that must
// not hang or grow (a FIFO, an oversized or broken config).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalizerFor } from '../../electron/core/paths/index.js';
import { probeGitLayout } from '../../electron/core/scope/git-layout-probe.js';

let root: string;
let home: string;
const canonicalize = canonicalizerFor('linux');
const probe = (path: string, extra: string[] = []) => probeGitLayout([path, ...extra], { home, platform: 'linux', canonicalize, xdgConfigHome: join(home, '.xdg'), systemConfigs: [join(root, 'etc-gitconfig')] });

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'cc-gitprobe-')));
  home = join(root, 'home');
  mkdirSync(home);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function repo(dir: string, config = '[core]\n'): void {
  mkdirSync(join(dir, '.git', 'hooks'), { recursive: true });
  writeFileSync(join(dir, '.git', 'config'), config);
}

describe.skipIf(process.platform === 'win32')('probeGitLayout', () => {
  it('the enclosing repository: its git directory and default hooks folder', () => {
    const P = join(root, 'p');
    repo(P);
    mkdirSync(join(P, 'src'));
    const l = probe(join(P, 'src', 'x.ts'));
    expect(l.gitDirs).toEqual([join(P, '.git')]);
    expect(l.hooksDirs).toContain(join(P, '.git', 'hooks'));
  });

  it('core.hooksPath: relative to the work tree, absolute, ~/, from config.worktree, through [include] and [includeIf]', () => {
    const P = join(root, 'p');
    repo(P, `[core]\n\thooksPath = tools/hooks\n[include]\n\tpath = extra.inc\n[includeIf "gitdir:/nowhere/"]\n\tpath = ${join(root, 'cond.inc')}\n`);
    writeFileSync(join(P, '.git', 'config.worktree'), '[core]\n\thooksPath = /abs/hooks\n');
    writeFileSync(join(P, '.git', 'extra.inc'), '[core]\n\thooksPath = ~/my-hooks\n');
    writeFileSync(join(root, 'cond.inc'), '[core]\n\thooksPath = cond-hooks\n');
    const l = probe(join(P, 'a.txt'));
    expect(l.hooksDirs).toEqual(expect.arrayContaining([join(P, 'tools/hooks'), '/abs/hooks', join(home, 'my-hooks'), join(P, 'cond-hooks')]));
  });

  it("the user's and the system's config (~/.gitconfig, XDG, /etc/gitconfig): a relative hooksPath there is relative to each work tree", () => {
    const P = join(root, 'p');
    repo(P);
    writeFileSync(join(root, 'etc-gitconfig'), '[core]\n\thooksPath = sys-hooks\n');
    writeFileSync(join(home, '.gitconfig'), '[core]\n\thooksPath = .team-hooks\n');
    mkdirSync(join(home, '.xdg', 'git'), { recursive: true });
    writeFileSync(join(home, '.xdg', 'git', 'config'), '[core]\n\thooksPath = xdg-hooks\n');
    expect(probe(join(P, 'a.txt')).hooksDirs).toEqual(expect.arrayContaining([join(P, '.team-hooks'), join(P, 'xdg-hooks'), join(P, 'sys-hooks')]));
  });

  it('a .git file (gitdir:) and the commondir of a linked worktree', () => {
    const main = join(root, 'main');
    repo(main, '[core]\n\thooksPath = /main/hooks\n');
    const gd = join(main, '.git', 'worktrees', 'w');
    mkdirSync(gd, { recursive: true });
    writeFileSync(join(gd, 'commondir'), '../..\n');
    writeFileSync(join(gd, 'config.worktree'), '[core]\n\thooksPath = wt-hooks\n');
    const W = join(root, 'w');
    mkdirSync(W);
    writeFileSync(join(W, '.git'), `gitdir: ${gd}\n`);
    const l = probe(join(W, 'file'));
    expect(l.gitDirs).toEqual(expect.arrayContaining([gd, join(main, '.git')]));
    expect(l.hooksDirs).toEqual(expect.arrayContaining(['/main/hooks', join(W, 'wt-hooks'), join(main, '.git', 'hooks')]));
  });

  it('a relative gitdir: and a git directory not named .git (bare: hooksPath relative to it)', () => {
    const P = join(root, 'p');
    mkdirSync(P);
    writeFileSync(join(P, '.git'), 'gitdir: ../store\n');
    const store = join(root, 'store');
    mkdirSync(join(store, 'objects'), { recursive: true });
    mkdirSync(join(store, 'refs'));
    writeFileSync(join(store, 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(store, 'config'), '[core]\n\tbare = true\n\thooksPath = h\n');
    expect(probe(join(P, 'x')).gitDirs).toContain(store);
    const bare = probe(join(store, 'config'));
    expect(bare.gitDirs).toContain(store);
    expect(bare.hooksDirs).toContain(join(store, 'h'));
  });

  it('a path inside .git: the work tree is the parent (not the .git folder)', () => {
    const P = join(root, 'p');
    repo(P, '[core]\n\thooksPath = hk\n');
    mkdirSync(join(P, '.git', 'objects'));
    mkdirSync(join(P, '.git', 'refs'));
    writeFileSync(join(P, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    const l = probe(join(P, '.git', 'hooks', 'pre-commit'));
    expect(l.hooksDirs).toContain(join(P, 'hk'));
    expect(l.hooksDirs).not.toContain(join(P, '.git', 'hk'));
  });

  it('a hooks folder reached through a link is also known by its canonical path', () => {
    const P = join(root, 'p');
    mkdirSync(join(P, 'real-hooks'), { recursive: true });
    symlinkSync('real-hooks', join(P, 'hooks-link'));
    repo(P, '[core]\n\thooksPath = hooks-link\n');
    expect(probe(join(P, 'x')).hooksDirs).toContain(join(P, 'real-hooks'));
  });

  it('repositories at the other starting points (the shared folders) count too', () => {
    const A = join(root, 'a');
    const B = join(root, 'b');
    mkdirSync(A);
    repo(B, `[core]\n\thooksPath = ${join(A, 'hooks')}\n`);
    expect(probe(join(A, 'hooks', 'pre-commit'), [B]).hooksDirs).toContain(join(A, 'hooks'));
  });

  it('unknowns add nothing: ~user/, %(prefix)/, a broken config, an oversized config', () => {
    const P = join(root, 'p');
    repo(P, '[core]\n\thooksPath = ~bob/hooks\n\thooksPath = %(prefix)/hooks\n');
    expect(probe(join(P, 'x')).hooksDirs).toEqual([join(P, '.git', 'hooks')]);
    writeFileSync(join(P, '.git', 'config'), '[core]\n\thooksPath = x\n[broken\n');
    expect(probe(join(P, 'x')).hooksDirs).toEqual([join(P, '.git', 'hooks')]);
    writeFileSync(join(P, '.git', 'config'), `[core]\n\thooksPath = big\n${'#'.repeat(70 * 1024)}\n`);
    expect(probe(join(P, 'x')).hooksDirs).toEqual([join(P, '.git', 'hooks')]);
  });

  it.skipIf(spawnSync('mkfifo', ['--version']).status !== 0)('a FIFO planted as the config does not hang the check', () => {
    const P = join(root, 'p');
    mkdirSync(join(P, '.git'), { recursive: true });
    expect(spawnSync('mkfifo', [join(P, '.git', 'config')]).status).toBe(0);
    const started = Date.now();
    expect(probe(join(P, 'x')).hooksDirs).toEqual([join(P, '.git', 'hooks')]);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
