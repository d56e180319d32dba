// The first policy: every tool request waits for a person. Later rules (scope, remembered grants)
// return allow/deny here; whatever they decide is recorded with decision.source = policy | rule.
import type { ToolPayload } from '../../shared/agent-api-contract.js';
import type { DecisionSource } from '../../shared/telemetry-events.js';

export type PolicyOutcome =
  | { kind: 'ask'; reason?: string }
  | { kind: 'decide'; verdict: 'allow' | 'deny'; source: Extract<DecisionSource, 'policy' | 'rule'>; reason: string; rule: string };

export type ApprovalPolicy = (payload: ToolPayload) => PolicyOutcome;

export function evaluateApprovalPolicy(_payload: ToolPayload): PolicyOutcome {
  return { kind: 'ask' };
}
