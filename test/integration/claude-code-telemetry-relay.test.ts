// The real Claude Code (pinned CLI) wired by `cowork-companion connect claude-code`: its own OTel logs
// (claude_code.tool_decision, tool_result, …) come through the companion's relay into the journal,
// joined by session.id (and tool_use_id) to the companion's decisions about the same calls, and go on to
// the organisation's collector (a real receiver) with them. Also measured: how long after the run they
// arrive; and that the agent token in the settings' env does not reach the agent's Bash commands.
//
// The client and how it is run: test/support/claude-code-harness.ts. Skipped (with the reason printed)
// only when the client is not found or does not run here.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { sandboxSupport } from '../../electron/core/clients/index.js';
import { claude, conversation, diagnosis, PINNED, removeDebugLogs, runClaude, unwire, wire } from '../support/claude-code-harness.js';
import { journalEvents } from '../support/fixtures.js';
import { CLI } from '../support/serve-process.js';
import { startMessagesApiStandin, type MessagesApiStandin } from '../support/messages-api-standin.js';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import type { TestCore } from '../support/start-core.js';

if (!claude.bin) console.warn(`SKIPPED claude-code telemetry relay: ${claude.reason}`);
const sandbox = sandboxSupport(process.platform);
if (claude.bin && !sandbox.ok) console.warn(`SKIPPED claude-code telemetry relay with the sandbox: ${sandbox.reason} (${sandbox.fix})`);
const timings: string[] = [];
afterAll(() => {
  removeDebugLogs();
  if (timings.length) console.info(`claude-code ${PINNED} telemetry relay timings: ${timings.join(', ')}`);
});

describe.skipIf(!claude.bin)(`Claude Code ${PINNED} (real client): its own telemetry through the relay`, () => {
  let t: TestCore | undefined;
  let home: string | undefined;
  let api: MessagesApiStandin | undefined;
  let receiver: OtlpReceiver | undefined;
  afterEach(async () => {
    await unwire(t, home, api);
    await receiver?.close();
  });

  // With the sandbox every hook is a command hook (its proxy refuses loopback); the telemetry exporter
  // runs in Claude Code's own process, outside it.
  const claim = "points it at the relay: its tool_decision and tool_result join the companion's decisions by session.id and tool_use_id, in the journal and at the collector";
  it(`connect (http hooks, no sandbox) ${claim}`, () => relayedRun('http hooks, no sandbox', ['--no-sandbox']), 90_000);
  it.skipIf(!sandbox.ok)(`connect (the Bash sandbox on) ${claim}`, () => relayedRun('the Bash sandbox on', []), 90_000);

  async function relayedRun(label: string, args: string[]): Promise<void> {
    receiver = await startOtlpReceiver();
    ({ t, home } = await wire([...args], {}, { otlpUrl: receiver.url, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BLRP_SCHEDULE_DELAY: '50' } }));
    const env = (JSON.parse(readFileSync(join(home, '.claude', 'settings.json'), 'utf8')) as { env: Record<string, string> }).env;
    expect(env['OTEL_EXPORTER_OTLP_LOGS_ENDPOINT']).toBe(`${t.core.agentApiUrl}/v1/logs`);

    const file = join(t.projectDir, 'src', 'refunds', 'notes.md');
    api = await startMessagesApiStandin(
      conversation([
        { toolUse: { id: 'toolu_relay_read', name: 'Read', input: { file_path: file } } },
        { toolUse: { id: 'toolu_relay_env', name: 'Bash', input: { command: 'env', description: 'Show the environment' } } },
        { text: 'done' },
      ]),
    );
    // The Bash call waits for a person: approved through the UI contract as soon as it is pending.
    const approver = setInterval(() => {
      const item = t!.core.getSnapshot().pending.find((p) => p.toolName === 'Bash' && p.agentWaiting);
      if (item) void t!.core.callUi('approve', { id: item.id, contentHash: item.contentHash }).catch(() => undefined);
    }, 25);
    let run;
    try {
      run = await runClaude({ home, cwd: t.projectDir, api, prompt: 'Read the notes, then show the environment.' });
    } finally {
      clearInterval(approver);
    }
    const exited = Date.now();
    const diag = diagnosis(run, home);
    expect(run.code, diag).toBe(0);
    const results = api.toolResults();
    expect(JSON.stringify(results.get('toolu_relay_read')), diag).toContain('conformance-secret-4711');
    // Claude Code keeps OTEL_* out of its tools' environment: the token in the settings' env stays there.
    const envOut = JSON.stringify(results.get('toolu_relay_env'));
    expect(envOut, diag).toContain('CLAUDECODE=1');
    expect(envOut).not.toContain(t.agentToken);
    expect(envOut).not.toContain('OTEL_EXPORTER_OTLP_LOGS_HEADERS');

    // Its own records in the journal, as agent.log, joined to the companion's decision on the Read.
    const decided = (await journalEvents(t.dataDir)).find((e) => e.name === 'approval.decided' && e.attributes['tool_use_id'] === 'toolu_relay_read');
    expect(decided, 'the companion decided the Read').toBeDefined();
    const session = decided!.attributes['session.id'];
    const agentLogs = async () => (await journalEvents(t!.dataDir)).filter((e) => e.name === 'agent.log' && e.attributes['session.id'] === session);
    await expect.poll(async () => (await agentLogs()).some((e) => e.attributes['event.name'] === 'tool_result' && e.attributes['tool_use_id'] === 'toolu_relay_read'), { timeout: 20_000 }).toBe(true);
    timings.push(`${label}: in the journal ${Date.now() - exited} ms after the run (${run.ms} ms)`);
    const logs = await agentLogs();
    expect(logs.find((e) => e.attributes['event.name'] === 'tool_decision' && e.attributes['tool_use_id'] === 'toolu_relay_read')?.attributes).toMatchObject({
      'relay.source': 'claude-code',
      'agent.decision': 'accept',
      source: 'hook',
    });
    expect(logs.find((e) => e.attributes['event.name'] === 'tool_result' && e.attributes['tool_use_id'] === 'toolu_relay_read')?.attributes).toMatchObject({ success: 'true' });

    // The run's story from the Timeline index (`cowork-companion timeline --session S --json`): the
    // companion's decisions and Claude Code's own events of the one session.
    const timeline = spawnSync(process.execPath, [CLI, 'timeline', '--data-dir', t.dataDir, '--session', String(session), '--json'], { encoding: 'utf8', timeout: 20_000 });
    expect(timeline.status, timeline.stderr).toBe(0);
    const story = JSON.stringify(JSON.parse(timeline.stdout));
    expect(story).toContain('approval.decided');
    expect(story).toContain('agent.log');
    expect(story).toContain('tool_result');

    // And at the organisation's collector, beside the companion's own records of the same session.
    await receiver.waitFor((rs) => rs.some((r) => r.eventName === 'agent.log' && r.attributes['session.id'] === session && r.attributes['event.name'] === 'tool_result'), 20_000);
    timings.push(`at the collector ${Date.now() - exited} ms after the run`);
    expect(receiver.records.some((r) => r.eventName === 'approval.decided' && r.attributes['session.id'] === session)).toBe(true);
    expect(JSON.stringify(receiver.records)).not.toContain(t.agentToken);
  }
});
