// The companion's answer in Claude Code's own words (`claude_code.tool_decision`: decision accept |
// reject, source hook), so a backend joins the two streams without translating values.
import { describe, expect, it } from 'vitest';
import { claudeCodeVocabulary } from '../../electron/core/approvals/claude-code-vocabulary-policy.js';
import { decidedEvent } from '../../electron/core/approvals/approval-evidence.js';
import { validateEvidenceAttributes } from '../../shared/evidence-schema.js';
import type { ToolPayload } from '../../shared/agent-api-contract.js';
import { fixture } from '../support/fixtures.js';

describe('claudeCodeVocabulary', () => {
  it('an allow is what Claude Code logs as accept, from a hook', () => {
    expect(claudeCodeVocabulary('allow')).toEqual({ 'claude_code.decision': 'accept', 'claude_code.source': 'hook' });
  });

  it('a deny is what Claude Code logs as reject, from a hook', () => {
    expect(claudeCodeVocabulary('deny')).toEqual({ 'claude_code.decision': 'reject', 'claude_code.source': 'hook' });
  });

  it.each(['ask', 'defer'] as const)('adds nothing for %s: Claude Code then decides itself, and the companion cannot know how', (answer) => {
    expect(claudeCodeVocabulary(answer)).toEqual({});
  });
});

describe('on approval.decided', () => {
  const write = fixture<ToolPayload>('input/pretooluse-write.json');
  const decided = (verdict: 'allow' | 'deny', source: 'user' | 'policy' | 'rule' | 'timeout') =>
    decidedEvent(write, 'a1', 1_700_000_000_000, { verdict, source, reason: 'r', latencyMs: 5, person: { 'user.name': 'dana.kovac' } });

  it.each([
    ['allow', 'user', 'accept'],
    ['allow', 'policy', 'accept'],
    ['allow', 'rule', 'accept'],
    ['deny', 'user', 'reject'],
    ['deny', 'policy', 'reject'],
    // A time-out and a held item are answered with a deny: Claude Code rejects the call.
    ['deny', 'timeout', 'reject'],
  ] as const)('keeps the companion decision %s (by %s) and adds Claude Code\'s %s', (verdict, source, claude) => {
    const e = decided(verdict, source);
    expect(e.attributes).toMatchObject({ decision: verdict, 'decision.source': source, 'claude_code.decision': claude, 'claude_code.source': 'hook' });
    expect(validateEvidenceAttributes(e.name, e.attributes)).toMatchObject({ ok: true });
  });

  it('puts the person (OS account as user.name) on decisions by a person only, and never a user.id', () => {
    expect(decided('allow', 'user').attributes).toMatchObject({ 'user.name': 'dana.kovac' });
    expect(decided('allow', 'policy').attributes).not.toHaveProperty('user.name');
    expect(decided('allow', 'user').attributes).not.toHaveProperty('user.id');
  });
});
