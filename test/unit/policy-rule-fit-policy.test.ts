// IT's rules whose kind of match can never apply to the tool they name: each is a warning (never an
// error, not even with strict), and what the warning claims is checked against the real matcher —
// every flagged rule never covers a call of its tool, every rule not flagged covers one.
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ToolPayload } from '../../shared/agent-api-contract.js';
import { RULE_EFFECTS, type RuleDraft, type RuleEffect, type RuleMatch } from '../../shared/ui-contract.js';
import { acceptedMatchKinds, matchMiss, TOOL_CATALOGUE } from '../../shared/tool-catalogue.js';
import { gateMatches, ruleMatches, type RuleContext } from '../../electron/core/approvals/rule-matching-policy.js';
import { canonicalizerFor, volumeRulesFor } from '../../electron/core/paths/index.js';
import { jsonPart } from '../../electron/core/policy/policy-part-policy.js';
import { mergeParts } from '../../electron/core/policy/policy-merge-policy.js';
import { ruleFitWarnings, ruleMissText } from '../../electron/core/policy/policy-rule-fit-policy.js';
import type { ScopeState } from '../../electron/core/scope/index.js';
import { resolved } from '../support/resolve.js';

let root: string;
let P: string;
let ctx: RuleContext;
beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'cc-rule-fit-')));
  P = join(root, 'proj');
  mkdirSync(P, { recursive: true });
  writeFileSync(join(P, 'notes.txt'), 'n');
  writeFileSync(join(P, 'book.ipynb'), '{}');
  const state: ScopeState = { folders: [{ path: P, mode: 'read-write' }], forbidden: [], outOfScope: 'deny', mcpPathArguments: {}, home: root, volume: volumeRulesFor('linux') };
  ctx = { canonicalize: canonicalizerFor('linux'), volume: volumeRulesFor('linux'), scope: () => state };
});

const KINDS: RuleMatch['kind'][] = ['any', 'command-prefix', 'domain', 'path-prefix'];
const matchOf = (kind: RuleMatch['kind']): RuleMatch =>
  kind === 'any' ? { kind } : kind === 'command-prefix' ? { kind, prefix: 'git' } : kind === 'domain' ? { kind, domain: 'example.com' } : { kind, path: P };
const rule = (toolName: string, kind: RuleMatch['kind'], effect: RuleEffect): RuleDraft => ({ toolName, match: matchOf(kind), effect });

/** Calls of each tool, as Claude Code sends them, that a fitting rule above would cover. */
function callsOf(toolName: string): Record<string, unknown>[] {
  const notes = join(P, 'notes.txt');
  switch (toolName) {
    case 'Read':
    case 'Write':
    case 'Edit':
    case 'MultiEdit':
      return [{ file_path: notes, content: 'x', old_string: 'n', new_string: 'm' }];
    case 'NotebookRead':
    case 'NotebookEdit':
      return [{ notebook_path: join(P, 'book.ipynb'), new_source: 'x' }];
    case 'LS':
      return [{ path: P }];
    case 'Glob':
    case 'Grep':
      return [{ pattern: 'x', path: P }];
    case 'Bash':
      return [{ command: 'git status' }, { command: `cat ${notes}` }];
    case 'WebFetch':
      return [{ url: 'https://example.com/a', prompt: 'p' }];
    case 'WebSearch':
      return [{ query: 'q', allowed_domains: ['example.com'] }, { query: 'q' }];
    default:
      // An MCP tool may take a URL or a command: the matcher reads them.
      return [{ url: 'https://example.com/a' }, { command: 'git status' }, { path: notes }];
  }
}

const call = (toolName: string, input: Record<string, unknown>) =>
  resolved<ToolPayload>({ session_id: 's', cwd: P, hook_event_name: 'PreToolUse', tool_name: toolName, tool_input: input, tool_use_id: 't' }, { home: root });

const TOOLS = [...Object.keys(TOOL_CATALOGUE), 'mcp__browser__open'];

describe('rules whose kind of match can never apply', () => {
  it('are exactly the rules the matcher never covers a call with: a flagged deny never denies, a flagged allow never allows; every rule not flagged covers a call', () => {
    const flagged: string[] = [];
    for (const tool of TOOLS) {
      for (const kind of KINDS) {
        for (const effect of RULE_EFFECTS) {
          const r = rule(tool, kind, effect);
          const miss = matchMiss(tool, kind, effect);
          const requests = callsOf(tool).map((input) => call(tool, input));
          const label = `${effect} ${tool} by ${kind}`;
          if (effect === 'allow') {
            const covers = requests.some((req) => ruleMatches(r, req, ctx));
            expect(covers, label).toBe(miss === undefined);
          } else {
            const gates = requests.map((req) => gateMatches(r, req, ctx));
            if (miss === undefined) expect(gates, label).toContain('yes');
            else {
              expect(gates, label).not.toContain('yes');
              // What the warning says: a command prefix on a call with no command "maybe" covers it
              // (a person decides every call); the other kinds simply never apply.
              for (const g of gates) expect(g, label).toBe(miss === 'no-command' ? 'maybe' : 'no');
            }
          }
          if (miss) flagged.push(label);
        }
      }
    }
    // The combinations that fail, spelled out (so a change to the catalogue shows here).
    const files = ['Read', 'LS', 'NotebookRead', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'Glob', 'Grep'];
    const expected = [
      ...files.flatMap((t) => RULE_EFFECTS.flatMap((e) => [`${e} ${t} by command-prefix`, `${e} ${t} by domain`])),
      ...RULE_EFFECTS.map((e) => `${e} Bash by domain`),
      ...['WebFetch', 'WebSearch'].flatMap((t) => RULE_EFFECTS.flatMap((e) => [`${e} ${t} by command-prefix`, `${e} ${t} by path-prefix`])),
      'allow WebSearch by domain',
    ];
    expect(flagged.sort()).toEqual(expected.sort());
  });

  it('each warning names the key, says why it never matches and what to write instead', () => {
    expect(ruleFitWarnings([rule('Read', 'command-prefix', 'deny')])).toEqual([
      {
        path: 'rules[0].match.kind',
        message:
          'A command prefix is matched against the command a Bash call runs, and Read runs no command: this deny rule never denies a Read call; it sends every one to a person instead. To deny commands, write the rule for "Bash"; for Read, match by "path-prefix" or "any".',
      },
    ]);
    expect(ruleMissText(rule('Grep', 'command-prefix', 'ask'))).toBe(
      'A command prefix is matched against the command a Bash call runs, and Grep runs no command: this ask rule sends every Grep call to a person, not only some. To ask about commands, write the rule for "Bash"; for Grep, match by "path-prefix" or "any".',
    );
    expect(ruleMissText(rule('Edit', 'domain', 'deny'))).toBe(
      'A domain is matched against the URL a WebFetch call fetches, and Edit fetches no URL: this deny rule never denies an Edit call. To deny web pages, write the rule for "WebFetch"; for Edit, match by "path-prefix" or "any".',
    );
    expect(ruleMissText(rule('Bash', 'domain', 'allow'))).toBe(
      'A domain is matched against the URL a WebFetch call fetches, and Bash fetches no URL: this allow rule never allows a Bash call. To allow web pages, write the rule for "WebFetch"; for Bash, match by "command-prefix".',
    );
    expect(ruleMissText(rule('WebFetch', 'path-prefix', 'ask'))).toBe(
      'A path prefix is matched against the files a call names, and WebFetch names no file: this ask rule never asks about a WebFetch call. To ask about files, write the rule for a file tool ("Read", "Write", "Edit"…); for WebFetch, match by "domain" or "any".',
    );
    expect(ruleMissText(rule('WebSearch', 'domain', 'allow'))).toMatch(/^A domain is matched against the URL a call fetches, and WebSearch fetches none .*: this allow rule never allows a WebSearch call\. .*for WebSearch, match by "any"\.$/);
  });

  it('valid rules give no warning; warnings keep their index among valid rules', () => {
    const valid: RuleDraft[] = [
      rule('Bash', 'command-prefix', 'deny'),
      rule('Read', 'path-prefix', 'allow'),
      rule('Bash', 'path-prefix', 'ask'),
      rule('WebFetch', 'domain', 'allow'),
      rule('WebSearch', 'domain', 'deny'),
      rule('WebSearch', 'any', 'ask'),
      rule('mcp__github__*', 'any', 'deny'),
      rule('mcp__browser__open', 'domain', 'deny'),
      rule('mcp__shell__run', 'command-prefix', 'deny'),
      rule('SomethingNew', 'path-prefix', 'deny'),
    ];
    expect(ruleFitWarnings(valid)).toEqual([]);
    expect(ruleFitWarnings([...valid, rule('Write', 'domain', 'deny')], 'policy.json').map((w) => [w.path, w.source])).toEqual([['rules[10].match.kind', 'policy.json']]);
  });

  it('the kinds the core takes for a person\'s rule all can match (acceptedMatchKinds)', () => {
    expect(acceptedMatchKinds('WebFetch')).toEqual(['domain', 'any']);
    expect(acceptedMatchKinds('WebSearch')).toEqual(['any']);
    for (const tool of TOOLS) for (const kind of acceptedMatchKinds(tool)) expect(matchMiss(tool, kind, 'allow'), `${tool} ${kind}`).toBeUndefined();
  });
});

describe('in the merged policy', () => {
  it('a rule that can never match is a warning with its line in the JSON file; the policy stays valid, also with strict', () => {
    const text = '{\n  "strict": true,\n  "rules": [\n    { "toolName": "Bash", "match": { "kind": "command-prefix", "prefix": "git push" }, "effect": "deny" },\n    { "toolName": "Read", "match": { "kind": "command-prefix", "prefix": "git" }, "effect": "deny" }\n  ]\n}\n';
    const reading = jsonPart('file', '/etc/cowork-companion/policy.json', text);
    expect(reading.ok).toBe(true);
    if (!reading.ok) return;
    const merged = mergeParts([reading.part]);
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    expect(merged.policy.rules).toHaveLength(2);
    expect(merged.warnings).toEqual([{ path: 'rules[1].match.kind', line: 5, column: 46, source: '/etc/cowork-companion/policy.json', message: expect.stringContaining('this deny rule never denies a Read call') }]);
  });
});
