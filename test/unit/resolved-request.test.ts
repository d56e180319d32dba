// A tool call is resolved once: the scope check and the rules share its canonical paths, every
// consumer sees the same targets (the policy's MCP path arguments included), and the hashes bind
// a decision to the call.
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ToolPayload } from '../../shared/agent-api-contract.js';
import { automaticDecisionPolicy, proposeRule, ruleMatches } from '../../electron/core/approvals/index.js';
import { canonicalizerFor, volumeRulesFor, type Canonicalize } from '../../electron/core/paths/index.js';
import { resolveRequest } from '../../electron/core/requests/index.js';
import type { ScopeState } from '../../electron/core/scope/index.js';

const volume = volumeRulesFor('linux');

function setup() {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'cc-resolve-')));
  mkdirSync(join(root, 'proj'));
  const calls: string[] = [];
  const real = canonicalizerFor('linux');
  const counting: Canonicalize = (input, base) => {
    calls.push(`${String(input)}@${base ?? ''}`);
    return real(input, base);
  };
  const state: ScopeState = { folders: [{ path: join(root, 'proj'), mode: 'read' }], forbidden: [], outOfScope: 'deny', mcpPathArguments: {}, home: root, volume };
  return { root, calls, counting, state };
}

const call = (cwd: string, tool_name: string, tool_input: Record<string, unknown>): ToolPayload =>
  ({ session_id: 's', cwd, hook_event_name: 'PreToolUse', tool_name, tool_input, tool_use_id: 't' });

describe('a resolved request', () => {
  it('canonicalises each named path once for the scope check and every rule together', () => {
    const { root, calls, counting, state } = setup();
    const request = resolveRequest(call(join(root, 'proj'), 'Write', { file_path: join(root, 'proj/a.txt') }), { canonicalize: counting, home: root, mcpPathArguments: {} });
    const rules = Array.from({ length: 50 }, (_, i) => ({ toolName: 'Write', match: { kind: 'path-prefix' as const, path: join(root, 'proj') }, folder: join(root, `p${i}`) }));
    // A write into a read-only folder: the scope check asks, then the rules are tried.
    let tried = 0;
    const match = (r: typeof request) => {
      for (const rule of rules) if (ruleMatches(rule, r, { canonicalize: counting, volume })) return undefined;
      tried = rules.length;
      return undefined;
    };
    const policy = automaticDecisionPolicy({ scope: () => state, canonicalize: counting, rules: { match } });
    expect(policy(request)).toMatchObject({ kind: 'ask' });
    const forFile = calls.filter((c) => c.startsWith(join(root, 'proj/a.txt')));
    const forCwd = calls.filter((c) => c === `${join(root, 'proj')}@`);
    expect(forFile).toHaveLength(1);
    expect(forCwd).toHaveLength(1);
    expect(tried).toBe(50);
  });

  it("carries the policy's MCP path arguments to every consumer: scope, rules, proposals and the card", () => {
    const { root, state } = setup();
    const payload = call(join(root, 'proj'), 'mcp__files__copy', { from: join(root, 'proj/a.txt'), to: '/etc/cron.d/x' });
    const ctx = { canonicalize: canonicalizerFor('linux'), home: root, mcpPathArguments: { files: ['from', 'to'] } };
    const request = resolveRequest(payload, ctx);
    expect(request.targets.files.map((f) => f.path)).toEqual([join(root, 'proj/a.txt'), '/etc/cron.d/x']);
    expect(request.display.paths).toEqual([join(root, 'proj/a.txt'), '/etc/cron.d/x']);
    const rule = { toolName: 'mcp__files__copy', match: { kind: 'path-prefix' as const, path: join(root, 'proj') } };
    // Rules for MCP tools check every path-like argument against the scope (without it, they do not match).
    const ruleCtx = { canonicalize: ctx.canonicalize, volume, scope: () => ({ ...state, mcpPathArguments: ctx.mcpPathArguments }) };
    // One target is outside the rule's folder: the rule does not cover the call.
    expect(ruleMatches(rule, request, ruleCtx)).toBe(false);
    const inside = resolveRequest({ ...payload, tool_input: { from: join(root, 'proj/a'), to: join(root, 'proj/b') } }, ctx);
    expect(ruleMatches(rule, inside, ruleCtx)).toBe(true);
    expect(ruleMatches(rule, inside, { canonicalize: ctx.canonicalize, volume })).toBe(false);
    expect(automaticDecisionPolicy({ scope: () => ({ ...state, mcpPathArguments: ctx.mcpPathArguments }), canonicalize: ctx.canonicalize, rules: { match: () => undefined } })(request))
      .toMatchObject({ kind: 'decide', verdict: 'deny', rule: 'scope.outside' });
    // MCP grants cover the tool, inside the shared folder the call came from.
    expect(proposeRule(request, volume, [join(root, 'proj')])).toEqual({ toolName: 'mcp__files__copy', effect: 'allow', folder: join(root, 'proj'), match: { kind: 'any' } });
  });

  it('binds to the call: same input, same hashes; another run or input, other hashes', () => {
    const { root } = setup();
    const ctx = { canonicalize: canonicalizerFor('linux'), home: root, mcpPathArguments: {} };
    const a = resolveRequest(call(root, 'Read', { file_path: '/x' }), ctx);
    const b = resolveRequest(call(root, 'Read', { file_path: '/x' }), ctx);
    const c = resolveRequest({ ...call(root, 'Read', { file_path: '/y' }) }, ctx);
    const d = resolveRequest({ ...call(root, 'Read', { file_path: '/x' }), session_id: 'other' }, ctx);
    expect(a.contentHash).toBe(b.contentHash);
    expect(a.actionKey).toBe(b.actionKey);
    expect(new Set([a.contentHash, c.contentHash, d.contentHash]).size).toBe(3);
    expect(a.isRead).toBe(true);
    expect(resolveRequest(call(root, 'Write', { file_path: '/x' }), ctx).isRead).toBe(false);
    expect(resolveRequest(call(root, 'Bash', { command: 'cat /x' }), ctx).isRead).toBe(false);
  });
});
