// What is decided without a person: the scope check first (outside and forbidden are denied whatever
// a rule says; files that make commands run code, targets outside the scope under IT's
// `outOfScope: "ask"`, and everything while the managed policy is broken always go to a person), then
// remembered rules (IT's first), which only ever turn an in-scope ask into an allow. Anything else goes
// to the Inbox.
import type { Canonicalize } from '../paths/index.js';
import type { ApprovalPolicy, PolicyOutcome, ResolvedRequest } from '../requests/index.js';
import { evaluateScope, type ScopeState } from '../scope/index.js';
import type { Rule } from '../../../shared/ui-contract.js';

export interface AutomaticDecisionDeps {
  scope: () => ScopeState;
  canonicalize: Canonicalize;
  rules: { match(request: ResolvedRequest): Rule | undefined };
}

export function automaticDecisionPolicy(deps: AutomaticDecisionDeps): ApprovalPolicy {
  return (request: ResolvedRequest): PolicyOutcome => {
    const state = deps.scope();
    const outcome = evaluateScope(request, state, deps.canonicalize);
    if (outcome.kind === 'decide' || outcome.personOnly) return outcome;
    // Belt and braces: evaluateScope already makes every ask personOnly while the policy is broken.
    if (state.failClosed) return { ...outcome, personOnly: true };
    const rule = deps.rules.match(request);
    if (rule) return { kind: 'decide', verdict: 'allow', source: 'rule', reason: `Allowed by a rule in Cowork Companion: ${rule.description}`, rule: `rule:${rule.id}` };
    return outcome;
  };
}
