// Group Policy's registry values as policy settings. Windows keeps the policy under
// HKLM/HKCU\Software\Policies\CoworkCompanion: a top-level setting is a value of that key, a nested
// setting `a.b.c` is value `c` of subkey `a\b` (shared/managed-policy-layout.ts). The reader runs
// `reg.exe query <key> /s` and this module reads its text, which looks like:
//
//   HKEY_LOCAL_MACHINE\Software\Policies\CoworkCompanion
//       allowUserFolders    REG_DWORD    0x0
//       forbiddenPaths    REG_MULTI_SZ    C:\Secret\0D:\Finance
//
//   HKEY_LOCAL_MACHINE\Software\Policies\CoworkCompanion\approvals
//       timeoutSeconds    REG_DWORD    0x78
//
// (a key per line at column 0, its values indented by four spaces, name/type/data four spaces apart;
// REG_MULTI_SZ items joined by a literal `\0`, so an item cannot itself contain `\0`). Names are
// matched ignoring case, as the registry does. REG_EXPAND_SZ is taken as written (not expanded: the
// user's environment must not steer IT's policy).
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
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    if (/^HKEY_[A-Z_]+(\\|$)/.test(line)) {
      keys.push({ key: line, values: [] });
      continue;
    }
    const m = VALUE_LINE.exec(line);
    const current = keys.at(-1);
    if (m && current) current.values.push({ name: m[1]!, type: m[2]!, data: m[3] ?? '' });
    else throw new Error(`unexpected line in reg query output: ${JSON.stringify(line)}`);
  }
  return keys;
}

/** The canonical name among `names` that `name` is, ignoring case (as the registry does). */
function canonical(name: string, names: readonly string[]): string | undefined {
  return names.find((n) => n.toLowerCase() === name.toLowerCase());
}

const DWORD_TYPES = new Set(['REG_DWORD', 'REG_QWORD']);
const STRING_TYPES = new Set(['REG_SZ', 'REG_EXPAND_SZ']);

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
      if (v.type !== 'REG_MULTI_SZ') return { problem: `expected REG_MULTI_SZ (one item per line), found ${v.type}` };
      return { value: v.data === '' ? [] : v.data.split('\\0').filter((item, i, all) => !(item === '' && i === all.length - 1)) };
    case 'json':
      if (!STRING_TYPES.has(v.type)) return { problem: `expected REG_SZ holding JSON, found ${v.type}` };
      try {
        return { value: JSON.parse(v.data) as unknown };
      } catch (error) {
        return { problem: `not valid JSON (${(error as Error).message})` };
      }
  }
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
  const warnings: PolicyProblem[] = [];
  const problems: PolicyProblem[] = [];
  const warned = new Set<string>();
  for (const k of keys) {
    if (root === undefined || !k.key.toLowerCase().startsWith(root.toLowerCase())) continue;
    const rel = k.key.slice(root.length).split('\\').filter((s) => s !== '');
    // The subkey path in the policy's own spelling; an unknown subkey is said once, its values skipped.
    const path: string[] = [];
    let known = true;
    for (const seg of rel) {
      const name = canonical(seg, namesUnder(path).filter((n) => !SETTING_BY_KEY.has([...path, n].join('.'))));
      if (name === undefined) {
        const w = unknownKeyWarning([...path, seg], where, 'subkey');
        if (!warned.has(w.path)) warnings.push(w);
        warned.add(w.path);
        known = false;
        break;
      }
      path.push(name);
    }
    if (!known) continue;
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
  const reading = partFrom('registry', where, values, warnings);
  if (problems.length === 0) return reading;
  return { ok: false, kind: 'registry', where, fault: 'schema', problems: [...problems, ...(reading.ok ? [] : reading.problems)] };
}
