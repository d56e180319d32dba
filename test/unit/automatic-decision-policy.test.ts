// Scope first, then remembered rules: a rule only ever turns an in-scope ask into an allow. Targets
// outside every shared folder under IT's `outOfScope: "ask"` (finding B2) and everything while the
// managed policy is broken (finding B3) go to a person, whatever a rule says.
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ToolPayload } from '../../shared/agent-api-contract.js';
import type { Rule } from '../../shared/ui-contract.js';
import { automaticDecisionPolicy } from '../../electron/core/approvals/automatic-decision-policy.js';
import { canonicalizerFor, volumeRulesFor } from '../../electron/core/paths/index.js';
import { evaluateScope, type ScopeState } from '../../electron/core/scope/index.js';
import { resolved } from '../support/resolve.js';

let root: string;
let P: string;
const canonicalize = canonicalizerFor('linux');
beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'cc-auto-')));
  P = join(root, 'proj');
  mkdirSync(P);
  writeFileSync(join(P, 'notes.txt'), 'n');
  writeFileSync(join(root, 'secret.txt'), 's');
});

const state = (extra: Partial<ScopeState> = {}): ScopeState => ({
  folders: [{ path: P, mode: 'read-write' }], forbidden: [], outOfScope: 'deny', mcpPathArguments: {}, home: root, volume: volumeRulesFor('linux'), ...extra,
});
const request = (tool_name: string, tool_input: Record<string, unknown>) =>
  resolved<ToolPayload>({ session_id: 's', cwd: P, hook_event_name: 'PreToolUse', tool_name, tool_input, tool_use_id: 't' }, { home: root });
/** A rule store whose every rule matches: what a rule could do if it were asked. */
const everyRule = { match: () => ({ id: 'r', description: 'anything' }) as Rule };
const decide = (s: ScopeState, tool: string, input: Record<string, unknown>) =>
  automaticDecisionPolicy({ scope: () => s, canonicalize, rules: everyRule })(request(tool, input));

describe('rules answer only in-scope asks', () => {
  it('control: a shell command inside the scope asks, and a rule may allow it', () => {
    expect(evaluateScope(request('Bash', { command: 'cat notes.txt' }), state(), canonicalize)).toMatchObject({ kind: 'ask' });
    expect(evaluateScope(request('Bash', { command: 'cat notes.txt' }), state(), canonicalize)).not.toHaveProperty('personOnly');
    expect(decide(state(), 'Bash', { command: 'cat notes.txt' })).toMatchObject({ kind: 'decide', verdict: 'allow', source: 'rule' });
  });
  it('B2 with outOfScope "ask", a target outside every shared folder asks a person only', () => {
    const s = state({ outOfScope: 'ask' });
    for (const [tool, input] of [
      ['Bash', { command: `cat ${root}/secret.txt` }],
      ['Bash', { command: `cat notes.txt ${root}/secret.txt` }],
      ['Read', { file_path: `${root}/secret.txt` }],
      ['Write', { file_path: `${root}/new.txt`, content: 'x' }],
      ['mcp__fs__read_file', { path: `${root}/secret.txt` }],
    ] as const) {
      expect(evaluateScope(request(tool, input), s, canonicalize), tool).toMatchObject({ kind: 'ask', personOnly: true, reason: expect.stringMatching(/outside the folders shared/) });
      expect(decide(s, tool, input), tool).toMatchObject({ kind: 'ask', personOnly: true });
    }
    // the same rule still answers inside the scope
    expect(decide(s, 'Bash', { command: 'cat notes.txt' })).toMatchObject({ kind: 'decide', verdict: 'allow' });
  });
  it('B3 while the managed policy is broken (fail closed), every ask is a person\'s, and denials stay', () => {
    const s = state({ failClosed: 'policy.json is not valid JSON' });
    for (const [tool, input] of [
      ['Bash', { command: 'git status' }],
      ['Read', { file_path: `${P}/notes.txt` }],
      ['WebFetch', { url: 'https://example.com' }],
      ['mcp__jira__create_issue', { summary: 'x' }],
      ['FutureTool', {}],
    ] as const) {
      expect(decide(s, tool, input), tool).toMatchObject({ kind: 'ask', personOnly: true, reason: expect.stringMatching(/nothing is allowed automatically/) });
    }
    expect(decide(s, 'Read', { file_path: `${root}/secret.txt` })).toMatchObject({ kind: 'decide', verdict: 'deny' });
  });
});

describe('Bash the OS sandbox confines (the "allow" mode)', () => {
  const noRules = { match: () => undefined };
  const sandboxed = (writable: string[] | undefined) => (s: ScopeState, input: Record<string, unknown>) =>
    automaticDecisionPolicy({ scope: () => s, canonicalize, rules: noRules, sandboxedBash: () => writable })(request('Bash', input));

  it('a command asked about only for being one is allowed, naming where it can write', () => {
    expect(sandboxed([P])(state(), { command: 'make check' })).toMatchObject({ kind: 'decide', verdict: 'allow', source: 'policy', rule: 'sandbox.bash', reason: expect.stringContaining(`only in ${P}`) });
  });

  it('not sandboxed (or the mode is ask): it still asks', () => {
    expect(sandboxed(undefined)(state(), { command: 'make check' })).toMatchObject({ kind: 'ask' });
  });

  it('a file a person must decide, a target outside, a read-only folder, a broken policy: never by the sandbox', () => {
    writeFileSync(join(P, 'package.json'), '{}');
    expect(sandboxed([P])(state(), { command: 'echo x > package.json' })).toMatchObject({ kind: 'ask', personOnly: true });
    expect(sandboxed([P])(state(), { command: `cat ${root}/secret.txt` })).toMatchObject({ kind: 'decide', verdict: 'deny' });
    expect(sandboxed([P])(state({ folders: [{ path: P, mode: 'read' }] }), { command: 'echo x > notes.txt' })).toMatchObject({ kind: 'ask', reason: expect.stringMatching(/shared read-only/) });
    expect(sandboxed([P])(state({ failClosed: 'broken' }), { command: 'make check' })).toMatchObject({ kind: 'ask', personOnly: true });
  });

  it('other tools are not the sandbox\'s to answer', () => {
    expect(automaticDecisionPolicy({ scope: () => state(), canonicalize, rules: noRules, sandboxedBash: () => [P] })(request('WebFetch', { url: 'https://example.com', prompt: 'x' }))).toMatchObject({ kind: 'ask' });
  });
});
