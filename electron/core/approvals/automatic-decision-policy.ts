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
  /** Where a Bash call could write, when the person or IT let sandboxed Bash through and this call runs
   *  in the OS sandbox from a read-write shared folder; undefined otherwise. */
  sandboxedBash?: (request: ResolvedRequest) => string[] | undefined;
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
    // A shell command asked about only for being one (not for a file it names): the OS sandbox confines
    // whatever it runs to the shared folders, so where that mode is chosen it needs no person.
    const writable = outcome.shell ? deps.sandboxedBash?.(request) : undefined;
    if (writable) {
      const where = writable.length > 0 ? `only in ${writable.join(', ')}` : 'in no shared folder';
      return { kind: 'decide', verdict: 'allow', source: 'policy', reason: `Allowed by Cowork Companion: it runs in the operating system's sandbox, where it can write ${where}.`, rule: 'sandbox.bash' };
    }
    return outcome;
  };
}
