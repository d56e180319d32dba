import { describe, expect, it } from 'vitest';
import { parseHookPayload, toolAnswer } from '../../shared/agent-api-contract.js';
import { fixture } from '../support/fixtures.js';

describe('hook payload parsing', () => {
  it('accepts every fixture and classifies deciding events', () => {
    const tool = ['pretooluse-write', 'pretooluse-bash', 'pretooluse-mcp', 'permissionrequest-bash'];
    for (const name of tool) expect(parseHookPayload(fixture(`input/${name}.json`)), name).toMatchObject({ ok: true, hook: { kind: 'tool' } });
    for (const name of ['sessionstart-startup', 'stop', 'posttooluse-write', 'sessionend']) {
      expect(parseHookPayload(fixture(`input/${name}.json`)), name).toMatchObject({ ok: true, hook: { kind: 'other' } });
    }
  });
  it('keeps unknown fields (Claude Code adds fields over time)', () => {
    const r = parseHookPayload({ ...fixture<Record<string, unknown>>('input/pretooluse-write.json'), future_field: 1 });
    expect(r.ok && r.hook.payload).toMatchObject({ future_field: 1 });
  });
  it('explains what is missing', () => {
    const r = parseHookPayload({ hook_event_name: 'PreToolUse', cwd: '/x', session_id: 's', tool_name: 'Read', tool_input: {} });
    expect(r).toMatchObject({ ok: false, message: expect.stringContaining('tool_use_id') });
    expect(parseHookPayload(null)).toMatchObject({ ok: false });
  });
});

describe('answers in Claude Code hook output format', () => {
  it('matches the PreToolUse fixtures', () => {
    const allow = toolAnswer('PreToolUse', 'allow', 'ok');
    const expected = fixture<{ hookSpecificOutput: object }>('output/pretooluse-allow.json');
    expect(Object.keys(allow)).toEqual(Object.keys(expected));
    expect(toolAnswer('PreToolUse', 'deny', 'because')).toEqual({
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: 'because' },
    });
  });
  it('matches the PermissionRequest fixtures', () => {
    expect(toolAnswer('PermissionRequest', 'allow', 'x')).toEqual(fixture('output/permissionrequest-allow.json'));
    const deny = toolAnswer('PermissionRequest', 'deny', 'no');
    const expected = fixture<{ hookSpecificOutput: { decision: object } }>('output/permissionrequest-deny.json');
    expect(Object.keys((deny as typeof expected).hookSpecificOutput.decision).sort()).toEqual(Object.keys(expected.hookSpecificOutput.decision).sort());
  });
});
