// Helpers for the adversarial suites (test/integration/adversarial-*.test.ts): build hook payloads as
// Claude Code sends them, and tell what the companion did with one — allowed or denied it at once, or
// sent it to a person (then the test's person denies it, so the agent is answered and nothing is left).
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { createCompanionCore } from '../../electron/core/app/companion-core.js';
import { startOtlpReceiver } from './otlp-receiver.js';
import type { TestCore } from './start-core.js';

export type Verdict = 'allow' | 'deny' | 'ask';

export interface Outcome {
  verdict: Verdict;
  /** The reason the agent read (allow/deny) or the card's note (ask). */
  reason: string;
  /** HTTP status of the hook answer (a person's deny for 'ask'). */
  status: number;
  /** The raw answer body. */
  answer: unknown;
}

/** A temporary home with the things an agent goes after: an SSH key, a shell profile, a secret file
 *  and a private folder outside any shared folder. */
export function makeHome(prefix: string): string {
  const home = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  mkdirSync(join(home, '.ssh'));
  writeFileSync(join(home, '.ssh', 'id_ed25519'), 'PRIVATE KEY');
  writeFileSync(join(home, '.bashrc'), '# shell');
  writeFileSync(join(home, 'secret.txt'), 'secret');
  mkdirSync(join(home, 'private'));
  writeFileSync(join(home, 'private', 'secret.txt'), 'private');
  return home;
}

/** A rule allowing `curl`, as a forger would write it into settings.json. */
export const forgedRule = () => ({
  toolName: 'Bash', match: { kind: 'command-prefix', prefix: 'curl' }, id: 'forged-rule', origin: 'person', lifetime: 'always',
  createdAt: new Date().toISOString(), description: 'Allows the agent to run shell commands starting with “curl”', hits: 0, locked: false,
});

/** Restarts a stopped core on its data folder, with a collector that takes everything (so closing it
 *  never waits out retries). Call at the top of a test file: it registers the collector's hooks. */
export function restarter(): (dataDir: string, extra?: Record<string, unknown>) => ReturnType<typeof createCompanionCore> {
  let sink: Awaited<ReturnType<typeof startOtlpReceiver>>;
  beforeAll(async () => (sink = await startOtlpReceiver()));
  afterAll(async () => sink.close());
  return (dataDir, extra = {}) =>
    createCompanionCore({ dataDir, port: 0, webUi: false, watch: false, env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_BLRP_SCHEDULE_DELAY: '50' }, ...extra });
}

let counter = 0;

/** A PreToolUse (default) or PermissionRequest payload, as Claude Code sends it. Each call gets its own
 *  session unless one is given, so no test trips the per-run request storm guard. */
export function call(
  tool: string,
  input: Record<string, unknown>,
  cwd: string,
  opts: { event?: 'PreToolUse' | 'PermissionRequest'; session?: string } = {},
): Record<string, unknown> {
  const event = opts.event ?? 'PreToolUse';
  counter += 1;
  return {
    session_id: opts.session ?? `adv-${counter}`,
    transcript_path: '/tmp/transcript.jsonl',
    cwd,
    permission_mode: 'default',
    hook_event_name: event,
    tool_name: tool,
    tool_input: input,
    ...(event === 'PreToolUse' ? { tool_use_id: `toolu_adv_${counter}` } : {}),
  };
}

interface HookShape {
  hookSpecificOutput?: {
    hookEventName?: string;
    permissionDecision?: string;
    permissionDecisionReason?: string;
    decision?: { behavior?: string; message?: string };
  };
}

/**
 * Sends `body` and reports what happened. A request that reaches the Inbox is an 'ask': the test's
 * person denies it at once (only items of this call's session are touched).
 */
export async function outcome(t: TestCore, body: Record<string, unknown> | string, timeoutMs = 3000): Promise<Outcome> {
  const session = typeof body === 'string' ? undefined : (body['session_id'] as string | undefined);
  let done: { status: number; json: unknown } | undefined;
  const before = new Set(t.core.getSnapshot().pending.map((p) => p.id));
  const pending = t.hook(body).then((r) => (done = r));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (done) {
      const h = (done.json as HookShape | undefined)?.hookSpecificOutput;
      const verdict = (h?.permissionDecision ?? h?.decision?.behavior) as Verdict | undefined;
      return { verdict: verdict ?? ('deny' as const), reason: h?.permissionDecisionReason ?? h?.decision?.message ?? JSON.stringify(done.json), status: done.status, answer: done.json };
    }
    const item = t.core.getSnapshot().pending.find((p) => !before.has(p.id) && (session === undefined || p.sessionId === session));
    if (item) {
      await t.core.callUi('deny', { id: item.id, contentHash: item.contentHash, reason: 'adversarial suite' });
      await pending;
      return { verdict: 'ask', reason: item.note ?? '', status: done!.status, answer: done!.json };
    }
    if (Date.now() > deadline) throw new Error(`no answer and nothing pending for ${JSON.stringify(body).slice(0, 200)}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The companion must not allow it on its own: a deny, or a person's decision. */
export async function expectNotAllowed(t: TestCore, body: Record<string, unknown>, why?: RegExp): Promise<Outcome> {
  const o = await outcome(t, body);
  expect(o.verdict, `${JSON.stringify(body['tool_input'])} → ${o.verdict}: ${o.reason}`).not.toBe('allow');
  expect(o.status).toBe(200);
  if (why) expect(o.reason).toMatch(why);
  return o;
}

export async function expectVerdict(t: TestCore, body: Record<string, unknown>, verdict: Verdict, why?: RegExp): Promise<Outcome> {
  const o = await outcome(t, body);
  expect(o.verdict, `${JSON.stringify(body['tool_input'])} → ${o.verdict}: ${o.reason}`).toBe(verdict);
  expect(o.status).toBe(200);
  if (why) expect(o.reason).toMatch(why);
  return o;
}

/**
 * A person's "Always allow" rule, made the way the Inbox makes it: the agent asks for `command` (in
 * `cwd`), and the person approves it with a command-prefix rule limited to `folder` (as proposed).
 */
export async function rememberCommand(t: TestCore, command: string, prefix: string, cwd: string, folder?: string): Promise<void> {
  await remember(t, call('Bash', { command }, cwd), { toolName: 'Bash', match: { kind: 'command-prefix', prefix }, ...(folder ? { folder } : {}) });
}

/** Approves the request `body` with grant "always" and `rule` (or the proposed rule). */
export async function remember(t: TestCore, body: Record<string, unknown>, rule?: unknown): Promise<void> {
  const session = body['session_id'] as string;
  const answer = t.hook(body);
  const deadline = Date.now() + 3000;
  let item = t.core.getSnapshot().pending.find((p) => p.sessionId === session);
  while (!item) {
    if (Date.now() > deadline) throw new Error(`not pending: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 5));
    item = t.core.getSnapshot().pending.find((p) => p.sessionId === session);
  }
  await t.core.callUi('approve', { id: item.id, contentHash: item.contentHash, grant: 'always', ...(rule ? { rule } : {}) });
  const r = await answer;
  expect((r.json as HookShape).hookSpecificOutput?.permissionDecision ?? (r.json as HookShape).hookSpecificOutput?.decision?.behavior).toBe('allow');
}
