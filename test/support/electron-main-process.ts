// The real built Electron main process (dist/electron/main/main.js) as a child Node process with the fake
// `electron` module in place of the real one: its top-level code, process.exit and signals run for
// real, and so does the core it starts (loopback server, journal) in a temp data folder. The test drives
// the fake over the child's IPC channel (see fake-electron/fake-electron-protocol.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { AGENT_TOKEN_FILE, INSTANCE_LOCK_FILE } from '../../shared/agent-files.js';
import type { ChildMessage, DriverCommand, FakeElectronState } from './fake-electron/fake-electron-protocol.js';
import { rawRequest, type RawResponse } from './http-client.js';

export const MAIN_JS = fileURLToPath(new URL('../../dist/electron/main/main.js', import.meta.url));
const FAKE_DIR = fileURLToPath(new URL('./fake-electron/', import.meta.url));

/** Compiles the fake (TypeScript) once into a temp folder; returns the `--import` module's URL. */
let built: Promise<string> | undefined;
let builtDir: string | undefined;
export function buildFakeElectron(): Promise<string> {
  built ??= (async () => {
    // Kept until removeFakeElectronBuild (afterAll): every test of the file loads it.
    const outdir = mkdtempSync(join(tmpdir(), 'fake-electron-'));
    builtDir = outdir;
    await build({
      entryPoints: ['fake-electron.ts', 'register-fake-electron.ts', 'fake-electron-hooks.ts'].map((f) => join(FAKE_DIR, f)),
      outdir,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outExtension: { '.js': '.mjs' },
      logLevel: 'warning',
    });
    return pathToFileURL(join(outdir, 'register-fake-electron.mjs')).href;
  })();
  return built;
}

export function removeFakeElectronBuild(): void {
  if (builtDir) rmSync(builtDir, { recursive: true, force: true });
  built = builtDir = undefined;
}

export interface ElectronMainProcess {
  child: ChildProcess;
  dataDir: string;
  home: string;
  /** Every event the fake reported, in order. */
  events: { name: string; detail?: unknown }[];
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  send<T = unknown>(command: DriverCommand): Promise<T>;
  state(): Promise<FakeElectronState>;
  /** Polls the fake's state until `check` is true (or throws with the last state). */
  waitForState(check: (s: FakeElectronState) => boolean, what: string, timeoutMs?: number): Promise<FakeElectronState>;
  /** Waits for an event the fake reported; resolves with its detail. */
  waitForEvent(name: string, check?: (detail: unknown) => boolean, timeoutMs?: number): Promise<unknown>;
  /** The agent API address the core published in its instance lock (once it listens). */
  agentApiUrl(timeoutMs?: number): Promise<string>;
  /** POST a hook payload as Claude Code's http hook would, with the agent token. */
  hook(body: unknown): Promise<RawResponse>;
}

const running: ChildProcess[] = [];
/** Temp folders this harness made (the caller's own are left alone). */
const madeDirs: string[] = [];

/** Kills what is still running, waits for it to go, then removes the temp folders (call from afterEach). */
export async function stopElectronMainProcesses(): Promise<void> {
  await Promise.all(
    running.splice(0).map((c) => {
      if (c.exitCode !== null || c.signalCode !== null) return undefined;
      const gone = new Promise((resolve) => c.once('exit', resolve));
      c.kill('SIGKILL');
      return gone;
    }),
  );
  for (const dir of madeDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  madeDirs.push(dir);
  return dir;
}

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs: number, last: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${last()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** `dataDir`/`home`: reuse a previous start's (a restart); otherwise fresh temp folders, removed by stopElectronMainProcesses. */
export async function startElectronMain(o: { args?: string[]; env?: Record<string, string>; dataDir?: string; home?: string } = {}): Promise<ElectronMainProcess> {
  if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: run "npm run build" first (npm test does).`);
  const register = await buildFakeElectron();
  const dataDir = o.dataDir ?? tempDir('cc-electron-main-');
  const home = o.home ?? tempDir('cc-electron-home-');
  const { NODE_OPTIONS: _drop, ...parentEnv } = process.env;
  const child = spawn(process.execPath, ['--import', register, MAIN_JS, `--data-dir=${dataDir}`, '--port=0', '--no-watch', ...(o.args ?? [])], {
    env: {
      ...parentEnv,
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      // Unreachable collector on purpose is slow to shut down; tests that need one pass their own.
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
      OTEL_BLRP_SCHEDULE_DELAY: '50',
      ...o.env,
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  running.push(child);
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout!.on('data', () => undefined);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const events: { name: string; detail?: unknown }[] = [];
  const replies = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  child.on('message', (message: ChildMessage) => {
    if (message.type === 'event') events.push({ name: message.name, detail: message.detail });
    else {
      const waiting = replies.get(message.id);
      replies.delete(message.id);
      if (message.ok) waiting?.resolve(message.value);
      else waiting?.reject(new Error(message.message));
    }
  });
  void exited.then(() => {
    for (const w of replies.values()) w.reject(new Error(`the main process exited: ${stderr}`));
    replies.clear();
  });

  const send = <T>(command: DriverCommand): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (!child.connected) return reject(new Error(`the main process is gone: ${stderr}`));
      const id = nextId++;
      replies.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, ...command });
    });
  const state = () => send<FakeElectronState>({ cmd: 'state' });
  let lastState: FakeElectronState | undefined;
  const agentApiUrl = (timeoutMs = 15_000) =>
    until(
      () => {
        try {
          return (JSON.parse(readFileSync(join(dataDir, INSTANCE_LOCK_FILE), 'utf8')) as { url?: string }).url;
        } catch {
          return undefined;
        }
      },
      'the core to listen',
      timeoutMs,
      () => stderr,
    );
  return {
    child,
    dataDir,
    home,
    events,
    stderr: () => stderr,
    exited,
    send,
    state,
    waitForState: (check, what, timeoutMs = 15_000) =>
      until(
        async () => {
          lastState = await state();
          return check(lastState) ? lastState : undefined;
        },
        what,
        timeoutMs,
        () => `${JSON.stringify(lastState)}\n${stderr}`,
      ),
    waitForEvent: (name, check = () => true, timeoutMs = 15_000) =>
      until(() => events.find((e) => e.name === name && check(e.detail)), `event ${name}`, timeoutMs, () => `${JSON.stringify(events.map((e) => e.name))}\n${stderr}`).then((e) => e.detail),
    agentApiUrl,
    async hook(body) {
      const url = await agentApiUrl();
      const token = readFileSync(join(dataDir, AGENT_TOKEN_FILE), 'utf8').trim();
      return rawRequest(`${url}/hooks/claude-code`, {
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    },
  };
}

/** Runs the built main with a CLI command line (`policy show …`) as the packaged binary would, to its exit. */
export async function runElectronMainCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string; events: string[] }> {
  if (!existsSync(MAIN_JS)) throw new Error(`${MAIN_JS} is missing: run "npm run build" first (npm test does).`);
  const register = await buildFakeElectron();
  const home = tempDir('cc-electron-cli-home-');
  const { NODE_OPTIONS: _drop, ...parentEnv } = process.env;
  const child = spawn(process.execPath, ['--import', register, MAIN_JS, ...args], {
    env: { ...parentEnv, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), FAKE_ELECTRON_PACKAGED: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  running.push(child);
  let stdout = '';
  let stderr = '';
  const events: string[] = [];
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  child.on('message', (message: ChildMessage) => {
    if (message.type === 'event') events.push(message.name);
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
  return { code, stdout, stderr, events };
}
