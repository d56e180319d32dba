// Whether the tray app starts at login, and whose choice that is. Pure, so the rule is unit-tested; the
// core puts the answer in the snapshot and the Electron shell registers it with the OS.
//
// The order (shared/managed-policy-contract.ts, `autostart`): IT's `autostart` when set; else on wherever
// a managed policy is in force (IT rolled the app out to run); else the person's choice, on by default.
// Either of IT's answers is locked: the person's setting does not apply while a policy decides.
import type { PolicyView, StartAtLogin } from '../../../shared/ui-contract.js';

export interface StartAtLoginInputs {
  /** The policy's `autostart` key (undefined when unset or without a policy). */
  policyAutostart: boolean | undefined;
  /** What the core does with the managed policy (policyStatusView's `behaviour`). */
  policyBehaviour: PolicyView['behaviour'];
  /** The person's saved choice, if any. */
  personal: boolean | undefined;
  /** Whether this process can start at login at all (the packaged desktop app). */
  available: boolean;
}

/** IT's policy is in force: its own file now, or its last valid one. An untrusted or absent file is not IT's. */
export function managedPolicyInForce(behaviour: PolicyView['behaviour']): boolean {
  return behaviour === 'policy' || behaviour === 'last-valid';
}

export function startAtLogin(inputs: StartAtLoginInputs): StartAtLogin {
  const { available } = inputs;
  if (inputs.policyAutostart !== undefined) return { value: inputs.policyAutostart, source: 'policy', available };
  if (managedPolicyInForce(inputs.policyBehaviour)) return { value: true, source: 'policy', available };
  if (inputs.personal !== undefined) return { value: inputs.personal, source: 'settings', available };
  return { value: true, source: 'default', available };
}
