// Best-effort file targets of a shell command: `cd`, redirections, path-like arguments, `~` and
// $HOME. When the command can reach files we cannot name (substitutions, eval, other variables),
// it is marked opaque so it is never auto-allowed.
export interface BashTargets {
  /** Paths as the shell would see them (absolute or relative to the cwd at that point). */
  targets: { path: string; access: 'read' | 'write'; cwd: string }[];
  opaque: boolean;
  opaqueReason?: string;
}

const SEPARATORS = new Set([';', '&&', '||', '|', '&', '\n']);
const REDIRECT = /^(\d*|&)(>>?|<|>\|)$/;
const REDIRECT_ATTACHED = /^(\d*|&)(>>?|<|>\|)(.+)$/;
const OPAQUE_COMMANDS = new Set(['eval', 'source', '.', 'exec', 'xargs', 'sh', 'bash', 'zsh', 'python', 'python3', 'node', 'perl', 'ruby']);

interface Token {
  text: string;
  op: boolean;
}

function tokenize(cmd: string): { tokens: Token[]; opaque?: string } {
  const tokens: Token[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | undefined;
  let opaque: string | undefined;
  const push = (): void => {
    if (has) tokens.push({ text: cur, op: false });
    cur = '';
    has = false;
  };
  for (let i = 0; i < cmd.length; i++) {
    const ch = cmd[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else cur += ch;
      continue;
    }
    if (ch === '\\' && i + 1 < cmd.length) {
      cur += cmd[++i];
      has = true;
      continue;
    }
    if (ch === '`' || (ch === '$' && cmd[i + 1] === '(')) opaque ??= 'it runs a command substitution';
    if (ch === '<' && cmd[i + 1] === '(') opaque ??= 'it uses process substitution';
    if (quote === '"') {
      if (ch === '"') quote = undefined;
      else cur += ch;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
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
    if (ch === ';' || ch === '|' || ch === '\n' || (ch === '&' && cmd[i + 1] !== '>' && cur.at(-1) !== '>')) {
      push();
      tokens.push({ text: ch, op: true });
      continue;
    }
    cur += ch;
    has = true;
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

/** Expands ~ and $HOME; returns undefined when another variable makes the path unknowable. */
export function expandHome(word: string, home: string): string | undefined {
  let w = word;
  if (w === '~' || w.startsWith('~/')) w = home + w.slice(1);
  w = w.replace(/^\$\{HOME\}|^\$HOME(?![A-Za-z0-9_])/, home);
  if (/\$[A-Za-z_{]/.test(w) || /^~[^/]/.test(w)) return undefined;
  return w;
}

export function bashTargets(command: string, cwd: string, home: string): BashTargets {
  const { tokens, opaque: tokOpaque } = tokenize(command);
  const result: BashTargets = { targets: [], opaque: false };
  const markOpaque = (why: string): void => {
    if (!result.opaque) {
      result.opaque = true;
      result.opaqueReason = why;
    }
  };
  if (tokOpaque) markOpaque(tokOpaque);
  let dir = cwd;
  let words: string[] = [];
  const add = (raw: string, access: 'read' | 'write'): void => {
    const p = expandHome(raw, home);
    if (p === undefined) return markOpaque(`"${raw}" depends on a variable`);
    result.targets.push({ path: p, access, cwd: dir });
  };
  const finish = (): void => {
    const [name, ...args] = words;
    words = [];
    if (name === undefined) return;
    if (OPAQUE_COMMANDS.has(name)) markOpaque(`"${name}" runs code whose file access cannot be known in advance`);
    if (/\$/.test(name)) markOpaque('the command name depends on a variable');
    if (name === 'cd' || name === 'pushd') {
      const target = args.find((a) => !a.startsWith('-'));
      const expanded = target === undefined ? home : expandHome(target, home);
      if (expanded === undefined) return markOpaque(`"cd ${target}" depends on a variable`);
      result.targets.push({ path: expanded, access: 'read', cwd: dir });
      dir = expanded.startsWith('/') ? expanded : `${dir}/${expanded}`;
      return;
    }
    for (const a of args) if (looksLikePath(a)) add(stripOptionPrefix(a), 'read');
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.op) {
      if (SEPARATORS.has(t.text)) finish();
      continue;
    }
    const attached = REDIRECT_ATTACHED.exec(t.text);
    if (REDIRECT.test(t.text) || attached) {
      const op = attached ? attached[2]! : t.text.replace(/^(\d*|&)/, '');
      const target = attached ? attached[3]! : tokens[++i]?.text;
      if (target === undefined) {
        markOpaque('a redirection has no target');
        continue;
      }
      if (target.startsWith('&')) continue; // 2>&1
      if (target !== '/dev/null') add(target, op === '<' ? 'read' : 'write');
      continue;
    }
    if (words.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(t.text)) continue; // VAR=value prefix
    words.push(t.text);
  }
  finish();
  return result;
}
