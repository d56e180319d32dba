// Pure rule logic: does a remembered rule cover a resolved request, what rule would a grant create,
// and the one sentence that says what it does. An allow rule must be sure it covers a call (any doubt:
// no match, a person decides); a deny or ask rule must be sure it does NOT (any doubt: a person decides,
// told which rule may cover it) — so neither kind can be dodged by writing a call the matcher cannot read.
import { dirname } from 'node:path';
import { isReadOnlyTool, matchKindsFor, parseMcpToolName, pathKeysOf, toolEntry } from '../../../shared/tool-catalogue.js';
import type { NoRuleReason, RuleDraft, RuleEffect, RuleShape } from '../../../shared/ui-contract.js';
import { type Canonicalize, isWithin, type VolumeRules } from '../paths/index.js';
import { pathLikeArguments, type ResolvedRequest } from '../requests/index.js';
import { ruleMayReach, type ScopeState } from '../scope/index.js';

/** Shell syntax that could chain or hide a second command: such a command never matches a prefix rule. */
const SHELL_META = /[;&|`$<>\n(){}\\]/;

function words(command: string): string[] {
  return command.trim().split(/\s+/).filter(Boolean);
}

export function hostOf(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.hostname.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

export interface RuleContext {
  /** For the rules' own paths (the request's paths are canonical in the request). */
  canonicalize: Canonicalize;
  volume: VolumeRules;
  /** The scope now. Without it, a rule for an MCP or unknown tool matches only calls whose arguments
   *  hold nothing that may name a file. */
  scope?: () => ScopeState;
}

/**
 * MCP and unknown tools: the scope check reads only the arguments the catalogue names (`path`, `uri`…,
 * plus the policy's `mcpPathArguments`), and only absolute spellings of them. Any argument it did not
 * read could be a path the server acts on (`filePath`, `repo_path`, a relative `../../x`, a path inside
 * an object or array). So a rule for such a tool — whatever its kind — answers only when every string
 * anywhere in the arguments that may name a file (see pathLikeArguments) resolves inside a shared
 * folder, and is not protected, not a file that makes commands run code, not hard-linked. Fail closed:
 * a relative path with `..`, arguments too deep or too large, or any doubt → no match, and a person
 * decides. Cost: text arguments that look like paths (a file's content starting with "/", say) also
 * send the call to a person even under an "always" rule. Relative paths are resolved against the call's
 * folder (where Claude Code starts the server); a server started elsewhere is a residual risk.
 */
function argumentsInScope(request: ResolvedRequest, ctx: RuleContext): boolean {
  const state = ctx.scope?.();
  const { payload } = request;
  const found = pathLikeArguments(payload.tool_input, pathKeysOf(payload.tool_name, state?.mcpPathArguments ?? {}), state?.home ?? '');
  if (!found.ok) return false;
  if (found.paths.length === 0) return true;
  if (!state) return false;
  return found.paths.every((p) => ruleMayReach(ctx.canonicalize(p, payload.cwd), state, ctx.canonicalize));
}

/** Whether a rule's tool name or MCP pattern (ui-contract's TOOL_PATTERN: `mcp__*__x`, `mcp__s__*`,
 *  `mcp__s__delete_*`) names this tool. A server `*` stands for one whole server name; a tool `*` for the
 *  rest of the tool name. */
export function toolMatches(pattern: string, toolName: string, splits: 'every' | 'some' = 'every'): boolean {
  if (!pattern.includes('*')) return pattern === toolName;
  const want = parseMcpToolName(pattern);
  if (!want) return false;
  // `mcp__a__b__delete_x` is server `a` with tool `b__delete_x`, or server `a__b` with tool `delete_x`
  // (server names may hold `__`; the agent can name one so). An allow rule must cover every reading, a
  // deny or ask rule any of them.
  const readings = mcpReadings(toolName);
  const covers = (have: { server: string; tool: string }): boolean =>
    (want.server === '*' || want.server === have.server) && (want.tool.endsWith('*') ? have.tool.startsWith(want.tool.slice(0, -1)) : want.tool === have.tool);
  return readings.length > 0 && (splits === 'every' ? readings.every(covers) : readings.some(covers));
}

/** Every way an MCP tool name splits into server and tool at a `__`. */
function mcpReadings(toolName: string): { server: string; tool: string }[] {
  if (!toolName.startsWith('mcp__')) return [];
  const rest = toolName.slice('mcp__'.length);
  const readings: { server: string; tool: string }[] = [];
  for (let at = rest.indexOf('__', 1); at > 0; at = rest.indexOf('__', at + 1)) {
    const server = rest.slice(0, at);
    const tool = rest.slice(at + 2);
    if (tool !== '' && !server.endsWith('_') && !tool.startsWith('_')) readings.push({ server, tool });
  }
  return readings;
}

/** True when `rule` covers this action. Scope and forbidden paths are checked before any rule. */
export function ruleMatches(rule: RuleShape, request: ResolvedRequest, ctx: RuleContext): boolean {
  const { payload } = request;
  if (!toolMatches(rule.toolName, payload.tool_name)) return false;
  if (rule.folder) {
    const cwd = request.canonicalCwd();
    if (!cwd.ok || !isWithin(cwd.path, rule.folder, ctx.volume)) return false;
  }
  const kind = toolEntry(payload.tool_name).kind;
  if ((kind === 'mcp' || kind === 'unknown') && !argumentsInScope(request, ctx)) return false;
  const input = payload.tool_input;
  switch (rule.match.kind) {
    case 'any':
      return true;
    case 'domain': {
      const host = hostOf(input['url']);
      const d = rule.match.domain.toLowerCase();
      return host !== undefined && (host === d || host.endsWith(`.${d}`));
    }
    case 'command-prefix': {
      const command = input['command'];
      // A word whose value is not known until it runs (`~user`, `~+`, a variable) could be anything.
      if (typeof command !== 'string' || SHELL_META.test(command) || request.targets.unknowable) return false;
      const want = words(rule.match.prefix);
      const have = words(command);
      return want.length > 0 && want.every((w, i) => have[i] === w);
    }
    case 'path-prefix': {
      // On a shell command "every file it names is under the path" says nothing about a second command
      // chained to it, or about files nobody can name: the same limits as a command-prefix rule.
      if (request.targets.kind === 'shell') {
        const command = input['command'];
        if (typeof command !== 'string' || SHELL_META.test(command) || request.targets.unknowable || request.targets.opaque) return false;
      }
      const targets = request.targets.files;
      if (targets.length === 0) return false;
      const root = ctx.canonicalize(rule.match.path);
      if (!root.ok) return false;
      return targets.every((f) => {
        const c = request.canonical(f);
        return c.ok && isWithin(c.path, root.path, ctx.volume);
      });
    }
  }
}

/** How a deny or ask rule bears on a call: it covers it, it may (the call cannot be read well enough to
 *  rule that out: a person decides), or it does not. */
export type GateMatch = 'yes' | 'maybe' | 'no';

/** Words that run the command after them (`sudo git push` is a `git push`), and shell keywords that
 *  come before a command (`then git push`, `! git push`). */
const COMMAND_WRAPPERS = new Set(['sudo', 'env', 'command', 'nohup', 'time', 'nice', 'doas', 'builtin', 'exec', 'stdbuf', 'timeout', 'ionice', 'chrt', 'taskset', 'setsid', 'unbuffer']);
const SHELL_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'while', 'until', 'do', '!', 'coproc']);
/** A redirection word alone (`>`, `2>>`, `&>`: its target follows) or with its target (`>out`). */
const REDIRECTION = /^(?:\d*|&)(?:>>?|<<?<?|>&|<&|>\|)(.*)$/;

/**
 * How a deny/ask prefix bears on one simple command: `yes` when its words start with the prefix's;
 * `maybe` when they could and a reading this simple cannot tell (a wrapper's or the program's options
 * before the prefix's next word, a program named by a path, a word left after quotes); `no` otherwise.
 */
function prefixGate(part: string, want: readonly string[]): GateMatch {
  // Quotes join and unquote words as the shell would: `"git" push`, `g'i't push` are `git push`.
  const have = words(part).map((w) => w.replace(/["']/g, ''));
  let wrapped = false;
  for (;;) {
    const first = have[0];
    if (first === undefined) return 'no';
    const redirect = REDIRECTION.exec(first);
    if (/^\w+=/.test(first) || SHELL_KEYWORDS.has(first)) have.shift();
    else if (redirect) have.splice(0, redirect[1] === '' ? 2 : 1);
    else if (COMMAND_WRAPPERS.has(first)) {
      wrapped = true;
      have.shift();
    } else break;
  }
  // A wrapper's own options (`sudo -u me`, `nice -n 1`, `env -i`) may take values: the command after them
  // cannot be told apart from those values here.
  if (wrapped && have[0]!.startsWith('-')) return 'maybe';
  const base = (w: string): string => (w.includes('/') ? w.slice(w.lastIndexOf('/') + 1) : w);
  // `timeout 5 git push`, `taskset 3 git push`: a wrapper's value before the program.
  if (base(have[0]!) !== want[0]) return wrapped && have.some((w) => base(w) === want[0]) ? 'maybe' : 'no';
  for (let i = 1; i < want.length; i++) {
    if (have[i] === want[i]) continue;
    // `git -C . push`, `git --no-pager push`: an option where the prefix's next word should be.
    return have[i]?.startsWith('-') ? 'maybe' : 'no';
  }
  return 'yes';
}

/**
 * Whether a deny or ask rule covers this action — the reverse of ruleMatches' caution. A shell command
 * matches a prefix rule when any of its commands (split at ; & | newlines and brackets, after `VAR=x`
 * words) starts with the prefix's words; one that runs text it builds (`$(…)`, backticks, `$VAR`, eval,
 * `sh -c`), or whose words cannot be known, maybe does. A path rule matches when ANY file the call names is
 * under the path (the call would touch it), maybe when a file cannot be resolved or the command is
 * opaque. MCP and unknown tools: the strings in the arguments that look like paths.
 */
export function gateMatches(rule: RuleShape, request: ResolvedRequest, ctx: RuleContext): GateMatch {
  const { payload } = request;
  if (!toolMatches(rule.toolName, payload.tool_name, 'some')) return 'no';
  let doubt = false;
  if (rule.folder) {
    const cwd = request.canonicalCwd();
    if (!cwd.ok) doubt = true;
    else if (!isWithin(cwd.path, rule.folder, ctx.volume)) return 'no';
  }
  const input = payload.tool_input;
  const verdict = (hit: GateMatch): GateMatch => (hit === 'yes' && doubt ? 'maybe' : hit);
  switch (rule.match.kind) {
    case 'any':
      return verdict('yes');
    case 'domain': {
      const d = rule.match.domain.toLowerCase();
      const within = (host: string) => host === d || host.endsWith(`.${d}`);
      // WebSearch names no URL: its results may come from the domain unless the search is kept to
      // other domains (`allowed_domains`), so a person decides.
      if (payload.tool_name === 'WebSearch') {
        const allowed = Array.isArray(input['allowed_domains']) ? input['allowed_domains'].filter((a): a is string => typeof a === 'string').map((a) => a.toLowerCase()) : [];
        if (allowed.length > 0 && allowed.every((a) => !within(a) && !d.endsWith(`.${a}`) && a !== d)) return 'no';
        return verdict(allowed.length > 0 && allowed.every(within) ? 'yes' : 'maybe');
      }
      const url = input['url'];
      if (url === undefined) return 'no';
      const host = hostOf(url);
      if (host === undefined) return verdict('maybe');
      return verdict(within(host) ? 'yes' : 'no');
    }
    case 'command-prefix': {
      const command = input['command'];
      if (typeof command !== 'string') return verdict('maybe');
      const want = words(rule.match.prefix);
      if (want.length === 0) return 'no';
      // `2>&1` and `&>` are redirections, not a command's end.
      const parts = command.replace(/([<>])&|&(?=>)/g, '$1').split(/[;&|\n(){}]+/).map((part) => prefixGate(part, want));
      if (parts.includes('yes')) return verdict('yes');
      const builds = /[`$\\]|\b(?:eval|exec|xargs|source)\b|\b(?:ba|z|da|k)?sh\s+-\w*c/.test(command) || request.targets.unknowable !== undefined;
      return verdict(builds || parts.includes('maybe') ? 'maybe' : 'no');
    }
    case 'path-prefix': {
      const root = ctx.canonicalize(rule.match.path);
      if (!root.ok) return 'maybe';
      const kind = toolEntry(payload.tool_name).kind;
      const paths: Array<{ ok: true; path: string } | { ok: false }> = [];
      if (kind === 'mcp' || kind === 'unknown') {
        const found = pathLikeArguments(payload.tool_input, pathKeysOf(payload.tool_name, ctx.scope?.().mcpPathArguments ?? {}), ctx.scope?.().home ?? '');
        if (!found.ok) return verdict('maybe');
        for (const p of found.paths) paths.push(ctx.canonicalize(p, payload.cwd));
      } else {
        for (const f of request.targets.files) paths.push(f.path === undefined ? { ok: false } : request.canonical(f));
      }
      // A search above the path reads what is under it too.
      const search = request.targets.kind === 'search';
      if (paths.some((c) => c.ok && (isWithin(c.path, root.path, ctx.volume) || (search && isWithin(root.path, c.path, ctx.volume))))) return verdict('yes');
      const opaque = request.targets.opaque || request.targets.unknowable !== undefined || paths.some((c) => !c.ok);
      return verdict(opaque ? 'maybe' : 'no');
    }
  }
}

/** The rule "allow for this run" / "always allow" would create for this action. */
export function proposeRule(request: ResolvedRequest, volume: VolumeRules, sharedFolders: string[]): RuleDraft {
  const { payload, targets: t } = request;
  const folderOf = (p: string): string | undefined =>
    sharedFolders.filter((f) => isWithin(p, f, volume)).sort((a, b) => b.length - a.length)[0];
  const cwd = request.canonicalCwd();
  const folder = cwd.ok ? folderOf(cwd.path) : undefined;
  const base = { toolName: payload.tool_name, effect: 'allow' as const, ...(folder ? { folder } : {}) };
  const input = payload.tool_input;
  if ((t.kind === 'file' || t.kind === 'search') && t.files.length > 0) {
    const first = request.canonical(t.files[0]!);
    if (first.ok) {
      const path = folderOf(first.path) ?? (first.isDirectory ? first.path : dirname(first.path));
      return { ...base, match: { kind: 'path-prefix', path } };
    }
  }
  if (payload.tool_name === 'Bash' && typeof input['command'] === 'string') {
    const w = words(input['command']);
    // "git push origin main" → "git push"; "ls -la" → "ls": the verb, not its arguments.
    const prefix = w.length > 1 && /^[a-z][\w.-]*$/i.test(w[1]!) && !w[1]!.includes('/') ? `${w[0]} ${w[1]}` : (w[0] ?? '');
    if (prefix && !SHELL_META.test(prefix)) return { ...base, match: { kind: 'command-prefix', prefix } };
  }
  const host = hostOf(input['url']);
  if (host) return { ...base, match: { kind: 'domain', domain: host } };
  return { ...base, match: { kind: 'any' } };
}

/** What a card offers: the proposed rule when it covers this very request (checked by ruleMatches, the
 *  same code that later decides with it), else why no rule can be offered. */
export type RuleOffer = { proposedRule: RuleDraft } | { noRuleReason: NoRuleReason };

export function offerRule(request: ResolvedRequest, ctx: RuleContext, sharedFolders: string[]): RuleOffer {
  // A tool name the agent wrote with `*` in it would read as a pattern (and no rule may hold one but IT's).
  if (request.payload.tool_name.includes('*')) return { noRuleReason: 'not-covered' };
  const proposedRule = proposeRule(request, ctx.volume, sharedFolders);
  // A kind that cannot fit the tool (Bash's fallback to "any" when even its first word is shell syntax) is never offered.
  if (matchKindsFor(proposedRule.toolName).includes(proposedRule.match.kind) && ruleMatches(proposedRule, request, ctx)) return { proposedRule };
  const command = request.payload.tool_input['command'];
  const kind = toolEntry(request.payload.tool_name).kind;
  if (kind === 'shell' && (typeof command !== 'string' || SHELL_META.test(command))) return { noRuleReason: 'shell-syntax' };
  if (request.targets.unknowable) return { noRuleReason: 'unknowable' };
  if ((kind === 'mcp' || kind === 'unknown') && !argumentsInScope(request, ctx)) return { noRuleReason: 'arguments' };
  return { noRuleReason: 'not-covered' };
}

function shortPath(p: string, home: string): string {
  return p === home ? '~' : p.startsWith(`${home}/`) ? `~${p.slice(home.length)}` : p;
}

const EFFECT_LEAD: Record<RuleEffect, string> = {
  allow: 'Allows the agent to',
  deny: 'Never lets the agent',
  ask: 'Asks you every time the agent wants to',
};

/** "Allows the agent to change files in ~/proj/** until this run ends." */
export function describeRule(rule: RuleShape, lifetime: 'run' | 'always', home: string): string {
  const m = rule.match;
  let what: string;
  if (m.kind === 'path-prefix') what = `${isReadOnlyTool(rule.toolName) ? 'read' : 'change'} files in ${shortPath(m.path, home)}/** (${rule.toolName})`;
  else if (m.kind === 'command-prefix') what = `run shell commands starting with “${m.prefix}”`;
  else if (m.kind === 'domain') what = `fetch pages from ${m.domain} and its subdomains`;
  else {
    const mcp = parseMcpToolName(rule.toolName);
    if (mcp && mcp.server === '*') what = mcp.tool === '*' ? 'call any MCP tool' : `call “${mcp.tool}” on any MCP server`;
    else if (mcp) what = mcp.tool === '*' ? `call any tool of the ${mcp.server} MCP server` : `call “${mcp.tool}” on the ${mcp.server} MCP server`;
    else what = `use ${rule.toolName}`;
  }
  const where = rule.folder ? ` while working in ${shortPath(rule.folder, home)}` : '';
  const until = lifetime === 'run' ? 'until this run ends' : 'until you revoke it';
  return `${EFFECT_LEAD[rule.effect ?? 'allow']} ${what}${where} ${until}.`;
}
