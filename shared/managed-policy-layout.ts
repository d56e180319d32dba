// The managed policy as a flat list of settings, derived from its schema: each setting is one value an
// MDM format can carry (a Group Policy registry value, a key of a configuration profile, a JSON key).
// Generators (ADMX/ADML, profiles) and readers (registry, managed preferences, policy.d) all walk this
// list, so a key added to the schema reaches every format at once. Nested objects become nested keys
// (registry subkeys); lists of strings stay lists; lists of objects and maps are one JSON text value,
// as no Group Policy element can hold them.
import { z } from 'zod';
import { ManagedPolicySchema } from './managed-policy-contract.js';

/** The registry key under HKLM/HKCU that Group Policy writes the policy to. */
export const POLICY_REGISTRY_KEY = 'Software\\Policies\\CoworkCompanion';
/** The preference domain of configuration profiles and managed preferences (the app's bundle id). */
export const POLICY_PREFERENCE_DOMAIN = 'com.coworkcompanion.app';

/** Value types Group Policy writes for the policy: numbers (boolean, integer) and text (everything else). */
export type RegistryValueType = 'REG_DWORD' | 'REG_SZ';
/** What a reader takes for each written type: a hand-made registry may hold the wider or expandable form. */
export const REGISTRY_READ_TYPES: Readonly<Record<RegistryValueType, readonly string[]>> = { REG_DWORD: ['REG_DWORD', 'REG_QWORD'], REG_SZ: ['REG_SZ', 'REG_EXPAND_SZ'] };

/** `Software\Policies\CoworkCompanion\a\b` (with a hive: `HKLM\Software\…`): the policy key or a subkey of it. */
export function policyRegistryKey(subkeys: readonly string[] = [], hive?: string): string {
  return [...(hive !== undefined ? [hive] : []), POLICY_REGISTRY_KEY, ...subkeys].join('\\');
}

/**
 * Where Group Policy keeps one setting (the ADMX writes it, the registry reader reads it): `a.b.c` is
 * value `c` of key `…\CoworkCompanion\a\b`; boolean and integer are REG_DWORD, the rest REG_SZ (an enum
 * its value, json its JSON text). A list of strings is a subkey of its own, `…\a\b\c`, one REG_SZ per
 * entry named 1, 2, 3… (an ADMX `list` with valuePrefix="").
 */
export interface RegistryPlace {
  key: string;
  valueName: string;
  type: RegistryValueType;
  list?: {
    key: string;
    /** The ADMX list's valuePrefix: "" names the entries 1, 2, 3… */
    valuePrefix: '';
    /** An entry's value name as Group Policy writes it. */
    entryName: RegExp;
  };
}

export function registryPlace(setting: Pick<PolicySetting, 'path' | 'kind'>): RegistryPlace {
  const type: RegistryValueType = setting.kind.type === 'boolean' || setting.kind.type === 'integer' ? 'REG_DWORD' : 'REG_SZ';
  const place: RegistryPlace = { key: policyRegistryKey(setting.path.slice(0, -1)), valueName: setting.path.at(-1)!, type };
  return setting.kind.type === 'string-list' ? { ...place, list: { key: policyRegistryKey(setting.path), valuePrefix: '', entryName: /^\d+$/ } } : place;
}

export type PolicySettingKind =
  | { type: 'boolean' }
  | { type: 'integer'; min?: number; max?: number }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'string' }
  | { type: 'string-list' }
  /** Lists of objects and maps: one JSON text value. */
  | { type: 'json' };

export interface PolicySetting {
  /** Key path in the policy JSON: `['approvals', 'timeoutSeconds']`. */
  path: readonly string[];
  /** `approvals.timeoutSeconds`: how `policy show`, errors and the UI name it. */
  key: string;
  kind: PolicySettingKind;
  /** The setting's own schema (with its default/optional wrapper): validates one value. */
  schema: z.ZodType;
}

/**
 * The schema one wrapper in — optional, default, prefault, nullable, or a pipe's input side (what a
 * source writes) — or undefined when `schema` is no wrapper.
 */
export function innerSchema(schema: z.ZodType): z.ZodType | undefined {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodDefault || schema instanceof z.ZodNullable || schema instanceof z.ZodPrefault) return schema.unwrap() as z.ZodType;
  if (schema instanceof z.ZodPipe) return schema.in as z.ZodType;
  return undefined;
}

/** The schema under all its wrappers (innerSchema). */
export function unwrapped(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let inner = innerSchema(s); inner !== undefined; inner = innerSchema(s)) s = inner;
  return s;
}

/** A policy-shaped object (JSON object, plist dict): not null, an array, nor a plist's date or data. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array);
}

/** A key path as problems name it: `approvals.timeoutSeconds`, `sharedFolders[0].mode`, `(root)`. */
export function pathText(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function kindOf(schema: z.ZodType, key: string): PolicySettingKind | 'object' {
  const s = unwrapped(schema);
  if (s instanceof z.ZodBoolean) return { type: 'boolean' };
  if (s instanceof z.ZodNumber) {
    if (!s.isInt) throw new Error(`policy setting ${key}: only whole numbers fit every MDM format`);
    const bound = (n: number | null): number | undefined => (n === null || !Number.isSafeInteger(n) ? undefined : n);
    const min = bound(s.minValue);
    const max = bound(s.maxValue);
    return { type: 'integer', ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
  }
  if (s instanceof z.ZodEnum) return { type: 'enum', values: s.options.map(String) };
  if (s instanceof z.ZodString) return { type: 'string' };
  if (s instanceof z.ZodArray) return unwrapped(s.element as z.ZodType) instanceof z.ZodString ? { type: 'string-list' } : { type: 'json' };
  if (s instanceof z.ZodRecord) return { type: 'json' };
  if (s instanceof z.ZodObject) return 'object';
  throw new Error(`policy setting ${key}: no MDM format fits a ${s.def.type}`);
}

/** Every setting of an object schema, depth first in the schema's key order. */
export function policySettings(schema: z.ZodType = ManagedPolicySchema, path: readonly string[] = []): PolicySetting[] {
  const s = unwrapped(schema);
  if (!(s instanceof z.ZodObject)) throw new Error(`policy settings: ${path.join('.') || '(root)'} is not an object`);
  return Object.entries(s.shape as Record<string, z.ZodType>).flatMap(([name, child]) => {
    const at = [...path, name];
    const key = at.join('.');
    const kind = kindOf(child, key);
    return kind === 'object' ? policySettings(child, at) : [{ path: at, key, kind, schema: child }];
  });
}

export const POLICY_SETTINGS: readonly PolicySetting[] = policySettings();

/** The value at `path` in a policy-shaped object (undefined where any level is missing). */
export function valueAt(policy: unknown, path: readonly string[]): unknown {
  let node = policy;
  for (const p of path) {
    if (!isPlainObject(node) || !Object.hasOwn(node, p)) return undefined;
    node = node[p];
  }
  return node;
}

/** `target` with `value` set at `path`, creating the objects on the way (mutates and returns target). */
export function setValueAt(target: Record<string, unknown>, path: readonly string[], value: unknown): Record<string, unknown> {
  let node = target;
  for (const p of path.slice(0, -1)) {
    const next = node[p];
    node = node[p] = isPlainObject(next) ? next : {};
  }
  node[path.at(-1)!] = value;
  return target;
}
