// Which tool call a PermissionRequest is about: the PreToolUse of the same call (same session,
// folder, tool and input) allowed a moment before. Never made up, and bounded.
import { describe, expect, it } from 'vitest';
import { LEDGER_LIMITS, PreToolUseLedger, toolCallKey } from '../../electron/core/approvals/pre-tool-use-ledger.js';
import { fixture } from '../support/fixtures.js';

type Call = { session_id: string; prompt_id?: string; cwd: string; tool_name: string; tool_input: Record<string, unknown> };

/** The PermissionRequest fixture (no tool_use_id), and the PreToolUse Claude Code sends before it. */
const permissionRequest = (): Call => {
  const { session_id, prompt_id, cwd, tool_name, tool_input } = fixture<Call>('input/permissionrequest-bash.json');
  return { session_id, prompt_id, cwd, tool_name, tool_input };
};
const preToolUse = (toolUseId = 'toolu_01PushRefundRetry0000000', change: Partial<Call> = {}) => ({ ...permissionRequest(), ...change, tool_use_id: toolUseId });

const T0 = 1_000_000;

describe('PreToolUseLedger: pairing', () => {
  it('gives a PermissionRequest the tool_use_id of the PreToolUse of the same call', () => {
    const ledger = new PreToolUseLedger();
    ledger.remember(preToolUse(), T0);
    expect(ledger.take(permissionRequest(), T0 + 50)).toBe('toolu_01PushRefundRetry0000000');
  });

  it('pairs once: a second PermissionRequest for the same input gets nothing', () => {
    const ledger = new PreToolUseLedger();
    ledger.remember(preToolUse(), T0);
    ledger.take(permissionRequest(), T0);
    expect(ledger.take(permissionRequest(), T0)).toBeUndefined();
  });

  it('gives nothing when no PreToolUse was seen (never made up)', () => {
    expect(new PreToolUseLedger().take(permissionRequest(), T0)).toBeUndefined();
  });

  it.each([
    ['another command', { tool_input: { command: 'git push --force origin main', description: 'Push the refund retry branch' } }],
    ['the same command with another description', { tool_input: { command: 'git push origin feature/refund-retry', description: 'Push' } }],
    ['another folder', { cwd: '/Users/dana.kovac/work/ledger-api' }],
    ['another tool', { tool_name: 'mcp__git__push' }],
    ['another session', { session_id: '9d3f0a7e-1111-4c7e-8d2f-1f6a3b9c7e21' }],
    ['another prompt', { prompt_id: 'e0b2c9d1-0000-4b6a-9c0d-2e7f5a1b8d44' }],
  ])('does not pair a PreToolUse with %s', (_label, change) => {
    const ledger = new PreToolUseLedger();
    ledger.remember(preToolUse('toolu_other', change), T0);
    expect(ledger.take(permissionRequest(), T0)).toBeUndefined();
  });

  it('pairs when only one side names the prompt (older Claude Code sends no prompt_id)', () => {
    const ledger = new PreToolUseLedger();
    const { prompt_id: _omit, ...withoutPrompt } = preToolUse();
    ledger.remember(withoutPrompt, T0);
    expect(ledger.take(permissionRequest(), T0)).toBe('toolu_01PushRefundRetry0000000');
  });

  it('matches the input whatever the order of its keys', () => {
    const ledger = new PreToolUseLedger();
    const pr = permissionRequest();
    ledger.remember(preToolUse('toolu_a', { tool_input: { description: pr.tool_input['description'], command: pr.tool_input['command'] } }), T0);
    expect(ledger.take(pr, T0)).toBe('toolu_a');
    expect(toolCallKey({ cwd: '/w', tool_name: 'Edit', tool_input: { a: 1, b: { c: 2, d: [3, { e: 4, f: 5 }] } } })).toBe(
      toolCallKey({ cwd: '/w', tool_name: 'Edit', tool_input: { b: { d: [3, { f: 5, e: 4 }], c: 2 }, a: 1 } }),
    );
  });

  it('gives nothing when two identical calls are in flight (which one it follows cannot be told)', () => {
    const ledger = new PreToolUseLedger();
    ledger.remember(preToolUse('toolu_a'), T0);
    ledger.remember(preToolUse('toolu_b'), T0 + 10);
    expect(ledger.take(permissionRequest(), T0 + 20)).toBeUndefined();
  });

  it('counts a PreToolUse sent twice with the same id once', () => {
    const ledger = new PreToolUseLedger();
    ledger.remember(preToolUse('toolu_a'), T0);
    ledger.remember(preToolUse('toolu_a'), T0 + 10);
    expect(ledger.size).toBe(1);
    expect(ledger.take(permissionRequest(), T0 + 20)).toBe('toolu_a');
  });
});

describe('PreToolUseLedger: expiry and memory bound', () => {
  it('forgets a PreToolUse after the window', () => {
    const ledger = new PreToolUseLedger();
    ledger.remember(preToolUse(), T0);
    expect(ledger.take(permissionRequest(), T0 + LEDGER_LIMITS.windowMs + 1)).toBeUndefined();
    expect(ledger.size).toBe(0);
  });

  it('still pairs at the edge of the window', () => {
    const ledger = new PreToolUseLedger();
    ledger.remember(preToolUse(), T0);
    expect(ledger.take(permissionRequest(), T0 + LEDGER_LIMITS.windowMs)).toBe('toolu_01PushRefundRetry0000000');
  });

  it('an expired twin does not make a fresh call ambiguous', () => {
    const ledger = new PreToolUseLedger({ windowMs: 1000, perSession: 8, sessions: 8 });
    ledger.remember(preToolUse('toolu_old'), T0);
    ledger.remember(preToolUse('toolu_new'), T0 + 5000);
    expect(ledger.take(permissionRequest(), T0 + 5001)).toBe('toolu_new');
  });

  it('keeps at most perSession calls per session, dropping the oldest', () => {
    const ledger = new PreToolUseLedger({ windowMs: 60_000, perSession: 3, sessions: 8 });
    for (let i = 0; i < 10; i++) ledger.remember(preToolUse(`toolu_${i}`, { tool_input: { command: `echo ${i}` } }), T0 + i);
    expect(ledger.size).toBe(3);
    expect(ledger.take({ ...permissionRequest(), tool_input: { command: 'echo 6' } }, T0 + 10)).toBeUndefined();
    expect(ledger.take({ ...permissionRequest(), tool_input: { command: 'echo 7' } }, T0 + 10)).toBe('toolu_7');
  });

  it('keeps at most `sessions` sessions, dropping the one least recently added to', () => {
    const ledger = new PreToolUseLedger({ windowMs: 60_000, perSession: 4, sessions: 2 });
    ledger.remember(preToolUse('toolu_a', { session_id: 'a' }), T0);
    ledger.remember(preToolUse('toolu_b', { session_id: 'b' }), T0 + 1);
    ledger.remember(preToolUse('toolu_a2', { session_id: 'a', tool_input: { command: 'ls' } }), T0 + 2); // a is fresh again
    ledger.remember(preToolUse('toolu_c', { session_id: 'c' }), T0 + 3); // b goes
    expect(ledger.take({ ...permissionRequest(), session_id: 'b' }, T0 + 4)).toBeUndefined();
    expect(ledger.take({ ...permissionRequest(), session_id: 'a' }, T0 + 4)).toBe('toolu_a');
    expect(ledger.take({ ...permissionRequest(), session_id: 'c' }, T0 + 4)).toBe('toolu_c');
  });

  it('holds a bounded number of calls under a flood of sessions and calls', () => {
    const limits = { windowMs: 60_000, perSession: 4, sessions: 16 };
    const ledger = new PreToolUseLedger(limits);
    for (let s = 0; s < 200; s++) for (let i = 0; i < 20; i++) ledger.remember(preToolUse(`t${s}-${i}`, { session_id: `s${s}`, tool_input: { command: `c${i}` } }), T0 + s);
    expect(ledger.size).toBe(limits.perSession * limits.sessions);
  });
});
