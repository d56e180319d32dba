// What is decided without a person: the scope check first (outside and forbidden are denied whatever
// a rule says, and files that make commands run code always go to a person), then remembered rules
// (IT's first). Anything else goes to the Inbox.
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
    const outcome = evaluateScope(request, deps.scope(), deps.canonicalize);
    if (outcome.kind === 'decide' || outcome.personOnly) return outcome;
    const rule = deps.rules.match(request);
    if (rule) return { kind: 'decide', verdict: 'allow', source: 'rule', reason: `Allowed by a rule in Cowork Companion: ${rule.description}`, rule: `rule:${rule.id}` };
    return outcome;
  };
}
