// `cowork-companion serve` as a real process (the built CLI), for tests of what only a process shows:
// signals, stdin, exit codes, a second start on the same data folder, a crash.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const CLI = join(fileURLToPath(new URL('../../', import.meta.url)), 'dist/electron/cli/cli.js');

export interface ServeProcess {
  child: ChildProcess;
  dataDir: string;
  stderr: () => string;
  /** Every stdout line so far (the first is the ready line). */
  lines: string[];
  ready: Promise<{ agentApiUrl: string; tokenFile: string; uiUrl: string }>;
  /** The exit code, once it exits. */
  exited: Promise<number | null>;
}

const running: ChildProcess[] = [];

/** Kills what is still running (call from afterEach). */
export function killServeProcesses(): void {
  for (const c of running.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

export function startServe(o: { dataDir?: string; args?: string[]; env?: Record<string, string> } = {}): ServeProcess {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does).`);
  const dataDir = o.dataDir ?? mkdtempSync(join(tmpdir(), 'cc-serve-'));
  const args = o.args ?? ['--port', '0', '--no-watch'];
  const child = spawn(process.execPath, [CLI, 'serve', '--data-dir', dataDir, ...args], {
    env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', ...o.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.push(child);
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<{ agentApiUrl: string; tokenFile: string; uiUrl: string }>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (lines.length === 1) resolve(JSON.parse(line) as { agentApiUrl: string; tokenFile: string; uiUrl: string });
    });
    void exited.then((code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  ready.catch(() => undefined); // callers that expect an exit do not await it
  return { child, dataDir, stderr: () => stderr, lines, ready, exited };
}
