// What the person is told about the managed policy, derived from the very state the core decides with
// (PolicyState): the UI, the tray and the serve's stderr all say what this says, never their own guess.
import { ManagedPolicySchema, type ManagedPolicy } from '../../../shared/managed-policy-contract.js';
import { EVENT_NAMES } from '../../../shared/telemetry-events.js';
import type { PolicyProblem, PolicySource, PolicyView } from '../../../shared/ui-contract.js';
import { newEvidenceEvent, type EvidenceEvent } from '../evidence/index.js';
import type { PolicyFault } from './policy-part-policy.js';

/**
 * What applies when IT's policy is broken and there is no good copy: nothing is allowed without a
 * person. No folders, broad shares or personal rules (IT's policy may have forbidden them), nothing
 * outside the shared folders, sandboxed Bash asks, and an unanswered request is denied.
 */
export const FAIL_CLOSED_POLICY: ManagedPolicy = ManagedPolicySchema.parse({
  allowUserFolders: false,
  allowBroadShares: false,
  allowPersonalRules: false,
  outOfScope: 'deny',
  approvals: { onTimeout: 'deny', sandboxedBash: 'ask' },
});

export interface PolicyState {
  policy: ManagedPolicy;
  /** The source that wins (the highest one that sets anything), or the first with a problem. */
  source?: string;
  error?: string;
  /** True when there is an error and no good copy to fall back on. */
  failClosed: boolean;
  /** What is wrong (with `error`): a source cannot be read, is not JSON/plist, not a policy, or not IT's. */
  fault?: PolicyFault;
  /** The errors (with `fault`) or, for a valid policy, its warnings (unknown keys, ignored; rules that can never match); each names its source. */
  problems: PolicyProblem[];
  /** When the policy in force was read (ms; absent when none is); when failing closed, since when. */
  since?: number;
  /** The sources that set something, lowest precedence first; with a fault, the sources with problems. */
  sources: PolicySource[];
  /** Setting key (`approvals.timeoutSeconds`) → the source that set it; a key not here has its default. */
  origins: Record<string, PolicySource>;
}

const POLICY_SOURCE_MAX = 4096;

/** The evidence that the effective policy changed (new policy, error, or fail-closed), naming its sources. */
export function policyChangedEvent(state: PolicyState, now: number): EvidenceEvent {
  const named = state.sources.length > 0 ? [...state.sources].reverse().map((s) => s.where).join('; ') : (state.source ?? '(none)');
  // The attribute's limit (evidence-schema): many drop-ins are cut rather than the record lost.
  const source = named.length > POLICY_SOURCE_MAX ? `${named.slice(0, POLICY_SOURCE_MAX - 1)}…` : named;
  return newEvidenceEvent(EVENT_NAMES.policyChanged, now, { 'policy.source': source, 'policy.error': state.error, 'policy.fail_closed': state.failClosed });
}

/** `approvals.timeoutSeconds (line 3, column 20): Too small…` */
export function problemText(p: PolicyProblem): string {
  return `${p.path}${p.line !== undefined ? ` (line ${p.line}, column ${p.column})` : ''}: ${p.message}`;
}

export function policyStatusView(state: PolicyState): PolicyView {
  const since = state.since !== undefined ? { since: new Date(state.since).toISOString() } : {};
  const setKeys = Object.keys(state.origins);
  const file = {
    ...(state.source !== undefined ? { file: state.source } : {}),
    ...(state.sources.length > 0 ? { sources: state.sources } : {}),
    ...(setKeys.length > 0 ? { setKeys } : {}),
  };
  if (state.source === undefined) return { state: 'none', problems: [], behaviour: 'defaults' };
  if (state.fault === undefined) return { state: state.problems.length > 0 ? 'warnings' : 'ok', ...file, problems: state.problems, behaviour: 'policy', ...since };
  return {
    state: state.fault === 'untrusted' ? 'untrusted' : 'invalid',
    ...file,
    problems: state.problems,
    behaviour: state.failClosed ? 'nothing-automatic' : 'last-valid',
    ...since,
  };
}

const BEHAVIOUR: Record<PolicyView['behaviour'], (since: string) => string> = {
  policy: () => 'its settings are in force',
  'last-valid': (since) => `IT's last valid policy (from ${since}) stays in force`,
  defaults: () => 'no IT policy applies',
  'nothing-automatic': () => 'no valid policy: nothing is allowed automatically, every request asks a person',
};

/** The lines serve writes to stderr about the policy (`ok` and `none` only say what is in force). */
export function policyReportLines(view: PolicyView): string[] {
  const file = view.file ?? '(no file)';
  if (view.state === 'none') return [`cowork-companion: ${BEHAVIOUR.defaults('')}.`];
  if (view.state === 'ok') return [`cowork-companion: IT policy ${file} is valid; ${BEHAVIOUR.policy('')}.`];
  const head =
    view.state === 'warnings'
      ? `cowork-companion: IT policy ${file} applies, with these warnings:`
      : view.state === 'untrusted'
        ? `cowork-companion: IT policy ${file} is not used, because the user could change it; ${BEHAVIOUR[view.behaviour](view.since ?? '?')}.`
        : `cowork-companion: IT policy ${file} is invalid; ${BEHAVIOUR[view.behaviour](view.since ?? '?')}. Problems:`;
  return [head, ...view.problems.map((p) => `  ${p.source ?? file}:${p.line !== undefined ? `${p.line}:${p.column}: ` : ' '}${problemText({ ...p, line: undefined, source: undefined })}`)];
}
