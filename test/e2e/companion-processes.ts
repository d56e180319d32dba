// Real processes for the end-to-end tests: the headless server (`serve`) and the Claude Code
// command-hook client (`hook`), both run exactly as a user's machine would run them.
import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Screenshots go to docs/ (for the README) only when asked: UPDATE_SCREENSHOTS=1 npm run test:e2e. */
export const SCREENSHOTS = join(ROOT, process.env['UPDATE_SCREENSHOTS'] ? 'docs/screenshots' : 'test-results/screenshots');
const NODE = join(ROOT, 'node_modules/.bin/node');
const FIXTURES = join(ROOT, 'test/fixtures/claude-code/input');
// Telemetry goes to a closed port: the tests are about the UI, not the collector.
const ENV = { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' };

export interface ServerInfo {
  agentApiUrl: string;
  uiUrl: string;
  tokenFile: string;
}

export interface RunningServer {
  info: ServerInfo;
  /** A fresh one-time Inbox address (each works once), as Enter in serve's terminal gives. */
  newUiUrl(): Promise<string>;
  dataDir: string;
  process: ChildProcess;
  stderr: () => string;
  /** SIGTERM, wait for the exit (SIGKILL after `timeoutMs`), remove the data folder (unless `keepData`: a restart follows). */
  stop(timeoutMs?: number, opts?: { keepData?: boolean }): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ServerOptions {
  /** How long a hook waits for a person (default 20 s). */
  budgetMs?: number;
  /** A managed policy JSON file (IT settings: locked rules, storm limit, organisation…). */
  policyFile?: string;
  /** Watch files during runs (default false: specs that do not test it must not watch this machine's home). */
  watch?: boolean;
  /** Start on this data folder (a restart of a server stopped with `keepData`) instead of a fresh one. */
  dataDir?: string;
  /** Extra environment for serve (a temp HOME, so `~` and the home folder are the test's own). */
  env?: Record<string, string>;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'companion-e2e-'));
  // The test owns serve's stdin pipe: --stdin-links lets a line on it mint a new Inbox address.
  const args = ['dist/electron/cli/cli.js', 'serve', '--stdin-links', '--data-dir', dataDir, '--port', '0', '--budget-ms', String(options.budgetMs ?? 20_000)];
  if (options.policyFile) args.push('--policy', options.policyFile);
  if (!options.watch) args.push('--no-watch');
  const child = spawn(NODE, args, {
    cwd: ROOT,
    env: { ...ENV, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines = createInterface({ input: child.stdout! });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const nextLine = () => new Promise<string>((resolve) => waiting.push(resolve));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const firstLine = await Promise.race([
    nextLine(),
    exited.then(({ code }) => Promise.reject(new Error(`serve exited (${code}) before it was ready:\n${stderr}`))),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`serve not ready after 15 s:\n${stderr}`)), 15_000)),
  ]);
  const info = JSON.parse(firstLine) as ServerInfo;
  for (const key of ['agentApiUrl', 'uiUrl', 'tokenFile'] as const) {
    if (typeof info[key] !== 'string') throw new Error(`serve's ready line has no ${key}: ${firstLine}`);
  }
  return {
    info,
    async newUiUrl() {
      const line = nextLine();
      child.stdin!.write('\n');
      const parsed = JSON.parse(await line) as { event?: string; uiUrl?: string };
      if (parsed.event !== 'ui-link' || !parsed.uiUrl) throw new Error(`expected a ui-link line, got ${JSON.stringify(parsed)}`);
      return parsed.uiUrl;
    },
    dataDir,
    process: child,
    stderr: () => stderr,
    async stop(timeoutMs = 10_000, opts = {}) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      if (!opts.keepData) rmSync(dataDir, { recursive: true, force: true });
      return result;
    },
  };
}

/** The project folder the fixtures were recorded in (it does not exist on test machines). */
export const FIXTURE_PROJECT = '/Users/dana.kovac/work/payments-api';

/** A Claude Code fixture, with its project folder moved to `projectDir` when given. */
export function readFixture(name: string, projectDir?: string): Record<string, unknown> {
  const text = readFileSync(join(FIXTURES, name), 'utf8');
  const moved = projectDir ? text.replaceAll(FIXTURE_PROJECT, projectDir.replaceAll('\\', '\\\\')) : text;
  return JSON.parse(moved) as Record<string, unknown>;
}

const sessions = new WeakMap<RunningServer, Promise<string>>();

/** A session of the test's own (the test acts as the person in a second window). */
async function sessionFor(server: RunningServer): Promise<string> {
  let session = sessions.get(server);
  if (!session) {
    session = (async () => {
      const url = new URL(await server.newUiUrl());
      const res = await fetch(new URL('/ui/session', url), { method: 'POST', headers: { Authorization: `Bearer ${url.hash.replace('#token=', '')}` } });
      if (!res.ok) throw new Error(`pairing failed (${res.status}): ${await res.text()}`);
      return ((await res.json()) as { sessionToken: string }).sessionToken;
    })();
    sessions.set(server, session);
  }
  return session;
}

/** Call a UI contract method over the web transport, as the page does (the test acts as the person). */
export async function callUi(server: RunningServer, method: string, request: unknown): Promise<unknown> {
  const url = new URL(server.info.agentApiUrl);
  const token = await sessionFor(server);
  const res = await fetch(new URL(`/ui/api/${method}`, url), {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
  });
  const body: unknown = await res.json();
  if (!res.ok) throw new Error(`${method} failed (${res.status}): ${JSON.stringify(body)}`);
  return body;
}

export interface HookResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (the hook's answer to Claude Code). */
  answer: { hookSpecificOutput?: { permissionDecision?: string; permissionDecisionReason?: string } };
}

/** Run the command-hook client with `payload` on stdin; resolves when it exits. */
export function runHook(dataDir: string, payload: Record<string, unknown>): Promise<HookResult> {
  const child = spawn(NODE, ['bin/cowork-companion.js', 'hook', '--data-dir', dataDir], { cwd: ROOT, env: ENV, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(JSON.stringify(payload));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      let answer: HookResult['answer'] = {};
      try {
        answer = stdout.trim() ? (JSON.parse(stdout) as HookResult['answer']) : {};
      } catch {
        reject(new Error(`hook printed something that is not JSON (exit ${code}):\n${stdout}\n${stderr}`));
        return;
      }
      resolve({ code, stdout, stderr, answer });
    });
  });
}

/** A project folder (`…/payments-api`, standing in for the fixtures' one) shared with a running server. */
export async function shareProject(server: RunningServer, mode: 'read' | 'read-write' = 'read', subfolders: string[] = []): Promise<string> {
  const project = join(realpathSync(mkdtempSync(join(tmpdir(), 'companion-e2e-project-'))), 'payments-api');
  mkdirSync(project, { recursive: true });
  for (const sub of subfolders) mkdirSync(join(project, sub), { recursive: true });
  await callUi(server, 'addSharedFolder', { path: project, mode });
  return project;
}

/** After a test that made its own folder: stops its server, if one started (it must exit with code 0),
 *  and removes the folder. */
export async function stopTestServer(server: RunningServer | undefined, dir: string): Promise<void> {
  if (server) {
    const { code } = await server.stop();
    expect(code, server.stderr()).toBe(0);
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Stops the server (it must exit by itself on SIGTERM, with code 0) and removes the project folder. */
export async function stopAndClean(server: RunningServer, project: string): Promise<void> {
  const { code, signal } = await server.stop();
  expect(signal, `serve should exit by itself on SIGTERM; stderr:\n${server.stderr()}`).toBeNull();
  expect(code).toBe(0);
  rmSync(join(project, '..'), { recursive: true, force: true });
}
