// The real Claude Code (pinned CLI) with the generated managed settings sending its telemetry to IT's
// collector (a real receiver here) while the user's settings still hold what `connect` writes for the
// companion's relay: the managed file pins the header lists empty, so the agent token in the user's
// OTEL_EXPORTER_OTLP_LOGS_HEADERS does not go to the collector. The same settings without those pins
// show that it would (Claude Code resolves `env` key by key, the most trusted source winning), and that
// an empty value counts as no header list at all.
//
// As in claude-managed-settings.test.ts, the generated file is given with `--settings FILE` (the
// command-line source, above user and project settings): a test must not write /etc/claude-code.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { relayTelemetryEnv } from '../../electron/core/clients/index.js';
import { claudeManagedSettingsFor } from '../../electron/core/deploy/index.js';
import { ManagedPolicySchema } from '../../shared/managed-policy-contract.js';
import { claude, conversation, diagnosis, PINNED, removeDebugLogs, runClaude } from '../support/claude-code-harness.js';
import { startMessagesApiStandin, type MessagesApiStandin } from '../support/messages-api-standin.js';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';

if (!claude.bin) console.warn(`SKIPPED claude-code managed telemetry headers: ${claude.reason}`);

describe.skipIf(!claude.bin)(`Claude Code ${PINNED} (real client): managed telemetry and the user's relay header list`, () => {
  const TOKEN = 'agent-token-that-must-stay-local-0123456789abc';
  let dir: string | undefined;
  let api: MessagesApiStandin | undefined;
  let collector: OtlpReceiver | undefined;
  afterEach(async () => {
    await api?.close();
    await collector?.close();
    removeDebugLogs();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** One headless run with `managed` as the --settings file; the Authorization headers IT's collector got. */
  async function authorizationAtCollector(pinned: boolean): Promise<(string | undefined)[]> {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'cc-managed-otel-')));
    const home = join(dir, 'home');
    const cwd = join(dir, 'project');
    mkdirSync(join(home, '.claude'), { recursive: true });
    mkdirSync(cwd);
    collector = await startOtlpReceiver();
    // The user's file as connect leaves it (the relay's port is never listened on: only the header matters).
    writeFileSync(join(home, '.claude', 'settings.json'), JSON.stringify({ env: relayTelemetryEnv({ endpoint: 'http://127.0.0.1:9/v1/logs', token: TOKEN }) }));
    const managed = claudeManagedSettingsFor(ManagedPolicySchema.parse({ claudeCode: { telemetry: true, otlpEndpoint: collector.url } }), { platform: 'linux' });
    // Only the env matters here: the hooks would call a client that is not installed.
    const env: Record<string, string> = { ...(managed['env'] as Record<string, string>), OTEL_LOGS_EXPORT_INTERVAL: '100', OTEL_METRICS_EXPORTER: 'none' };
    if (!pinned) {
      delete env['OTEL_EXPORTER_OTLP_HEADERS'];
      delete env['OTEL_EXPORTER_OTLP_LOGS_HEADERS'];
    }
    const file = join(dir, 'managed.json');
    writeFileSync(file, JSON.stringify({ env }));
    api = await startMessagesApiStandin(conversation([{ text: 'done' }]));
    const run = await runClaude({ home, cwd, api, prompt: 'Go.', args: ['--settings', file] });
    expect(run.code, diagnosis(run, home)).toBe(0);
    await collector.waitFor((records) => records.length > 0, 10_000);
    return collector.requests.filter((r) => r.path === '/v1/logs').map((r) => r.headers['authorization']);
  }

  it('the generated managed settings keep the agent token in the user\'s header list away from IT\'s collector', async () => {
    const sent = await authorizationAtCollector(true);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((a) => a === undefined)).toBe(true);
  }, 60_000);

  it('without the pins the user\'s header list (with the token) would go along to the collector', async () => {
    const sent = await authorizationAtCollector(false);
    expect(sent).toContain(`Bearer ${TOKEN}`);
  }, 60_000);
});
