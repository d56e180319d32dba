// The real Claude Code in tests: finds the pinned client (@anthropic-ai/claude-code, a devDependency),
// runs it headless (`claude -p`) in a temp HOME against the Messages-API stand-in, and wires it to a
// real core with `cowork-companion connect claude-code`. Used by the conformance tests.
//
// The client: COWORK_CLAUDE_CODE_BIN (a `claude` executable, for local runs outside `npm ci`), else the
// native binary of the optional package for this platform, else node_modules/.bin/claude.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { CLI } from './serve-process.js';
import type { MessagesApiStandin, MessagesRequest, ScriptedReply } from './messages-api-standin.js';
import { startTestCore, type TestCore } from './start-core.js';

type CoreOptions = NonNullable<Parameters<typeof startTestCore>[0]>;

export const PINNED = '2.1.332';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function findClaudeCode(): { bin?: string; reason: string } {
  const candidates: string[] = [];
  const fromEnv = process.env['COWORK_CLAUDE_CODE_BIN'];
  if (fromEnv) candidates.push(fromEnv);
  else {
    const exe = process.platform === 'win32' ? 'claude.exe' : 'claude';
    for (const suffix of ['', '-musl']) candidates.push(join(ROOT, 'node_modules', '@anthropic-ai', `claude-code-${process.platform}-${process.arch}${suffix}`, exe));
    candidates.push(join(ROOT, 'node_modules', '.bin', exe));
  }
  const found = candidates.find((c) => existsSync(c));
  if (!found) return { reason: `Claude Code ${PINNED} not found (looked at ${candidates.join(', ')}; the optional native package may not exist for ${process.platform}-${process.arch})` };
  const version = spawnSync(found, ['--version'], { encoding: 'utf8', timeout: 20_000, env: { PATH: process.env['PATH'] ?? '', HOME: tmpdir() } });
  if (version.status !== 0) return { reason: `${found} does not run here (${version.error?.message ?? `exit ${version.status}: ${version.stderr.trim().slice(0, 200)}`})` };
  if (!version.stdout.includes(PINNED)) console.warn(`claude-code conformance: ${found} is ${version.stdout.trim()}, not the pinned ${PINNED}`);
  return { bin: found, reason: '' };
}

/** The client, once per test file; the caller prints the reason when it is missing. */
export const claude = findClaudeCode();

/** Claude Code's debug log, outside the watched home (a file the test writes there would be an alert). */
let logDir = tmpdir();
/** Removes the debug logs' folder (call from the test file's afterAll). */
export function removeDebugLogs(): void {
  if (logDir !== tmpdir() && !process.env['CONFORM_KEEP']) rmSync(logDir, { recursive: true, force: true });
}
const debugLog = (home: string): string => join(logDir, `${home.split(/[\\/]/).pop()}.log`);

export interface ClaudeRun {
  code: number | null;
  events: Record<string, unknown>[];
  stderr: string;
  ms: number;
}

/** `claude -p` headless in `home`, cwd `cwd`, against the stand-in (plus `args`, and `env` over the clean
 *  environment); resolves when it exits. */
export function runClaude(o: { home: string; cwd: string; api: MessagesApiStandin; prompt: string; timeoutMs?: number; args?: string[]; env?: Record<string, string> }): Promise<ClaudeRun> {
  const started = Date.now();
  // A clean environment: nothing of the machine's own Claude Code or OTel configuration leaks in.
  const env: Record<string, string> = {
    PATH: `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}`,
    HOME: o.home,
    TMPDIR: tmpdir(),
    ANTHROPIC_BASE_URL: o.api.url,
    ANTHROPIC_API_KEY: 'sk-ant-standin-not-a-key',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    ...o.env,
  };
  const child = spawn(claude.bin!, ['-p', o.prompt, '--output-format', 'stream-json', '--verbose', '--include-hook-events', '--debug-file', debugLog(o.home), ...(o.args ?? [])], {
    cwd: o.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const events = stdout
        .split('\n')
        .filter((l) => l.trim().startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      resolve({ code, events, stderr, ms: Date.now() - started });
    });
  });
}

/** A conversation script: the main turns (requests that offer tools) follow `steps`, one per assistant
 *  turn so far; anything else Claude Code asks on the side gets a short text. */
export function conversation(steps: ScriptedReply[]): (request: MessagesRequest) => ScriptedReply {
  return (request) => {
    if (!request.tools?.length) return { text: 'ok' };
    const turn = request.messages.filter((m) => m.role === 'assistant').length;
    return steps[turn] ?? { text: 'done' };
  };
}

export const debugTail = (home: string): string => {
  try {
    return readFileSync(debugLog(home), 'utf8').split('\n').filter((l) => /hook|error/i.test(l)).slice(-40).join('\n');
  } catch {
    return '(no debug log)';
  }
};

/** What a failed assertion about a run shows: its exit, the end of its stderr, its hook log. */
export const diagnosis = (run: ClaudeRun, home: string): string => `exit ${run.code}\nstderr: ${run.stderr.slice(-2000)}\nhook log:\n${debugTail(home)}`;

/** A fresh HOME (Claude Code makes ~/.claude itself at its first start) and core with a shared
 *  project holding a secret note, wired by `cowork-companion connect claude-code` plus `args`
 *  (`core`: more options for the core, e.g. its collector). */
export async function wire(args: string[], env: Record<string, string> = {}, core: CoreOptions = {}): Promise<{ t: TestCore; home: string }> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does).`);
  if (logDir === tmpdir()) logDir = mkdtempSync(join(tmpdir(), 'cc-conform-logs-'));
  const home = realpathSync(mkdtempSync(join(tmpdir(), 'cc-conform-home-')));
  mkdirSync(join(home, 'Documents'));
  const t = await startTestCore({ home, watch: true, policyFile: undefined, ...core });
  writeFileSync(join(t.projectDir, 'src', 'refunds', 'notes.md'), 'conformance-secret-4711\n');
  const port = new URL(t.core.agentApiUrl).port;
  const connect = spawnSync(process.execPath, [CLI, 'connect', 'claude-code', '--data-dir', t.dataDir, '--port', port, ...args], { env: { ...process.env, HOME: home, ...env }, encoding: 'utf8' });
  expect(connect.status, connect.stderr).toBe(0);
  expect(connect.stdout).toMatch(/Wrote .*\.claude\/settings\.json/);
  return { t, home };
}

export async function unwire(t: TestCore | undefined, home: string | undefined, api: MessagesApiStandin | undefined): Promise<void> {
  await api?.close();
  await t?.dispose();
  if (process.env['CONFORM_KEEP']) console.info(`kept ${home}`);
  else if (home) rmSync(home, { recursive: true, force: true });
}

