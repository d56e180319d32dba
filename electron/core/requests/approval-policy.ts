// What a policy answers for a resolved tool request: ask a person, or decide (recorded with
// decision.source = policy | rule and the rule that matched). The scope check and remembered rules
// are composed in approvals/automatic-decision-policy.ts.
import type { Verdict } from '../../../shared/agent-api-contract.js';
import type { DecisionSource } from '../../../shared/telemetry-events.js';
import type { ResolvedRequest } from './resolved-request.js';

export type PolicyOutcome =
  /** `personOnly`: remembered rules may not answer it either (the reason says why). */
  | {
      kind: 'ask';
      reason?: string;
      personOnly?: boolean;
      /** Asked only for being a shell command (no file it names needs a person). */
      shell?: boolean;
      /** A person answers this very request: an approval given earlier (a held card approved after the
       *  agent stopped waiting) does not answer its retry. A run an escalation holds. */
      freshAnswer?: boolean;
    }
  | { kind: 'decide'; verdict: Verdict; source: Extract<DecisionSource, 'policy' | 'rule'>; reason: string; rule: string };

export type ApprovalPolicy = (request: ResolvedRequest) => PolicyOutcome;
