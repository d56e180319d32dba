// One source's share of the managed policy (a "part"): which settings it sets, to what, and what is
// wrong with it. JSON files, managed preferences (plist) and the registry all become parts through the
// flat list of settings (POLICY_SETTINGS), so every format agrees on what a key is; the merge then
// works per setting. A part is checked on its own (each value against its setting's schema) so a
// problem names the source it is in; rules that span settings are checked once merged.
import { isPlainObject, pathText, POLICY_SETTINGS, valueAt, type PolicySetting } from '../../../shared/managed-policy-layout.js';
import type { PolicyProblem, PolicySourceKind } from '../../../shared/ui-contract.js';
import { placeInText, readPolicyText, unknownKeyMessage } from './policy-file-policy.js';

export interface PolicyPart {
  kind: PolicySourceKind;
  /** A path or a registry key: what problems and `policy show` name. */
  where: string;
  /** Setting key (`approvals.timeoutSeconds`) → the value this source gives it. */
  values: Map<string, unknown>;
  /** Unknown keys (ignored). */
  warnings: PolicyProblem[];
  /** From a per-user source: the merge takes only what tightens (user-source-policy.ts). */
  perUser?: boolean;
  /** A JSON source's line and column of the value at a key path, for warnings found once merged. */
  place?: (path: readonly (string | number)[]) => { line?: number; column?: number };
}

export type PolicyFault = 'unreadable' | 'syntax' | 'schema' | 'untrusted';

/** A broken source's `problems` make it invalid; its `warnings` (unknown keys, not strict) alone would not. */
export type PartReading = { ok: true; part: PolicyPart } | { ok: false; kind: PolicySourceKind; where: string; fault: PolicyFault; problems: PolicyProblem[]; warnings?: PolicyProblem[] };

export const SETTING_BY_KEY: ReadonlyMap<string, PolicySetting> = new Map(POLICY_SETTINGS.map((s) => [s.key, s]));

/** The names a setting path may continue with after `prefix` (for "did you mean"). */
export function namesUnder(prefix: readonly string[]): string[] {
  const names = POLICY_SETTINGS.filter((s) => s.path.length > prefix.length && prefix.every((p, i) => s.path[i] === p)).map((s) => s.path[prefix.length]!);
  return [...new Set(names)];
}

/** True when `path` leads to settings (an object level such as `approvals`), not to one setting. */
export function isSettingGroup(path: readonly string[]): boolean {
  return namesUnder(path).length > 0 && !SETTING_BY_KEY.has(path.join('.'));
}

export function unknownKeyWarning(path: readonly string[], where: string, what = 'key'): PolicyProblem {
  return { path: path.join('.'), message: unknownKeyMessage(path.at(-1)!, namesUnder(path.slice(0, -1)), what), source: where };
}

/** Each value checked against its own setting's schema: problems named by key and source. */
export function valueProblems(values: ReadonlyMap<string, unknown>, where: string): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  for (const [key, value] of values) {
    const setting = SETTING_BY_KEY.get(key);
    if (!setting) continue;
    const parsed = setting.schema.safeParse(value);
    if (parsed.success) continue;
    for (const issue of parsed.error.issues) {
      problems.push({ path: pathText([...setting.path, ...issue.path]), message: issue.message, source: where });
    }
  }
  return problems;
}

/** A part from a checked set of values: invalid values make the source invalid; with `strict`, so do unknown keys. */
export function partFrom(kind: PolicySourceKind, where: string, values: Map<string, unknown>, warnings: PolicyProblem[]): PartReading {
  const problems = valueProblems(values, where);
  const strict = values.get('strict') === true;
  if (strict && warnings.length > 0) problems.push(...warnings.map((w) => ({ ...w, message: `${w.message} (not allowed: strict is on)` })));
  if (problems.length > 0) return { ok: false, kind, where, fault: 'schema', problems, warnings: strict ? [] : warnings };
  return { ok: true, part: { kind, where, values, warnings } };
}

/** A JSON policy file's text (policy.json, a policy.d drop-in): line/column problems as `policy check` shows them. */
export function jsonPart(kind: PolicySourceKind, where: string, text: string): PartReading {
  const reading = readPolicyText(text);
  const placed = (p: PolicyProblem): PolicyProblem => ({ ...p, source: where });
  if (!reading.ok) return { ok: false, kind, where, fault: reading.fault, problems: reading.problems.map(placed), warnings: reading.warnings.map(placed) };
  // The file is valid as a whole; what it sets is what it has (defaults are not "set by IT").
  const json = JSON.parse(text) as unknown;
  const values = new Map<string, unknown>();
  for (const s of POLICY_SETTINGS) {
    const v = valueAt(json, s.path);
    if (v !== undefined) values.set(s.key, v);
  }
  return { ok: true, part: { kind, where, values, warnings: reading.warnings.map(placed), place: (path) => placeInText(text, path) } };
}

/**
 * A policy-shaped tree (a plist's dict: managed preferences, a profile's payload) as a part. Its
 * values are the policy JSON shape as is; json-kind settings (rules, sharedFolders...) are arrays
 * and dicts in the plist too.
 */
export function treePart(kind: PolicySourceKind, where: string, tree: unknown): PartReading {
  if (!isPlainObject(tree)) return { ok: false, kind, where, fault: 'schema', problems: [{ path: '(root)', message: 'expected a dictionary of policy keys', source: where }] };
  const values = new Map<string, unknown>();
  const warnings: PolicyProblem[] = [];
  const problems: PolicyProblem[] = [];
  const walk = (node: Record<string, unknown>, prefix: readonly string[]): void => {
    for (const [name, value] of Object.entries(node)) {
      const path = [...prefix, name];
      const key = path.join('.');
      if (SETTING_BY_KEY.has(key)) values.set(key, value);
      else if (isSettingGroup(path)) {
        if (isPlainObject(value)) walk(value, path);
        else problems.push({ path: key, message: `expected a dictionary (of ${namesUnder(path).join(', ')})`, source: where });
      } else warnings.push(unknownKeyWarning(path, where));
    }
  };
  walk(tree, []);
  const reading = partFrom(kind, where, values, warnings);
  if (problems.length === 0) return reading;
  return { ok: false, kind, where, fault: 'schema', problems: [...problems, ...(reading.ok ? [] : reading.problems)], warnings: reading.ok ? reading.part.warnings : (reading.warnings ?? []) };
}
