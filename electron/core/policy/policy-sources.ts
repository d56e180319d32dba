// Where this machine's managed policy comes from, and reading each place (thin I/O around the pure
// parsers). Sources are listed lowest precedence first; the merge lets a later one win per setting.
//
//   Linux   /etc/cowork-companion/policy.json < /etc/cowork-companion/policy.d/*.json (name order)
//   macOS   /Library/Managed Preferences/<user>/com.coworkcompanion.app.plist (user)
//           < /Library/Application Support/CoworkCompanion/policy.json (machine file IT may already deploy)
//           < /Library/Managed Preferences/com.coworkcompanion.app.plist (machine profile)
//   Windows HKCU\Software\Policies\CoworkCompanion < %ProgramData%\CoworkCompanion\policy.json
//           < HKLM\Software\Policies\CoworkCompanion
//
// Machine beats user everywhere; the MDM channel (profile, Group Policy) beats a hand-placed file,
// which still beats anything per user. Files must pass the trust check (root/Administrators own them
// and the folders above); a policy.d drop-in is checked as a file, so the folder is checked too. The
// registry's Policies keys are writable by administrators only under Windows' default permissions
// (HKCU\Software\Policies included: users may read it, not write it), so they are not checked again.
// The per-user sources (macOS user profile, HKCU) can only tighten the policy: a standard user may
// install a user-scope profile, and the merge takes from them only what user-source-policy.ts allows.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, win32 } from 'node:path';
import { POLICY_PREFERENCE_DOMAIN, POLICY_REGISTRY_KEY, policyRegistryKey } from '../../../shared/managed-policy-layout.js';
import type { PolicySourceKind } from '../../../shared/ui-contract.js';
import { plistPart } from './plist-policy.js';
import { jsonPart, type PartReading } from './policy-part-policy.js';
import { regExeRunner, trustedWindowsDir, windowsProgramData } from './windows-program-data.js';

export type RegistryHive = 'HKLM' | 'HKCU';
/** `reg query <hive>\Software\Policies\CoworkCompanion /s` output; undefined when the key does not exist; throws when it cannot tell. */
export type RegistryQuery = (hive: RegistryHive) => string | undefined;

export type PolicySourceSpec =
  /** A JSON policy file; `required` (--policy) must exist. */
  | { kind: 'file'; path: string; required?: boolean }
  /** A folder of JSON drop-ins (`*.json`, name order). */
  | { kind: 'drop-in'; dir: string }
  /** A managed-preferences plist (binary or XML); `perUser`: a user's profile (can only tighten). */
  | { kind: 'managed-preferences'; path: string; perUser?: true }
  /** HKCU is `perUser` (can only tighten). */
  | { kind: 'registry'; hive: RegistryHive; perUser?: true };

export function registryWhere(hive: RegistryHive): string {
  return policyRegistryKey([], hive);
}

export function sourceWhere(spec: PolicySourceSpec): string {
  return spec.kind === 'registry' ? registryWhere(spec.hive) : spec.kind === 'drop-in' ? spec.dir : spec.path;
}

/** This machine's policy sources, lowest precedence first (see above). */
export function systemPolicySources(platform: NodeJS.Platform, o: { programData?: () => string; user?: () => string } = {}): PolicySourceSpec[] {
  if (platform === 'darwin') {
    const plist = `${POLICY_PREFERENCE_DOMAIN}.plist`;
    return [
      { kind: 'managed-preferences', path: join('/Library/Managed Preferences', (o.user ?? (() => userInfo().username))(), plist), perUser: true },
      { kind: 'file', path: '/Library/Application Support/CoworkCompanion/policy.json' },
      { kind: 'managed-preferences', path: join('/Library/Managed Preferences', plist) },
    ];
  }
  if (platform === 'win32') {
    return [{ kind: 'registry', hive: 'HKCU', perUser: true }, { kind: 'file', path: win32.join((o.programData ?? windowsProgramData)(), 'CoworkCompanion', 'policy.json') }, { kind: 'registry', hive: 'HKLM' }];
  }
  return [
    { kind: 'file', path: '/etc/cowork-companion/policy.json' },
    { kind: 'drop-in', dir: '/etc/cowork-companion/policy.d' },
  ];
}

export interface SourceIo {
  /** Why a file cannot be trusted as IT policy (undefined: it can). */
  trust: (file: string) => string | undefined;
}

/**
 * The key's values through reg.exe (by its absolute path in the Windows directory). Whether the key
 * exists is read from its parent's listing, not from reg's exit code: reg exits 1 for a missing key and
 * for every other failure alike, and says which only in words that depend on the display language.
 */
export function regExeQuery(run: (args: string[]) => string = regExeRunner(trustedWindowsDir())): RegistryQuery {
  return (hive) => {
    const parent = `${hive}\\${win32.dirname(POLICY_REGISTRY_KEY)}`;
    const name = win32.basename(POLICY_REGISTRY_KEY).toLowerCase();
    const listed = run(['query', parent]).split(/\r?\n/).some((l) => l.trim().toLowerCase().endsWith(`\\${name}`));
    return listed ? run(['query', registryWhere(hive), '/s']) : undefined;
  };
}

function statPrint(path: string): string {
  try {
    const st = statSync(path);
    return `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  } catch (error) {
    return `!${(error as NodeJS.ErrnoException).code ?? 'error'}`;
  }
}

/** The drop-ins of a policy.d folder in name order (only `*.json`: editors' backups and `.rpmnew` are not policy). */
export function dropInFiles(dir: string): string[] | undefined {
  try {
    return readdirSync(dir)
      .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((n) => join(dir, n));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Whether a source is there now: a file (any answer but "does not exist"), a policy.d with a `*.json`,
 * a registry key. "Cannot tell" counts as there: the caller refuses --policy rather than guess.
 */
export function sourcePresent(spec: PolicySourceSpec, queryRegistry: RegistryQuery): boolean {
  try {
    if (spec.kind === 'registry') return queryRegistry(spec.hive) !== undefined;
    if (spec.kind === 'drop-in') return (dropInFiles(spec.dir) ?? []).length > 0;
    statSync(spec.path);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/** `--policy FILE` where this machine has IT's policy: it cannot replace it (docs/managed-policy.md). */
export class PolicyOverrideError extends Error {
  constructor(
    readonly file: string,
    readonly present: readonly string[],
  ) {
    super(`--policy ${file} is refused: this machine has IT's policy (${present.join(', ')}), which --policy cannot replace. Run without --policy; to try a file before rollout, use "cowork-companion policy check FILE".`);
    this.name = 'PolicyOverrideError';
  }
}

/** What changes when a file source changes: its stat (the folder's listing and each stat for policy.d). */
export function fileFingerprint(spec: Exclude<PolicySourceSpec, { kind: 'registry' }>): string {
  if (spec.kind !== 'drop-in') return statPrint(spec.path);
  try {
    const files = dropInFiles(spec.dir);
    return files === undefined ? '!ENOENT' : files.map((f) => `${f}=${statPrint(f)}`).join('|');
  } catch (error) {
    return `!${(error as NodeJS.ErrnoException).code ?? 'error'}`;
  }
}

function unreadable(kind: PolicySourceKind, where: string, error: unknown): PartReading {
  const why = `cannot read ${where} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  return { ok: false, kind, where, fault: 'unreadable', problems: [{ path: '(root)', message: why, source: where }] };
}

/** One policy file read after its trust check; an absent optional file is no part at all. */
function readFile(kind: PolicySourceKind, path: string, required: boolean, trust: SourceIo['trust'], parse: (bytes: Buffer) => PartReading): PartReading[] {
  try {
    statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !required) return [];
    return [unreadable(kind, path, error)];
  }
  const untrusted = trust(path);
  if (untrusted) return [{ ok: false, kind, where: path, fault: 'untrusted', problems: [{ path: '(root)', message: untrusted, source: path }] }];
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    return [unreadable(kind, path, error)];
  }
  return [parse(bytes)];
}

/** The parts a file source holds now (none when absent). Registry sources are read by the caller (registryPart). */
export function readFileSource(spec: Exclude<PolicySourceSpec, { kind: 'registry' }>, trust: SourceIo['trust']): PartReading[] {
  switch (spec.kind) {
    case 'file':
      return readFile('file', spec.path, spec.required === true, trust, (b) => jsonPart('file', spec.path, b.toString('utf8')));
    case 'managed-preferences':
      return readFile('managed-preferences', spec.path, false, trust, (b) => plistPart('managed-preferences', spec.path, b));
    case 'drop-in': {
      let files: string[] | undefined;
      try {
        files = dropInFiles(spec.dir);
      } catch (error) {
        return [unreadable('drop-in', spec.dir, error)];
      }
      return (files ?? []).flatMap((f) => readFile('drop-in', f, false, trust, (b) => jsonPart('drop-in', f, b.toString('utf8'))));
    }
  }
}

