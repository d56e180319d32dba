// File targets of a shell command, worked out without running it: `cd`, redirections (also `>&file`
// and `&>file`), path-like arguments, `~`, `~+`, `~-`, `~user` and $HOME as the shell expands them,
// ANSI-C quoting ($'\x2f'), values glued to options (`-o/x`, `--output=/x`) and `key=value` words
// (`dd if=… of=…`), and bare words that may name files in the current folder (they count when such a
// file exists). What a command does with its arguments is read for the commands that matter: the
// destination of cp/mv/install/ln, every argument of touch/tee/chmod…, `dd of=`, `sed -i` are writes;
// arguments of commands not known to only read are "may write" (the sensitive-files check runs on
// them). When the command can reach files nobody can name in advance (substitutions, eval, other
// variables, interpreters), it is marked opaque so it is never auto-allowed; a word whose value cannot
// be known (a glob, a variable, program text for sed/awk/`perl -e`, a recursive walk that follows
// links, `~user`/`~+`/`~-`) makes it `unknowable`, so no remembered rule matches it either. git's
// branch names, refs, remotes and URLs are not files (git-words-policy.ts tells them apart).

import { readGit, type GitWord } from './git-words-policy.js';

/** A user's home folder: a path, null when there is no such user, undefined when it cannot be told. */
export type UserHomeLookup = (name: string) => string | null | undefined;

export interface ShellContext {
  cwd: string;
  home: string;
  userHome?: UserHomeLookup;
}

export interface ShellTarget {
  /** As the shell would see it (absolute, or relative to `cwd`: the folder at that point). */
  path: string;
  access: 'read' | 'write';
  cwd: string;
  /** A bare word: a target only if such a file exists (or is a link, even a dangling one). */
  maybe?: boolean;
  /** Not known to be only read: the sensitive-files check runs on it as on a write. */
  mayWrite?: boolean;
  /** A file cp/mv/ln would create inside the folder named by another word: counts when that folder
   *  exists (`cp x/.envrc .` writes ./.envrc). */
  into?: boolean;
}

export interface BashTargets {
  targets: ShellTarget[];
  opaque: boolean;
  opaqueReason?: string;
  /** Why a word's value cannot be known before the command runs. */
  unknowable?: string;
}

const SEPARATORS = new Set([';', '&&', '||', '|', '&', '\n']);
/** Redirection operators: `>`, `>>`, `<`, `>|`, `<>`, with an optional fd, and `&>`/`&>>`/`>&`/`<&`. */
const REDIRECT = /^(\d*)(>&|<&|>>|>\||<>|>|<)$|^(&>>?)$/;
const REDIRECT_ATTACHED = /^(?:(\d*)(>&|<&|>>|>\||<>|>|<)|(&>>?))(.+)$/;
const OPAQUE_COMMANDS = new Set(['eval', 'source', '.', 'exec', 'xargs', 'sh', 'bash', 'zsh', 'python', 'python3', 'node', 'perl', 'ruby']);
/** Words that never name a file (a command's verbs and common values). */
const NOT_FILES = /^[-+]|^\d+$|=|^$/;

interface Token {
  text: string;
  op: boolean;
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

/** The body of $'…' with its escapes applied, and where it ends. */
function ansiC(cmd: string, start: number): { text: string; end: number } | undefined {
  let text = '';
  for (let i = start; i < cmd.length; i++) {
    const ch = cmd[i]!;
    if (ch === "'") return { text, end: i };
    if (ch !== '\\' || i + 1 >= cmd.length) {
      text += ch;
      continue;
    }
    const next = cmd[++i]!;
    const hex = /^x([0-9a-fA-F]{1,2})/.exec(cmd.slice(i));
    const uni = /^[uU]([0-9a-fA-F]{1,8})/.exec(cmd.slice(i));
    const oct = /^[0-7]{1,3}/.exec(cmd.slice(i));
    if (hex) {
      text += String.fromCharCode(parseInt(hex[1]!, 16));
      i += hex[0].length - 1;
    } else if (uni) {
      const cp = parseInt(uni[1]!, 16);
      text += cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
      i += uni[0].length - 1;
    } else if (oct) {
      text += String.fromCharCode(parseInt(oct[0], 8) & 0xff);
      i += oct[0].length - 1;
    } else text += ESCAPES[next] ?? `\\${next}`;
  }
  return undefined;
}

/** A quoted `~` and a `$` quoted to be literal stand in words as these private-use characters, so
 *  expansion skips them (bash expands neither); expandWord turns them back into themselves. */
const LITERAL_TILDE = '\uE07E';
const LITERAL_DOLLAR = '\uE024';
/** Quoted glob characters are literal to the shell too (`'*'`, `\?`, `"["`): stand-ins as above. */
const LITERAL_GLOB: Record<string, string> = { '*': '\uE02A', '?': '\uE03F', '[': '\uE05B' };
/** An unquoted `*`, `?`, or `[` with a `]` after it: the shell replaces the word by the names that match. */
const GLOB = /[*?]|\[.*\]/s;

function tokenize(cmd: string): { tokens: Token[]; opaque?: string } {
  const tokens: Token[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | undefined;
  let opaque: string | undefined;
  // The word began with an unquoted `~` and no unquoted `/` has ended its tilde-prefix yet: a quoted
  // character inside that prefix turns tilde expansion off (bash: "if none of the characters in the
  // tilde-prefix are quoted").
  let tildeOpen = false;
  let tildeAt = 0;
  const literalTilde = (): void => {
    cur = cur.slice(0, tildeAt) + LITERAL_TILDE + cur.slice(tildeAt + 1);
    tildeOpen = false;
  };
  const push = (): void => {
    if (has) tokens.push({ text: cur, op: false });
    cur = '';
    has = false;
    tildeOpen = false;
  };
  const addQuoted = (text: string, literal: boolean): void => {
    if (tildeOpen && text !== '') literalTilde();
    for (const c of text) cur += c === '~' ? LITERAL_TILDE : literal && c === '$' ? LITERAL_DOLLAR : (LITERAL_GLOB[c] ?? c);
    has = true;
  };
  const addUnquoted = (ch: string): void => {
    // A word starts after a redirection operator too (`>~/x`: the shell reads `>` and then `~/x`).
    if (ch === '~' && ((cur === '' && !has) || REDIRECT.test(cur))) {
      tildeOpen = true;
      tildeAt = cur.length;
    }
    else if (tildeOpen && ch === '/') tildeOpen = false;
    cur += ch;
    has = true;
  };
  for (let i = 0; i < cmd.length; i++) {
    const ch = cmd[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else addQuoted(ch, true);
      continue;
    }
    if (ch === '\\' && i + 1 < cmd.length) {
      addQuoted(cmd[++i]!, true);
      continue;
    }
    if (ch === '`' || (ch === '$' && cmd[i + 1] === '(')) opaque ??= 'it runs a command substitution';
    if (ch === '<' && cmd[i + 1] === '(') opaque ??= 'it uses process substitution';
    if (quote === '"') {
      if (ch === '"') quote = undefined;
      else addQuoted(ch, false);
      continue;
    }
    if (ch === '$' && cmd[i + 1] === "'") {
      // ANSI-C quoting: $'\x2f' is "/", so the word is what the shell will use, not what it looks like.
      const body = ansiC(cmd, i + 2);
      if (!body) {
        opaque ??= 'it has an unterminated quote';
        break;
      }
      addQuoted(body.text, true);
      has = true;
      i = body.end;
      continue;
    }
    if (ch === '$' && cmd[i + 1] === '"') continue; // $"…" is a translated string: quoted like "…"
    if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
      // Even an empty quoted part belongs to the tilde-prefix and makes it literal.
      if (tildeOpen) literalTilde();
      continue;
    }
    if (ch === ' ' || ch === '\t') {
      push();
      continue;
    }
    const two = cmd.slice(i, i + 2);
    if (two === '&&' || two === '||') {
      push();
      tokens.push({ text: two, op: true });
      i++;
      continue;
    }
    // `&` is a separator unless it is part of a redirection (`&>`, `>&`, `2>&1`).
    if (ch === ';' || ch === '|' || ch === '\n' || (ch === '&' && cmd[i + 1] !== '>' && cur.at(-1) !== '>' && cur.at(-1) !== '<')) {
      if (ch === '|' && cur.at(-1) === '>') {
        cur += ch; // `>|` (clobber)
        continue;
      }
      push();
      tokens.push({ text: ch, op: true });
      continue;
    }
    addUnquoted(ch);
  }
  if (quote) opaque ??= 'it has an unterminated quote';
  push();
  return { tokens, opaque };
}

/** A word that can only be a path: absolute, from home, or from the current folder (`feature/x` can be a branch too). */
function anchoredPath(word: string): boolean {
  return word.startsWith('/') || word.startsWith('~') || word.startsWith('./') || word.startsWith('../') || word === '..' || word === '.' || word.startsWith('$HOME') || word.startsWith('${HOME}');
}

/** A word that names a path by its shape (other words are only "maybe" files). */
function looksLikePath(word: string): boolean {
  return anchoredPath(word) || /^[^:=]+\/[^\s]*$/.test(word);
}

/** A value glued to an option (`--output=FILE`, `-oFILE`); `-la` gives "a", which counts only where it looks like a path. */
function gluedValue(option: string): string | undefined {
  const eq = option.indexOf('=');
  return option.startsWith('--') ? (eq < 0 ? undefined : option.slice(eq + 1)) : option.length > 2 && !/^-\d+$/.test(option) ? option.slice(2) : undefined;
}

export type Expansion = { ok: true; path: string } | { ok: false; why: string };

/**
 * A word as the shell expands it for a path: `~`, `~/…`, `~+` (the current folder), `~-` (the previous
 * one, known only after a `cd` in the same command), `~name` (that user's home; left as written when
 * there is no such user), $HOME and ${HOME}. Any other variable makes it unknowable.
 */
export function expandWord(word: string, ctx: ShellContext & { dir: string; previousDir?: string }): Expansion {
  let w = word;
  const tilde = /^~([^/]*)(\/.*)?$/.exec(w);
  if (tilde) {
    const [, name = '', rest = ''] = tilde;
    if (name === '') w = ctx.home + rest;
    else if (name === '+') w = ctx.dir + rest;
    else if (name === '-') {
      if (ctx.previousDir === undefined) return { ok: false, why: `"${word}" names the previous folder, which is not known` };
      w = ctx.previousDir + rest;
    } else if (/^[A-Za-z_][A-Za-z0-9._-]*$/.test(name)) {
      const home = ctx.userHome?.(name);
      if (home === undefined) return { ok: false, why: `"~${name}" names the home folder of a user Cowork Companion cannot look up` };
      if (home !== null) w = home + rest;
    }
  }
  w = w.replace(/^\$\{HOME\}|^\$HOME(?![A-Za-z0-9_])/, ctx.home);
  if (/\$[A-Za-z_{@*#?$!0-9-]/.test(w)) return { ok: false, why: `"${literal(word)}" depends on a variable` };
  return { ok: true, path: literal(w) };
}

const literal = (w: string): string =>
  w.replaceAll(LITERAL_TILDE, '~').replaceAll(LITERAL_DOLLAR, '$').replaceAll(LITERAL_GLOB['*']!, '*').replaceAll(LITERAL_GLOB['?']!, '?').replaceAll(LITERAL_GLOB['[']!, '[');

/** `~name/…` unresolved (no such user) stays relative to the folder, as the shell leaves it. */
const isAbsolute = (p: string): boolean => p.startsWith('/');

/** Where a glob's names can come from: the folder before its first wildcard. */
function globDir(word: string): string {
  const fixed = word.slice(0, word.search(/[*?[]/));
  const slash = fixed.lastIndexOf('/');
  return slash < 0 ? '.' : fixed.slice(0, slash) || '/';
}

/** The command's name without its folder (`/bin/cp` is cp), as the shell will find it. */
const commandName = (word: string): string => literal(word).split('/').pop() ?? '';

/** Commands whose file arguments are only read (values of their output options excepted). */
const READ_ONLY = new Set([
  'cat', 'tac', 'less', 'more', 'head', 'tail', 'wc', 'ls', 'grep', 'egrep', 'fgrep', 'rg', 'diff', 'cmp', 'comm', 'stat', 'du', 'df',
  'echo', 'printf', 'pwd', 'which', 'type', 'test', '[', 'realpath', 'readlink', 'basename', 'dirname', 'md5sum', 'sha1sum', 'sha256sum',
  'sha512sum', 'b2sum', 'cksum', 'od', 'hexdump', 'strings', 'nl', 'cut', 'tr', 'column', 'jq', 'fold', 'paste', 'join', 'find', 'true',
  'false', 'sleep', 'date', 'id', 'whoami', 'uname',
]);
/** Git subcommands that read the files they name. */
const GIT_READS = new Set(['status', 'log', 'diff', 'show', 'blame', 'grep', 'ls-files', 'ls-tree', 'rev-parse', 'describe', 'shortlog', 'add', 'commit', 'fetch', 'branch', 'tag', 'remote', 'reflog', 'cat-file', 'show-ref', 'rev-list']);
/** Commands that write (create or change) every file they name. (rm and other commands not known to only
 *  read fall to the default: their existing arguments "may write".) */
const WRITES_EVERY_ARGUMENT = new Set(['touch', 'truncate', 'tee', 'mkdir', 'chmod', 'chown', 'chgrp', 'shred', 'mkfifo', 'mknod']);
/** Commands whose last argument (or `-t DIR`) is written from the others. */
const COPIES = new Set(['cp', 'mv', 'install', 'ln', 'link', 'rsync', 'scp']);
/** Commands that run the command after their own options. */
const WRAPPERS = new Set(['command', 'builtin', 'nice', 'nohup', 'time', 'env', 'sudo', 'doas', 'timeout', 'stdbuf', 'ionice']);
/** Options whose separate value is a file the command writes (`sort -o FILE`, `curl -o FILE`). */
const OUTPUT_OPTIONS = new Set(['-o', '--output', '--output-file', '--out', '--outfile', '--out-file', '--log-file', '--logfile']);
const KEY_VALUE = /^[^=/]+=/;

/** Why a program given on the command line makes the command's file access unknowable. */
function inlineProgram(cmd: string, args: string[]): string | undefined {
  const cluster = (re: RegExp): boolean => args.some((a) => /^-[^-]/.test(a) && re.test(a.slice(1)));
  const long = (...names: string[]): boolean => args.some((a) => names.includes(a.split('=')[0]!));
  const runs = `"${cmd}" runs a program given on its command line, whose file access cannot be read from its words`;
  if (/^(awk|gawk|mawk|nawk)$/.test(cmd)) return runs;
  if (/^(sh|bash|zsh|dash|ksh)$/.test(cmd) && cluster(/c/)) return runs;
  if (/^python[\d.]*$/.test(cmd) && cluster(/c/)) return runs;
  if (/^(node|nodejs)$/.test(cmd) && (cluster(/[ep]/) || long('--eval', '--print'))) return runs;
  if (cmd === 'perl' && cluster(/[eE]/)) return runs;
  if (cmd === 'ruby' && cluster(/e/)) return runs;
  if (cmd === 'php' && cluster(/[rB]|E/)) return runs;
  if (cmd === 'env' && (cluster(/S/) || long('--split-string'))) return runs;
  return undefined;
}

/** Why a recursive walk of this command may reach files through links (or run commands) nobody named. */
function walksThroughLinks(cmd: string, args: string[]): string | undefined {
  const short = (c: string): boolean => args.some((a) => /^-[^-]/.test(a) && a.slice(1).includes(c));
  const long = (...names: string[]): boolean => args.some((a) => names.includes(a.split('=')[0]!));
  const follows = `"${cmd}" walks folders following symbolic links, which may lead outside the shared folders`;
  const runs = `"${cmd}" runs a command named in its options`;
  switch (cmd) {
    case 'grep':
    case 'egrep':
    case 'fgrep':
      return short('R') || long('--dereference-recursive') ? follows : undefined;
    case 'rg':
      return long('--pre') ? runs : short('L') || long('--follow') ? follows : undefined;
    case 'cp':
    case 'du':
      return short('L') || long('--dereference') ? follows : undefined;
    case 'ls':
      return (short('L') || long('--dereference')) && (short('R') || long('--recursive')) ? follows : undefined;
    case 'chmod':
    case 'chown':
    case 'chgrp':
      return short('L') ? follows : undefined;
    case 'tree':
      return short('l') ? follows : undefined;
    case 'find':
      if (args.some((a) => ['-exec', '-execdir', '-ok', '-okdir', '-delete', '-fprint', '-fprint0', '-fprintf', '-fls'].includes(a))) return `"find" runs commands or writes files named in its expression`;
      return args.some((a) => a === '-L' || a === '-follow') ? follows : undefined;
    case 'rsync':
      if (short('e') || long('--rsh', '--rsync-path')) return runs;
      return short('L') || short('k') || short('K') || long('--copy-links', '--copy-unsafe-links', '--copy-dirlinks', '--keep-dirlinks') ? follows : undefined;
    case 'scp':
      return short('S') || short('o') || short('F') ? runs : short('r') ? follows : undefined;
    case 'tar': {
      const old = args[0] !== undefined && /^[A-Za-z]+$/.test(args[0]) ? args[0] : ''; // `tar czhf …`
      if (short('I') || short('F') || long('--to-command', '--use-compress-program', '--checkpoint-action', '--info-script', '--new-volume-script')) return runs;
      return short('h') || old.includes('h') || long('--dereference') ? follows : undefined;
    }
    case 'zip':
      return (short('r') || short('R') || long('--recurse-paths')) && !(short('y') || long('--symlinks')) ? follows : undefined;
    default:
      return undefined;
  }
}

/** Why this command writes files whose names come from an archive or a patch (none of them is in its
 *  words, so any of them may be `.git/hooks/pre-commit` or a path outside the folder). */
function writesNamesFromContent(cmd: string, args: string[]): string | undefined {
  const short = (c: string): boolean => args.some((a) => /^-[^-]/.test(a) && a.slice(1).includes(c));
  const long = (...names: string[]): boolean => args.some((a) => names.includes(a.split('=')[0]!));
  const why = `"${cmd}" writes files whose names come from the archive or patch it reads, which Cowork Companion cannot see`;
  const sub = args.find((a) => !a.startsWith('-'));
  switch (cmd) {
    case 'tar':
    case 'bsdtar': {
      const old = args[0] !== undefined && /^[A-Za-z]+$/.test(args[0]) ? args[0] : ''; // `tar xzf …`
      return short('x') || old.includes('x') || long('--extract', '--get') ? why : undefined;
    }
    case 'unzip':
      return short('l') || short('t') || short('v') || short('Z') || short('p') ? undefined : why;
    case 'patch':
      return long('--dry-run') ? undefined : why;
    case 'git':
      if (sub === 'am') return why;
      return sub === 'apply' && !long('--check', '--stat', '--numstat', '--summary') ? why : undefined;
    case 'cpio':
      return short('i') || long('--extract') ? why : undefined;
    case '7z':
    case '7za':
    case '7zr':
      return sub === 'x' || sub === 'e' ? why : undefined;
    case 'ar':
    case 'jar':
      return sub !== undefined && /x/.test(sub) ? why : short('x') ? why : undefined;
    default:
      return undefined;
  }
}

// A sed script that only prints, deletes, substitutes or transliterates (no `w`/`W`/`r`/`R` file, no
// `e` command or flag): anything else is read as a program nobody checked.
const SED_RE = String.raw`/(?:[^/\\\n]|\\.)*/`;
const SED_ADDR = String.raw`(?:\d+|\$|${SED_RE}I?)(?:~\d+)?`;
const SED_COMMAND = new RegExp(
  String.raw`^\s*(?:${SED_ADDR}(?:\s*,\s*(?:${SED_ADDR}|[+~]\d+))?\s*!?)?\s*(?:[pdqQ=lnNDGghHxzP]|s${SED_RE}(?:[^/\\\n]|\\.)*/[gpiImM0-9]*|y${SED_RE}(?:[^/\\\n]|\\.)*/)\s*$`,
);
const safeSedScript = (script: string): boolean => script.split(/[;\n]/).every((c) => c.trim() === '' || SED_COMMAND.test(c));

interface SedCall {
  scripts: string[];
  files: string[];
  inPlace: boolean;
  problem?: string;
}

function readSed(args: string[]): SedCall {
  const call: SedCall = { scripts: [], files: [], inPlace: false };
  let explicit = false;
  let endOpts = false;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (endOpts || !a.startsWith('-') || a === '-') {
      positional.push(a);
      continue;
    }
    if (a === '--') {
      endOpts = true;
      continue;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a : a.slice(0, eq);
      const value = eq < 0 ? undefined : a.slice(eq + 1);
      if (name === '--expression') {
        explicit = true;
        call.scripts.push(value ?? args[++i] ?? '');
      } else if (name === '--file') call.problem ??= 'sed reads its script from a file';
      else if (name === '--in-place') call.inPlace = true;
      else if (name === '--line-length') {
        if (value === undefined) i++;
      } else if (!['--quiet', '--silent', '--regexp-extended', '--posix', '--sandbox', '--debug', '--separate', '--null-data', '--zero-terminated', '--unbuffered', '--follow-symlinks'].includes(name)) {
        call.problem ??= `sed's option ${name} is not one Cowork Companion reads`;
      }
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (c === 'e') {
        explicit = true;
        call.scripts.push(a.slice(j + 1) || (args[++i] ?? ''));
        break;
      }
      if (c === 'f') {
        call.problem ??= 'sed reads its script from a file';
        break;
      }
      if (c === 'l') {
        if (j + 1 === a.length) i++;
        break;
      }
      if (c === 'i') {
        call.inPlace = true; // the rest is a backup suffix
        break;
      }
      if (!'nrEsuz'.includes(c)) {
        call.problem ??= `sed's option -${c} is not one Cowork Companion reads`;
        break;
      }
    }
  }
  if (!explicit) {
    const script = positional.shift();
    if (script === undefined) call.problem ??= 'sed has no script';
    else call.scripts.push(script);
  }
  call.files = positional;
  return call;
}

interface Use {
  access: 'read' | 'write';
  /** Only when such a file exists. */
  maybe?: boolean;
  mayWrite?: boolean;
  into?: boolean;
}

export function bashTargets(command: string, ctx: ShellContext): BashTargets {
  const { tokens, opaque: tokOpaque } = tokenize(command);
  const result: BashTargets = { targets: [], opaque: false };
  const markOpaque = (why: string): void => {
    if (!result.opaque) {
      result.opaque = true;
      result.opaqueReason = why;
    }
  };
  const markUnknowable = (why: string): void => {
    result.unknowable ??= why;
    markOpaque(why);
  };
  if (tokOpaque) {
    if (/substitution|unterminated/.test(tokOpaque)) markUnknowable(tokOpaque);
    else markOpaque(tokOpaque);
  }
  let dir = ctx.cwd;
  let previousDir: string | undefined;
  let words: string[] = [];
  const expand = (raw: string): string | undefined => {
    const e = expandWord(raw, { ...ctx, dir, previousDir });
    if (!e.ok) return void markUnknowable(e.why);
    // `~+`, `~-` and `~user` are checked as the folder they name, but no rule may stand for them.
    const tilde = /^~([^/]+)/.exec(raw);
    if (tilde) result.unknowable ??= `"~${literal(tilde[1]!)}" names a folder that depends on the shell's state or the user database`;
    return e.path;
  };
  const seen = new Set<string>();
  const add = (raw: string, use: Use): void => {
    let word = raw;
    let maybe = use.maybe === true;
    if (GLOB.test(word)) {
      // The shell replaces the pattern by names it finds there, links out of the scope included.
      markUnknowable(`"${literal(word)}" is a pattern the shell expands to names Cowork Companion has not seen`);
      word = globDir(word);
      maybe = false;
    }
    const p = expand(word);
    if (p === undefined) return;
    const target: ShellTarget = { path: p, access: use.access, cwd: dir, ...(maybe ? { maybe } : {}), ...(use.mayWrite && use.access === 'read' ? { mayWrite: true } : {}), ...(use.into ? { into: true } : {}) };
    const key = JSON.stringify(target);
    if (seen.has(key)) return;
    seen.add(key);
    result.targets.push(target);
  };
  /** A value glued to an option or after `key=`: read as the shell passes it and as a program may. */
  const addValue = (value: string, use: Use): void => {
    if (value === '') return;
    const parts = value.split(':');
    if (!looksLikePath(value) && !parts.some(looksLikePath)) {
      if (!NOT_FILES.test(value)) add(value, { ...use, maybe: use.maybe ?? true });
      return;
    }
    const sure = { ...use, maybe: false };
    // `~` at the start (bash expands it in `name=~/x`; a program may do so after `--opt=`) and as written.
    add(value, sure);
    if (value.startsWith('~')) add(LITERAL_TILDE + value.slice(1), sure);
    // After ":" in `name=a:~/b` bash expands `~` too; each part may be a path of its own (PATH-like).
    if (parts.length > 1) for (const part of parts) if (looksLikePath(part)) add(part, sure);
  };
  /** A word of a git command, by what git makes of it (git-words-policy.ts). */
  const gitWord = ({ word, role, access }: GitWord): void => {
    // `:/x`, `:(top)x`: git reads these from the repository's top folder, which may be above the shared one.
    if (word.startsWith(':')) return markUnknowable(`git reads "${word}" from the top of the repository, which may be outside the shared folders`);
    if (/^file:/i.test(word)) {
      // git ignores a host in `file://host/path` and decodes `%2e`: only a plain `file:///path` is known.
      const path = /^file:\/\/(\/[^%]*)$/i.exec(word)?.[1];
      if (path === undefined) return markUnknowable(`the git URL "${word}" names a local path Cowork Companion cannot read for certain`);
      return add(path, { access });
    }
    // Wherever it stands, a word that can only be a path is one (a value of an option not known here
    // shifts the words' places).
    if (anchoredPath(word)) return add(word, { access: role === 'ref' ? 'read' : access });
    if (role === 'ref') return;
    // A URL (`https://…`, `ssh://…`) or `host:path` (`git@github.com:org/app.git`) is another machine.
    if (role === 'remote' && (/^[a-z][a-z0-9+.-]*:\/\//i.test(word) || /^[^/]*:/.test(word))) return;
    if (role === 'file' || role === 'new-folder') add(word, { access });
    // A name that may be a ref or a folder of that name: it counts when such a file exists.
    else if (!NOT_FILES.test(word)) add(word, { access, maybe: true });
  };
  const classify = (cmd: string, args: string[]): void => {
    if (cmd === 'cd' || cmd === 'pushd') {
      const target = args.find((a) => !a.startsWith('-'));
      const expanded = target === undefined ? ctx.home : expand(target);
      if (expanded === undefined) return;
      result.targets.push({ path: expanded, access: 'read', cwd: dir });
      previousDir = dir;
      dir = isAbsolute(expanded) ? expanded : `${dir}/${expanded}`;
      return;
    }
    if (cmd === 'git') {
      const git = readGit(args);
      if (git.runs) markUnknowable(git.runs);
      // `git -C a -C b …` works in a/b: its words are read from there, and the next command from here again.
      const outer = dir;
      try {
        for (const c of git.chdir) {
          add(c, { access: 'read', mayWrite: true });
          const e = expand(c);
          if (e === undefined) return;
          dir = isAbsolute(e) ? e : `${dir}/${e}`;
        }
        for (const folder of git.folders) add(folder, { access: 'read', mayWrite: true });
        if (!git.words) return classifyCommand(cmd, args.slice(git.subAt));
        for (const w of git.words) gitWord(w);
        for (const flag of git.flags ?? []) {
          const value = gluedValue(flag);
          if (value !== undefined && (looksLikePath(value) || value.split(':').some(looksLikePath))) addValue(value, { access: 'read', mayWrite: true });
        }
      } finally {
        dir = outer;
      }
      return;
    }
    classifyCommand(cmd, args);
  };
  /** How a command other than `cd` uses its words. */
  const classifyCommand = (cmd: string, args: string[]): void => {
    const program = inlineProgram(cmd, args);
    if (program) markUnknowable(program);
    const walk = walksThroughLinks(cmd, args);
    if (walk) markUnknowable(walk);
    const unpacks = writesNamesFromContent(cmd, args);
    if (unpacks) markUnknowable(unpacks);
    if (cmd === 'sed') {
      const sed = readSed(args);
      if (sed.problem) markUnknowable(sed.problem);
      for (const script of sed.scripts) {
        const e = expandWord(script, { ...ctx, dir, previousDir });
        if (!e.ok) markUnknowable(e.why);
        else if (!safeSedScript(e.path)) markUnknowable(`the sed script "${e.path}" may write files, read files or run commands (w, r, e…)`);
      }
      for (const f of sed.files) {
        if (looksLikePath(f)) add(f, { access: sed.inPlace ? 'write' : 'read' });
        else if (!NOT_FILES.test(f)) add(f, { access: sed.inPlace ? 'write' : 'read', maybe: true });
      }
      return;
    }
    const gitRead = cmd === 'git' && GIT_READS.has(args.find((a) => !a.startsWith('-')) ?? '');
    const readOnly = READ_ONLY.has(cmd) || gitRead;
    const copies = COPIES.has(cmd);
    // How the command uses a plain argument.
    const use: Use = WRITES_EVERY_ARGUMENT.has(cmd) ? { access: 'write' } : readOnly || copies ? { access: 'read', maybe: true } : { access: 'read', maybe: true, mayWrite: true };
    const unsure: Use = { access: 'read', mayWrite: true };
    const positionals: { word: string; use: Use }[] = [];
    let targetDir: string | undefined;
    let endOpts = false;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (!endOpts && a === '--') {
        endOpts = true;
        continue;
      }
      if (!endOpts && a.startsWith('-') && a !== '-') {
        const eq = a.indexOf('=');
        const name = a.startsWith('--') ? (eq < 0 ? a : a.slice(0, eq)) : a.slice(0, 2);
        const output = OUTPUT_OPTIONS.has(name);
        const valueUse: Use = output ? { access: 'write', maybe: false } : unsure;
        if (copies && cmd !== 'rsync' && cmd !== 'scp' && (name === '--target-directory' || (/^-[A-Za-z]*t/.test(a) && !a.startsWith('--')))) {
          // cp/mv/install/ln -t DIR, -tDIR, --target-directory[=]DIR
          const attached = a.startsWith('--') ? (eq < 0 ? '' : a.slice(eq + 1)) : a.slice(a.indexOf('t') + 1);
          targetDir = attached || args[++i];
          continue;
        }
        // A value glued to the option (`--output=FILE`, `-oFILE`, `-I/usr/include`): a file when it is the
        // value of an output option or looks like a path (`-la` is two flags, not the file "a").
        const value = gluedValue(a);
        if (value !== undefined) {
          if (output || looksLikePath(value) || value.split(':').some(looksLikePath)) addValue(value, valueUse);
        } else if (output && i + 1 < args.length) positionals.push({ word: args[++i]!, use: { access: 'write' } });
        continue;
      }
      positionals.push({ word: a, use });
    }
    const plain = (word: string, u: Use): void => {
      if (looksLikePath(word)) add(word, { ...u, maybe: false });
      else if (KEY_VALUE.test(word)) {
        // `dd if=… of=…` and other key=value arguments: the value may be a file.
        const eq = word.indexOf('=');
        const key = word.slice(0, eq);
        const valueUse: Use = cmd === 'dd' ? (key === 'of' ? { access: 'write', maybe: false } : key === 'if' ? { access: 'read', maybe: false } : unsure) : { access: u.access, ...(u.mayWrite ? { mayWrite: true } : {}) };
        addValue(word.slice(eq + 1), valueUse);
      } else if (!NOT_FILES.test(word)) add(word, u);
    };
    if (copies) {
      const names = positionals.filter((p) => p.use === use).map((p) => p.word);
      for (const p of positionals) if (p.use !== use) plain(p.word, p.use);
      const dest = targetDir ?? (names.length >= 2 ? names.pop() : undefined);
      const sources = names;
      for (const s of sources) plain(s, cmd === 'mv' ? { access: 'read', maybe: true, mayWrite: true } : { access: 'read', maybe: true });
      const leaf = (s: string): string => s.replace(/\/+$/, '').split('/').pop() ?? s;
      if (dest !== undefined) {
        plain(dest, { access: 'write' });
        // Into a folder: the file it creates there (`cp x/.envrc .` writes ./.envrc).
        for (const s of sources) if (leaf(s) !== '' && leaf(s) !== '.' && leaf(s) !== '..') add(`${dest.replace(/\/+$/, '')}/${leaf(s)}`, { access: 'write', into: true });
      } else if ((cmd === 'ln' || cmd === 'link') && sources.length === 1) {
        add(`./${leaf(sources[0]!)}`, { access: 'write' }); // `ln -s /x` makes ./x
      }
      return;
    }
    for (const p of positionals) plain(p.word, p.use);
  };
  /** `GIT_SSH_COMMAND=…`, `GIT_DIR=…`, `GIT_CONFIG_*`…: git takes programs and folders from these. */
  const gitEnvironment = (word: string): void => {
    if (/^GIT_[A-Za-z0-9_]*=/.test(word)) markUnknowable(`${word.slice(0, word.indexOf('='))} in the environment can make git run programs or use other folders`);
  };
  const finish = (): void => {
    const all = words;
    words = [];
    if (all.length === 0) return;
    for (const w of all) if (GLOB.test(w)) markUnknowable(`"${literal(w)}" is a pattern the shell expands to names Cowork Companion has not seen`);
    if (/\$/.test(all[0]!)) markUnknowable('the command name depends on a variable');
    // `nice -n 5 cp …`, `env X=1 sed …`, `timeout 5 grep …`: the command is the one after the wrapper.
    let rest = all;
    while (rest.length > 1 && WRAPPERS.has(commandName(rest[0]!))) {
      const wrapper = commandName(rest[0]!);
      const more = inlineProgram(wrapper, rest.slice(1));
      if (more) markUnknowable(more);
      let i = 1;
      while (i < rest.length && (rest[i]!.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[i]!) || ((wrapper === 'timeout' || wrapper === 'nice') && /^\d/.test(rest[i]!)))) gitEnvironment(rest[i++]!);
      rest = rest.slice(i);
    }
    for (const w of [all[0]!, rest[0] ?? '']) {
      const name = commandName(w);
      if (OPAQUE_COMMANDS.has(name) || /^python[\d.]*$/.test(name)) markOpaque(`"${name}" runs code whose file access cannot be known in advance`);
    }
    if (rest.length === 0) return;
    classify(commandName(rest[0]!), rest.slice(1));
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.op) {
      if (SEPARATORS.has(t.text)) finish();
      continue;
    }
    const alone = REDIRECT.exec(t.text);
    const attached = alone ? null : REDIRECT_ATTACHED.exec(t.text);
    if (alone || attached) {
      const op = (attached ? (attached[2] ?? attached[3]) : (alone![2] ?? alone![3]))!;
      const target = attached ? attached[4]! : tokens[++i]?.text;
      if (target === undefined) {
        markOpaque('a redirection has no target');
        continue;
      }
      // `>&2`, `2>&1`, `<&0`, `>&-`: a file descriptor, not a file. `>&file` and `&>file` write the file.
      if ((op === '>&' || op === '<&') && /^(\d+|-)$/.test(target)) continue;
      if (target === '/dev/null') continue;
      add(target, { access: op === '<' || op === '<&' ? 'read' : 'write' });
      continue;
    }
    if (words.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(t.text)) {
      gitEnvironment(t.text);
      continue; // VAR=value prefix
    }
    words.push(t.text);
  }
  finish();
  return result;
}
