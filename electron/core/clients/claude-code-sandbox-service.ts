// Keeps the Bash sandbox in the Claude Code settings files `connect` set it up in (connections.json)
// in step with the scope: a shared folder added, removed or made read-only, a path IT forbids, is in
// the settings at once (atomically, every key the person owns kept), so the next Bash call runs under
// it. Says for the UI and doctor whether the operating system enforces the scope for Bash, and if not
// why and what fixes it.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { coreText } from '../../../shared/core-messages.js';
import type { BashSandbox, Rule, SandboxView } from '../../../shared/ui-contract.js';
import { writeAtomic, type SealedStatePort } from '../base/index.js';
import { isWithin, type Canonicalize, type VolumeRules } from '../paths/index.js';
import type { ActiveFolder, ForbiddenEntry } from '../scope/index.js';
import { applySandbox, sandboxCovers, sandboxGap, sandboxPathsFor, SandboxShapeError, sandboxWeakenings, sandboxWritable, type SandboxPaths, type Settings } from './claude-code-sandbox-policy.js';
import { readConnections, writeConnections } from './connection-record.js';

export interface SandboxSyncDeps {
  connections: SealedStatePort;
  scope: { state(): { folders: ActiveFolder[]; forbidden: ForbiddenEntry[] }; onChange(listener: () => void): () => void };
  /** The remembered rules: lasting domain rules become the sandbox's allowed domains. */
  rules?: { list(): Pick<Rule, 'match' | 'lifetime' | 'offByPolicy'>[]; onChange(listener: () => void): () => void };
  /** Told before the service writes a file (the watcher is not to report the companion's own write). */
  onOwnWrite?: (file: string) => void;
  onError: (error: unknown) => void;
  platform?: NodeJS.Platform;
  exists?: (path: string) => boolean;
  /** How often the files are looked at again for the view (default 2 s). */
  refreshMs?: number;
  /** For telling which sessions a connected file covers. */
  home: string;
  canonicalize: Canonicalize;
  volume: VolumeRules;
}

/** Where a Linux sandbox tool is installed (the folders Claude Code finds it in on PATH). */
const toolPath = (name: string, exists: (path: string) => boolean): string | undefined => ['/usr/bin', '/bin', '/usr/local/bin'].map((d) => `${d}/${name}`).find((p) => exists(p));

/** Whether this machine can run Claude Code's sandbox, and if not what to do. */
export function sandboxSupport(platform: NodeJS.Platform, exists: (path: string) => boolean = existsSync): { ok: true } | { ok: false; reason: string; fix: string } {
  if (platform === 'win32') return { ok: false, reason: "Claude Code's sandbox does not run on Windows itself", fix: 'run Claude Code inside WSL2, where the sandbox works as on Linux' };
  if (platform === 'darwin') return exists('/usr/bin/sandbox-exec') ? { ok: true } : { ok: false, reason: 'Seatbelt (/usr/bin/sandbox-exec) is missing', fix: 'use a macOS that has it (every supported version does)' };
  const missing = ['bwrap', 'socat'].filter((n) => toolPath(n, exists) === undefined);
  if (missing.length === 0) return { ok: true };
  return { ok: false, reason: `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not installed`, fix: 'install bubblewrap and socat (Debian/Ubuntu: sudo apt-get install bubblewrap socat; Fedora: sudo dnf install bubblewrap socat)' };
}

/**
 * sandboxSupport, and on Linux whether bubblewrap can actually make a sandbox (a kernel or an AppArmor
 * profile may forbid the user namespaces it needs): with `failIfUnavailable` Claude Code would refuse
 * to start. Runs bwrap once (a few milliseconds); for one-shot commands, not the running core.
 */
export function sandboxRuns(platform: NodeJS.Platform, exists: (path: string) => boolean = existsSync): ReturnType<typeof sandboxSupport> {
  const support = sandboxSupport(platform, exists);
  if (!support.ok || platform !== 'linux') return support;
  const bwrap = toolPath('bwrap', exists)!;
  const probe = spawnSync(bwrap, ['--ro-bind', '/', '/', '--dev', '/dev', '--unshare-all', '--', '/bin/true'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.status === 0) return support;
  return {
    ok: false,
    reason: `bubblewrap cannot make a sandbox here (${(probe.stderr || probe.error?.message || `exit ${probe.status}`).trim().split('\n')[0]})`,
    fix: 'allow unprivileged user namespaces for bwrap (Ubuntu 24.04: its AppArmor profile; elsewhere: sysctl kernel.unprivileged_userns_clone=1), or run Claude Code where they are allowed',
  };
}

/** A connected settings file, or why it cannot be used. A link is never read nor written through: the
 *  core would otherwise copy or overwrite whatever file it points at. */
function readSettings(file: string): { settings: Settings } | { problem: string } {
  try {
    const stat = lstatSync(file);
    if (stat.isSymbolicLink() || !stat.isFile()) return { problem: 'it is a link or not a regular file (the companion does not write through links)' };
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? { settings: parsed as Settings } : { problem: 'it does not hold a JSON object' };
  } catch (error) {
    return { problem: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it is missing' : 'it is not valid JSON or cannot be read' };
  }
}

export class ClaudeCodeSandboxService {
  private readonly listeners = new Set<() => void>();
  private unsubscribe: (() => void)[] | undefined;
  private last: SandboxView | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly deps: SandboxSyncDeps) {}

  start(): void {
    this.unsubscribe ??= [this.deps.scope.onChange(() => this.sync()), ...(this.deps.rules ? [this.deps.rules.onChange(() => this.sync())] : [])];
    this.sync();
    // The files are the person's too: look again now and then, so the view shows an edit by hand.
    this.timer ??= setInterval(() => this.refresh(), this.deps.refreshMs ?? 2000);
    this.timer.unref?.();
  }

  stop(): void {
    for (const u of this.unsubscribe ?? []) u();
    this.unsubscribe = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Brings every connected file's sandbox up to the scope now. Never throws. */
  sync(): void {
    try {
      const record = readConnections(this.deps.connections);
      const paths = this.paths();
      let recordChanged = false;
      for (const [file, connection] of Object.entries(record)) {
        if (!connection.sandbox) continue;
        const read = readSettings(file);
        if (!('settings' in read)) continue; // view() says why
        try {
          const next = applySandbox(read.settings, paths, connection.sandbox);
          if (next.changed) {
            this.deps.onOwnWrite?.(file);
            writeAtomic(file, `${JSON.stringify(next.settings, null, 2)}\n`);
          }
          if (JSON.stringify(next.record) !== JSON.stringify(connection.sandbox)) {
            record[file] = { ...connection, sandbox: next.record };
            recordChanged = true;
          }
        } catch (error) {
          if (!(error instanceof SandboxShapeError)) throw error;
        }
      }
      if (recordChanged) writeConnections(this.deps.connections, record);
    } catch (error) {
      this.deps.onError(error);
    }
    this.refresh();
  }

  /** Whether the OS enforces the scope for Bash, file by file. */
  view(): SandboxView {
    this.last ??= this.compute();
    return this.last;
  }

  /** Looks at the files again (a person may have edited them, `connect` may have just run); tells
   *  listeners when the view changed, and returns it. */
  refresh(): SandboxView {
    const next = this.compute();
    const changed = JSON.stringify(next) !== JSON.stringify(this.last);
    this.last = next;
    if (changed) for (const l of this.listeners) l();
    return next;
  }

  /**
   * A Bash call from a session working in `cwd`: it runs sandboxed when a file that holds the sandbox
   * covers the session and the session's project does not take it out again (with
   * `allowUnsandboxedCommands: false` Claude Code ignores a call's `dangerouslyDisableSandbox`). It can
   * then write the writable folders — and its working folder, which Claude Code always lets Bash
   * write: said when that is not one of them.
   */
  bashSandboxFor(cwd: string): BashSandbox {
    const view = this.refresh();
    if (view.state !== 'enforced') return { sandboxed: false, writable: [], reason: view.reason ?? coreText('sandbox.notConnected') };
    const c = this.deps.canonicalize(cwd);
    if (!c.ok) return { sandboxed: false, writable: [], reason: coreText('sandbox.cwdUnchecked', { why: c.reason }) };
    const { home, volume } = this.deps;
    if (!view.files.some((f) => f.enforced && sandboxCovers(f.file, c.path, home, volume))) return { sandboxed: false, writable: [], reason: 'the sandbox is set up for other projects, not this session\'s' };
    // The session's project settings, from its folder up: Claude Code takes them over the user's. (Not
    // the user's own, in the home folder, nor a file the sandbox is kept in.)
    const connected = new Set(view.files.map((f) => f.file));
    for (let dir = c.path; ; dir = dirname(dir)) {
      for (const name of dir === home ? [] : ['settings.json', 'settings.local.json']) {
        if (connected.has(join(dir, '.claude', name))) continue;
        const read = readSettings(join(dir, '.claude', name));
        const weakens = 'settings' in read ? sandboxWeakenings(read.settings)[0] : undefined;
        if (weakens) return { sandboxed: false, writable: [], reason: `${join(dir, '.claude', name)} ${weakens}` };
      }
      if (dirname(dir) === dir) break;
    }
    const inside = view.writable.some((w) => isWithin(c.path, w, volume));
    return { sandboxed: true, writable: view.writable, ...(inside ? {} : { cwdWritable: c.path }) };
  }

  private paths(): SandboxPaths {
    return sandboxPathsFor(this.deps.scope.state(), this.deps.rules?.list() ?? []);
  }

  private compute(): SandboxView {
    const support = sandboxSupport(this.deps.platform ?? process.platform, this.deps.exists);
    const record = readConnections(this.deps.connections);
    const paths = this.paths();
    const writable = new Set(paths.allowWrite);
    const connected = Object.keys(record).length > 0;
    const files = Object.entries(record)
      .filter(([, c]) => c.sandbox)
      .map(([file]) => {
        const read = readSettings(file);
        if (!('settings' in read)) return { file, enforced: false, reason: read.problem };
        for (const p of sandboxWritable(read.settings)) writable.add(p);
        const gap = sandboxGap(read.settings, paths);
        return gap ? { file, enforced: false, reason: gap } : { file, enforced: true };
      });
    if (files.length === 0) {
      return {
        state: 'not-set-up',
        connected,
        reason: support.ok ? coreText('sandbox.notConnected') : support.reason,
        fix: support.ok ? 'run "cowork-companion connect claude-code"' : support.fix,
        files,
        writable: [...writable],
      };
    }
    if (!support.ok) return { state: 'not-enforced', connected, reason: support.reason, fix: support.fix, files, writable: [...writable] };
    const gap = files.find((f) => !f.enforced);
    if (gap) return { state: 'not-enforced', connected, reason: `${gap.file}: ${gap.reason}`, fix: 'run "cowork-companion connect claude-code" again', files, writable: [...writable] };
    return { state: 'enforced', connected, files, writable: [...writable] };
  }
}
