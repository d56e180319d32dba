// Shared folders: what users share, what managed policy adds, forbids or locks. Changes apply at once
// to pending and future requests and are recorded as evidence (scope.changed).
import { homedir } from 'node:os';
import type { BroadShare, ScopeMode, ScopeView, SharedFolder } from '../../../shared/scope-contract.js';
import type { UiResponse } from '../../../shared/ui-contract.js';
import { EVENT_NAMES } from '../../../shared/telemetry-events.js';
import { CoreError, setBounded, type Clock } from '../base/index.js';
import { newEvidenceEvent, type EvidenceSink } from '../evidence/index.js';
import { isWithin, volumeRulesFor, type Canonicalize, type VolumeRules } from '../paths/index.js';
import type { ManagedPolicyService } from '../policy/index.js';
import type { SettingsRepository } from '../settings/index.js';
import { classifyBroadShare, describeBroadShare } from './broad-share-policy.js';
import { builtInForbiddenPaths, type ForbiddenEntry } from './forbidden-paths.js';
import { probeGitLayout } from './git-layout-probe.js';
import { findForbidden, type ActiveFolder, type ScopeState } from './scope-policy.js';
import { parseShareExpiry } from './share-expiry-policy.js';

export interface ScopeServiceDeps {
  settings: SettingsRepository;
  /** The running companion guards its folders against edits of the settings file it did not make:
   *  a folder added or widened there must have its scope.changed record in the journal (as
   *  `cowork-companion scope add` writes one), otherwise the change is refused and reported. */
  guard?: { isRecorded(path: string, mode: ScopeMode): boolean; onTamper(reason: string): void; distrustStored?: boolean };
  policy: ManagedPolicyService;
  evidence: EvidenceSink;
  clock: Clock;
  canonicalize: Canonicalize;
  dataDir: string;
  home?: string;
  platform?: NodeJS.Platform;
}

export type FolderPreview = UiResponse<'previewSharedFolder'>;
export type ShareResult = Omit<UiResponse<'addSharedFolder'>, 'ok'>;

export class ScopeService {
  private readonly home: string;
  private readonly volume: VolumeRules;
  private readonly platform: NodeJS.Platform;
  private readonly builtIn: ForbiddenEntry[];
  private readonly listeners = new Set<() => void>();
  private forbiddenCache: { at: number; key: string; list: ForbiddenEntry[] } | undefined;
  private readonly folderCache = new Map<string, { at: number; result: ReturnType<Canonicalize> }>();
  /** state(), kept (see there); and, while it is made, the time of its oldest look on disk. */
  private stateMemo: { at: number; until: number; folders: SharedFolder[]; policy: object; state: ScopeState } | undefined;
  private oldestLook = 0;

  /** The folders as the core last wrote or accepted them. */
  private known: SharedFolder[];

  constructor(private readonly deps: ScopeServiceDeps) {
    this.home = deps.home ?? homedir();
    const platform = deps.platform ?? process.platform;
    this.platform = platform;
    this.volume = volumeRulesFor(platform);
    this.builtIn = builtInForbiddenPaths(this.home, deps.dataDir, platform);
    this.known = deps.settings.readSharedFolders().folders;
    if (deps.guard) {
      const guard = deps.guard;
      // The settings file failed its integrity check and could not be put back: every stored folder
      // must then show its record in the journal.
      if (guard.distrustStored) {
        this.known = [];
        this.checkExternal(guard);
      }
      deps.settings.onChange((change) => {
        if (change === 'external') this.checkExternal(guard);
      });
    }
  }

  /** Another process changed the folders: keep what narrows the scope or was recorded, refuse the rest. */
  private checkExternal(guard: NonNullable<ScopeServiceDeps['guard']>): void {
    const now = this.deps.settings.readSharedFolders().folders;
    const widens = (f: SharedFolder): boolean => !this.known.some((k) => k.path === f.path && (k.mode === f.mode || f.mode === 'read'));
    const refused = now.filter((f) => widens(f) && !guard.isRecorded(f.path, f.mode));
    if (refused.length > 0) {
      const next = now.filter((f) => !refused.includes(f));
      this.deps.settings.writeSharedFolders(next);
      guard.onTamper(`shared folders were added or widened in settings.json without a record in the journal (${refused.map((f) => `${f.path} ${f.mode}`).join(', ')}); the change was refused`);
      this.known = next;
    } else this.known = now;
    for (const l of this.listeners) l();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The state the policy evaluates against. Every request asks for it, so it is kept while nothing it
   * was made of can have changed: the same folders (the core's own copy) and managed policy, no folder
   * expired, and none of its looks on disk older than a second (the bound folderNow and forbidden()
   * already keep). Its parts were otherwise rebuilt per request: ~14 KB of garbage each.
   */
  state(): ScopeState {
    const now = this.deps.clock.now();
    const m = this.stateMemo;
    if (m && m.folders === this.folders() && m.policy === this.deps.policy.state && now >= m.at && now < m.until) return m.state;
    this.oldestLook = now;
    const all = this.allFolders();
    const state = this.buildState(all);
    const expiries = all.flatMap((f) => (f.expiresAt ? [Date.parse(f.expiresAt)] : []));
    const until = Math.min(this.oldestLook + 1000, this.forbiddenCache ? this.forbiddenCache.at + 1000 : now, ...expiries);
    // A one-shot command reads the folders from the file each time: nothing to key a copy on.
    this.stateMemo = this.deps.guard ? { at: now, until, folders: this.folders(), policy: this.deps.policy.state, state } : undefined;
    return state;
  }

  private buildState(all: (SharedFolder & { locked: boolean })[]): ScopeState {
    const base = this.baseState();
    const folders = this.activeFolders(base, all);
    // Repositories around the written file, and at the shared folders (an absolute core.hooksPath there
    // may name a folder elsewhere in the scope).
    const gitLayout = (path: string) =>
      probeGitLayout([path, ...folders.map((f) => f.path)], { home: this.home, platform: this.platform, canonicalize: this.deps.canonicalize, ...(process.env['XDG_CONFIG_HOME'] ? { xdgConfigHome: process.env['XDG_CONFIG_HOME'] } : {}) });
    return { ...base, folders, gitLayout };
  }

  /** The state without the folders (what checking a folder against the rules needs). */
  private baseState(): ScopeState {
    const { policy, failClosed, error } = this.deps.policy.state;
    return {
      forbidden: this.forbidden(),
      outOfScope: policy.outOfScope,
      mcpPathArguments: policy.mcpPathArguments,
      home: this.home,
      volume: this.volume,
      failClosed: failClosed ? error : undefined,
      folders: [],
    };
  }

  view(): ScopeView {
    const { policy, source, error } = this.deps.policy.state;
    const lockReason = `Set by ${this.organisation('your organisation')}`;
    const base = this.baseState();
    const folders = this.allFolders().map((f) => ({
      path: f.path,
      mode: f.mode,
      label: f.label,
      expiresAt: f.expiresAt,
      locked: f.locked,
      lockReason: f.locked ? lockReason : undefined,
      problem: this.problemOf(f, base, { fresh: true }),
    }));
    return {
      folders,
      forbidden: this.forbidden().map((f) => ({ path: f.path, reason: f.reason })),
      allowedRoots: policy.allowedRoots,
      allowUserFolders: policy.allowUserFolders,
      policySource: source,
      policyError: error,
      organization: policy.organization,
    };
  }

  /** Validates a folder the user wants to share (`~` is the person's home) and returns its canonical
   *  path, whether it is broad (see broad-share-policy.ts) and whether it is already shared. */
  preview(input: string): FolderPreview {
    const { policy } = this.deps.policy.state;
    if (!policy.allowUserFolders) return { ok: false, error: 'Your organisation does not allow adding shared folders.' };
    const path = typeof input === 'string' ? input.replace(/^~(?=$|[\\/])/, this.home) : input;
    if (typeof path === 'string' && !path.startsWith('/') && !/^[a-zA-Z]:[\\/]|^\\\\/.test(path)) {
      return { ok: false, error: 'Enter an absolute path (for example /home/you/project) or one that starts with ~.' };
    }
    const c = this.deps.canonicalize(path);
    if (!c.ok) return { ok: false, error: `Cannot use this path: ${c.reason}.` };
    if (!c.exists) return { ok: false, error: `${c.path} does not exist.` };
    if (!c.isDirectory) return { ok: false, error: `${c.path} is a file; share the folder that contains it.` };
    const forbidden = findForbidden(c.path, this.baseState(), this.deps.canonicalize);
    if (forbidden) return { ok: false, error: `${c.path} is protected (${forbidden.reason}) and cannot be shared.` };
    const roots = policy.allowedRoots;
    if (roots && !roots.some((r) => isWithin(c.path, this.canonicalOr(r), this.volume))) {
      return { ok: false, error: `Your organisation allows sharing only inside: ${roots.join(', ')}.` };
    }
    const broad = this.broadness(c.path);
    if (broad && !policy.allowBroadShares) {
      return { ok: false, error: `${this.organisation('Your organisation')} does not allow sharing folders this broad. ${describeBroadShare(c.path, broad, 'read')}`, broad };
    }
    const existing = this.liveFolder(c.path);
    return { ok: true, path: c.path, ...(broad ? { broad } : {}), ...(existing ? { existing } : {}) };
  }

  /**
   * Shares a folder, or changes one already shared: only what is given and differs (mode, label,
   * expiry) changes, and nothing is written when nothing does. A broad folder, or widening one to
   * read-write, needs `confirmBroad`: the core decides, whatever the UI showed.
   */
  async add(input: { path: string; mode?: ScopeMode; label?: string; expiresAt?: string; confirmBroad?: boolean }): Promise<ShareResult> {
    const p = this.preview(input.path);
    if (!p.ok) throw new CoreError('scope_refused', p.error);
    let expiresAt: string | undefined;
    if (input.expiresAt !== undefined) {
      const e = parseShareExpiry(input.expiresAt, this.deps.clock.now());
      if (!e.ok) throw new CoreError('scope_refused', e.error);
      expiresAt = new Date(e.at).toISOString();
    }
    if (this.managedFolders().some((f) => f.path === p.path)) {
      throw new CoreError('scope_locked', `${p.path} is shared by your organisation and cannot be changed.`);
    }
    const folders = this.folders();
    const existing = p.existing;
    const label = input.label?.trim();
    const mode = input.mode ?? existing?.mode ?? 'read';
    const changed: ShareResult['changed'] = existing
      ? [
          ...(mode !== existing.mode ? (['mode'] as const) : []),
          ...(label !== undefined && label !== existing.label ? (['label'] as const) : []),
          ...(expiresAt !== undefined && expiresAt !== existing.expiresAt ? (['expiresAt'] as const) : []),
        ]
      : [];
    if (existing && changed.length === 0) return { folder: existing, outcome: 'unchanged', changed };
    const widensBroad = p.broad && (!existing || (changed.includes('mode') && mode === 'read-write')) ? p.broad : undefined;
    if (widensBroad && !input.confirmBroad) {
      throw new CoreError('scope_confirm_broad', `${describeBroadShare(p.path, widensBroad, mode)} Sharing it needs an explicit confirmation.`);
    }
    const folder: SharedFolder = existing
      ? { ...existing, mode, ...(label !== undefined ? { label } : {}), ...(expiresAt ? { expiresAt } : {}) }
      : { path: p.path, mode, label: label ?? '', addedAt: new Date(this.deps.clock.now()).toISOString(), ...(expiresAt ? { expiresAt } : {}) };
    const next = [...folders.filter((f) => f.path !== p.path), folder];
    await this.commit(next, 'add', folder.path, folder.mode, widensBroad);
    return existing ? { folder, outcome: 'updated', changed, previous: existing } : { folder, outcome: 'added', changed };
  }

  /** The person's folder at `path` while it is still shared (an expired one is shared anew). */
  private liveFolder(path: string): SharedFolder | undefined {
    const f = this.folders().find((k) => k.path === path);
    return f && !(f.expiresAt && Date.parse(f.expiresAt) <= this.deps.clock.now()) ? f : undefined;
  }

  /** The organisation's name and contact, as locked settings name it. */
  private organisation(unnamed: string): string {
    const org = this.deps.policy.state.policy.organization;
    return org ? `${org.name}${org.contact ? ` (${org.contact})` : ''}` : unnamed;
  }

  async remove(path: string): Promise<void> {
    const folders = this.folders();
    const target = this.match(folders, path);
    if (!target) {
      const managed = this.managedFolders().some((f) => f.path === path);
      throw new CoreError(managed ? 'scope_locked' : 'not_shared', `${path} is not a folder you shared${managed ? ' (it is set by your organisation)' : ''}.`);
    }
    await this.commit(folders.filter((f) => f !== target), 'remove', target.path, target.mode);
  }

  /** Widening a broad folder to read-write is a new grant: it needs `confirmBroad` as sharing does. */
  async setMode(path: string, mode: ScopeMode, confirmBroad = false): Promise<void> {
    const folders = this.folders();
    const target = this.match(folders, path);
    if (!target) throw new CoreError('not_shared', `${path} is not a folder you shared.`);
    const broad = mode === 'read-write' && target.mode !== 'read-write' ? this.broadness(target.path) : undefined;
    if (broad && !confirmBroad) throw new CoreError('scope_confirm_broad', `${describeBroadShare(target.path, broad, mode)} Sharing it needs an explicit confirmation.`);
    await this.commit(folders.map((f) => (f === target ? { ...f, mode } : f)), 'set-mode', target.path, mode, broad);
  }

  /**
   * The folders in force. The running core answers from its own copy: the file changes it only
   * through commit() or an external change the guard accepted (a folder written into the file is
   * never in force before that check, however often the file is rewritten). A one-shot command,
   * which has no other copy, reads the file.
   */
  private folders(): SharedFolder[] {
    return this.deps.guard ? this.known : this.deps.settings.readSharedFolders().folders;
  }

  private match(folders: SharedFolder[], path: string): SharedFolder | undefined {
    const c = this.deps.canonicalize(path);
    return folders.find((f) => f.path === path || (c.ok && f.path === c.path));
  }

  /** `broad`: the person confirmed a broad share, recorded with the change. */
  private async commit(next: SharedFolder[], action: 'add' | 'remove' | 'set-mode', path: string, mode: ScopeMode, broad?: BroadShare): Promise<void> {
    // Evidence first: a change that cannot be recorded is not made.
    await this.deps.evidence.record(
      newEvidenceEvent(EVENT_NAMES.scopeChanged, this.deps.clock.now(), {
        'scope.action': action,
        'scope.path': path,
        'scope.mode': mode,
        'scope.folder_count': next.length,
        ...(broad ? { 'scope.broad': broad.kind } : {}),
      }),
    );
    this.deps.settings.writeSharedFolders(next);
    this.known = next;
    for (const l of this.listeners) l();
  }

  /** How broad sharing the folder would be, naming the protected places that exist inside it (the
   *  ones that do not exist yet stay protected, but listing all of them would hide those that do). */
  private broadness(canonicalPath: string): BroadShare | undefined {
    const existing = this.forbidden().filter((f) => {
      const c = this.deps.canonicalize(f.canonical ?? f.path);
      return c.ok && c.exists;
    });
    return classifyBroadShare(canonicalPath, { home: this.canonicalOr(this.home), volume: this.volume, forbidden: existing });
  }

  private canonicalOr(p: string): string {
    const c = this.deps.canonicalize(p);
    return c.ok ? c.path : p;
  }

  /** A shared folder as it is on disk, looked at again at most once a second: every request asks for
   *  the scope, and each look is an lstat per step of the path. Safe while stale: a request's own
   *  targets are always canonicalized afresh and compared with the folder's stored (canonical) path,
   *  so a folder turned into a link lets nothing through meanwhile; it is shown as a problem within the second. */
  private folderNow(path: string): ReturnType<Canonicalize> {
    const now = this.deps.clock.now();
    const seen = this.folderCache.get(path);
    if (seen && now - seen.at < 1000) {
      this.oldestLook = Math.min(this.oldestLook, seen.at);
      return seen.result;
    }
    const result = this.deps.canonicalize(path);
    setBounded(this.folderCache, path, { at: now, result }, 1000);
    return result;
  }

  /** Built-in and managed forbidden paths with their canonical forms. Canonicalising ~20 paths costs
   *  ~0.3 ms, so the forms are reused for up to a second (a forbidden folder turned into a link is
   *  picked up within that second; its own spelling is always matched). */
  private forbidden(): ForbiddenEntry[] {
    const managedPaths = this.deps.policy.state.policy.forbiddenPaths;
    const key = managedPaths.join('\0');
    const now = this.deps.clock.now();
    if (this.forbiddenCache && this.forbiddenCache.key === key && now - this.forbiddenCache.at < 1000) return this.forbiddenCache.list;
    const managed = managedPaths.map((p) => ({ path: p.startsWith('~') ? this.home + p.slice(1) : p, reason: 'forbidden by your organisation' }));
    const list = [...this.builtIn, ...managed].map((f) => {
      const c = this.deps.canonicalize(f.path);
      return { ...f, canonical: c.ok ? c.path : f.path };
    });
    this.forbiddenCache = { at: now, key, list };
    return list;
  }

  private managedFolders(): (SharedFolder & { locked: true })[] {
    return this.deps.policy.state.policy.sharedFolders.map((f) => ({ path: this.canonicalOr(f.path), mode: f.mode, label: f.label, addedAt: '', locked: true as const }));
  }

  private allFolders(): (SharedFolder & { locked: boolean })[] {
    const user = this.deps.policy.state.policy.allowUserFolders || this.deps.policy.state.failClosed ? this.folders() : [];
    return [...this.managedFolders(), ...user.map((f) => ({ ...f, locked: false }))];
  }

  /** Why a shared folder is not in effect right now, if it is not. The rules that applied when it
   *  was added are applied again here: the settings file can be edited behind the core's back. */
  /** `fresh`: the folder looked at now (what a person is shown), not as seen within the second. */
  private problemOf(f: SharedFolder & { locked?: boolean }, base: ScopeState, { fresh = false } = {}): string | undefined {
    if (f.expiresAt && Date.parse(f.expiresAt) <= this.deps.clock.now()) return 'expired';
    const c = fresh ? this.deps.canonicalize(f.path) : this.folderNow(f.path);
    if (!c.ok) return c.reason;
    if (!c.exists) return 'the folder no longer exists';
    if (c.path !== f.path) return `the folder is now a link to ${c.path}`;
    if (!c.isDirectory) return 'the path is no longer a folder';
    if (f.locked) return undefined;
    const forbidden = findForbidden(c.path, base, this.deps.canonicalize);
    if (forbidden) return `the folder is protected (${forbidden.reason})`;
    const { allowedRoots: roots, allowBroadShares } = this.deps.policy.state.policy;
    if (roots && !roots.some((r) => isWithin(c.path, this.canonicalOr(r), this.volume))) return 'the folder is outside the places your organisation allows sharing';
    if (!allowBroadShares && this.broadness(c.path)) return 'the folder is broader than your organisation allows sharing';
    return undefined;
  }

  /** In effect now. With a broken policy (fail-closed) user folders still count as scope, but the
   *  policy then asks instead of allowing. */
  private activeFolders(base: ScopeState, all: (SharedFolder & { locked: boolean })[]): ActiveFolder[] {
    return all
      .filter((f) => this.problemOf(f, base) === undefined)
      .map((f) => ({ path: f.path, mode: f.mode }));
  }
}

/** Whether the journal holds the scope.changed record that sharing `path` in `mode` writes (paths
 *  may be recorded with the home folder shortened to `~`). */
export function scopeChangeRecorded(events: readonly { name: string; attributes: Record<string, unknown> }[], f: { path: string; mode: ScopeMode; home: string }): boolean {
  const forms = new Set([f.path, f.path === f.home ? '~' : f.path.startsWith(`${f.home}/`) ? `~${f.path.slice(f.home.length)}` : f.path]);
  return events.some((e) => e.name === EVENT_NAMES.scopeChanged && e.attributes['scope.action'] !== 'remove' && forms.has(String(e.attributes['scope.path'])) && e.attributes['scope.mode'] === f.mode);
}
