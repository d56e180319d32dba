// The effective policy from every source's part, per setting: parts come lowest precedence first and
// a later part's value replaces an earlier one's (a list or JSON value whole, never item by item).
// Precedence (documented in docs/deploy and systemPolicySources): machine over user, and within
// Linux's policy.d later names over earlier and over policy.json. Which source set each setting is
// kept: `policy show` and the UI's "Set by" come from it. A per-user part (macOS user profile, HKCU)
// gives only what tightens the policy (user-source-policy.ts); the rest is a warning.
import { ManagedPolicySchema, type ManagedPolicy } from '../../../shared/managed-policy-contract.js';
import { pathText, setValueAt, valueAt } from '../../../shared/managed-policy-layout.js';
import type { PolicyProblem, PolicySource } from '../../../shared/ui-contract.js';
import { SETTING_BY_KEY, type PolicyPart } from './policy-part-policy.js';
import { ruleFitWarnings } from './policy-rule-fit-policy.js';
import { USER_SOURCE_APPENDS, userSourcePart } from './user-source-policy.js';

export type MergeResult =
  | { ok: true; policy: ManagedPolicy; origins: Map<string, PolicySource>; sources: PolicySource[]; warnings: PolicyProblem[] }
  | { ok: false; sources: PolicySource[]; problems: PolicyProblem[] };

/**
 * The merge, except that per-user parts which make the merged policy invalid are left out (with a
 * warning) when the machine's parts alone are valid: otherwise a person could freeze IT's policy at
 * its last good state by a profile of their own (an organisation contact without its name, say).
 */
export function mergeParts(given: readonly PolicyPart[]): MergeResult {
  const merged = mergeAll(given);
  const perUser = given.filter((p) => p.perUser === true);
  if (merged.ok || perUser.length === 0) return merged;
  const machine = mergeAll(given.filter((p) => p.perUser !== true));
  if (!machine.ok) return merged;
  const why = merged.problems.slice(0, 3).map((p) => `${p.path}: ${p.message}`).join('; ');
  const left = perUser.map((p) => ({ path: '(root)', source: p.where, message: `not used: together with the machine's policy it makes the policy invalid (${why})` }));
  return { ...machine, warnings: [...machine.warnings, ...left] };
}

function mergeAll(given: readonly PolicyPart[]): MergeResult {
  const parts = given.map((p) => (p.perUser === true ? userSourcePart(p) : p));
  const merged: Record<string, unknown> = {};
  const origins = new Map<string, PolicySource>();
  const added = new Map<string, unknown[]>();
  let rulesFrom: PolicyPart | undefined;
  for (const part of parts) {
    for (const [key, value] of part.values) {
      // A per-user list that may only add (escalation rules) joins the machine's, whichever comes first.
      if (part.perUser === true && USER_SOURCE_APPENDS.has(key) && Array.isArray(value)) {
        added.set(key, [...(added.get(key) ?? []), ...(value as unknown[])]);
        origins.set(key, origins.get(key) ?? { kind: part.kind, where: part.where });
        continue;
      }
      setValueAt(merged, SETTING_BY_KEY.get(key)!.path, value);
      origins.set(key, { kind: part.kind, where: part.where });
      if (key === 'rules') rulesFrom = part;
    }
  }
  for (const [key, items] of added) {
    const path = SETTING_BY_KEY.get(key)!.path;
    const before = valueAt(merged, path);
    setValueAt(merged, path, [...(Array.isArray(before) ? (before as unknown[]) : []), ...items]);
  }
  const sources = parts.filter((p) => p.values.size > 0).map((p) => ({ kind: p.kind, where: p.where }));
  const warnings = parts.flatMap((p) => p.warnings);
  // Each value was valid where it came from; what can still fail spans settings (an hmac identity
  // with the key from another source missing, an organisation with a contact and no name).
  const parsed = ManagedPolicySchema.safeParse(merged);
  // IT's rules that can never match what they name: warned about, never an error (policy-rule-fit-policy.ts).
  if (parsed.success) return { ok: true, policy: parsed.data, origins, sources, warnings: [...warnings, ...ruleFitWarnings(parsed.data.rules, rulesFrom?.where, rulesFrom?.place)] };
  const problems = parsed.error.issues.map((i) => {
    const path = i.path.map(String).join('.');
    // The sources that set the value itself, or anything beside it in the same object (what it depends on).
    const parent = i.path.slice(0, -1).map(String).join('.');
    const origin = [...origins].filter(([k]) => k === path || path.startsWith(`${k}.`) || parent === '' || k.startsWith(`${parent}.`)).map(([, o]) => o.where);
    return { path: pathText(i.path), message: i.message, source: [...new Set(origin)].join(', ') || '(merged policy)' };
  });
  return { ok: false, sources, problems };
}
