// Which agent runs are active. A run is one Claude Code session (`session_id`), and it follows the
// session's lifecycle as Claude Code's hooks report it (hooks reference, code.claude.com/docs/en/hooks):
//
//   active   from its first hook event (SessionStart, UserPromptSubmit or any tool event): the agent
//            is working. Only active runs are charged for the file changes the watcher sees.
//   waiting  after `Stop`. Stop "runs when the main Claude Code agent has finished responding": the
//            end of a turn, not of the session — the person may type the next prompt, and the same
//            session goes on. (`SubagentStop` is a subagent finishing inside the turn: the run stays
//            active; Stop does not fire when the person interrupts the turn, so an interrupted run
//            stays active until its next event or the idle timeout.) A Stop that lists background tasks
//            still running (`background_tasks`) keeps the run active: its work goes on. A waiting run
//            is charged for nothing; UserPromptSubmit, PreToolUse, PermissionRequest or a new
//            SessionStart make it active again (same run, same manifest).
//   ended    on `SessionEnd`, whatever its `reason` (clear, logout, prompt_input_exit,
//            bypass_permissions_disabled, other…): Claude Code is closing that session (/clear goes on
//            under a new session_id). Hook calls of the ended session that arrive late (a PostToolUse
//            or Stop still in flight; Claude Code gives SessionEnd hooks at most 60 s) never revive it:
//            within STRAGGLER_WINDOW_MS only SessionStart (`claude --resume` keeps the session_id) or
//            UserPromptSubmit start it again.
//
// Claude Code killed (SIGKILL, a crash, a closed terminal) sends no SessionEnd: the idle timeout
// (policy watch.idleTimeoutMinutes, default 30) stays the fallback, for active and waiting runs
// alike — until then an active run that will never speak again is still charged for changes.
//
// The paths a run's tool calls name (PreToolUse, PermissionRequest, PostToolUse) are kept for a short
// while so that a file change can be linked to the call that announced it.
import type { RunEndReason, RunStatus } from '../../../shared/run-watch-contract.js';
import type { Clock } from '../base/index.js';
import type { AnnouncedTarget, ActiveRunView } from './change-attribution-policy.js';
import type { ResolvedRequest, ToolCall } from '../requests/index.js';

/** The fields of a Claude Code hook payload the tracker uses (any hook event). */
export interface HookObservation {
  hook_event_name: string;
  session_id: string;
  cwd?: string;
  prompt_id?: string;
  tool_name?: string;
  tool_input?: Record<string, unknown>;
  tool_use_id?: string;
  /** Stop: background tasks still running (then the run stays active). */
  background_tasks?: unknown;
  /** SessionStart: startup | resume | clear | compact. */
  source?: unknown;
}

export interface RunInfo {
  sessionId: string;
  cwd?: string;
  promptId?: string;
  /** `status === 'active'`: the only runs charged for file changes. */
  active: boolean;
  status: RunStatus;
  /** Epoch ms: first event of the run. */
  startedAt: number;
  /** Epoch ms: latest event. */
  lastEventAt: number;
  endedAt?: number;
  endReason?: RunEndReason;
  /** Tool events seen (PreToolUse, PermissionRequest, PostToolUse…). */
  toolEvents: number;
  /** How many times the run became active (1 + each later turn, or resumption after an end). */
  activations: number;
}

/** `started`: became active (first time or again); `waiting`: its turn ended (Stop); `ended`: closed. */
export type RunChange = { type: 'started' | 'waiting' | 'ended' | 'forgotten'; run: RunInfo };

export interface RunTrackerOptions {
  clock: Clock;
  /** A run with no hook event for this long ends (default 30 minutes). */
  idleTimeoutMs?: number | (() => number);
  /** How long a path a tool call named stays linkable to changes (default 2 minutes). */
  announceTtlMs?: number;
  /** Ended runs remembered (their manifests stay exportable); default 50. */
  keepEndedRuns?: number;
  /** Announced paths kept per run at most (oldest dropped first); default 2000. */
  maxAnnouncedPerRun?: number;
}

/**
 * After SessionEnd, this long during which the session's late hook calls are stragglers: Claude Code
 * stops its SessionEnd hooks after at most 60 s (default 1.5 s), and a hook call in flight when the
 * session closed arrives within that.
 */
export const STRAGGLER_WINDOW_MS = 60_000;

/** Events that make a run active, as a person (a prompt) or the agent (a tool call) starts work. */
const WORK = new Set(['UserPromptSubmit', 'PreToolUse', 'PermissionRequest']);
/** Events that say the session is (again) open, even right after it ended. */
const REOPENING = new Set(['SessionStart', 'UserPromptSubmit']);
/**
 * Events that keep an active run alive but never start, resume or revive one: they also arrive while
 * the session waits (a Notification), or after the turn or the session ended (a late PostToolUse).
 */
const PASSIVE = new Set(['Notification', 'SubagentStop', 'PostToolUse', 'PostToolUseFailure', 'PreCompact', 'Stop', 'SessionEnd']);
/** Events whose tool input names the paths a call will touch (or touched). */
const ANNOUNCING = new Set(['PreToolUse', 'PermissionRequest', 'PostToolUse', 'PostToolUseFailure']);

interface RunRecord {
  info: RunInfo;
  announced: Map<string, AnnouncedTarget>;
  timer?: { cancel(): void };
}

export class RunTrackerService {
  private readonly runs = new Map<string, RunRecord>();
  private readonly listeners = new Set<(change: RunChange) => void>();
  private readonly idleMs: () => number;
  private readonly ttlMs: number;
  private readonly keepEnded: number;
  private readonly maxAnnounced: number;
  private closed = false;

  constructor(private readonly o: RunTrackerOptions) {
    const idle = o.idleTimeoutMs ?? 30 * 60_000;
    this.idleMs = typeof idle === 'function' ? idle : () => idle;
    this.ttlMs = o.announceTtlMs ?? 120_000;
    this.keepEnded = o.keepEndedRuns ?? 50;
    this.maxAnnounced = o.maxAnnouncedPerRun ?? 2000;
  }

  onChange(listener: (change: RunChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Call for EVERY hook payload (any event). Never throws. `request` is the tool call resolved once
   *  by the agent API (its named files and their canonical forms); events that name no tool call come
   *  without one. */
  observe(payload: HookObservation, request?: ResolvedRequest<ToolCall>): void {
    if (this.closed || !payload || typeof payload.session_id !== 'string' || payload.session_id === '' || typeof payload.hook_event_name !== 'string') return;
    const event = payload.hook_event_name;
    const now = this.o.clock.now();
    let rec = this.runs.get(payload.session_id);
    const status = rec?.info.status;

    if (event === 'SessionEnd') {
      if (rec && status !== 'ended') {
        this.note(rec, payload, now);
        this.end(rec, 'session-end', now);
      }
      return;
    }
    if (event === 'Stop') {
      if (!rec || status !== 'active') return;
      this.note(rec, payload, now);
      // Background tasks still running: the agent's work goes on; the run stays active.
      if (Array.isArray(payload.background_tasks) && payload.background_tasks.length > 0) return;
      this.wait(rec);
      return;
    }
    if (status === 'active') {
      this.note(rec!, payload, now);
      this.count(rec!, payload, request, now);
      return;
    }
    // Not active (new, waiting or ended): does this event start work?
    if (!this.activates(event, payload, rec, now)) return;
    if (!rec) {
      rec = {
        info: { sessionId: payload.session_id, active: false, status: 'ended', startedAt: now, lastEventAt: now, toolEvents: 0, activations: 0 },
        announced: new Map(),
      };
      this.runs.set(payload.session_id, rec);
    }
    this.note(rec, payload, now);
    this.count(rec, payload, request, now);
    rec.info.active = true;
    rec.info.status = 'active';
    rec.info.activations++;
    rec.info.endedAt = undefined;
    rec.info.endReason = undefined;
    this.armIdle(rec);
    this.emit({ type: 'started', run: { ...rec.info } });
  }

  /** Whether `event` makes a run that is not active (unknown, waiting or ended) active. */
  private activates(event: string, payload: HookObservation, rec: RunRecord | undefined, now: number): boolean {
    if (PASSIVE.has(event)) return false;
    // A manual /compact between turns is not the agent working.
    if (event === 'SessionStart' && payload.source === 'compact' && rec) return false;
    if (rec?.info.endReason === 'session-end' && now - (rec.info.endedAt ?? 0) < STRAGGLER_WINDOW_MS) return REOPENING.has(event);
    return WORK.has(event) || event === 'SessionStart' || !rec || rec.info.status === 'ended';
  }

  /** Active runs, oldest first. */
  activeRuns(): RunInfo[] {
    return [...this.runs.values()].filter((r) => r.info.active).map((r) => ({ ...r.info }));
  }

  /** A run (active or a remembered ended one). */
  run(sessionId: string): RunInfo | undefined {
    const r = this.runs.get(sessionId);
    return r ? { ...r.info } : undefined;
  }

  /** All remembered runs, newest first. */
  runsList(): RunInfo[] {
    return [...this.runs.values()].map((r) => ({ ...r.info })).sort((a, b) => b.lastEventAt - a.lastEventAt);
  }

  /** Paths the run's recent tool calls named (within the linking window). */
  announced(sessionId: string): AnnouncedTarget[] {
    const r = this.runs.get(sessionId);
    if (!r) return [];
    this.prune(r, this.o.clock.now());
    return [...r.announced.values()];
  }

  /** What attribution needs about the active runs. */
  activeRunViews(): ActiveRunView[] {
    const now = this.o.clock.now();
    return [...this.runs.values()]
      .filter((r) => r.info.active)
      .map((r) => {
        this.prune(r, now);
        return { sessionId: r.info.sessionId, promptId: r.info.promptId, cwd: r.info.cwd, announced: [...r.announced.values()] };
      });
  }

  /** Ends a run now (e.g. the user stopped it from the UI). */
  endRun(sessionId: string, reason: RunEndReason = 'session-end'): void {
    const r = this.runs.get(sessionId);
    if (r && r.info.status !== 'ended') this.end(r, reason, this.o.clock.now());
  }

  /** Ends every run that has not ended (reason `shutdown`) and stops the timers. */
  close(): void {
    if (this.closed) return;
    const now = this.o.clock.now();
    for (const r of this.runs.values()) if (r.info.status !== 'ended') this.end(r, 'shutdown', now);
    this.closed = true;
  }

  private note(rec: RunRecord, payload: HookObservation, now: number): void {
    rec.info.lastEventAt = now;
    if (typeof payload.cwd === 'string' && payload.cwd !== '') rec.info.cwd = payload.cwd;
    if (typeof payload.prompt_id === 'string' && payload.prompt_id !== '') rec.info.promptId = payload.prompt_id;
  }

  /** A tool event of the run: counted, and its paths announced. */
  private count(rec: RunRecord, payload: HookObservation, request: ResolvedRequest<ToolCall> | undefined, now: number): void {
    if (typeof payload.tool_name === 'string') rec.info.toolEvents++;
    if (ANNOUNCING.has(payload.hook_event_name) && request) this.announce(rec, request, now);
  }

  /** The agent finished its turn: charged for nothing until the next one (the idle timeout still runs). */
  private wait(rec: RunRecord): void {
    rec.info.active = false;
    rec.info.status = 'waiting';
    rec.announced.clear();
    this.armIdle(rec);
    this.emit({ type: 'waiting', run: { ...rec.info } });
  }

  private announce(rec: RunRecord, request: ResolvedRequest<ToolCall>, now: number): void {
    const { tool_name: tool, tool_use_id: id } = request.payload;
    if (typeof id !== 'string' || id === '') return;
    for (const f of request.targets.files) {
      if (typeof f.path !== 'string') continue;
      const c = request.canonical(f);
      if (!c.ok) continue;
      const key = `${id}\0${c.path}`;
      rec.announced.delete(key); // re-insert: Map order is the age order used for pruning
      rec.announced.set(key, { path: c.path, toolUseId: id, toolName: tool, at: now });
    }
    this.prune(rec, now);
  }

  private prune(rec: RunRecord, now: number): void {
    for (const [key, t] of rec.announced) {
      if (now - t.at <= this.ttlMs && rec.announced.size <= this.maxAnnounced) break;
      rec.announced.delete(key);
    }
  }

  private armIdle(rec: RunRecord): void {
    rec.timer?.cancel();
    const due = rec.info.lastEventAt + this.idleMs();
    rec.timer = this.o.clock.setTimeout(() => {
      rec.timer = undefined;
      if (rec.info.status === 'ended' || this.closed) return;
      const now = this.o.clock.now();
      // Events since arming moved the deadline: re-arm instead of rescheduling on every event.
      if (now < rec.info.lastEventAt + this.idleMs()) this.armIdle(rec);
      else this.end(rec, 'idle', now);
    }, Math.max(0, due - this.o.clock.now()));
  }

  private end(rec: RunRecord, reason: RunEndReason, now: number): void {
    rec.timer?.cancel();
    rec.timer = undefined;
    rec.info.active = false;
    rec.info.status = 'ended';
    rec.info.endedAt = now;
    rec.info.endReason = reason;
    rec.announced.clear();
    this.emit({ type: 'ended', run: { ...rec.info } });
    this.forgetOld();
  }

  private forgetOld(): void {
    const ended = [...this.runs.values()].filter((r) => r.info.status === 'ended').sort((a, b) => a.info.lastEventAt - b.info.lastEventAt);
    for (const r of ended.slice(0, Math.max(0, ended.length - this.keepEnded))) {
      this.runs.delete(r.info.sessionId);
      this.emit({ type: 'forgotten', run: { ...r.info } });
    }
  }

  private emit(change: RunChange): void {
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch {
        // A listener's failure never stops the others or the hook path.
      }
    }
  }
}
