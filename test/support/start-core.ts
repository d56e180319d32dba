// Starts a real core (loopback server, journal, OTLP exporter) in a fresh temp data dir.
import { mkdtempSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCompanionCore } from '../../electron/core/app/companion-core.js';
import type { CompanionCore, CompanionCoreOptions } from '../../electron/core/app/companion-core-types.js';
import { rawRequest, type RawResponse } from './http-client.js';
import { startOtlpReceiver } from './otlp-receiver.js';

export interface TestCore {
  core: CompanionCore;
  dataDir: string;
  /** A real project folder (shared read-write unless `share: false`). */
  projectDir: string;
  agentToken: string;
  uiToken: string;
  /** POST a hook payload as Claude Code's http hook would. */
  hook(body: unknown, headers?: Record<string, string>): Promise<RawResponse>;
  /** Call a UI contract method over the web transport. */
  ui(method: string, body: unknown, token?: string): Promise<RawResponse>;
  waitForPending(count: number, timeoutMs?: number): Promise<void>;
  dispose(): Promise<void>;
}

export async function startTestCore(
  opts: { otlpUrl?: string; budgetMs?: number; prepare?: (dataDir: string) => void; share?: 'read' | 'read-write' | false } & Partial<CompanionCoreOptions> = {},
): Promise<TestCore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cc-core-'));
  const projectDir = realpathSync(mkdtempSync(join(tmpdir(), 'cc-project-')));
  mkdirSync(join(projectDir, 'src', 'refunds'), { recursive: true });
  const staticDir = join(dataDir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>test</title>');
  opts.prepare?.(dataDir);
  // Without a test receiver, a collector that accepts everything (an unreachable one would make
  // every shutdown wait out the exporter's retries).
  const sink = opts.otlpUrl ? undefined : await startOtlpReceiver();
  const core = await createCompanionCore({
    dataDir,
    port: 0,
    decisionBudgetMs: opts.budgetMs ?? 10_000,
    // Tests that watch files opt in with a temp home; the others must not watch the machine's home.
    watch: false,
    webUi: { staticDir },
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: opts.otlpUrl ?? sink!.url, OTEL_BLRP_SCHEDULE_DELAY: '50' },
    ...opts,
  });
  if (opts.share !== false) await core.callUi('addSharedFolder', { path: projectDir, mode: opts.share ?? 'read-write' });
  const agentToken = readFileSync(core.tokenFile, 'utf8').trim();
  const pairing = new URL(core.uiUrl!).hash.replace('#token=', '');
  const session = await rawRequest(`${core.agentApiUrl}/ui/session`, { headers: { Authorization: `Bearer ${pairing}` } });
  const uiToken = (session.json as { sessionToken: string }).sessionToken;
  const base = core.agentApiUrl;
  let disposed = false;
  return {
    core,
    dataDir,
    projectDir,
    agentToken,
    uiToken,
    hook: (body, headers = {}) =>
      rawRequest(`${base}/hooks/claude-code`, {
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${agentToken}`, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    ui: (method, body, token = uiToken) =>
      rawRequest(`${base}/ui/api/${method}`, {
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      }),
    async waitForPending(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (core.getSnapshot().pending.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} pending, have ${core.getSnapshot().pending.length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await core.close();
      await sink?.close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(projectDir, { recursive: true, force: true });
    },
  };
}
