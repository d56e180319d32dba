// What the Git repositories around a path say about where Git reads config and runs hooks from, read
// cheaply from disk for the sensitive-files check: for each folder from the path up to the root, a
// `.git` folder or `.git` file (its `gitdir:`), or a bare repository (HEAD, objects/, refs/); then the
// repository's `commondir`, its config (config, config.worktree, and the user's and system's config,
// with their [include]/[includeIf] files) for `core.hooksPath`. Every read is bounded (regular files
// only, opened non-blocking, at most 64 KiB, a few levels of includes); anything that cannot be read
// or parsed adds nothing — the known names (sensitive-files-policy.ts) still apply.
import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { posix, win32 } from 'node:path';
import type { Canonicalize } from '../paths/index.js';
import { configValues, includedPaths, parseGitConfig } from './git-config-policy.js';
import type { GitLayout } from './sensitive-files-policy.js';

export interface GitProbeFs {
  /** The file's text when it is a regular file of at most `max` bytes, else undefined. */
  readSmall(path: string, max: number): string | undefined;
  kind(path: string): 'file' | 'dir' | undefined;
}

const MAX_CONFIG = 64 * 1024;
const MAX_POINTER = 4 * 1024;
const MAX_INCLUDE_DEPTH = 3;
const MAX_LEVELS = 128;

export const realGitFs: GitProbeFs = {
  readSmall(path, max) {
    let fd: number | undefined;
    try {
      // Non-blocking: a FIFO planted as `.git/config` must not hang the check.
      fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
      const st = fstatSync(fd);
      if (!st.isFile() || st.size > max) return undefined;
      const buf = Buffer.alloc(Math.min(st.size, max));
      let got = 0;
      while (got < buf.length) {
        const r = readSync(fd, buf, got, buf.length - got, got);
        if (r <= 0) break;
        got += r;
      }
      return buf.subarray(0, got).toString('utf8');
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  },
  kind(path) {
    try {
      const st = statSync(path);
      return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : undefined;
    } catch {
      return undefined;
    }
  },
};

export interface GitProbeOptions {
  home: string;
  platform: NodeJS.Platform;
  canonicalize: Canonicalize;
  fs?: GitProbeFs;
  /** $XDG_CONFIG_HOME, when set. */
  xdgConfigHome?: string;
  /** The system-wide config files (default /etc/gitconfig; none on Windows, where it lives with Git). */
  systemConfigs?: string[];
}

/** The layout of every repository enclosing one of `paths` (each a canonical file or folder path). */
export function probeGitLayout(paths: readonly string[], o: GitProbeOptions): GitLayout {
  const fs = o.fs ?? realGitFs;
  const p = o.platform === 'win32' ? win32 : posix;
  const gitDirs = new Set<string>();
  const hooksDirs = new Set<string>();
  const canonical = (path: string): string => {
    const c = o.canonicalize(path);
    return c.ok ? c.path : path;
  };

  /** `~/x` → home; `~user/…` and `%(prefix)/…` cannot be known here (undefined). */
  const expand = (value: string, base: string): string | undefined => {
    if (value === '~' || value.startsWith('~/') || (o.platform === 'win32' && value.startsWith('~\\'))) return p.join(o.home, value.slice(1));
    if (value.startsWith('~') || value.startsWith('%(prefix)')) return undefined;
    return p.resolve(base, value);
  };

  /** `core.hooksPath` values from a config file and the files it includes. */
  const hooksPaths = (file: string, depth = 0): string[] => {
    const text = fs.readSmall(file, MAX_CONFIG);
    const entries = text === undefined ? undefined : parseGitConfig(text);
    if (!entries) return [];
    const found = configValues(entries, 'core', 'hooksPath');
    if (depth < MAX_INCLUDE_DEPTH) {
      for (const inc of includedPaths(entries)) {
        const target = expand(inc, p.dirname(file));
        if (target) found.push(...hooksPaths(target, depth + 1));
      }
    }
    return found;
  };

  const userConfigs = [p.join(o.home, '.gitconfig'), p.join(o.xdgConfigHome ?? p.join(o.home, '.config'), 'git', 'config'), ...(o.systemConfigs ?? (o.platform === 'win32' ? [] : ['/etc/gitconfig']))];
  let userHooks: string[] | undefined;

  const addRepository = (gitDir: string, workTree: string | undefined) => {
    const g = canonical(gitDir);
    if (gitDirs.has(g)) return;
    gitDirs.add(g);
    const pointer = fs.readSmall(p.join(g, 'commondir'), MAX_POINTER)?.trim();
    const common = pointer ? canonical(p.resolve(g, pointer)) : g;
    gitDirs.add(common);
    hooksDirs.add(p.join(common, 'hooks'));
    hooksDirs.add(p.join(g, 'hooks'));
    userHooks ??= userConfigs.flatMap((f) => hooksPaths(f));
    const values = [...userHooks, ...hooksPaths(p.join(common, 'config')), ...hooksPaths(p.join(common, 'config.worktree')), ...hooksPaths(p.join(g, 'config.worktree'))];
    // A relative hooksPath is relative to where hooks run: the work tree's root, or the git directory of a bare repository.
    for (const v of values) {
      const dir = v ? expand(v, workTree ?? g) : undefined;
      if (dir) hooksDirs.add(canonical(dir));
    }
  };

  const seen = new Set<string>();
  for (const start of paths) {
    let dir = start;
    // The parent's `.git` is the repository of a path inside a `.git` folder (its work tree is the parent).
    for (let level = 0; level < MAX_LEVELS && !seen.has(dir); level += 1) {
      seen.add(dir);
      const dotGit = p.join(dir, '.git');
      const kind = fs.kind(dotGit);
      if (kind === 'dir') addRepository(dotGit, dir);
      else if (kind === 'file') {
        const target = /^gitdir:\s*(.+?)\s*$/m.exec(fs.readSmall(dotGit, MAX_POINTER) ?? '')?.[1];
        if (target) addRepository(p.resolve(dir, target), dir);
      }
      // A bare repository, or a git directory not named .git (a gitdir: target, --separate-git-dir).
      if (p.basename(dir).toLowerCase() !== '.git' && fs.kind(p.join(dir, 'HEAD')) === 'file' && fs.kind(p.join(dir, 'objects')) === 'dir' && fs.kind(p.join(dir, 'refs')) === 'dir') addRepository(dir, undefined);
      const parent = p.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return { gitDirs: [...gitDirs], hooksDirs: [...hooksDirs] };
}
