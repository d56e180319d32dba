// Files inside a shared folder that make later, approved commands run code: a change to them is a
// change to what `git status`, `npm test` or the agent itself will execute, so a person decides each
// write (with the reason shown), even in a read-write folder and whatever a remembered rule says.
// Names are compared with the volume's rules: on macOS and Windows `.GIT/hooks`, `Package.json` and
// `.ENVRC` are the same files as `.git/hooks`, `package.json` and `.envrc`; on Linux only the exact
// spelling is. Pure: the path must already be canonical; what the repositories on disk say (a
// `core.hooksPath`, a git directory not named `.git`) comes in as a GitLayout (git-layout-probe.ts).
import { comparisonKey, isWithin, type VolumeRules } from '../paths/index.js';

/** What the repositories around a path say, read from disk (all canonical; may be empty). */
export interface GitLayout {
  /** Git directories (`.git` folders, a `.git` file's gitdir, a commondir, bare repositories). */
  gitDirs: string[];
  /** Folders Git runs hooks from: `<commondir>/hooks` and every `core.hooksPath` configured. */
  hooksDirs: string[];
}

const EXACT: VolumeRules = { windows: false, caseInsensitive: false, normalizationInsensitive: false };

const GIT_RUNS = 'Git runs hooks and configured commands (core.fsmonitor, filters) from here on ordinary commands';
const GIT_POINTER = 'Git reads the config and runs the hooks of the repository named here';
const GIT_ATTRIBUTES = 'Git attributes can run filter commands';
const GIT_DATA = "it is a Git repository's own data, which ordinary git commands read and act on";
const HOOKS_DIR = 'Git runs the hooks in this folder (core.hooksPath) on commit, checkout, merge and push';
const HOOK_MANAGER = 'a Git hook manager (husky, lefthook, pre-commit, overcommit, simple-git-hooks) runs the commands named here on commit and push';

// Hook managers: their folders hold the scripts the installed Git hooks run, their config files name
// the commands to run. Each is code that `git commit` executes even when core.hooksPath is not set
// yet (the manager's install step sets it, or its hook in .git/hooks reads the file).
const HOOK_MANAGER_DIRS = ['.husky', '.githooks', '.git-hooks', '.lefthook'];
const HOOK_MANAGER_FILE = /^(\.?lefthook(-local)?\.(ya?ml|toml|json|jsonc)|\.pre-commit-config\.ya?ml|\.overcommit\.ya?ml|\.?simple-git-hooks\.(json|js|cjs|mjs))$/;

/**
 * A component's comparison form: case folded on case-insensitive volumes; on macOS also without the
 * code points HFS+ ignores in names (`.g\u200Cit` is `.git` there, the trick of CVE-2014-9390).
 */
function nameKey(name: string, volume: VolumeRules): string {
  let key = comparisonKey(name, volume);
  if (volume.caseInsensitive && !volume.windows) key = key.replace(/[\u200C-\u200F\u202A-\u202E\u206A-\u206F\uFEFF]/g, '');
  return key;
}

/** Why writing a file at `rel` (components inside a git directory) needs a person; undefined if harmless. */
function insideGitDir(rel: string[]): string | undefined {
  const lastName = rel[rel.length - 1] ?? '';
  if (rel.includes('hooks') || /^config(\.worktree)?$/.test(lastName)) return GIT_RUNS;
  if (lastName === 'commondir' || lastName === 'gitdir') return GIT_POINTER;
  if (rel.length >= 2 && rel[rel.length - 2] === 'info' && lastName === 'attributes') return GIT_ATTRIBUTES;
  // info/exclude only hides untracked files from `git status`: it runs nothing.
  if (rel.length >= 2 && rel[rel.length - 2] === 'info' && lastName === 'exclude') return undefined;
  // Everything else (objects/info/alternates, refs, HEAD, packed-refs, shallow, modules/…, worktrees/…)
  // changes what Git reads as the repository; no agent needs to write it by hand.
  return rel.length > 0 ? GIT_DATA : undefined;
}

/** Why writing this file needs a person, or undefined when it is an ordinary file. */
export function sensitiveWriteReason(canonicalPath: string, volume: VolumeRules = EXACT, layout?: GitLayout): string | undefined {
  const parts = canonicalPath.split(/[\\/]+/).filter(Boolean).map((p) => nameKey(p, volume));
  const name = parts[parts.length - 1] ?? '';
  const dirs = parts.slice(0, -1);

  // A file named .git anywhere: a directory is the repository, a file ("gitdir: …") points Git at one.
  if (name === '.git') return `a file named .git tells Git where the repository is (gitdir:): ${GIT_POINTER}`;
  const dotGit = dirs.lastIndexOf('.git');
  if (dotGit >= 0) {
    const why = insideGitDir(parts.slice(dotGit + 1));
    if (why) return why;
  }
  for (const dir of layout?.gitDirs ?? []) {
    if (isWithin(canonicalPath, dir, volume)) {
      const why = insideGitDir(parts.slice(dir.split(/[\\/]+/).filter(Boolean).length));
      if (why) return why;
    }
  }
  if (layout?.hooksDirs.some((dir) => isWithin(canonicalPath, dir, volume) && nameKey(canonicalPath, volume) !== nameKey(dir, volume))) return HOOKS_DIR;
  if (HOOK_MANAGER_DIRS.some((d) => dirs.includes(d)) || HOOK_MANAGER_FILE.test(name)) return HOOK_MANAGER;

  if (['.gitattributes', '.gitmodules'].includes(name)) return 'Git can run filter or update commands named here';
  if (['.npmrc', '.yarnrc', '.yarnrc.yml', '.pnpmfile.cjs'].includes(name)) return 'the package manager runs scripts and reads credentials as configured here';
  if (name === 'package.json') return 'its scripts run on npm install, npm test and npm run';
  if (name === '.envrc') return 'direnv runs it on entering the folder';
  if (dirs.includes('.claude') || name === '.mcp.json') return 'it configures the agent itself (hooks, permissions, MCP servers it starts)';
  return undefined;
}
