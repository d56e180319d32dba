// What the words of a git command are: which name files, and which are branch names, refs, remotes and
// URLs (`git push origin feature/x` names no file). Only the subcommands read here are told apart;
// for the others bash-targets-policy.ts reads every word as it reads any command's. Pure.
// Options and their values as documented in git's manual pages (`git help push`, `git help clone`…).

/** What one word is to git. */
export type GitRole =
  /** A branch, tag, commit, refspec or remote name: never a file. */
  | 'ref'
  /** Certainly a path (after `--`, or where only paths may stand). */
  | 'file'
  /** A ref or, when no such ref exists, a path (`git checkout x`, `git log x`): a file if one is there. */
  | 'ref-or-file'
  /** A remote name, URL or local repository path (`git push ../other main`). */
  | 'remote'
  /** The folder `git clone` creates. */
  | 'new-folder';

export interface GitWord {
  word: string;
  role: GitRole;
  access: 'read' | 'write';
}

export interface GitCommand {
  /** `--git-dir=…`, `--work-tree=…`: folders git uses (relative to the `-C` folder). */
  folders: string[];
  /** `-C` folders in order: git works from the last, each relative to the one before (paths in its words too). */
  chdir: string[];
  /** Index of the subcommand in the words after `git` (past git's own options). */
  subAt: number;
  /** The subcommand's words, when it is one read here. */
  words?: GitWord[];
  /** The subcommand's other options, as written (a value glued to one may still name a file). */
  flags?: string[];
  /** Why the command may run a program named in its words (`-c core.sshCommand=…`, `--upload-pack`, `rebase --exec`). */
  runs?: string;
}

type OptionValue = 'skip' | 'file' | 'output' | 'runs';

/** Options taking the next word as their value, per subcommand (the value is never a positional). */
const VALUE_OPTIONS: Record<string, Record<string, OptionValue>> = {
  push: { '-o': 'skip', '--push-option': 'skip', '--repo': 'skip', '--receive-pack': 'runs', '--exec': 'runs' },
  fetch: { '-o': 'skip', '--depth': 'skip', '-j': 'skip', '--jobs': 'skip', '--upload-pack': 'runs', '--refmap': 'skip' },
  pull: { '-o': 'skip', '--depth': 'skip', '-j': 'skip', '--upload-pack': 'runs', '-s': 'skip', '--strategy': 'skip', '-X': 'skip', '--strategy-option': 'skip' },
  clone: {
    '-b': 'skip', '--branch': 'skip', '-o': 'skip', '--origin': 'skip', '--depth': 'skip', '-j': 'skip', '--jobs': 'skip', '--filter': 'skip',
    '--reference': 'file', '--reference-if-able': 'file', '--separate-git-dir': 'file', '--template': 'file',
    '-u': 'runs', '--upload-pack': 'runs', '-c': 'runs', '--config': 'runs',
  },
  checkout: { '-b': 'skip', '-B': 'skip', '--orphan': 'skip' },
  switch: { '-c': 'skip', '-C': 'skip', '--create': 'skip', '--force-create': 'skip', '--orphan': 'skip' },
  branch: { '-u': 'skip', '--set-upstream-to': 'skip', '--contains': 'skip', '--merged': 'skip', '--no-merged': 'skip', '--points-at': 'skip' },
  merge: { '-m': 'skip', '-F': 'file', '--file': 'file', '-s': 'skip', '--strategy': 'skip', '-X': 'skip', '--strategy-option': 'skip' },
  rebase: { '--onto': 'skip', '-s': 'skip', '--strategy': 'skip', '-X': 'skip', '--strategy-option': 'skip', '-x': 'runs', '--exec': 'runs' },
  tag: { '-m': 'skip', '-F': 'file', '--file': 'file', '-u': 'skip', '--local-user': 'skip', '--contains': 'skip', '--points-at': 'skip' },
  remote: { '-t': 'skip', '-m': 'skip' },
  log: { '--output': 'output', '-n': 'skip', '--max-count': 'skip', '--author': 'skip', '--committer': 'skip', '--grep': 'skip', '--since': 'skip', '--until': 'skip', '-S': 'skip', '-G': 'skip' },
  show: { '--output': 'output' },
  diff: { '--output': 'output' },
  shortlog: {},
  'cherry-pick': { '-m': 'skip', '--mainline': 'skip', '-s': 'skip', '--strategy': 'skip', '-X': 'skip', '--strategy-option': 'skip' },
  revert: { '-m': 'skip', '--mainline': 'skip', '-s': 'skip', '--strategy': 'skip', '-X': 'skip', '--strategy-option': 'skip' },
};

/** Subcommands whose words before `--` are refs and after it paths (`git log main -- src`). */
const REFS_THEN_PATHS = new Set(['log', 'show', 'diff', 'shortlog']);
/** Subcommands that take refs only (a path after `--` is still read as one, to fail closed). */
const REFS_ONLY = new Set(['switch', 'branch', 'merge', 'rebase', 'tag', 'cherry-pick', 'revert']);

const runsWhy = (option: string): string => `git's option ${option} names a program or configuration that runs commands`;

/** git's own options: `-C <dir>`, `--git-dir[=]<dir>`, `--work-tree[=]<dir>` name folders; `-c` sets configuration that can run commands. */
function globals(args: string[]): Pick<GitCommand, 'folders' | 'chdir' | 'subAt' | 'runs'> {
  const folders: string[] = [];
  const chdir: string[] = [];
  let runs: string | undefined;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-')) break;
    const [name, glued] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (name === '-C' || name === '--git-dir' || name === '--work-tree') {
      const value = glued ?? args[++i];
      if (value !== undefined) (name === '-C' ? chdir : folders).push(value);
    } else if (name === '-c' || name === '--config-env' || name === '--exec-path') {
      runs ??= runsWhy(name);
      if (glued === undefined) i++;
    } else if (name === '--namespace' || name === '--super-prefix') {
      if (glued === undefined) i++;
    }
  }
  return { folders, chdir, subAt: i, ...(runs ? { runs } : {}) };
}

/** The words of `git …` (the words after `git`). */
export function readGit(args: string[]): GitCommand {
  const g = globals(args);
  const sub = args[g.subAt];
  const values = sub !== undefined && Object.hasOwn(VALUE_OPTIONS, sub) ? VALUE_OPTIONS[sub]! : undefined;
  if (sub === undefined || !values) return g;
  let runs = g.runs;
  const words: GitWord[] = [];
  const flags: string[] = [];
  const before: string[] = [];
  const after: string[] = [];
  let dashes = false;
  let newBranch = false;
  const rest = args.slice(g.subAt + 1);
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (dashes || !a.startsWith('-') || a === '-') {
      (dashes ? after : before).push(a);
      continue;
    }
    if (a === '--') {
      dashes = true;
      continue;
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq < 0 ? a : a.slice(0, eq);
    const kind = values[name];
    if (kind === undefined) {
      flags.push(a);
      continue;
    }
    if (sub === 'checkout' || sub === 'switch') newBranch = true;
    const value = eq < 0 ? rest[++i] : a.slice(eq + 1);
    if (kind === 'runs') runs ??= runsWhy(name);
    else if (kind !== 'skip' && value !== undefined) words.push({ word: value, role: 'file', access: kind === 'output' ? 'write' : 'read' });
  }
  const all = (list: string[], role: GitRole, access: 'read' | 'write'): void => {
    for (const word of list) words.push({ word, role, access });
  };
  const [first, ...others] = before;
  switch (sub) {
    case 'push':
    case 'fetch':
    case 'pull':
      if (first !== undefined) words.push({ word: first, role: 'remote', access: sub === 'push' ? 'write' : 'read' });
      all(others, 'ref', 'read');
      all(after, 'ref', 'read');
      break;
    case 'clone':
      if (first !== undefined) words.push({ word: first, role: 'remote', access: 'read' });
      if (others[0] !== undefined) words.push({ word: others[0], role: 'new-folder', access: 'write' });
      else if (first !== undefined) {
        // Without a folder, git makes one named after the repository (`…/app.git` → ./app).
        const leaf = first.replace(/[/\\]+$/, '').replace(/\.git$/, '').split(/[/:\\]/).pop() ?? '';
        if (leaf !== '' && leaf !== '.' && leaf !== '..') words.push({ word: `./${leaf}`, role: 'new-folder', access: 'write' });
      }
      all(others.slice(1), 'file', 'read');
      all(after, 'file', 'read');
      break;
    case 'remote':
      // `remote add <name> <url>`, `remote set-url <name> <url>`: the URL may be a local repository.
      if ((first === 'add' || first === 'set-url') && others.length >= 2) {
        all(others.slice(0, -1), 'ref', 'read');
        words.push({ word: others.at(-1)!, role: 'remote', access: 'read' });
      } else all(before, 'ref', 'read');
      all(after, 'file', 'read');
      break;
    case 'checkout':
      // `checkout -- f`, `checkout ref -- f` and `checkout ref f` name files it overwrites; a lone word
      // is a branch, or the files of that name when there is no such branch.
      if (newBranch || dashes) all(before, 'ref', 'read');
      else {
        if (first !== undefined) words.push({ word: first, role: 'ref-or-file', access: 'write' });
        all(others, 'file', 'write');
      }
      all(after, 'file', 'write');
      break;
    default:
      if (REFS_THEN_PATHS.has(sub)) {
        all(before, 'ref-or-file', 'read');
        all(after, 'file', 'read');
      } else if (REFS_ONLY.has(sub)) {
        all(before, 'ref', 'read');
        all(after, 'file', 'write');
      }
  }
  return { ...g, words, flags, ...(runs ? { runs } : {}) };
}
