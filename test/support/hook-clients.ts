// The two command hook clients behind one call, so every behaviour test runs against both: the Node
// client (`cowork-companion hook`, in-process) and the bash client (bin/cowork-companion-hook, a real
// process, as Claude Code runs it) — the latter twice: with its hash processes started ahead
// (bash 4+) and one after another (the bash 3.2 path, forced).
import { spawn } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runHookClient } from '../../electron/cli/hook-client.js';

export const SHELL_CLIENT = fileURLToPath(new URL('../../bin/cowork-companion-hook', import.meta.url));

export interface HookRunOptions {
  dataDir: string;
  failOpen?: boolean;
  url?: string;
  tokenSha256?: string;
  /** Extra environment for the client (the agent's, as Claude Code passes it). */
  env?: Record<string, string>;
}

export interface HookRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface HookClient {
  name: string;
  run(input: string | Buffer, o: HookRunOptions): Promise<HookRun>;
}

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

export const nodeClient: HookClient = {
  name: 'Node client',
  async run(input, o) {
    const out = sink();
    const err = sink();
    const saved = { ...process.env };
    Object.assign(process.env, o.env);
    try {
      const code = await runHookClient({ dataDir: o.dataDir, failOpen: o.failOpen, url: o.url, tokenSha256: o.tokenSha256, stdin: Readable.from([Buffer.from(input)]), stdout: out.stream, stderr: err.stream });
      return { code, stdout: out.text(), stderr: err.text() };
    } finally {
      for (const k of Object.keys(o.env ?? {})) if (saved[k] === undefined) delete process.env[k];
      Object.assign(process.env, saved);
    }
  },
};

/** The bash client's arguments for these options. */
export function shellArgs(o: HookRunOptions): string[] {
  return ['--data-dir', o.dataDir, ...(o.failOpen ? ['--fail-open'] : []), ...(o.url ? ['--url', o.url] : []), ...(o.tokenSha256 ? ['--token-sha256', o.tokenSha256] : [])];
}

/** Runs the bash client as Claude Code does: payload on stdin, answer on stdout, an exit code. */
export function runShellClient(input: string | Buffer, o: HookRunOptions, extraEnv: Record<string, string> = {}, script = SHELL_CLIENT): Promise<HookRun> {
  return new Promise((resolve, reject) => {
    // Only what a hook's environment holds; nothing of this test process's COWORK_COMPANION_*.
    const env = { HOME: process.env['HOME'] ?? '/', PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...extraEnv, ...o.env };
    const child = spawn('/bin/bash', [script, ...shellArgs(o)], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    // A client that stops reading early (exit 2 on an oversized payload) closes its stdin.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

export const shellClient: HookClient = { name: 'bash client', run: (input, o) => runShellClient(input, o) };
export const shellClientSequential: HookClient = {
  name: 'bash client, hashes one after another (the bash 3.2 path)',
  run: (input, o) => runShellClient(input, o, { COWORK_COMPANION_HOOK_SEQUENTIAL: '1' }),
};

export const HOOK_CLIENTS: readonly HookClient[] = [nodeClient, shellClient, shellClientSequential];
