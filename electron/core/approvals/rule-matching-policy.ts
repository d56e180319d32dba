// Pure rule logic: does a remembered rule cover a resolved request, what rule would a grant create,
// and the one sentence that says what it grants.
import { dirname } from 'node:path';
import { isReadOnlyTool, matchKindsFor, parseMcpToolName, pathKeysOf, toolEntry } from '../../../shared/tool-catalogue.js';
import type { NoRuleReason, RuleDraft } from '../../../shared/ui-contract.js';
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

/** True when `rule` covers this action. Scope and forbidden paths are checked before any rule. */
export function ruleMatches(rule: RuleDraft, request: ResolvedRequest, ctx: RuleContext): boolean {
  const { payload } = request;
  if (rule.toolName !== payload.tool_name) return false;
  if (rule.folder) {
    const cwd = request.canonicalCwd();
    if (!cwd.ok || !isWithin(cwd.path, rule.folder, ctx.volume)) return false;
  }
  const kind = toolEntry(rule.toolName).kind;
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

/** The rule "allow for this run" / "always allow" would create for this action. */
export function proposeRule(request: ResolvedRequest, volume: VolumeRules, sharedFolders: string[]): RuleDraft {
  const { payload, targets: t } = request;
  const folderOf = (p: string): string | undefined =>
    sharedFolders.filter((f) => isWithin(p, f, volume)).sort((a, b) => b.length - a.length)[0];
  const cwd = request.canonicalCwd();
  const folder = cwd.ok ? folderOf(cwd.path) : undefined;
  const base = { toolName: payload.tool_name, ...(folder ? { folder } : {}) };
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

/** "Allows the agent to change files in ~/proj/** until this run ends." */
export function describeRule(rule: RuleDraft, lifetime: 'run' | 'always', home: string): string {
  const m = rule.match;
  let what: string;
  if (m.kind === 'path-prefix') what = `${isReadOnlyTool(rule.toolName) ? 'read' : 'change'} files in ${shortPath(m.path, home)}/** (${rule.toolName})`;
  else if (m.kind === 'command-prefix') what = `run shell commands starting with “${m.prefix}”`;
  else if (m.kind === 'domain') what = `fetch pages from ${m.domain} and its subdomains`;
  else {
    const mcp = parseMcpToolName(rule.toolName);
    what = mcp ? `call “${mcp.tool}” on the ${mcp.server} MCP server` : `use ${rule.toolName}`;
  }
  const where = rule.folder ? ` while working in ${shortPath(rule.folder, home)}` : '';
  const until = lifetime === 'run' ? 'until this run ends' : 'until you revoke it';
  return `Allows the agent to ${what}${where} ${until}.`;
}
