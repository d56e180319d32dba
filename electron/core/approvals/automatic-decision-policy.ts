// What is decided without a person, in this order — the one place the order is written down:
//   1. deny rules: IT's, then the person's (a call a deny rule covers is denied, the reason naming it);
//   2. the scope check: outside and forbidden are denied whatever a rule says; files that make commands
//      run code, targets outside the scope under IT's `outOfScope: "ask"`, and everything while the
//      managed policy is broken go to a person; so does Bash from a working folder outside the
//      read-write shared folders under the OS sandbox (denied);
//   3. ask rules: IT's, then the person's, and deny rules that may cover a call the matcher cannot read
//      well enough (gateMatches 'maybe'): a person decides, even where step 2 or 4 would allow, and no
//      remembered rule may answer for them;
//   4. allow rules (IT's first), which only ever turn an in-scope ask into an allow;
//   5. with the OS sandbox, where the person or IT chose so, sandboxed Bash needs no person.
// Anything else goes to the Inbox. So a deny or ask rule never loosens anything: a scope deny stays a
// deny under an ask rule, and a person-only ask stays with a person.
import { coreText } from '../../../shared/core-messages.js';
import type { Canonicalize } from '../paths/index.js';
import type { ApprovalPolicy, PolicyOutcome, ResolvedRequest } from '../requests/index.js';
import { evaluateScope, type ScopeState } from '../scope/index.js';
import type { BashSandbox, Rule, SandboxedBashMode } from '../../../shared/ui-contract.js';

export interface AutomaticDecisionDeps {
  scope: () => ScopeState;
  canonicalize: Canonicalize;
  rules: {
    match(request: ResolvedRequest): Rule | undefined;
    /** The deny or ask rule that bears on this call (RulesService.gate). */
    gate?(request: ResolvedRequest): { rule: Rule; effect: 'deny' | 'ask'; certain: boolean } | undefined;
  };
  /** A Bash call and the OS sandbox the companion keeps (undefined: not a Bash call, or no sandbox). */
  bashSandbox?: (request: ResolvedRequest) => BashSandbox | undefined;
  /** Whether the person or IT let sandboxed Bash through without asking. */
  sandboxedBashMode?: () => SandboxedBashMode;
}

export function automaticDecisionPolicy(deps: AutomaticDecisionDeps): ApprovalPolicy {
  return (request: ResolvedRequest): PolicyOutcome => {
    const state = deps.scope();
    const gate = deps.rules.gate?.(request);
    if (gate?.effect === 'deny') {
      return { kind: 'decide', verdict: 'deny', source: 'rule', reason: coreText('decision.byDenyRule', { rule: gate.rule.description }, 'blocked'), rule: `rule:${gate.rule.id}` };
    }
    const scoped = evaluateScope(request, state, deps.canonicalize);
    if (scoped.kind === 'decide' && scoped.verdict === 'deny') return scoped;
    // An ask rule makes even what the scope would allow (a read in a shared folder) a person's.
    const outcome: PolicyOutcome = gate && scoped.kind === 'decide' ? { kind: 'ask' } : scoped;
    if (outcome.kind === 'decide') return outcome;
    const sandbox = request.payload.tool_name === 'Bash' ? deps.bashSandbox?.(request) : undefined;
    // Claude Code's sandbox always lets Bash write the session's working folder: one outside the
    // read-write shared folders would be a way out of them that no setting closes, so while the sandbox
    // is the guarantee such a session gets no Bash, asked or not.
    if (sandbox?.sandboxed && sandbox.cwdWritable) {
      return {
        kind: 'decide',
        verdict: 'deny',
        source: 'policy',
        reason: `Blocked by Cowork Companion: this session works in ${sandbox.cwdWritable}, which is not shared read & write, and Claude Code's sandbox lets Bash write its working folder. Ask the user to start Claude Code in a shared folder, or to share ${sandbox.cwdWritable} read & write.`,
        rule: 'sandbox.cwd-outside',
      };
    }
    if (gate) {
      const why = coreText(gate.certain ? 'decision.askRule' : 'decision.mayDenyRule', { rule: gate.rule.description });
      return { kind: 'ask', reason: outcome.personOnly && outcome.reason ? `${outcome.reason} ${why}` : why, personOnly: true };
    }
    if (outcome.personOnly) return outcome;
    // Belt and braces: evaluateScope already makes every ask personOnly while the policy is broken.
    if (state.failClosed) return { ...outcome, personOnly: true };
    const rule = deps.rules.match(request);
    if (rule) return { kind: 'decide', verdict: 'allow', source: 'rule', reason: coreText('decision.byRule', { rule: rule.description }), rule: `rule:${rule.id}` };
    // A shell command asked about only for being one (not for a file it names): the OS sandbox confines
    // whatever it runs to the shared folders, so where that mode is chosen it needs no person.
    if (outcome.shell && sandbox?.sandboxed && deps.sandboxedBashMode?.() === 'allow') {
      const where = sandbox.writable.length > 0 ? `only in ${sandbox.writable.join(', ')}` : 'in no shared folder';
      return { kind: 'decide', verdict: 'allow', source: 'policy', reason: `Allowed by Cowork Companion: it runs in the operating system's sandbox, where it can write ${where}.`, rule: 'sandbox.bash' };
    }
    return outcome;
  };
}
