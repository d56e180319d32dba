// The companion's answer in Claude Code's own words. Claude Code logs every permission decision as a
// `claude_code.tool_decision` event with `decision` = accept | reject and `source` = where it came
// from; an answer returned by a PreToolUse or PermissionRequest hook is logged with `source` = hook
// (code.claude.com/docs/en/monitoring-usage, "Tool decision event"). An `approval.decided` record
// keeps the companion's own `decision` (allow | deny) and adds these, so a backend compares the two
// records value for value instead of translating. Pure.
import type { Verdict } from '../../../shared/agent-api-contract.js';
import type { EvidenceAttributeInput } from '../../../shared/evidence-schema.js';
import { ATTR, CLAUDE_CODE_HOOK_SOURCE, EVENT_NAMES } from '../../../shared/telemetry-events.js';

/** What a hook can answer: the companion's verdicts, and PreToolUse answers it does not give today. */
export type HookPermissionAnswer = Verdict | 'ask' | 'defer';

export type ClaudeCodeVocabulary = Pick<EvidenceAttributeInput<typeof EVENT_NAMES.approvalDecided>, typeof ATTR.claudeCodeDecision | typeof ATTR.claudeCodeSource>;

/**
 * allow → accept, deny → reject, both from `hook`. A held item or a time-out is answered with a deny,
 * so it is a reject too. `ask` and `defer` settle nothing in Claude Code: it prompts the person (then
 * logs their answer, `user_*`, or `config`) or stops the run, and the companion cannot know which
 * record follows, so nothing is added.
 */
export function claudeCodeVocabulary(answer: HookPermissionAnswer): ClaudeCodeVocabulary {
  switch (answer) {
    case 'allow':
      return { [ATTR.claudeCodeDecision]: 'accept', [ATTR.claudeCodeSource]: CLAUDE_CODE_HOOK_SOURCE };
    case 'deny':
      return { [ATTR.claudeCodeDecision]: 'reject', [ATTR.claudeCodeSource]: CLAUDE_CODE_HOOK_SOURCE };
    case 'ask':
    case 'defer':
      return {};
  }
}
