// The default scope policy (IT can change parts of it): reads inside a shared folder and writes inside
// a read-write one are allowed at once; a write into a read-only folder asks; any file target outside
// the scope is denied (or asks a person, per policy: never a remembered rule) naming the folder to
// share; forbidden paths are always denied; shell, web, MCP and unknown tools ask; while the managed
// policy is broken (fail closed) everything that is not denied asks a person. Any error while
// checking → deny, and a path through a per-process view (/proc/self/cwd…) is such an error.
import { dirname } from 'node:path';
import { CORE_LEADS, coreText } from '../../../shared/core-messages.js';
import type { ScopeMode } from '../../../shared/scope-contract.js';
import type { PolicyOutcome, ResolvedRequest } from '../requests/index.js';
import { type Canonicalize, type CanonicalPath, isWithin, type VolumeRules } from '../paths/index.js';
import { isAgentSettingsFile, type ForbiddenEntry } from './forbidden-paths.js';
import { sensitiveWriteReason, type GitLayout } from './sensitive-files-policy.js';

export interface ActiveFolder {
  /** Canonical path, re-checked at evaluation time. */
  path: string;
  mode: ScopeMode;
}

export interface ScopeState {
  folders: ActiveFolder[];
  forbidden: ForbiddenEntry[];
  outOfScope: 'deny' | 'ask';
  mcpPathArguments: Record<string, string[]>;
  home: string;
  volume: VolumeRules;
  /** What the Git repositories around a path say (hooks folders, git directories); read on demand. */
  gitLayout?: (canonicalPath: string) => GitLayout;
  /** The managed policy could not be read and no good copy exists: nothing is auto-allowed. */
  failClosed?: string;
}

const deny = (reason: string, rule: string): PolicyOutcome => ({ kind: 'decide', verdict: 'deny', source: 'policy', reason: `${CORE_LEADS.blocked}${reason}`, rule });

/** The forbidden entry that `holds(form)` for one of its spellings: as written, or canonical (a
 *  forbidden folder may itself be a link). Every request asks this, so nothing is built per call. */
function forbiddenWhere(state: ScopeState, canonicalize: Canonicalize, holds: (form: string) => boolean): ForbiddenEntry | undefined {
  for (const entry of state.forbidden) {
    if (holds(entry.path)) return entry;
    let canonical = entry.canonical;
    if (canonical === undefined) {
      const c = canonicalize(entry.path);
      canonical = c.ok ? c.path : entry.path;
    }
    if (canonical !== entry.path && holds(canonical)) return entry;
  }
  return undefined;
}

export function findForbidden(path: string, state: ScopeState, canonicalize: Canonicalize): ForbiddenEntry | undefined {
  if (isAgentSettingsFile(path)) return { path, reason: 'agent configuration that could disable Cowork Companion' };
  return forbiddenWhere(state, canonicalize, (form) => isWithin(path, form, state.volume));
}

/** Forbidden paths below `root` (a search there would read them). */
function forbiddenBelow(root: string, state: ScopeState, canonicalize: Canonicalize): ForbiddenEntry | undefined {
  return forbiddenWhere(state, canonicalize, (form) => isWithin(form, root, state.volume));
}

/**
 * Whether a remembered rule may let an argument point at `c` (canonical) when the scope check did not
 * judge it (an MCP argument under a name the catalogue does not know): only inside a shared folder,
 * never at or above a protected place, never a file that makes commands run code, never a file with
 * other hard links. A rule widens nothing beyond the scope.
 */
export function ruleMayReach(c: CanonicalPath, state: ScopeState, canonicalize: Canonicalize): boolean {
  if (!c.ok || c.hardLinked) return false;
  if (findForbidden(c.path, state, canonicalize) || forbiddenBelow(c.path, state, canonicalize)) return false;
  if (sensitiveWriteReason(c.path)) return false;
  return state.folders.some((f) => isWithin(c.path, f.path, state.volume));
}

function suggestFolder(target: string, cwd: string, isDirectory: boolean, state: ScopeState): string {
  if (isWithin(target, cwd, state.volume)) return cwd;
  return isDirectory ? target : dirname(target);
}

/** The known names first; the repositories on disk (core.hooksPath, bare git directories) only when needed. */
function sensitiveWrite(path: string, state: ScopeState): string | undefined {
  return sensitiveWriteReason(path, state.volume) ?? (state.gitLayout ? sensitiveWriteReason(path, state.volume, state.gitLayout(path)) : undefined);
}

export function evaluateScope(request: ResolvedRequest, state: ScopeState, canonicalize: Canonicalize): PolicyOutcome {
  const { payload, targets: t } = request;
  const matched: string[] = [];
  let ask: string | undefined;
  /** Asks that no remembered rule may answer (a file that makes approved commands run code). */
  let personOnly: string | undefined;
  /** A target outside every shared folder, with IT's `outOfScope: "ask"`: a person only. */
  let outside: string | undefined;
  for (const file of t.files) {
    if (file.problem) return deny(`cannot tell which file ${JSON.stringify(file.path)} names: ${file.problem}.`, 'scope.uncertain-path');
    const c = request.canonical(file);
    // A shell word that is not an existing file is just a word ("status" in `git status`); a link is a
    // file even when what it points at does not exist yet (a write through it creates that); and a
    // word through a per-process view (a link to /proc/self/cwd) cannot be told at all.
    if (file.maybe && (c.ok ? !c.exists && !c.danglingLink : !c.processView)) continue;
    if (file.into) {
      // A file created inside a folder another word names (`cp x/.envrc .`): only if that is a folder.
      const folder = request.canonical({ ...file, path: dirname(String(file.path)) });
      if (!c.ok || !folder.ok || !folder.exists || !folder.isDirectory) continue;
    }
    if (!c.ok) return deny(`cannot verify the path ${JSON.stringify(file.path)}: ${c.reason}.`, c.processView ? 'scope.process-view' : 'scope.check-error');
    const forbidden = findForbidden(c.path, state, canonicalize);
    if (forbidden) return deny(coreText('scope.forbidden', { path: c.path, why: forbidden.reason }), `scope.forbidden:${forbidden.path}`);
    if (t.kind === 'search') {
      const below = forbiddenBelow(c.path, state, canonicalize);
      if (below) return deny(coreText('scope.searchForbidden', { path: c.path, protected: below.path, why: below.reason }), `scope.forbidden:${below.path}`);
    }
    const folder = state.folders
      .filter((f) => isWithin(c.path, f.path, state.volume))
      .sort((a, b) => b.path.length - a.path.length)[0];
    if (!folder) {
      const share = suggestFolder(c.path, payload.cwd, c.isDirectory, state);
      const reason = coreText('scope.outside', { path: c.path, share });
      // IT's "ask" sends it to a person, never to a remembered rule: rules only widen what is inside
      // the scope (promise 2 of docs/security.md).
      if (state.outOfScope === 'ask') {
        outside ??= reason;
        continue;
      }
      return deny(reason, 'scope.outside');
    }
    if (file.access === 'write' && c.hardLinked) {
      return deny(coreText('scope.hardLinkWrite', { path: c.path }), 'scope.hard-link');
    }
    if (file.access === 'write' && folder.mode === 'read') ask ??= coreText('scope.readOnly', { path: c.path, folder: folder.path });
    if (c.hardLinked) ask ??= coreText('scope.hardLinked', { path: c.path });
    const sensitive = file.access === 'write' || file.mayWrite ? sensitiveWrite(c.path, state) : undefined;
    if (sensitive) personOnly ??= coreText('scope.sensitive', { path: c.path, why: sensitive });
    matched.push(`${folder.mode}:${folder.path}`);
  }
  if (personOnly) return { kind: 'ask', reason: personOnly, personOnly: true };
  if (outside) return { kind: 'ask', reason: outside, personOnly: true };
  // A broken managed policy with no good copy: nothing is allowed without a person, so no remembered
  // rule answers either (and IT's own rules went with the policy).
  if (state.failClosed) return { kind: 'ask', reason: coreText('scope.policyBroken', { why: state.failClosed }), personOnly: true };
  if (t.kind !== 'file' && t.kind !== 'search') {
    const why = t.kind === 'shell' ? (t.opaque ? coreText('scope.shellOpaque', { why: t.opaqueReason ?? 'its file access cannot be known' }) : coreText('scope.shell')) : t.kind === 'web' ? coreText('scope.web') : t.kind === 'mcp' ? coreText('scope.mcp') : `${t.opaqueReason ?? 'Unknown tool'}; a person decides.`;
    return { kind: 'ask', reason: ask ?? why, ...(ask === undefined && t.kind === 'shell' ? { shell: true } : {}) };
  }
  if (ask) return { kind: 'ask', reason: ask };
  return {
    kind: 'decide',
    verdict: 'allow',
    source: 'policy',
    reason: `Allowed by Cowork Companion: inside the shared folder${matched.length > 1 ? 's' : ''} ${[...new Set(matched.map((m) => m.slice(m.indexOf(':') + 1)))].join(', ')}.`,
    rule: `scope.shared-folder:${[...new Set(matched)].join(',')}`,
  };
}
