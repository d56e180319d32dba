// What a policy answers for a tool request: ask a person, or decide (recorded with
// decision.source = policy | rule and the rule that matched). The scope policy and remembered rules
// are composed in companion-core.
import type { ToolPayload } from '../../../shared/agent-api-contract.js';
import type { DecisionSource } from '../../../shared/telemetry-events.js';

export type PolicyOutcome =
  | { kind: 'ask'; reason?: string }
  | { kind: 'decide'; verdict: 'allow' | 'deny'; source: Extract<DecisionSource, 'policy' | 'rule'>; reason: string; rule: string };

export type ApprovalPolicy = (payload: ToolPayload) => PolicyOutcome;
