// Run lifecycle from hook payloads (the Claude Code fixtures): active while the agent works, waiting
// after Stop, ended on SessionEnd (late calls of the session do not revive it) or the idle timeout on
// a manual clock; and the paths tool calls announce.
import { describe, expect, it } from 'vitest';
import type { CanonicalPath } from '../../electron/core/paths/path-canonicalizer.js';
import { resolveRequest, type ResolvedRequest, type ToolCall } from '../../electron/core/requests/index.js';
import { RunTrackerService, STRAGGLER_WINDOW_MS, type HookObservation, type RunChange } from '../../electron/core/watch/run-tracker-service.js';
import { fixture } from '../support/fixtures.js';
import { ManualClock } from '../support/manual-clock.js';


const canonicalize = (input: unknown, base?: string): CanonicalPath => {
  if (typeof input !== 'string' || input === '') return { ok: false, reason: 'bad' };
  const path = input.startsWith('/') ? input : `${base}/${input}`;
  return { ok: true, path, exists: false, hardLinked: false, isDirectory: false };
};

/** Tool calls arrive resolved, as the agent API resolves them (here with a canonicaliser without disk). */
const resolve = (p: HookObservation | null): ResolvedRequest<ToolCall> | undefined =>
  p && typeof p.tool_name === 'string' && p.tool_input && typeof p.cwd === 'string'
    ? resolveRequest(p as ToolCall, { canonicalize, home: '/Users/dana.kovac', mcpPathArguments: {} })
    : undefined;

class ResolvingTracker extends RunTrackerService {
  override observe(payload: HookObservation, request = resolve(payload)): void {
    super.observe(payload, request);
  }
}

function tracker(over: Partial<ConstructorParameters<typeof RunTrackerService>[0]> = {}) {
  const clock = new ManualClock();
  const runs = new ResolvingTracker({ clock, idleTimeoutMs: 60_000, ...over });
  const changes: RunChange[] = [];
  runs.onChange((c) => changes.push(c));
  return { clock, runs, changes, log: () => changes.map((c) => `${c.type}:${c.run.sessionId}${c.run.endReason ? `:${c.run.endReason}` : ''}`) };
}

const F = (name: string) => fixture<HookObservation>(`input/${name}.json`);
const SID = '5b0e6f3c-9a41-4c7e-8d2f-1f6a3b9c7e21';

describe('run lifecycle', () => {
  it('SessionStart starts a run; SessionEnd ends it', () => {
    const { runs, log } = tracker();
    runs.observe(F('sessionstart-startup'));
    expect(runs.activeRuns()).toMatchObject([{ sessionId: SID, cwd: '/Users/dana.kovac/work/payments-api', active: true, activations: 1 }]);
    runs.observe(F('sessionend'));
    expect(runs.activeRuns()).toEqual([]);
    expect(runs.run(SID)).toMatchObject({ active: false, endReason: 'session-end' });
    expect(log()).toEqual([`started:${SID}`, `ended:${SID}:session-end`]);
  });

  it('Stop (end of a turn) leaves the run waiting, charged for nothing; the next prompt makes the same run active again', () => {
    const { runs, log } = tracker();
    runs.observe(F('pretooluse-write'));
    expect(runs.run(SID)).toMatchObject({ active: true, status: 'active', promptId: 'c3f1a7d2-4e8b-4b6a-9c0d-2e7f5a1b8d44', toolEvents: 1 });
    runs.observe(F('posttooluse-write'));
    runs.observe(F('stop'));
    expect(runs.activeRuns()).toEqual([]);
    expect(runs.activeRunViews()).toEqual([]);
    expect(runs.run(SID)).toMatchObject({ active: false, status: 'waiting', endedAt: undefined, endReason: undefined });
    runs.observe(F('userpromptsubmit'));
    expect(runs.run(SID)).toMatchObject({ active: true, status: 'active', activations: 2, toolEvents: 2, endReason: undefined });
    expect(log()).toEqual([`started:${SID}`, `waiting:${SID}`, `started:${SID}`]);
  });

  it('a waiting run is woken only by work (a prompt or a tool call), not by a notification, a late PostToolUse, SubagentStop or a manual /compact', () => {
    const { runs } = tracker();
    runs.observe(F('sessionstart-startup'));
    runs.observe(F('stop'));
    for (const late of [F('notification-permission-prompt'), F('posttooluse-write'), { ...F('stop'), hook_event_name: 'SubagentStop' }, { ...F('sessionstart-startup'), source: 'compact' }, { ...F('stop'), hook_event_name: 'PreCompact' }]) {
      runs.observe(late);
      expect(runs.run(SID)).toMatchObject({ status: 'waiting' });
    }
    runs.observe(F('pretooluse-read'));
    expect(runs.run(SID)).toMatchObject({ status: 'active', activations: 2 });
  });

  it('SessionEnd ends a waiting run for good: the session\'s late hook calls do not revive it', () => {
    const { runs, clock, log } = tracker();
    runs.observe(F('userpromptsubmit'));
    runs.observe(F('stop'));
    runs.observe(F('sessionend'));
    expect(runs.run(SID)).toMatchObject({ active: false, status: 'ended', endReason: 'session-end', endedAt: clock.t });
    clock.advance(500);
    for (const late of ['posttooluse-write', 'posttoolusefailure-bash', 'stop', 'notification-permission-prompt', 'pretooluse-bash', 'permissionrequest-bash', 'sessionend']) runs.observe(F(late));
    expect(runs.activeRuns()).toEqual([]);
    expect(runs.run(SID)).toMatchObject({ status: 'ended', endReason: 'session-end' });
    expect(log()).toEqual([`started:${SID}`, `waiting:${SID}`, `ended:${SID}:session-end`]);
  });

  it('a session resumed after SessionEnd (claude --resume keeps the session_id) is the same run again', () => {
    const { runs } = tracker();
    runs.observe(F('sessionstart-startup'));
    runs.observe(F('sessionend'));
    runs.observe({ ...F('sessionstart-startup'), source: 'resume' });
    expect(runs.run(SID)).toMatchObject({ status: 'active', activations: 2, endReason: undefined });
  });

  it('after the straggler window, a tool call of an ended session starts it again (its SessionStart may not be wired)', () => {
    const { runs, clock } = tracker({ idleTimeoutMs: 600_000 });
    runs.observe(F('sessionstart-startup'));
    runs.observe(F('sessionend'));
    clock.advance(STRAGGLER_WINDOW_MS - 1);
    runs.observe(F('pretooluse-bash'));
    expect(runs.run(SID)).toMatchObject({ status: 'ended' });
    clock.advance(1);
    runs.observe(F('pretooluse-bash'));
    expect(runs.run(SID)).toMatchObject({ status: 'active', activations: 2 });
  });

  it('Claude Code killed (no SessionEnd): the idle timeout ends an active run and a waiting one', () => {
    const { runs, clock, log } = tracker();
    runs.observe({ hook_event_name: 'UserPromptSubmit', session_id: 'killed-mid-turn', cwd: '/a' });
    runs.observe({ hook_event_name: 'UserPromptSubmit', session_id: 'killed-between-turns', cwd: '/b' });
    runs.observe({ hook_event_name: 'Stop', session_id: 'killed-between-turns', cwd: '/b' });
    clock.advance(60_000);
    expect(runs.runsList().map((r) => [r.sessionId, r.status, r.endReason])).toEqual(
      expect.arrayContaining([['killed-mid-turn', 'ended', 'idle'], ['killed-between-turns', 'ended', 'idle']]),
    );
    expect(log()).toEqual(['started:killed-mid-turn', 'started:killed-between-turns', 'waiting:killed-between-turns', 'ended:killed-mid-turn:idle', 'ended:killed-between-turns:idle']);
    expect(clock.pending).toBe(0);
  });

  it('two sequential short sessions leave no run active or waiting', () => {
    const { runs } = tracker();
    for (const id of ['short-1', 'short-2']) {
      for (const event of ['SessionStart', 'UserPromptSubmit', 'Stop', 'SessionEnd']) runs.observe({ hook_event_name: event, session_id: id, cwd: '/w' });
    }
    expect(runs.activeRuns()).toEqual([]);
    expect(runs.runsList().map((r) => r.status)).toEqual(['ended', 'ended']);
  });

  it('Stop with background tasks still running keeps the run active', () => {
    const { runs } = tracker();
    runs.observe(F('sessionstart-startup'));
    runs.observe({ ...F('stop'), background_tasks: [{ id: 'bg1' }] });
    expect(runs.activeRuns()).toHaveLength(1);
  });

  it('a Notification (e.g. idle prompt) neither starts nor resumes a run, but keeps an active one alive', () => {
    const { runs, clock } = tracker();
    runs.observe(F('notification-permission-prompt'));
    expect(runs.activeRuns()).toEqual([]);
    runs.observe(F('sessionstart-startup'));
    clock.advance(50_000);
    runs.observe(F('notification-permission-prompt'));
    clock.advance(50_000);
    expect(runs.activeRuns()).toHaveLength(1);
  });

  it('ends an idle run after the timeout, counted from its latest event', () => {
    const { runs, clock, log } = tracker();
    runs.observe(F('sessionstart-startup'));
    clock.advance(40_000);
    runs.observe(F('pretooluse-bash'));
    clock.advance(59_000);
    expect(runs.activeRuns()).toHaveLength(1);
    clock.advance(1_000);
    expect(runs.activeRuns()).toEqual([]);
    expect(log()).toEqual([`started:${SID}`, `ended:${SID}:idle`]);
    expect(clock.pending).toBe(0);
  });

  it('reads a configurable idle timeout at each arming', () => {
    let idle = 10_000;
    const { runs, clock } = tracker({ idleTimeoutMs: () => idle });
    runs.observe(F('sessionstart-startup'));
    idle = 5_000;
    clock.advance(10_000);
    expect(runs.activeRuns()).toEqual([]);
  });

  it('tracks several runs independently', () => {
    const { runs } = tracker();
    runs.observe({ hook_event_name: 'SessionStart', session_id: 'a', cwd: '/a' });
    runs.observe({ hook_event_name: 'UserPromptSubmit', session_id: 'b', cwd: '/b' });
    runs.observe({ hook_event_name: 'SessionEnd', session_id: 'a', cwd: '/a' });
    expect(runs.activeRuns().map((r) => r.sessionId)).toEqual(['b']);
  });

  it('ignores malformed payloads and unknown sessions ending', () => {
    const { runs, log } = tracker();
    runs.observe({ hook_event_name: 'SessionStart', session_id: '' });
    runs.observe(null as unknown as HookObservation);
    runs.observe({ session_id: 'x' } as HookObservation);
    runs.observe({ hook_event_name: 'SessionEnd', session_id: 'never-started' });
    expect(log()).toEqual([]);
    expect(runs.runsList()).toEqual([]);
  });

  it('remembers a bounded number of ended runs, and says which it forgets', () => {
    const { runs, log } = tracker({ keepEndedRuns: 2 });
    for (const id of ['r1', 'r2', 'r3']) {
      runs.observe({ hook_event_name: 'SessionStart', session_id: id });
      runs.observe({ hook_event_name: 'SessionEnd', session_id: id });
    }
    expect(runs.runsList().map((r) => r.sessionId).sort()).toEqual(['r2', 'r3']);
    expect(log()).toContain('forgotten:r1:session-end');
  });

  it('close() ends active and waiting runs (shutdown) and cancels the timers; a listener that throws harms no one', () => {
    const { runs, clock, log } = tracker();
    runs.onChange(() => {
      throw new Error('listener bug');
    });
    runs.observe(F('sessionstart-startup'));
    runs.observe({ hook_event_name: 'UserPromptSubmit', session_id: 'w', cwd: '/w' });
    runs.observe({ hook_event_name: 'Stop', session_id: 'w', cwd: '/w' });
    runs.close();
    expect(log()).toEqual([`started:${SID}`, 'started:w', 'waiting:w', `ended:${SID}:shutdown`, 'ended:w:shutdown']);
    expect(clock.pending).toBe(0);
    runs.observe(F('pretooluse-write'));
    expect(runs.activeRuns()).toEqual([]);
  });
});

describe('announced paths', () => {
  it('keeps the paths tool calls name, canonical, for the linking window', () => {
    const { runs, clock } = tracker({ announceTtlMs: 120_000, idleTimeoutMs: 600_000 });
    runs.observe(F('pretooluse-write'));
    expect(runs.announced(SID)).toEqual([{ path: '/Users/dana.kovac/work/payments-api/src/refunds/retryPolicy.ts', toolUseId: 'toolu_01Bv6sNq4XeL8mRt2WcK9Hd7', toolName: 'Write', at: clock.t }]);
    clock.advance(100_000);
    runs.observe(F('posttooluse-write')); // refreshes the same call's path
    clock.advance(100_000);
    expect(runs.announced(SID)).toHaveLength(1);
    clock.advance(30_000);
    expect(runs.announced(SID)).toEqual([]);
  });

  it('relative paths resolve against the payload cwd; Bash targets are announced; opaque input is not', () => {
    const { runs } = tracker();
    runs.observe({ hook_event_name: 'PreToolUse', session_id: 's', cwd: '/w', tool_name: 'Write', tool_input: { file_path: 'rel/a.txt' }, tool_use_id: 't1' });
    runs.observe({ hook_event_name: 'PreToolUse', session_id: 's', cwd: '/w', tool_name: 'Bash', tool_input: { command: 'rm -rf /tmp/build-out' }, tool_use_id: 't2' });
    runs.observe({ hook_event_name: 'PreToolUse', session_id: 's', cwd: '/w', tool_name: 'WebFetch', tool_input: { url: 'https://x' }, tool_use_id: 't3' });
    runs.observe({ hook_event_name: 'PreToolUse', session_id: 's', cwd: '/w', tool_name: 'Write', tool_input: { file_path: 42 }, tool_use_id: 't4' });
    expect(runs.announced('s').map((a) => [a.toolUseId, a.path])).toEqual([['t1', '/w/rel/a.txt'], ['t2', '/tmp/build-out']]);
    expect(runs.activeRunViews()).toMatchObject([{ sessionId: 's', cwd: '/w', announced: [{ toolUseId: 't1' }, { toolUseId: 't2' }] }]);
  });

  it('without a tool_use_id (PermissionRequest) nothing is linkable', () => {
    const { runs } = tracker();
    runs.observe(F('permissionrequest-bash'));
    expect(runs.activeRuns()).toHaveLength(1);
    expect(runs.announced(SID)).toEqual([]);
  });

  it('keeps at most maxAnnouncedPerRun, dropping the oldest; clears them when the run ends', () => {
    const { runs } = tracker({ maxAnnouncedPerRun: 3 });
    for (let i = 0; i < 5; i++) runs.observe({ hook_event_name: 'PreToolUse', session_id: 's', cwd: '/w', tool_name: 'Write', tool_input: { file_path: `/w/${i}` }, tool_use_id: `t${i}` });
    expect(runs.announced('s').map((a) => a.toolUseId)).toEqual(['t2', 't3', 't4']);
    runs.observe({ hook_event_name: 'SessionEnd', session_id: 's' });
    expect(runs.announced('s')).toEqual([]);
  });
});
