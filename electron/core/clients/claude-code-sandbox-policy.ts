// Claude Code's Bash sandbox (bubblewrap on Linux, Seatbelt on macOS) made from the companion's scope,
// and put into a Claude Code settings file as a merge that can be taken out again exactly. The OS then
// enforces for every Bash command — approved or not, whatever it runs inside — what the hooks can only
// judge from the command's text: writes only in read-write shared folders (minus the files that make
// later commands run code), no reads or writes of the companion's data, secrets or forbidden paths.
// Facts about the client (CLI 2.1.332, measured): `allowUnsandboxedCommands: false` in user or managed
// settings holds against a project's settings; `failIfUnavailable` refuses to start without a working
// sandbox; the sandbox lets Bash write the session's cwd (a cwd outside the scope is the hook's to
// judge); http hooks then go through the sandbox's proxy, which refuses loopback (connect uses command
// hooks). Pure: the scope comes in, settings objects go out.
import { basename, dirname, join } from 'node:path';
import type { Rule } from '../../../shared/ui-contract.js';
import { isWithin, type VolumeRules } from '../paths/index.js';
import type { ActiveFolder, ForbiddenEntry } from '../scope/index.js';

/** The lists the companion puts into `sandbox.filesystem` (paths) and `sandbox.network` (domains). */
export interface SandboxPaths {
  allowWrite: string[];
  denyWrite: string[];
  denyRead: string[];
  /** Hosts Bash may reach without Claude Code asking: those the person's and IT's lasting rules let the
   *  agent fetch from. */
  allowedDomains: string[];
}

/** Each list, and the object of `sandbox` it lives in. */
const LISTS = { allowWrite: 'filesystem', denyWrite: 'filesystem', denyRead: 'filesystem', allowedDomains: 'network' } as const;
type PathKey = keyof typeof LISTS;
export const SANDBOX_PATH_KEYS = Object.keys(LISTS) as PathKey[];

/** The switches the companion sets in `sandbox`, and to what. */
export const SANDBOX_FLAGS = { enabled: true, failIfUnavailable: true, allowUnsandboxedCommands: false } as const;
type FlagKey = keyof typeof SANDBOX_FLAGS;

/**
 * Inside a read-write shared folder, what stays read-only for Bash: what configures the agent itself
 * and what Git or the shell runs on their own (a command that writes them plants code a later,
 * unsandboxed run executes). The hooks still ask a person for other sensitive files (package.json…).
 */
export const PROTECTED_IN_SHARED_FOLDERS = ['.claude', '.mcp.json', '.git/hooks', '.git/config', '.gitmodules', '.husky', '.githooks', '.envrc'] as const;

/** What the sandbox should hold for this scope (and these lasting rules). Forbidden paths are neither
 *  readable nor writable; a domain rule covers the host and its subdomains, as it does for WebFetch. */
export function sandboxPathsFor(scope: { folders: readonly ActiveFolder[]; forbidden: readonly ForbiddenEntry[] }, rules: readonly Pick<Rule, 'match' | 'lifetime' | 'offByPolicy'>[] = []): SandboxPaths {
  const domains = rules.flatMap((r) => (r.lifetime === 'always' && !r.offByPolicy && r.match.kind === 'domain' ? [r.match.domain.toLowerCase(), `*.${r.match.domain.toLowerCase()}`] : []));
  const rw = scope.folders.filter((f) => f.mode === 'read-write').map((f) => f.path);
  const ro = scope.folders.filter((f) => f.mode === 'read').map((f) => f.path);
  const forbidden = scope.forbidden.map((f) => f.canonical ?? f.path);
  return {
    allowWrite: unique(rw),
    denyWrite: unique([...ro, ...rw.flatMap((f) => PROTECTED_IN_SHARED_FOLDERS.map((name) => join(f, name))), ...forbidden]),
    denyRead: unique(forbidden),
    allowedDomains: unique(domains),
  };
}

/** What the companion added to a settings file: each flag's value before (undefined: absent), and
 *  the path entries that were not there already. */
export interface SandboxRecord {
  flags: Partial<Record<FlagKey, { before?: unknown }>>;
  entries: SandboxPaths;
  /** The objects and lists the file had before (`sandbox`, `sandbox.filesystem.allowWrite`…): taking
   *  out the companion's entries leaves them, even empty. */
  had?: string[];
}

/** The sandbox objects and lists present in `settings`, by dotted name. */
function presentKeys(settings: Settings): string[] {
  const sandbox = settings['sandbox'];
  if (typeof sandbox !== 'object' || sandbox === null) return [];
  const keys = ['sandbox'];
  for (const part of ['filesystem', 'network'] as const) {
    const p = (sandbox as Settings)[part];
    if (typeof p !== 'object' || p === null) continue;
    keys.push(`sandbox.${part}`);
    for (const key of SANDBOX_PATH_KEYS) if (LISTS[key] === part && (p as Settings)[key] !== undefined) keys.push(`sandbox.${part}.${key}`);
  }
  return keys;
}

export type Settings = Record<string, unknown>;

export class SandboxShapeError extends Error {}

function objectAt(parent: Settings, key: string, where: string): Settings {
  const value = parent[key] ?? {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SandboxShapeError(`its "${where}" is not an object`);
  return { ...(value as Settings) };
}

function listAt(parent: Settings, key: PathKey, where: string): string[] {
  const value = parent[key] ?? [];
  if (!Array.isArray(value)) throw new SandboxShapeError(`its "${where}" is not a list`);
  return value.map(String);
}

const unique = (xs: readonly string[]): string[] => [...new Set(xs)];
const EMPTY: SandboxPaths = { allowWrite: [], denyWrite: [], denyRead: [], allowedDomains: [] };

/**
 * `settings` with the companion's sandbox in place: its flags set, its paths listed. What the person
 * had there stays (their own entries, other keys); the entries of the previous record that are no
 * longer wanted go. Idempotent. The record says what to take out again.
 */
export function applySandbox(settings: Settings, paths: SandboxPaths, previous?: SandboxRecord): { settings: Settings; record: SandboxRecord; changed: boolean } {
  const sandbox = objectAt(settings, 'sandbox', 'sandbox');
  const parts = { filesystem: objectAt(sandbox, 'filesystem', 'sandbox.filesystem'), network: objectAt(sandbox, 'network', 'sandbox.network') };
  const flags: SandboxRecord['flags'] = {};
  for (const [key, value] of Object.entries(SANDBOX_FLAGS) as [FlagKey, boolean][]) {
    // The value before the companion first set it (kept across rewrites).
    flags[key] = previous?.flags[key] ?? (key in sandbox ? { before: sandbox[key] } : {});
    sandbox[key] = value;
  }
  const entries: SandboxPaths = { ...EMPTY };
  for (const key of SANDBOX_PATH_KEYS) {
    const part = parts[LISTS[key]];
    const ours = new Set((previous?.entries ?? EMPTY)[key] ?? []);
    const theirs = listAt(part, key, `sandbox.${LISTS[key]}.${key}`).filter((p) => !ours.has(p));
    const theirSet = new Set(theirs);
    entries[key] = paths[key].filter((p) => !theirSet.has(p));
    const list = unique([...theirs, ...paths[key]]);
    if (list.length > 0 || part[key] !== undefined) part[key] = list;
  }
  for (const name of ['filesystem', 'network'] as const) if (Object.keys(parts[name]).length > 0 || sandbox[name] !== undefined) sandbox[name] = parts[name];
  const next = { ...settings, sandbox };
  return { settings: next, record: { flags, entries, had: previous?.had ?? presentKeys(settings) }, changed: JSON.stringify(next) !== JSON.stringify(settings) };
}

/** `settings` without what `record` says the companion added; a flag the person changed since stays. */
export function removeSandbox(settings: Settings, record: SandboxRecord): { settings: Settings; changed: boolean } {
  if (settings['sandbox'] === undefined) return { settings, changed: false };
  const sandbox = objectAt(settings, 'sandbox', 'sandbox');
  const parts = { filesystem: objectAt(sandbox, 'filesystem', 'sandbox.filesystem'), network: objectAt(sandbox, 'network', 'sandbox.network') };
  for (const [key, value] of Object.entries(SANDBOX_FLAGS) as [FlagKey, boolean][]) {
    const was = record.flags[key];
    if (!was || sandbox[key] !== value) continue;
    if ('before' in was && was.before !== undefined) sandbox[key] = was.before;
    else delete sandbox[key];
  }
  const had = new Set(record.had ?? []);
  for (const key of SANDBOX_PATH_KEYS) {
    const part = parts[LISTS[key]];
    if (part[key] === undefined) continue;
    const ours = new Set(record.entries[key] ?? []);
    const kept = listAt(part, key, `sandbox.${LISTS[key]}.${key}`).filter((p) => !ours.has(p));
    if (kept.length > 0 || had.has(`sandbox.${LISTS[key]}.${key}`)) part[key] = kept;
    else delete part[key];
  }
  for (const name of ['filesystem', 'network'] as const) {
    if (Object.keys(parts[name]).length > 0 || had.has(`sandbox.${name}`)) sandbox[name] = parts[name];
    else delete sandbox[name];
  }
  const next: Settings = { ...settings };
  if (Object.keys(sandbox).length > 0 || had.has('sandbox')) next['sandbox'] = sandbox;
  else delete next['sandbox'];
  return { settings: next, changed: JSON.stringify(next) !== JSON.stringify(settings) };
}

/** Why the file does not hold the companion's sandbox for `paths` (undefined: it does). */
export function sandboxGap(settings: Settings, paths: SandboxPaths): string | undefined {
  const sandbox = settings['sandbox'];
  if (typeof sandbox !== 'object' || sandbox === null) return 'it has no "sandbox" settings';
  const s = sandbox as Settings;
  for (const [key, value] of Object.entries(SANDBOX_FLAGS)) if (s[key] !== value) return `its sandbox.${key} is not ${String(value)}`;
  for (const key of SANDBOX_PATH_KEYS) {
    const part = (s[LISTS[key]] ?? {}) as Settings;
    const listed = new Set(Array.isArray(part[key]) ? (part[key] as unknown[]).map(String) : []);
    const missing = paths[key].find((p) => !listed.has(p));
    if (missing) return `its sandbox.${LISTS[key]}.${key} lacks ${missing}`;
  }
  if (Array.isArray(s['excludedCommands']) && s['excludedCommands'].length > 0) return `its sandbox.excludedCommands runs ${(s['excludedCommands'] as unknown[]).map(String).join(', ')} outside the sandbox`;
  return undefined;
}

/** Every path the file lets Bash write: the companion's and the person's own `allowWrite` entries. */
export function sandboxWritable(settings: Settings): string[] {
  const fs = ((settings['sandbox'] as Settings | undefined)?.['filesystem'] ?? {}) as Settings;
  return Array.isArray(fs['allowWrite']) ? (fs['allowWrite'] as unknown[]).map(String) : [];
}

/** Whether the sandbox in a connected settings file covers a session working in `cwd` (canonical):
 *  the user's and the managed settings cover every session, a project's only those inside it. */
export function sandboxCovers(file: string, cwd: string, home: string, volume: VolumeRules): boolean {
  if (basename(file) === 'managed-settings.json') return true;
  const root = dirname(dirname(file));
  return root === home || isWithin(cwd, root, volume);
}

/** How a project's own settings (`.claude/settings.json`, `settings.local.json`) take Bash out of the
 *  sandbox the user settings set up, each in words (none: they do not). */
export function sandboxWeakenings(settings: Settings): string[] {
  const s = settings['sandbox'];
  if (typeof s !== 'object' || s === null) return [];
  const sb = s as Settings;
  const fs = (typeof sb['filesystem'] === 'object' && sb['filesystem'] !== null ? sb['filesystem'] : {}) as Settings;
  const allowWrite = Array.isArray(fs['allowWrite']) ? (fs['allowWrite'] as unknown[]).map(String) : [];
  return [
    ...(sb['enabled'] === false ? ['turns the sandbox off'] : []),
    ...(sb['allowUnsandboxedCommands'] === true ? ['lets commands run outside the sandbox'] : []),
    ...(Array.isArray(sb['excludedCommands']) && sb['excludedCommands'].length > 0 ? ['runs some commands outside the sandbox (excludedCommands)'] : []),
    ...(allowWrite.length > 0 ? [`lets Bash write more (${allowWrite.join(', ')})`] : []),
  ];
}
