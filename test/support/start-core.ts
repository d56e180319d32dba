// Starts a real core (loopback server, journal, OTLP exporter) in a fresh temp data dir.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCompanionCore } from '../../electron/core/companion-core.js';
import type { CompanionCore, CompanionCoreOptions } from '../../electron/core/companion-core-types.js';
import { rawRequest, type RawResponse } from './http-client.js';

export interface TestCore {
  core: CompanionCore;
  dataDir: string;
  agentToken: string;
  uiToken: string;
  /** POST a hook payload as Claude Code's http hook would. */
  hook(body: unknown, headers?: Record<string, string>): Promise<RawResponse>;
  /** Call a UI contract method over the web transport. */
  ui(method: string, body: unknown, token?: string): Promise<RawResponse>;
  waitForPending(count: number, timeoutMs?: number): Promise<void>;
  dispose(): Promise<void>;
}

export async function startTestCore(opts: { otlpUrl?: string; budgetMs?: number; prepare?: (dataDir: string) => void } & Partial<CompanionCoreOptions> = {}): Promise<TestCore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cc-core-'));
  const staticDir = join(dataDir, 'static');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>test</title>');
  opts.prepare?.(dataDir);
  const core = await createCompanionCore({
    dataDir,
    port: 0,
    decisionBudgetMs: opts.budgetMs ?? 10_000,
    webUi: { staticDir },
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: opts.otlpUrl ?? 'http://127.0.0.1:9', OTEL_BLRP_SCHEDULE_DELAY: '50' },
    ...opts,
  });
  const agentToken = (await import('node:fs')).readFileSync(core.tokenFile, 'utf8').trim();
  const uiToken = new URL(core.uiUrl!).hash.replace('#token=', '');
  const base = core.agentApiUrl;
  let disposed = false;
  return {
    core,
    dataDir,
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
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
