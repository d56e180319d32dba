// Deny and ask rules: the tool patterns they may use, how they match (the reverse caution of an allow
// rule: doubt sends the call to a person), and the order automatic-decision-policy.ts applies them in.
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ToolPayload } from '../../shared/agent-api-contract.js';
import { ManagedPolicySchema } from '../../shared/managed-policy-contract.js';
import { RuleDraftSchema, RuleSchema, type BashSandbox, type Rule, type RuleShape } from '../../shared/ui-contract.js';
import { automaticDecisionPolicy } from '../../electron/core/approvals/automatic-decision-policy.js';
import { describeRule, gateMatches, offerRule, ruleMatches, toolMatches, type RuleContext } from '../../electron/core/approvals/rule-matching-policy.js';
import { canonicalizerFor, volumeRulesFor } from '../../electron/core/paths/index.js';
import type { ScopeState } from '../../electron/core/scope/index.js';
import { resolved } from '../support/resolve.js';

let root: string;
let P: string;
let ctx: RuleContext;
const canonicalize = canonicalizerFor('linux');
beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'cc-gate-')));
  P = join(root, 'proj');
  mkdirSync(join(P, 'secrets'), { recursive: true });
  writeFileSync(join(P, 'notes.txt'), 'n');
  writeFileSync(join(P, 'secrets/key.txt'), 'k');
  ctx = { canonicalize, volume: volumeRulesFor('linux'), scope: () => state() };
});

const state = (extra: Partial<ScopeState> = {}): ScopeState => ({
  folders: [{ path: P, mode: 'read-write' }], forbidden: [], outOfScope: 'deny', mcpPathArguments: {}, home: root, volume: volumeRulesFor('linux'), ...extra,
});
const call = (tool_name: string, tool_input: Record<string, unknown>, session_id = 's') =>
  resolved<ToolPayload>({ session_id, cwd: P, hook_event_name: 'PreToolUse', tool_name, tool_input, tool_use_id: 't' }, { home: root });

describe('rule shape', () => {
  it('an old rule (no effect) is an allow rule; match defaults to any call, so the issue\'s policy works as written', () => {
    expect(RuleDraftSchema.parse({ toolName: 'Bash', match: { kind: 'command-prefix', prefix: 'ls' } }).effect).toBe('allow');
    const stored = { toolName: 'Read', match: { kind: 'any' }, id: 'r', origin: 'person', lifetime: 'always', createdAt: 'x', description: 'd', hits: 0, locked: false };
    expect(RuleSchema.parse(stored).effect).toBe('allow');
    const policy = ManagedPolicySchema.parse({ rules: [{ toolName: 'mcp__github__*', effect: 'deny' }] });
    expect(policy.rules).toEqual([{ toolName: 'mcp__github__*', effect: 'deny', match: { kind: 'any' } }]);
  });
  it('takes * only as a whole MCP server or at the end of an MCP tool name', () => {
    for (const ok of ['Bash', 'mcp__github__*', 'mcp__*__delete_issue', 'mcp__*__delete_*', 'mcp__*__*', 'mcp__git_hub__create_*']) {
      expect(RuleDraftSchema.safeParse({ toolName: ok }).success, ok).toBe(true);
    }
    for (const bad of ['*', 'Bash*', 'Web*', 'mcp__git*__x', 'mcp__github__de*te', 'mcp__github__**', 'mcp____*', 'mcp__*']) {
      expect(RuleDraftSchema.safeParse({ toolName: bad }).success, bad).toBe(false);
    }
    expect(RuleDraftSchema.safeParse({ toolName: 'Bash', effect: 'maybe' }).success).toBe(false);
  });
});

describe('tool patterns', () => {
  it('a server * is one whole server; a tool * is the rest of the tool name', () => {
    expect(toolMatches('mcp__github__*', 'mcp__github__create_issue')).toBe(true);
    expect(toolMatches('mcp__github__*', 'mcp__githubx__create_issue')).toBe(false);
    expect(toolMatches('mcp__github__*', 'mcp__gitlab__create_issue')).toBe(false);
    expect(toolMatches('mcp__*__delete_*', 'mcp__jira__delete_issue')).toBe(true);
    expect(toolMatches('mcp__*__delete_*', 'mcp__jira__create_issue')).toBe(false);
    expect(toolMatches('mcp__*__*', 'Bash')).toBe(false);
    expect(toolMatches('Bash', 'Bash')).toBe(true);
    expect(toolMatches('Bash', 'BashOutput')).toBe(false);
  });
  it('a call whose tool name holds * is offered no rule (it would read as a pattern); a pattern still covers it', () => {
    expect(offerRule(call('mcp__github__x*', {}), ctx, [P])).toEqual({ noRuleReason: 'not-covered' });
    expect(offerRule(call('mcp__github__x', {}), ctx, [P])).toMatchObject({ proposedRule: { toolName: 'mcp__github__x' } });
    expect(toolMatches('mcp__github__*', 'mcp__github__x*')).toBe(true);
  });
  it('an allow rule with a pattern also names the tools it covers (arguments still checked)', () => {
    const rule: RuleShape = { toolName: 'mcp__jira__*', match: { kind: 'any' } };
    expect(ruleMatches(rule, call('mcp__jira__create_issue', { title: 'x' }), ctx)).toBe(true);
    expect(ruleMatches(rule, call('mcp__jira__create_issue', { path: join(root, 'elsewhere.txt') }), ctx)).toBe(false);
  });
});

describe('deny and ask matching: doubt goes to a person', () => {
  const deny = (toolName: string, match: RuleShape['match']): RuleShape => ({ toolName, match, effect: 'deny' });
  it('any: every call of the tools, whatever the arguments (which an allow rule must check)', () => {
    const r = deny('mcp__github__*', { kind: 'any' });
    expect(gateMatches(r, call('mcp__github__delete_repo', { repo: 'a/b', path: '../../x' }), ctx)).toBe('yes');
    expect(gateMatches(r, call('mcp__jira__delete_issue', {}), ctx)).toBe('no');
  });
  it('command prefix: any command of a chain, after VAR= and sudo; built text is a maybe', () => {
    const r = deny('Bash', { kind: 'command-prefix', prefix: 'git push' });
    for (const yes of ['git push', 'git push --force origin main', 'cd x && git push', 'ls | git push', 'FOO=1 git push', 'sudo git push', '(git push)']) {
      expect(gateMatches(r, call('Bash', { command: yes }), ctx), yes).toBe('yes');
    }
    for (const maybe of ['eval "git push"', 'sh -c "git push"', 'git $(echo push)', '`echo git` push', 'g=git; $g push']) {
      expect(gateMatches(r, call('Bash', { command: maybe }), ctx), maybe).toBe('maybe');
    }
    for (const no of ['git pushx', 'git status', 'echo git push']) {
      expect(gateMatches(r, call('Bash', { command: no }), ctx), no).toBe('no');
    }
    expect(gateMatches(r, call('Bash', {}), ctx)).toBe('maybe');
  });
  it('command prefix: the spellings a simple reading must not miss (a program by path, quotes, keywords, redirections, options)', () => {
    const r = deny('Bash', { kind: 'command-prefix', prefix: 'git push' });
    for (const yes of ['/usr/bin/git push', '"git" push', "g'i't push", 'if :; then git push; fi', '! git push', '>o git push', '> o git push', '2>&1 git push', 'exec git push']) {
      expect(gateMatches(r, call('Bash', { command: yes }), ctx), yes).toBe('yes');
    }
    // Options between the words, or a wrapper's options, cannot be read apart from their values: a person decides.
    for (const maybe of ['git -C . push', 'git --no-pager push', 'sudo -u me git push', 'env -i git push', 'nice -n1 git push', 'command -p git push', 'timeout 5 git push']) {
      expect(gateMatches(r, call('Bash', { command: maybe }), ctx), maybe).toBe('maybe');
    }
    for (const no of ['git log --oneline', 'git commit -m push', 'gitk push', 'timeout 5 make']) {
      expect(gateMatches(r, call('Bash', { command: no }), ctx), no).toBe('no');
    }
  });
  it('MCP names that split more than one way: a deny covers any reading, an allow must cover every one', () => {
    // A server the agent named `a__b`: its tool reads as server a / tool b__delete_repo, or a__b / delete_repo.
    const deny = { toolName: 'mcp__*__delete_*', match: { kind: 'any' }, effect: 'deny' } as const;
    expect(gateMatches(deny, call('mcp__a__b__delete_repo', {}), ctx)).toBe('yes');
    expect(toolMatches('mcp__github__*', 'mcp__github__x__y', 'some')).toBe(true);
    expect(toolMatches('mcp__github__*', 'mcp__github__x__y')).toBe(false);
    expect(toolMatches('mcp__github__*', 'mcp__github__create_issue')).toBe(true);
  });
  it('domain: the host and its subdomains; a URL it cannot read is a maybe', () => {
    const r = deny('WebFetch', { kind: 'domain', domain: 'example.com' });
    expect(gateMatches(r, call('WebFetch', { url: 'https://api.EXAMPLE.com/x' }), ctx)).toBe('yes');
    expect(gateMatches(r, call('WebFetch', { url: 'https://notexample.com/' }), ctx)).toBe('no');
    expect(gateMatches(r, call('WebFetch', { url: 'ftp://example.com/' }), ctx)).toBe('maybe');
    // WebSearch names no URL: only a search kept to other domains is surely not covered.
    const search = deny('WebSearch', { kind: 'domain', domain: 'example.com' });
    expect(gateMatches(search, call('WebSearch', { query: 'x' }), ctx)).toBe('maybe');
    expect(gateMatches(search, call('WebSearch', { query: 'x', allowed_domains: ['docs.python.org'] }), ctx)).toBe('no');
    expect(gateMatches(search, call('WebSearch', { query: 'x', allowed_domains: ['api.example.com'] }), ctx)).toBe('yes');
    expect(gateMatches(search, call('WebSearch', { query: 'x', allowed_domains: ['com'] }), ctx)).toBe('maybe');
  });
  it('path prefix: any file the call names under the path (an allow needs every one), a search above it too', () => {
    const r = deny('Read', { kind: 'path-prefix', path: join(P, 'secrets') });
    expect(gateMatches(r, call('Read', { file_path: join(P, 'secrets/key.txt') }), ctx)).toBe('yes');
    expect(gateMatches(r, call('Read', { file_path: join(P, 'notes.txt') }), ctx)).toBe('no');
    expect(gateMatches(deny('Grep', { kind: 'path-prefix', path: join(P, 'secrets') }), call('Grep', { pattern: 'k', path: P }), ctx)).toBe('yes');
    const bash = deny('Bash', { kind: 'path-prefix', path: join(P, 'secrets') });
    expect(gateMatches(bash, call('Bash', { command: `cat ${P}/notes.txt ${P}/secrets/key.txt` }), ctx)).toBe('yes');
    const mcp = deny('mcp__fs__*', { kind: 'path-prefix', path: join(P, 'secrets') });
    expect(gateMatches(mcp, call('mcp__fs__read_file', { path: join(P, 'secrets/key.txt') }), ctx)).toBe('yes');
    expect(gateMatches(mcp, call('mcp__fs__read_file', { path: join(P, 'notes.txt') }), ctx)).toBe('no');
  });
  it('a rule limited to a folder applies only to calls from it', () => {
    const r: RuleShape = { toolName: 'Bash', match: { kind: 'command-prefix', prefix: 'rm' }, folder: join(root, 'other'), effect: 'deny' };
    expect(gateMatches(r, call('Bash', { command: 'rm x' }), ctx)).toBe('no');
    expect(gateMatches({ ...r, folder: P }, call('Bash', { command: 'rm x' }), ctx)).toBe('yes');
  });
  it('says what the rule does', () => {
    expect(describeRule(deny('mcp__github__*', { kind: 'any' }), 'always', root)).toBe('Never lets the agent call any tool of the github MCP server until you revoke it.');
    expect(describeRule({ toolName: 'Bash', match: { kind: 'command-prefix', prefix: 'git push' }, effect: 'ask' }, 'run', root)).toBe(
      'Asks you every time the agent wants to run shell commands starting with “git push” until this run ends.',
    );
    expect(describeRule(deny('mcp__*__delete_*', { kind: 'any' }), 'always', root)).toContain('call “delete_*” on any MCP server');
  });
});

describe('decision order', () => {
  const rule = (id: string, effect: Rule['effect'], origin: Rule['origin'] = 'policy'): Rule => ({
    id, effect, origin, toolName: 'Bash', match: { kind: 'command-prefix', prefix: 'ls' }, lifetime: 'always', createdAt: '', description: `rule ${id}`, hits: 0, locked: origin === 'policy',
  });
  const decide = (
    input: { tool: string; args: Record<string, unknown> },
    gate: { rule: Rule; effect: 'deny' | 'ask'; certain: boolean } | undefined,
    allow: Rule | undefined,
    extra: { s?: ScopeState; sandbox?: BashSandbox; mode?: 'ask' | 'allow' } = {},
  ) =>
    automaticDecisionPolicy({
      scope: () => extra.s ?? state(),
      canonicalize,
      rules: { match: () => allow, gate: () => gate },
      ...(extra.sandbox ? { bashSandbox: () => extra.sandbox } : {}),
      ...(extra.mode ? { sandboxedBashMode: () => extra.mode! } : {}),
    })(call(input.tool, input.args));
  const ls = { tool: 'Bash', args: { command: 'ls' } };

  it('a deny rule denies, naming the rule, before anything else (even an allow rule)', () => {
    expect(decide(ls, { rule: rule('d', 'deny'), effect: 'deny', certain: true }, rule('a', 'allow'))).toEqual({
      kind: 'decide', verdict: 'deny', source: 'rule', reason: 'Blocked by Cowork Companion: a rule denies this: rule d', rule: 'rule:d',
    });
  });
  it('a scope deny stays a deny under an ask rule (an ask never loosens)', () => {
    const out = decide({ tool: 'Read', args: { file_path: join(root, 'outside.txt') } }, { rule: rule('q', 'ask'), effect: 'ask', certain: true }, undefined);
    expect(out).toMatchObject({ kind: 'decide', verdict: 'deny', source: 'policy' });
  });
  it('an ask rule makes what an allow rule, the scope or the sandboxed-Bash mode would allow a person\'s', () => {
    const ask = { rule: rule('q', 'ask'), effect: 'ask' as const, certain: true };
    expect(decide(ls, undefined, rule('a', 'allow'))).toMatchObject({ kind: 'decide', verdict: 'allow' }); // control
    expect(decide(ls, ask, rule('a', 'allow'))).toEqual({ kind: 'ask', personOnly: true, reason: 'A rule asks a person about this: rule q' });
    const read = { tool: 'Read', args: { file_path: join(P, 'notes.txt') } };
    expect(decide(read, undefined, undefined)).toMatchObject({ kind: 'decide', verdict: 'allow' }); // control
    expect(decide(read, ask, undefined)).toMatchObject({ kind: 'ask', personOnly: true });
    const sandbox: BashSandbox = { sandboxed: true, writable: [P] };
    expect(decide(ls, undefined, undefined, { sandbox, mode: 'allow' })).toMatchObject({ kind: 'decide', verdict: 'allow', rule: 'sandbox.bash' }); // control
    expect(decide(ls, ask, undefined, { sandbox, mode: 'allow' })).toMatchObject({ kind: 'ask', personOnly: true });
  });
  it('a deny that may cover the call asks a person, saying so', () => {
    expect(decide(ls, { rule: rule('d', 'deny'), effect: 'ask', certain: false }, rule('a', 'allow'))).toEqual({
      kind: 'ask', personOnly: true, reason: 'A rule that denies may cover this call, so a person decides: rule d',
    });
  });
});
