// Evidence event names and attribute keys. Attribute names follow Claude Code's own telemetry
// (session.id, prompt.id, tool_use_id, tool_name, decision) so records join with claude_code.* events.
export const EVENT_NAMES = {
  approvalRequested: 'approval.requested',
  approvalDecided: 'approval.decided',
  approvalWithdrawn: 'approval.withdrawn',
  scopeChanged: 'scope.changed',
  policyChanged: 'policy.changed',
} as const;
export type EventName = (typeof EVENT_NAMES)[keyof typeof EVENT_NAMES];

export const ATTR = {
  eventId: 'event.id',
  sessionId: 'session.id',
  promptId: 'prompt.id',
  toolUseId: 'tool_use_id',
  toolName: 'tool_name',
  hookEvent: 'hook_event_name',
  approvalId: 'approval.id',
  decision: 'decision',
  decisionSource: 'decision.source',
  decisionLatencyMs: 'decision.latency_ms',
  decisionReason: 'decision.reason',
  decisionRule: 'decision.rule',
  cwd: 'cwd',
} as const;

export type DecisionSource = 'user' | 'policy' | 'timeout' | 'rule';
