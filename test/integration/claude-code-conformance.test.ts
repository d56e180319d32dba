// Conformance against the real client: Claude Code (the pinned @anthropic-ai/claude-code devDependency)
// runs headless in a temp HOME wired by `cowork-companion connect claude-code`, against a scripted
// Messages-API stand-in (test/support/messages-api-standin.ts) and the real core. What it proves is
// what only the real client shows: the hooks connect writes are accepted and called as we assume,
// a policy allow lets the file reach the model, a deny reaches the model with the companion's reason,
// a pending Bash approved through the UI contract runs, SessionEnd ends the run, Claude Code's own
// bookkeeping under ~/.claude raises no alert, and an unreachable companion blocks the deciding call.
//
// The client and how it is run: test/support/claude-code-harness.ts. Skipped (with the reason printed)
// only when the client is not found or does not run here.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { claude, conversation, diagnosis, PINNED, removeDebugLogs, runClaude, unwire, wire, type ClaudeRun } from '../support/claude-code-harness.js';
import { startMessagesApiStandin, toolResultText, type MessagesApiStandin } from '../support/messages-api-standin.js';
import type { TestCore } from '../support/start-core.js';

const timings: string[] = [];
if (!claude.bin) console.warn(`SKIPPED claude-code conformance: ${claude.reason}`);
afterAll(() => {
  removeDebugLogs();
  if (timings.length) console.info(`claude-code conformance timings: ${timings.join(', ')}`);
});

/** The companion stopped, Claude Code asked to read the secret note: its tool result for `id`. */
async function readNotesWithCompanionDown(t: TestCore, home: string, id: string, label: string) {
  await t.core.close();
  const api = await startMessagesApiStandin(conversation([{ toolUse: { id, name: 'Read', input: { file_path: join(t.projectDir, 'src', 'refunds', 'notes.md') } } }, { text: 'done' }]));
  const run = await runClaude({ home, cwd: t.projectDir, api, prompt: 'Read the notes.' });
  timings.push(`${label} ${run.ms} ms`);
  return { api, blocked: api.toolResults().get(id), diag: diagnosis(run, home) };
}

describe.skipIf(!claude.bin)(`Claude Code ${PINNED} (real client) with the companion`, () => {
  let t: TestCore;
  let home: string;
  let api: MessagesApiStandin | undefined;

  beforeAll(async () => {
    ({ t, home } = await wire(['--no-sandbox']));
  }, 30_000);

  afterAll(() => unwire(t, home, api));

  it('decides every tool call: in-scope Read reaches the model, out-of-scope Write is denied with the reason, a pending Bash approved in the UI runs, SessionEnd ends the run, no alert about ~/.claude', async () => {
    const file = join(t.projectDir, 'src', 'refunds', 'notes.md');
    const outside = join(home, 'Documents', 'exfil.txt');
    const command = 'printf "conformance-%s\\n" $((6*7)) > bash-out.txt; cat bash-out.txt';
    api = await startMessagesApiStandin(
      conversation([
        { toolUse: { id: 'toolu_conform_read', name: 'Read', input: { file_path: file } } },
        { toolUse: { id: 'toolu_conform_write', name: 'Write', input: { file_path: outside, content: 'leaked' } } },
        { toolUse: { id: 'toolu_conform_bash', name: 'Bash', input: { command, description: 'Write and show a file' } } },
        { text: 'done' },
      ]),
    );

    // The Bash call waits for a person: approve it through the UI contract as soon as it is pending.
    let approved: string | undefined;
    let approveError: unknown;
    const approver = setInterval(() => {
      const item = t.core.getSnapshot().pending.find((p) => p.toolName === 'Bash' && p.agentWaiting);
      if (!item || approved) return;
      approved = item.id;
      t.core.callUi('approve', { id: item.id, contentHash: item.contentHash }).catch((error: unknown) => (approveError = error));
    }, 25);
    let run: ClaudeRun;
    try {
      run = await runClaude({ home, cwd: t.projectDir, api, prompt: 'Read the notes, save a copy, then run the script.' });
    } finally {
      clearInterval(approver);
    }
    timings.push(`main run ${run.ms} ms`);
    const diag = `${diagnosis(run, home)}\nrequests: ${api.requests.length}`;
    expect(run.code, diag).toBe(0);
    const result = run.events.find((e) => e['type'] === 'result');
    expect(result, diag).toMatchObject({ subtype: 'success', result: 'done' });
    const results = api.toolResults();

    // (a) The in-scope Read: allowed by policy, and the file's content reached the model.
    const read = results.get('toolu_conform_read');
    expect(read?.is_error ?? false, diag).toBe(false);
    expect(toolResultText(read)).toContain('conformance-secret-4711');
    const snap = t.core.getSnapshot();
    expect(snap.recent).toEqual(expect.arrayContaining([expect.objectContaining({ toolName: 'Read', decision: 'allow', source: 'policy' })]));

    // (b) The out-of-scope Write: denied, the companion's reason in the tool_result, nothing written.
    const write = results.get('toolu_conform_write');
    expect(write?.is_error, diag).toBe(true);
    const writeDecision = snap.recent.find((d) => d.toolName === 'Write');
    expect(writeDecision).toMatchObject({ decision: 'deny', source: 'policy' });
    expect(writeDecision?.reason).toBeTruthy();
    expect(toolResultText(write)).toContain(writeDecision!.reason!);
    expect(existsSync(outside)).toBe(false);

    // (f) The Bash call was pending, approved through the UI contract, and ran.
    expect(approved, diag).toBeDefined();
    expect(approveError).toBeUndefined();
    expect(snap.recent).toEqual(expect.arrayContaining([expect.objectContaining({ approvalId: approved, toolName: 'Bash', decision: 'allow' })]));
    const bash = results.get('toolu_conform_bash');
    expect(bash?.is_error ?? false, diag).toBe(false);
    expect(toolResultText(bash)).toContain('conformance-42');
    expect(readFileSync(join(t.projectDir, 'bash-out.txt'), 'utf8')).toBe('conformance-42\n');

    // (c) The run ended when Claude Code exited (SessionEnd), not by idling out.
    const sessionId = (run.events.find((e) => e['type'] === 'system' && e['subtype'] === 'init') as { session_id?: string } | undefined)?.session_id;
    expect(sessionId, diag).toBeTruthy();
    await vi.waitFor(() => expect(t.core.getSnapshot().runs.find((r) => r.sessionId === sessionId)).toMatchObject({ status: 'ended', endReason: 'session-end' }), { timeout: 5000, interval: 25 });

    // (d) Claude Code's own bookkeeping under ~/.claude (and ~/.claude.json) raised no alert.
    await new Promise((r) => setTimeout(r, 300));
    const after = t.core.getSnapshot();
    expect(after.integrity.alerts).toEqual([]);
    const aboutClaude = after.alerts.filter((a) => a.path.startsWith(join(home, '.claude')));
    expect(aboutClaude).toEqual([]);
    expect(after.runs.find((r) => r.sessionId === sessionId)?.outOfScope).toBe(0);
    // Not vacuous: the watcher saw that bookkeeping while the run was active and counted it as such.
    const manifest = await t.core.callUi('exportManifest', { sessionId: sessionId! });
    expect(manifest.totals.clientBookkeeping).toBeGreaterThan(0);
    if (process.env['CONFORM_KEEP']) console.info(`write tool_result: ${toolResultText(write)}`);
  }, 45_000);

  it('companion down: the deciding call is blocked (onFailure: block), the file never reaches the model', async () => {
    await api?.close();
    let blocked, diag;
    ({ api, blocked, diag } = await readNotesWithCompanionDown(t, home, 'toolu_conform_down', 'companion-down run'));
    expect(blocked?.is_error, diag).toBe(true);
    expect(toolResultText(blocked)).toMatch(/^PreToolUse:Read hook error: .*onFailure/);
    expect(toolResultText(blocked)).not.toContain('conformance-secret-4711');
    if (process.env['CONFORM_KEEP']) console.info(`blocked tool_result: ${toolResultText(blocked)}`);
  }, 45_000);
});

describe.skipIf(!claude.bin)(`Claude Code ${PINNED} (real client) with command hooks throughout (the bash client)`, () => {
  let t: TestCore;
  let home: string;
  let api: MessagesApiStandin | undefined;

  beforeAll(async () => {
    ({ t, home } = await wire(['--command-hooks', '--hook-client', 'bash']));
    const settings = JSON.parse(readFileSync(join(home, '.claude', 'settings.json'), 'utf8')) as { hooks: Record<string, { hooks: { type: string; command?: string }[] }[]> };
    for (const [event, groups] of Object.entries(settings.hooks)) {
      expect(groups[0]!.hooks[0], event).toMatchObject({ type: 'command', command: expect.stringContaining('cowork-companion-hook') });
    }
  }, 30_000);

  afterAll(() => unwire(t, home, api));

  it('decides through the bash client: the in-scope Read reaches the model, the out-of-scope Write is denied with the reason', async () => {
    const outside = join(home, 'Documents', 'exfil.txt');
    api = await startMessagesApiStandin(
      conversation([
        { toolUse: { id: 'toolu_sh_read', name: 'Read', input: { file_path: join(t.projectDir, 'src', 'refunds', 'notes.md') } } },
        { toolUse: { id: 'toolu_sh_write', name: 'Write', input: { file_path: outside, content: 'leaked' } } },
        { text: 'done' },
      ]),
    );
    const run = await runClaude({ home, cwd: t.projectDir, api, prompt: 'Read the notes, then save a copy.' });
    timings.push(`bash-client run ${run.ms} ms`);
    const diag = diagnosis(run, home);
    expect(run.code, diag).toBe(0);
    const results = api.toolResults();
    expect(results.get('toolu_sh_read')?.is_error ?? false, diag).toBe(false);
    expect(toolResultText(results.get('toolu_sh_read'))).toContain('conformance-secret-4711');
    const write = results.get('toolu_sh_write');
    expect(write?.is_error, diag).toBe(true);
    const reason = t.core.getSnapshot().recent.find((d) => d.toolName === 'Write')?.reason;
    expect(reason).toBeTruthy();
    expect(toolResultText(write)).toContain(reason!);
    expect(existsSync(outside)).toBe(false);
    // SessionStart and SessionEnd came through the command hook too: the run began and ended.
    const sessionId = (run.events.find((e) => e['type'] === 'system' && e['subtype'] === 'init') as { session_id?: string } | undefined)?.session_id;
    await vi.waitFor(() => expect(t.core.getSnapshot().runs.find((r) => r.sessionId === sessionId)).toMatchObject({ status: 'ended', endReason: 'session-end' }), { timeout: 5000, interval: 25 });
  }, 45_000);

  it('companion down: the bash client denies the deciding call with its reason, the file never reaches the model', async () => {
    await api?.close();
    let blocked, diag;
    ({ api, blocked, diag } = await readNotesWithCompanionDown(t, home, 'toolu_sh_down', 'bash-client companion-down run'));
    expect(blocked?.is_error, diag).toBe(true);
    expect(toolResultText(blocked)).toMatch(/Cowork Companion: the companion is not running or not set up .*ask the user to start Cowork Companion/);
    expect(toolResultText(blocked)).not.toContain('conformance-secret-4711');
  }, 45_000);
});
