// Group Policy's registry values as policy settings. Windows keeps the policy under
// HKLM/HKCU\Software\Policies\CoworkCompanion, each setting where registryPlace
// (shared/managed-policy-layout.ts) puts it: a top-level setting is a value of that key, a nested
// setting `a.b.c` is value `c` of subkey `a\b`, and a list of strings is a subkey of its own named for
// the setting, one REG_SZ per entry named 1, 2, 3… (what the ADMX's `list` elements write).
// The reader runs `reg.exe query <key> /s` and this module reads its text, which looks like:
//
//   HKEY_LOCAL_MACHINE\Software\Policies\CoworkCompanion
//       allowUserFolders    REG_DWORD    0x0
//
//   HKEY_LOCAL_MACHINE\Software\Policies\CoworkCompanion\approvals
//       timeoutSeconds    REG_DWORD    0x78
//
//   HKEY_LOCAL_MACHINE\Software\Policies\CoworkCompanion\forbiddenPaths
//       1    REG_SZ    C:\Secret
//       2    REG_SZ    D:\Finance
//
// (a key per line at column 0, its values indented by four spaces, name/type/data four spaces apart).
// A list may also be a REG_MULTI_SZ value of the setting's name (a hand-made or older registry; items
// joined by a literal `\0`, so an item cannot itself contain `\0`); where both are there the subkey
// wins, with a warning. Names are matched ignoring case, as the registry does. REG_EXPAND_SZ is taken
// as written (not expanded: the user's environment must not steer IT's policy).
import { REGISTRY_READ_TYPES, registryPlace } from '../../../shared/managed-policy-layout.js';
import type { PolicyProblem } from '../../../shared/ui-contract.js';
import { namesUnder, partFrom, SETTING_BY_KEY, unknownKeyWarning, type PartReading } from './policy-part-policy.js';

export interface RegistryValue {
  name: string;
  type: string;
  data: string;
}
export interface RegistryKey {
  /** The key as printed: `HKEY_LOCAL_MACHINE\Software\Policies\CoworkCompanion\approvals`. */
  key: string;
  values: RegistryValue[];
}

const VALUE_LINE = /^ {4}(.+?) {4}(REG_[A-Z0-9_]+)(?: {4}(.*))?$/;

/** The keys and values of `reg query /s` output, in the order printed. */
export function parseRegQuery(text: string): RegistryKey[] {
  const keys: RegistryKey[] = [];
  for (const [n, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    if (/^HKEY_[A-Z_]+(\\|$)/.test(line)) {
      keys.push({ key: line, values: [] });
      continue;
    }
    const m = VALUE_LINE.exec(line);
    const current = keys.at(-1);
    if (m && current) current.values.push({ name: m[1]!, type: m[2]!, data: m[3] ?? '' });
    // The line itself is not quoted: it may be part of a value (a secret, broken over lines).
    else throw new Error(`unexpected line ${n + 1} in reg query output (${current ? 'not a value line' : 'before any key'})`);
  }
  return keys;
}

/** The canonical name among `names` that `name` is, ignoring case (as the registry does). */
function canonical(name: string, names: readonly string[]): string | undefined {
  return names.find((n) => n.toLowerCase() === name.toLowerCase());
}

const DWORD_TYPES = new Set(REGISTRY_READ_TYPES.REG_DWORD);
const STRING_TYPES = new Set(REGISTRY_READ_TYPES.REG_SZ);

/** One registry value as the setting's value, or why it cannot be. */
export function registryValueFor(key: string, v: RegistryValue): { value: unknown } | { problem: string } {
  const setting = SETTING_BY_KEY.get(key)!;
  const number = (): number | undefined => (DWORD_TYPES.has(v.type) && /^0x[0-9a-f]+$/i.test(v.data) ? Number.parseInt(v.data, 16) : STRING_TYPES.has(v.type) && /^-?\d+$/.test(v.data.trim()) ? Number(v.data.trim()) : undefined);
  switch (setting.kind.type) {
    case 'boolean': {
      const n = DWORD_TYPES.has(v.type) ? number() : undefined;
      if (n === 0 || n === 1) return { value: n === 1 };
      return { problem: `expected REG_DWORD 1 (on) or 0 (off), found ${v.type} ${v.data}` };
    }
    case 'integer': {
      const n = number();
      return n === undefined ? { problem: `expected a REG_DWORD number, found ${v.type} ${v.data}` } : { value: n };
    }
    case 'enum':
    case 'string':
      return STRING_TYPES.has(v.type) ? { value: v.data } : { problem: `expected REG_SZ text, found ${v.type}` };
    case 'string-list':
      if (v.type !== 'REG_MULTI_SZ') return { problem: `expected a subkey "${registryPlace(setting).valueName}" of REG_SZ values 1, 2, 3… (or a REG_MULTI_SZ value), found ${v.type}` };
      return { value: v.data === '' ? [] : v.data.split('\\0').filter((item, i, all) => !(item === '' && i === all.length - 1)) };
    case 'json':
      if (!STRING_TYPES.has(v.type)) return { problem: `expected REG_SZ holding JSON, found ${v.type}` };
      try {
        return { value: JSON.parse(v.data) as unknown };
      } catch {
        // Not the parser's words: they quote part of the value, which may be a secret (telemetry.headers)
        // and would reach `policy show`, the UI and the policy.error evidence.
        return { problem: `${key} is not valid JSON text` };
      }
  }
}

/**
 * A list's entries from its own subkey: REG_SZ/REG_EXPAND_SZ values ordered by their numeric names
 * (2 before 10). Undefined when the subkey has no entries: Group Policy empties the subkey when the
 * policy is disabled as when it is enabled with no entries, so an empty subkey sets nothing.
 */
export function registryListFor(key: string, values: readonly RegistryValue[]): { value: string[] | undefined } | { problem: string } {
  const entries: { n: number; name: string; data: string }[] = [];
  const place = registryPlace(SETTING_BY_KEY.get(key)!);
  const subkey = place.valueName;
  for (const v of values) {
    if (v.name === '(Default)') continue;
    // A value named otherwise is no entry Group Policy wrote (a list without valuePrefix names each
    // value after its text): refused rather than dropped, so no entry is lost in silence.
    if (!place.list!.entryName.test(v.name)) return { problem: `subkey "${subkey}": value "${v.name}" is not an entry; entries are values named 1, 2, 3…` };
    if (!STRING_TYPES.has(v.type)) return { problem: `subkey "${subkey}": entry ${v.name} should be REG_SZ, found ${v.type}` };
    entries.push({ n: Number(v.name), name: v.name, data: v.data });
  }
  if (entries.length === 0) return { value: undefined };
  entries.sort((a, b) => a.n - b.n || a.name.localeCompare(b.name));
  return { value: entries.map((e) => e.data) };
}

/**
 * The policy part in `reg query <root> /s` output. `where` names the source in problems (e.g.
 * `HKLM\Software\Policies\CoworkCompanion`); the first key printed is the root.
 */
export function registryPart(where: string, text: string): PartReading {
  let keys: RegistryKey[];
  try {
    keys = parseRegQuery(text);
  } catch (error) {
    return { ok: false, kind: 'registry', where, fault: 'unreadable', problems: [{ path: '(root)', message: (error as Error).message, source: where }] };
  }
  const root = keys[0]?.key;
  const values = new Map<string, unknown>();
  // Lists read from their own subkeys, applied over any REG_MULTI_SZ of the same name once all is read.
  const lists = new Map<string, string[]>();
  const warnings: PolicyProblem[] = [];
  const problems: PolicyProblem[] = [];
  const warned = new Set<string>();
  const isList = (key: string): boolean => SETTING_BY_KEY.get(key)?.kind.type === 'string-list';
  for (const k of keys) {
    if (root === undefined || !k.key.toLowerCase().startsWith(root.toLowerCase())) continue;
    const rel = k.key.slice(root.length).split('\\').filter((s) => s !== '');
    // The subkey path in the policy's own spelling: object levels (approvals, telemetry\redaction),
    // or a list setting's own subkey as the last step. Anything else is said once, its values skipped.
    const path: string[] = [];
    let list: string | undefined;
    let known = true;
    for (const seg of rel) {
      const names = namesUnder(path);
      const group = canonical(seg, names.filter((n) => !SETTING_BY_KEY.has([...path, n].join('.'))));
      const listName = canonical(seg, names.filter((n) => isList([...path, n].join('.'))));
      // Nothing lives below a list's subkey.
      const name = list === undefined ? (group ?? listName) : undefined;
      if (name === undefined) {
        const value = list === undefined ? canonical(seg, names) : undefined;
        const w = value === undefined ? unknownKeyWarning([...path, seg], where, 'subkey') : { path: [...path, value].join('.'), message: `subkey "${seg}": ${value} is a value, not a subkey`, source: where };
        if (!warned.has(w.path)) warnings.push(w);
        warned.add(w.path);
        known = false;
        break;
      }
      path.push(name);
      if (name === listName) list = path.join('.');
    }
    if (!known) continue;
    if (list !== undefined) {
      const got = registryListFor(list, k.values);
      if ('problem' in got) problems.push({ path: list, message: got.problem, source: where });
      else if (got.value !== undefined) lists.set(list, got.value);
      continue;
    }
    for (const v of k.values) {
      // A key's unnamed default value is nothing Group Policy writes for this policy.
      if (v.name === '(Default)') continue;
      const name = canonical(v.name, namesUnder(path).filter((n) => SETTING_BY_KEY.has([...path, n].join('.'))));
      if (name === undefined) {
        warnings.push(unknownKeyWarning([...path, v.name], where, 'value'));
        continue;
      }
      const key = [...path, name].join('.');
      const got = registryValueFor(key, v);
      if ('problem' in got) problems.push({ path: key, message: got.problem, source: where });
      else values.set(key, got.value);
    }
  }
  // Said after partFrom: two forms of one known setting are no unknown key for `strict` to refuse.
  const overridden: PolicyProblem[] = [];
  for (const [key, entries] of lists) {
    if (values.has(key)) {
      const name = registryPlace(SETTING_BY_KEY.get(key)!).valueName;
      overridden.push({ path: key, message: `both a subkey "${name}" of entries and a REG_MULTI_SZ value "${name}": the subkey's entries apply, the REG_MULTI_SZ value is ignored`, source: where });
    }
    values.set(key, entries);
  }
  const reading = partFrom('registry', where, values, warnings);
  if (reading.ok) reading.part.warnings.push(...overridden);
  if (problems.length === 0) return reading;
  return { ok: false, kind: 'registry', where, fault: 'schema', problems: [...problems, ...(reading.ok ? [] : reading.problems)], warnings: reading.ok ? reading.part.warnings : [...(reading.warnings ?? []), ...overridden] };
}
