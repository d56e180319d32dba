// IT's rules whose kind of match can never apply to the tool they name (`{"toolName": "Read", "match":
// {"kind": "command-prefix", …}, "effect": "deny"}`): the policy is valid and such a rule is kept, but IT
// would believe something is denied that never is, so each one is a warning saying why and what to
// write instead. Never an error, not even with `strict`: one dead deny rule must not make the whole
// policy fail closed. Which kinds apply to which tools is the tool catalogue's (matchMiss), the same
// knowledge the core uses to refuse such a rule from a person.
import { pathText } from '../../../shared/managed-policy-layout.js';
import { matchKindsFor, matchMiss, type MatchMiss } from '../../../shared/tool-catalogue.js';
import type { PolicyProblem, RuleDraft, RuleEffect, RuleShape } from '../../../shared/ui-contract.js';

const WHY: Record<MatchMiss, (tool: string) => string> = {
  'no-command': (t) => `A command prefix is matched against the command a Bash call runs, and ${t} runs no command`,
  'no-url': (t) =>
    t === 'WebSearch'
      ? 'A domain is matched against the URL a call fetches, and WebSearch fetches none (an allow rule cannot know which sites its results come from)'
      : `A domain is matched against the URL a WebFetch call fetches, and ${t} fetches no URL`,
  'no-path': (t) => `A path prefix is matched against the files a call names, and ${t} names no file`,
};

/** The tool that does carry what the kind matches. */
const FITTING_TOOL: Record<MatchMiss, string> = { 'no-command': '"Bash"', 'no-url': '"WebFetch"', 'no-path': 'a file tool ("Read", "Write", "Edit"…)' };
const WHAT: Record<MatchMiss, string> = { 'no-command': 'commands', 'no-url': 'web pages', 'no-path': 'files' };
const VERB: Record<RuleEffect, string> = { allow: 'allow', deny: 'deny', ask: 'ask about' };
const NEVER: Record<RuleEffect, string> = { allow: 'never allows', deny: 'never denies', ask: 'never asks about' };

const aCall = (tool: string): string => `${/^[AEIOU]/.test(tool) ? 'an' : 'a'} ${tool} call`;

function consequence(miss: MatchMiss, effect: RuleEffect, tool: string): string {
  // gateMatches cannot rule out a command prefix on a call without a command, so a deny or ask rule
  // says "maybe" to every call of the tool: a person decides each one (rule-matching-policy.ts).
  if (miss === 'no-command' && effect === 'deny') return `this deny rule never denies ${aCall(tool)}; it sends every one to a person instead`;
  if (miss === 'no-command' && effect === 'ask') return `this ask rule sends every ${tool} call to a person, not only some`;
  return `this ${effect} rule ${NEVER[effect]} ${aCall(tool)}`;
}

/** Why this rule can never cover what it names, and what to write instead; undefined when it can. */
export function ruleMissText(rule: RuleShape): string | undefined {
  const effect = rule.effect ?? 'allow';
  const miss = matchMiss(rule.toolName, rule.match.kind, effect);
  if (!miss) return undefined;
  const kinds = matchKindsFor(rule.toolName).map((k) => `"${k}"`).join(' or ');
  return `${WHY[miss](rule.toolName)}: ${consequence(miss, effect, rule.toolName)}. To ${VERB[effect]} ${WHAT[miss]}, write the rule for ${FITTING_TOOL[miss]}; for ${rule.toolName}, match by ${kinds}.`;
}

type Place = (path: readonly (string | number)[]) => { line?: number; column?: number };

/** One warning per rule that can never cover what it names, at `rules[i].match.kind` (`place`: its
 *  line and column, when the policy's text is at hand). */
export function ruleFitWarnings(rules: readonly RuleDraft[], source?: string, place?: Place): PolicyProblem[] {
  return rules.flatMap((rule, i) => {
    const message = ruleMissText(rule);
    if (message === undefined) return [];
    const path = ['rules', i, 'match', 'kind'];
    return [{ ...place?.(path), path: pathText(path), message, ...(source !== undefined ? { source } : {}) }];
  });
}
