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

type OptionValue = 'skip' | 'file' | 'output' | 'runs' | 'remote';

/** Options taking the next word as their value, per subcommand (the value is never a positional). */
const VALUE_OPTIONS: Record<string, Record<string, OptionValue>> = {
  push: { '-o': 'skip', '--push-option': 'skip', '--repo': 'remote', '--receive-pack': 'runs', '--exec': 'runs' },
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

/** Options that take no value, per subcommand: any other option may take the next word as its value
 *  (git also reads `--opt value`), so after one the words' places are not known and each word that
 *  could be a file is read as one when it exists (fail closed). */
const FLAGS: Record<string, readonly string[]> = {
  push: ['-u', '--set-upstream', '-f', '--force', '--force-with-lease', '--tags', '--all', '--mirror', '-n', '--dry-run', '-d', '--delete', '--prune', '--no-verify', '--atomic', '--follow-tags', '-v', '--verbose', '-q', '--quiet', '--porcelain'],
  fetch: ['--all', '-p', '--prune', '-t', '--tags', '--no-tags', '-n', '--dry-run', '-v', '--verbose', '-q', '--quiet', '--unshallow', '-f', '--force', '--multiple'],
  pull: ['-r', '--rebase', '--no-rebase', '--ff', '--no-ff', '--ff-only', '--autostash', '--no-autostash', '-v', '--verbose', '-q', '--quiet', '--all', '--tags', '--squash', '--no-edit'],
  clone: ['-q', '--quiet', '-v', '--verbose', '--bare', '--mirror', '--no-checkout', '-n', '--single-branch', '--no-single-branch', '--recursive', '--recurse-submodules', '--shallow-submodules', '--no-tags'],
  checkout: ['-f', '--force', '-q', '--quiet', '--detach', '-t', '--track', '--no-track', '-p', '--patch', '--ours', '--theirs', '-m', '--merge'],
  switch: ['-d', '--detach', '--discard-changes', '-f', '--force', '-t', '--track', '--no-track', '-q', '--quiet', '-m', '--merge'],
  branch: ['-d', '-D', '--delete', '-m', '-M', '--move', '-c', '--copy', '-f', '--force', '-a', '--all', '-r', '--remotes', '-l', '--list', '-v', '-vv', '--verbose', '-q', '--quiet', '--show-current'],
  merge: ['--no-ff', '--ff', '--ff-only', '--squash', '--no-squash', '--commit', '--no-commit', '--abort', '--continue', '--quit', '-q', '--quiet', '-v', '--verbose', '-e', '--edit', '--no-edit', '--stat', '-n', '--no-stat'],
  rebase: ['-i', '--interactive', '--continue', '--abort', '--skip', '--quit', '--autosquash', '--no-autosquash', '--autostash', '--no-autostash', '-q', '--quiet', '-v', '--verbose', '--root', '-f', '--force-rebase'],
  tag: ['-a', '--annotate', '-s', '--sign', '-d', '--delete', '-l', '--list', '-f', '--force', '-n', '-v', '--verify'],
  remote: ['-v', '--verbose', '-f'],
  log: ['--oneline', '--graph', '--all', '--decorate', '--stat', '--shortstat', '-p', '--patch', '--name-only', '--name-status', '--reverse', '--first-parent', '--no-merges', '--merges', '-q'],
  show: ['--stat', '--oneline', '--name-only', '--name-status', '-p', '--patch', '-q', '--quiet'],
  diff: ['--cached', '--staged', '--stat', '--shortstat', '--name-only', '--name-status', '-w', '--ignore-all-space', '-b', '--check', '--quiet', '--exit-code', '--no-index', '--patch', '-p', '-R'],
  shortlog: ['-s', '--summary', '-n', '--numbered', '-e', '--email'],
  'cherry-pick': ['-n', '--no-commit', '-e', '--edit', '-x', '--continue', '--abort', '--skip', '--quit', '-s', '--signoff'],
  revert: ['-n', '--no-commit', '-e', '--edit', '--no-edit', '--continue', '--abort', '--skip', '--quit'],
};

/** What an option is: its table entry, found by its whole name or by a prefix git would take as it
 *  (`--upload` is `--upload-pack`); a prefix of an option that runs programs counts as that option
 *  even when it could mean another too. */
function optionKind(name: string, values: Record<string, OptionValue>, flags: readonly string[]): OptionValue | 'flag' | undefined {
  if (Object.hasOwn(values, name)) return values[name];
  if (flags.includes(name)) return 'flag';
  if (!name.startsWith('--') || name.length < 4) return undefined;
  const longs = Object.keys(values).filter((o) => o.startsWith(name));
  if (longs.some((o) => values[o] === 'runs')) return 'runs';
  const flagLongs = flags.filter((f) => f.startsWith(name));
  if (longs.length === 1 && flagLongs.length === 0) return values[longs[0]!];
  if (flagLongs.length === 1 && longs.length === 0) return 'flag';
  return undefined;
}

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
  const flagList = FLAGS[sub] ?? [];
  /** An option not known here was seen: from there on a word's place says nothing (see FLAGS). */
  let unsure = false;
  let multiple = false;
  const option = (name: string, kind: OptionValue, value: string | undefined): void => {
    if (sub === 'checkout' || sub === 'switch') newBranch = true;
    if (kind === 'runs') runs ??= runsWhy(name);
    else if (kind === 'remote' && value !== undefined) words.push({ word: value, role: 'remote', access: 'write' });
    else if (kind !== 'skip' && value !== undefined) words.push({ word: value, role: 'file', access: kind === 'output' ? 'write' : 'read' });
  };
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
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a : a.slice(0, eq);
      const kind = optionKind(name, values, flagList);
      if (kind === 'flag') {
        if (name === '--multiple') multiple = true;
        if (eq >= 0) flags.push(a);
      } else if (kind === undefined) {
        flags.push(a);
        if (eq < 0) unsure = true;
      } else option(name, kind, eq < 0 ? rest[++i] : a.slice(eq + 1));
      continue;
    }
    // Short options, bundled or not (`-qu cmd`, `-aF file`): letter by letter; one that takes a value
    // takes the rest of the word, or the next word.
    for (let j = 1; j < a.length; j++) {
      const name = `-${a[j]}`;
      const kind = optionKind(name, values, flagList);
      if (kind === 'flag') continue;
      if (kind === undefined) {
        flags.push(a);
        unsure = true;
        break;
      }
      option(name, kind, j + 1 < a.length ? a.slice(j + 1) : rest[++i]);
      break;
    }
  }
  const done = (): GitCommand => {
    // After an option not known here, a "ref" may be a shifted value that names a file: it counts where one is.
    const read = unsure ? words.map((w) => (w.role === 'ref' ? { ...w, role: 'ref-or-file' as const } : w)) : words;
    return { ...g, words: read, flags, ...(runs ? { runs } : {}) };
  };
  const all = (list: string[], role: GitRole, access: 'read' | 'write'): void => {
    for (const word of list) words.push({ word, role, access });
  };
  const [first, ...others] = before;
  if (multiple && sub === 'fetch') {
    all(before, 'remote', 'read');
    all(after, 'ref', 'read');
    return done();
  }
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
  return done();
}
