// File targets of a shell command, worked out without running it: `cd`, redirections (also `>&file`
// and `&>file`), path-like arguments, `~`, `~+`, `~-`, `~user` and $HOME as the shell expands them,
// ANSI-C quoting ($'\x2f'), and bare words that may name files in the current folder (they count when
// such a file exists). When the command can reach files nobody can name in advance (substitutions,
// eval, other variables, interpreters), it is marked opaque so it is never auto-allowed; a word whose
// value cannot be known makes it `unknowable`, so no remembered rule matches it either.

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
  /** A bare word: a target only if such a file exists. */
  maybe?: boolean;
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
    for (const c of text) cur += c === '~' ? LITERAL_TILDE : literal && c === '$' ? LITERAL_DOLLAR : c;
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

function looksLikePath(word: string): boolean {
  if (word.startsWith('-')) {
    const eq = word.indexOf('=');
    return eq > 0 && looksLikePath(word.slice(eq + 1));
  }
  return word.startsWith('/') || word.startsWith('~') || word.startsWith('./') || word.startsWith('../') || word === '..' || word === '.' || /^[^:=]+\/[^\s]*$/.test(word) || word.startsWith('$HOME') || word.startsWith('${HOME}');
}

function stripOptionPrefix(word: string): string {
  if (!word.startsWith('-')) return word;
  const eq = word.indexOf('=');
  return eq > 0 ? word.slice(eq + 1) : word;
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

const literal = (w: string): string => w.replaceAll(LITERAL_TILDE, '~').replaceAll(LITERAL_DOLLAR, '$');

/** `~name/…` unresolved (no such user) stays relative to the folder, as the shell leaves it. */
const isAbsolute = (p: string): boolean => p.startsWith('/');

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
    return e.path;
  };
  const add = (raw: string, access: 'read' | 'write', maybe = false): void => {
    const p = expand(raw);
    if (p !== undefined) result.targets.push({ path: p, access, cwd: dir, ...(maybe ? { maybe } : {}) });
  };
  const finish = (): void => {
    const [name, ...args] = words;
    words = [];
    if (name === undefined) return;
    if (OPAQUE_COMMANDS.has(name)) markOpaque(`"${name}" runs code whose file access cannot be known in advance`);
    if (/\$/.test(name)) markUnknowable('the command name depends on a variable');
    if (name === 'cd' || name === 'pushd') {
      const target = args.find((a) => !a.startsWith('-'));
      const expanded = target === undefined ? ctx.home : expand(target);
      if (expanded === undefined) return;
      result.targets.push({ path: expanded, access: 'read', cwd: dir });
      previousDir = dir;
      dir = isAbsolute(expanded) ? expanded : `${dir}/${expanded}`;
      return;
    }
    for (const a of args) {
      if (looksLikePath(a)) add(stripOptionPrefix(a), 'read');
      else if (!NOT_FILES.test(a)) add(a, 'read', true);
    }
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
      add(target, op === '<' || op === '<&' ? 'read' : 'write');
      continue;
    }
    if (words.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(t.text)) continue; // VAR=value prefix
    words.push(t.text);
  }
  finish();
  return result;
}
