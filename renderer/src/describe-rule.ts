// What a rule grants, in one sentence in the person's language: "Allows the agent to
// change files in /home/dana/proj/** (Write) until this run ends." Also the short forms the Rules page
// lists, the search over rules, and what is missing before a draft can be saved. Pure.
import { isReadOnlyTool, parseMcpToolName } from '../../shared/tool-catalogue.js';
import type { Rule, RuleShape, RuleMatch } from '../../shared/ui-contract.js';
import { EN, type I18n } from './i18n/translator.js';
import { revealInvisible } from './reveal-invisible.js';

/** "/a/b" → "/a/b/**" (what a path prefix covers); Windows paths keep their separator. */
export function pathGlob(path: string): string {
  const sep = path.includes('\\') && !path.includes('/') ? '\\' : '/';
  const trimmed = path.replace(/[\\/]+$/, '');
  return `${trimmed}${sep}**`;
}

const shown = (text: string): string => revealInvisible(text);

export function describeRule(rule: RuleShape, lifetime: 'run' | 'always', i18n: I18n = EN): string {
  const { match } = rule;
  const tool = shown(rule.toolName);
  let action: string;
  if (match.kind === 'path-prefix') {
    const path = shown(pathGlob(match.path));
    action = isReadOnlyTool(rule.toolName) ? i18n.t('rule.action.readFiles', { path }) : i18n.t('rule.action.changeFiles', { path, tool });
  } else if (match.kind === 'command-prefix') {
    action = i18n.t('rule.action.command', { prefix: shown(match.prefix) });
  } else if (match.kind === 'domain') {
    action = i18n.t('rule.action.domain', { domain: shown(match.domain) });
  } else {
    const mcp = parseMcpToolName(rule.toolName);
    // IT's patterns: `mcp__github__*`, `mcp__*__delete_*` (ui-contract's TOOL_PATTERN).
    if (mcp && mcp.server === '*' && mcp.tool === '*') action = i18n.t('rule.action.mcpAll');
    else if (mcp && mcp.server === '*') action = i18n.t('rule.action.mcpAnyServer', { tool: shown(mcp.tool) });
    else if (mcp && mcp.tool === '*') action = i18n.t('rule.action.mcpServer', { server: shown(mcp.server) });
    else action = mcp ? i18n.t('rule.action.mcp', { tool: shown(mcp.tool), server: shown(mcp.server) }) : i18n.t('rule.action.tool', { tool });
  }
  const scope = rule.folder ? i18n.t('rule.scope', { folder: shown(rule.folder) }) : '';
  const until = i18n.t(lifetime === 'run' ? 'rule.untilRun' : 'rule.untilRevoked');
  const effect = rule.effect ?? 'allow';
  return i18n.t(effect === 'deny' ? 'rule.sentence.deny' : effect === 'ask' ? 'rule.sentence.ask' : 'rule.sentence', { action, scope, until });
}

/** A saved rule's sentence: the core's own words in English (one source of truth), else ours. */
export function ruleSentence(rule: Rule, i18n: I18n = EN): string {
  return i18n.lang === 'en' && rule.description ? rule.description : describeRule(rule, rule.lifetime, i18n);
}

/** The match in a few words: "Files under /p/**", "Commands starting with “npm test”". */
export function describeMatch(match: RuleMatch, i18n: I18n = EN): string {
  switch (match.kind) {
    case 'path-prefix':
      return i18n.t('match.path-prefix', { value: shown(pathGlob(match.path)) });
    case 'command-prefix':
      return i18n.t('match.command-prefix', { value: shown(match.prefix) });
    case 'domain':
      return i18n.t('match.domain', { value: shown(match.domain) });
    default:
      return i18n.t('match.any');
  }
}

export function matchValue(match: RuleMatch): string {
  return match.kind === 'path-prefix' ? match.path : match.kind === 'command-prefix' ? match.prefix : match.kind === 'domain' ? match.domain : '';
}

/** Case-insensitive search over everything a row shows. */
export function ruleMatchesQuery(rule: Rule, query: string, i18n: I18n = EN): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return true;
  const haystack = [rule.toolName, matchValue(rule.match), rule.folder ?? '', rule.description, describeRule(rule, rule.lifetime, i18n), rule.sessionId ?? '']
    .join('\n')
    .toLowerCase();
  return q.split(/\s+/).every((word) => haystack.includes(word));
}

/** The field a draft still needs before it can be saved, if any. */
export function draftProblem(draft: RuleShape): 'tool' | Exclude<RuleMatch['kind'], 'any'> | undefined {
  if (!draft.toolName.trim()) return 'tool';
  const { match } = draft;
  if (match.kind !== 'any' && !matchValue(match).trim()) return match.kind;
  return undefined;
}

/** A match of another kind, keeping what the person typed where it still makes sense. */
export function withKind(kind: RuleMatch['kind'], value: string): RuleMatch {
  switch (kind) {
    case 'path-prefix':
      return { kind, path: value };
    case 'command-prefix':
      return { kind, prefix: value };
    case 'domain':
      return { kind, domain: value };
    default:
      return { kind: 'any' };
  }
}

/** What the person typed (or was proposed) for each kind of match, kept while they switch kinds. */
export type KindValues = Partial<Record<RuleMatch['kind'], string>>;

/** The draft with another kind of match: the value last seen for that kind comes back (switching to
 *  "any" and back restores the proposed path), and the one it leaves is remembered. */
export function switchKind(draft: RuleShape, kind: RuleMatch['kind'], values: KindValues): { draft: RuleShape; values: KindValues } {
  const kept = { ...values, [draft.match.kind]: matchValue(draft.match) };
  return { draft: { ...draft, match: withKind(kind, kept[kind] ?? '') }, values: kept };
}

/** The draft as the core should receive it: trimmed, no empty folder. */
export function cleanDraft(draft: RuleShape): RuleShape {
  const value = matchValue(draft.match).trim();
  const match = draft.match.kind === 'any' ? draft.match : withKind(draft.match.kind, value);
  const folder = draft.folder?.trim();
  return { toolName: draft.toolName.trim(), match, ...(draft.effect ? { effect: draft.effect } : {}), ...(folder ? { folder } : {}) };
}
