// Scope first, then remembered rules: a rule only ever turns an in-scope ask into an allow. Targets
// outside every shared folder under IT's `outOfScope: "ask"` (finding B2) and everything while the
// managed policy is broken (finding B3) go to a person, whatever a rule says.
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ToolPayload } from '../../shared/agent-api-contract.js';
import type { BashSandbox, Rule } from '../../shared/ui-contract.js';
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

describe('Bash and the OS sandbox the companion keeps', () => {
  const noRules = { match: () => undefined };
  /** (P is known once beforeAll ran.) */
  const inScope = (): BashSandbox => ({ sandboxed: true, writable: [P] });
  const policyWith = (sandbox: BashSandbox | undefined, mode: 'ask' | 'allow' = 'allow', rules: { match(): Rule | undefined } = noRules) => (s: ScopeState, input: Record<string, unknown>) =>
    automaticDecisionPolicy({ scope: () => s, canonicalize, rules, bashSandbox: () => sandbox, sandboxedBashMode: () => mode })(request('Bash', input));

  it('"allow" mode: a command asked about only for being one is allowed, naming where it can write', () => {
    expect(policyWith(inScope())(state(), { command: 'make check' })).toMatchObject({ kind: 'decide', verdict: 'allow', source: 'policy', rule: 'sandbox.bash', reason: expect.stringContaining(`only in ${P}`) });
  });

  it('"ask" mode, or not sandboxed: it still asks', () => {
    expect(policyWith(inScope(), 'ask')(state(), { command: 'make check' })).toMatchObject({ kind: 'ask' });
    expect(policyWith({ sandboxed: false, writable: [] })(state(), { command: 'make check' })).toMatchObject({ kind: 'ask' });
    expect(policyWith(undefined)(state(), { command: 'make check' })).toMatchObject({ kind: 'ask' });
  });

  it('a file a person must decide, a target outside, a read-only folder, a broken policy: never by the sandbox', () => {
    writeFileSync(join(P, 'package.json'), '{}');
    expect(policyWith(inScope())(state(), { command: 'echo x > package.json' })).toMatchObject({ kind: 'ask', personOnly: true });
    expect(policyWith(inScope())(state(), { command: `cat ${root}/secret.txt` })).toMatchObject({ kind: 'decide', verdict: 'deny' });
    expect(policyWith(inScope())(state({ folders: [{ path: P, mode: 'read' }] }), { command: 'echo x > notes.txt' })).toMatchObject({ kind: 'ask', reason: expect.stringMatching(/shared read-only/) });
    expect(policyWith(inScope())(state({ failClosed: 'broken' }), { command: 'make check' })).toMatchObject({ kind: 'ask', personOnly: true });
  });

  it('a session working outside the read-write folders gets no Bash while sandboxed: not by a person, not by a rule', () => {
    const outside = { ...inScope(), cwdWritable: root };
    for (const mode of ['ask', 'allow'] as const) {
      expect(policyWith(outside, mode, everyRule)(state(), { command: 'make check' })).toMatchObject({ kind: 'decide', verdict: 'deny', rule: 'sandbox.cwd-outside', reason: expect.stringContaining(`works in ${root}, which is not shared read & write`) });
    }
    // Without the sandbox it is the person's to decide, as before.
    expect(policyWith({ sandboxed: false, writable: [] }, 'ask')(state(), { command: 'make check' })).toMatchObject({ kind: 'ask' });
  });

  it('other tools are not the sandbox\'s to answer', () => {
    expect(automaticDecisionPolicy({ scope: () => state(), canonicalize, rules: noRules, bashSandbox: () => inScope(), sandboxedBashMode: () => 'allow' })(request('WebFetch', { url: 'https://example.com', prompt: 'x' }))).toMatchObject({ kind: 'ask' });
  });
});
