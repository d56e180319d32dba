// What the person is told about the managed policy, derived from the very state the core decides with
// (PolicyState): the UI, the tray and the serve's stderr all say what this says, never their own guess.
import type { PolicyView } from '../../../shared/ui-contract.js';
import { problemText, type PolicyState } from './managed-policy-service.js';

export function policyStatusView(state: PolicyState): PolicyView {
  const since = state.since !== undefined ? { since: new Date(state.since).toISOString() } : {};
  const file = { ...(state.source !== undefined ? { file: state.source } : {}), ...(state.sources.length > 0 ? { sources: state.sources } : {}) };
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
      ? `cowork-companion: IT policy ${file} applies, but these keys are unknown and were ignored:`
      : view.state === 'untrusted'
        ? `cowork-companion: IT policy ${file} is not used, because the user could change it; ${BEHAVIOUR[view.behaviour](view.since ?? '?')}.`
        : `cowork-companion: IT policy ${file} is invalid; ${BEHAVIOUR[view.behaviour](view.since ?? '?')}. Problems:`;
  return [head, ...view.problems.map((p) => `  ${p.source ?? file}:${p.line !== undefined ? `${p.line}:${p.column}: ` : ' '}${problemText({ ...p, line: undefined, source: undefined })}`)];
}
