// A real run tracker + file watcher (the platform's backend from watchPortFor, unless a test passes
// its own port) on a temp home folder:
//   <home>/work/proj   shared read-write      <home>/work/ref  shared read-only
//   <home>/Documents   outside the scope      <home>/.ssh      protected (forbidden)
//   <home>/.config/cowork-companion           the companion's data folder (never watched)
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScopeMode } from '../../shared/scope-contract.js';
import { canonicalizerFor } from '../../electron/core/paths/canonical-path.js';
import type { EvidenceEvent } from '../../electron/core/evidence/evidence-event.js';
import type { FileWatcherOptions } from '../../electron/core/watch/file-watcher-options.js';
import { FileWatcherService } from '../../electron/core/watch/file-watcher-service.js';
import { watchPortFor } from '../../electron/core/watch/watch-port-for.js';
import type { OutOfScopeChange } from '../../electron/core/watch/watch-status.js';
import { builtInForbiddenPaths } from '../../electron/core/scope/forbidden-paths.js';
import { volumeRulesFor } from '../../electron/core/paths/path-containment-policy.js';
import { resolveRequest, type ToolCall } from '../../electron/core/requests/index.js';
import { RunTrackerService, type HookObservation } from '../../electron/core/watch/run-tracker-service.js';
import type { ScopeState } from '../../electron/core/scope/scope-policy.js';
import { systemClock } from '../../electron/core/base/system-clock.js';

export interface WatchHarness {
  home: string;
  proj: string;
  ref: string;
  docs: string;
  ssh: string;
  dataDir: string;
  runs: RunTrackerService;
  watcher: FileWatcherService;
  events: EvidenceEvent[];
  outOfScope: OutOfScopeChange[];
  errors: unknown[];
  folders: { path: string; mode: ScopeMode }[];
  /** Tell the watcher the scope changed (after editing `folders`). */
  scopeChanged(): void;
  hook(event: string, sessionId?: string, extra?: Partial<HookObservation>): void;
  /** Start a run and wait until every root is watched. */
  startRun(sessionId?: string): Promise<void>;
  dispose(): Promise<void>;
}

export const SESSION = 'session-a';

export async function watchHarness(options: Partial<FileWatcherOptions> & { idleTimeoutMs?: number } = {}): Promise<WatchHarness> {
  const home = realpathSync(mkdtempSync(join(tmpdir(), 'cc-watch-')));
  const proj = join(home, 'work', 'proj');
  const ref = join(home, 'work', 'ref');
  const docs = join(home, 'Documents');
  const ssh = join(home, '.ssh');
  const dataDir = join(home, '.config', 'cowork-companion');
  for (const d of [join(proj, 'src'), ref, docs, ssh, join(dataDir, 'journal'), join(home, 'node_modules', 'pkg')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(proj, 'src', 'existing.ts'), 'export {};\n');
  writeFileSync(join(ref, 'spec.md'), '# spec\n');
  writeFileSync(join(ssh, 'config'), 'Host *\n');
  const canonicalize = canonicalizerFor('linux');
  const volume = volumeRulesFor('linux');
  const forbidden = builtInForbiddenPaths(home, dataDir, 'linux');
  const folders: { path: string; mode: ScopeMode }[] = [
    { path: proj, mode: 'read-write' },
    { path: ref, mode: 'read' },
  ];
  const scopeListeners = new Set<() => void>();
  const scope = {
    state: (): ScopeState => ({ folders: [...folders], forbidden, outOfScope: 'deny', mcpPathArguments: {}, home, volume }),
    onChange: (l: () => void) => {
      scopeListeners.add(l);
      return () => scopeListeners.delete(l);
    },
  };
  const runs = new RunTrackerService({ clock: systemClock, idleTimeoutMs: options.idleTimeoutMs });
  const events: EvidenceEvent[] = [];
  const outOfScope: OutOfScopeChange[] = [];
  const errors: unknown[] = [];
  const watcher = new FileWatcherService({
    runs,
    scope,
    evidence: { record: async (e) => void events.push(e) },
    clock: systemClock,
    canonicalize,
    dataDir,
    port: watchPortFor(process.platform),
    onError: (e) => errors.push(e),
    repeatWindowMs: 0,
    ...options,
  });
  watcher.onOutOfScope((c) => outOfScope.push(c));
  const hook = (event: string, sessionId = SESSION, extra: Partial<HookObservation> = {}): void => {
    const payload = { hook_event_name: event, session_id: sessionId, cwd: proj, ...extra };
    const call = typeof payload.tool_name === 'string' && payload.tool_input ? resolveRequest(payload as ToolCall, { canonicalize, home, mcpPathArguments: {} }) : undefined;
    runs.observe(payload, call);
  };
  return {
    home,
    proj,
    ref,
    docs,
    ssh,
    dataDir,
    runs,
    watcher,
    events,
    outOfScope,
    errors,
    folders,
    scopeChanged: () => {
      for (const l of scopeListeners) l();
    },
    hook,
    async startRun(sessionId = SESSION) {
      hook('SessionStart', sessionId);
      await watcher.whenSettled();
    },
    async dispose() {
      runs.close();
      await watcher.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a truthy value (no fixed sleeps); fails after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined | false | null, timeoutMs = 3000, what = 'condition'): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Lets in-flight watcher events arrive (for asserting that nothing happened). */
export const settle = (ms = 250): Promise<void> => new Promise((r) => setTimeout(r, ms));
