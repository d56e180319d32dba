// `cowork-companion hook`: a Claude Code `type: "command"` hook. Reads the payload on stdin, forwards it
// to the running companion and prints the answer. Loaded on every tool call, so it imports only node:*,
// dependency-free shared modules and the proof functions of core/base (which the CLI loads anyway).
// Fails closed: no companion → deny with a reason.
// It never sends the agent token: it proves it holds it (a request proof over a fresh nonce and the
// body), and acts only on an answer that proves the same (shared/agent-proof.ts). A server that a
// rewritten agent-endpoint.json points at learns no token and cannot answer for the companion.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { userInfo } from 'node:os';
import { join, win32 } from 'node:path';
import { DECIDING_EVENTS, toolAnswer, type DecidingEvent } from '../../shared/hook-answer.js';
import { AGENT_API_ROUTES, AGENT_ENDPOINT_FILE, AGENT_TOKEN_FILE, HOOK_CLIENT_LIMITS, INSTANCE_LOCK_FILE } from '../../shared/agent-files.js';
import { AGENT_PROOF_HEADERS } from '../../shared/agent-proof.js';
import { answerProof, defaultDataDir, newNonce, processAlive, requestProof, secretsEqual } from '../core/base/index.js';

export interface HookClientOptions {
  dataDir: string;
  url?: string;
  tokenFile?: string;
  /** Let Claude Code fall back to its own prompt when the companion is unreachable (default: deny). */
  failOpen?: boolean;
  /** The SHA-256 (hex, or a prefix of at least 16 digits) of the token `connect` set up: a token file
   *  replaced since (its address file with it) is refused. Kept in Claude Code's settings, which the
   *  companion protects from the agent — unlike the data folder. */
  tokenSha256?: string;
  /** IT's machine-wide hook (`--managed`, as bin/cowork-companion-hook): COWORK_COMPANION_URL and
   *  COWORK_COMPANION_TOKEN are ignored (a user's or project's Claude Code settings set the hook's
   *  environment); the caller takes dataDir from passwdDataDir(). */
  managed?: boolean;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

// `import 'node:http'` builds an ESM facade that touches every export, which loads undici
// (~40 ms on each tool call); require() does not.
const { request } = createRequire(import.meta.url)('node:http') as typeof import('node:http');

const STDIN_LIMIT = HOOK_CLIENT_LIMITS.stdinBytes;
const WAIT_LIMIT_MS = HOOK_CLIENT_LIMITS.waitSeconds * 1000;

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += b.length;
    if (size > STDIN_LIMIT) throw new Error(`hook payload is larger than ${STDIN_LIMIT} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

class TokenReplacedError extends Error {}

/** The companion's default data folder under the home folder the user database names (never $HOME,
 *  XDG_CONFIG_HOME or COWORK_COMPANION_DATA_DIR, which the environment sets).
 *  Windows has no such database to pin it to: this client takes %APPDATA%, where the tray app puts the
 *  folder (defaultDataDir), roaming-profile redirection included. (The bash client, which IT's managed
 *  settings run, asks Git Bash's cygpath for the shell's own record of that folder instead; Node has no
 *  such call without starting another program per hook.) Without APPDATA it throws: the caller blocks,
 *  as the bash client does. */
export function passwdDataDir(env: Record<string, string | undefined> = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform !== 'win32') return defaultDataDir({}, platform, userInfo().homedir);
  const appData = env['APPDATA'];
  if (!appData || !win32.isAbsolute(appData)) throw new Error('--managed needs APPDATA on Windows to find the data folder; blocking.');
  return defaultDataDir({ APPDATA: appData }, platform, userInfo().homedir);
}

function endpoint(opts: HookClientOptions): { url: string; token: string } {
  const env = opts.managed ? {} : process.env;
  const url = opts.url ?? env['COWORK_COMPANION_URL'] ?? (JSON.parse(readFileSync(join(opts.dataDir, AGENT_ENDPOINT_FILE), 'utf8')) as { url: string }).url;
  const token = env['COWORK_COMPANION_TOKEN'] ?? readFileSync(opts.tokenFile ?? join(opts.dataDir, AGENT_TOKEN_FILE), 'utf8').trim();
  const expected = opts.tokenSha256?.toLowerCase();
  if (expected !== undefined && (expected.length < 16 || !createHash('sha256').update(token).digest('hex').startsWith(expected))) {
    throw new TokenReplacedError(`the agent token is not the one "cowork-companion connect" set up (it was replaced, or the companion's data folder was reset; run connect again if you did that)`);
  }
  return { url, token };
}

/** Whether a companion process holds the data folder (its lock names a live process). */
function companionRunning(dataDir: string): boolean {
  try {
    const { pid } = JSON.parse(readFileSync(join(dataDir, INSTANCE_LOCK_FILE), 'utf8')) as { pid?: unknown };
    return Number.isInteger(pid) && processAlive(pid as number);
  } catch {
    return false;
  }
}

export interface ProvenAnswer {
  status: number;
  text: string;
  /** Whether the answer carries a valid answer proof for this request. */
  proven: boolean;
}

/**
 * A request to the agent API that proves the token instead of sending it, and an answer checked for
 * the companion's proof (shared/agent-proof.ts). Without a token nothing is proven either way.
 * Rejects on connection errors and when `timeoutMs` passes without an answer.
 */
export function provenRequest(
  url: string,
  token: string | undefined,
  r: { method: 'GET' | 'POST'; target: string; body?: string; timeoutMs: number; headers?: Record<string, string | number> },
): Promise<ProvenAnswer> {
  const body = r.body ?? '';
  const nonce = newNonce();
  const timestamp = String(Date.now());
  const proofHeaders =
    token === undefined
      ? {}
      : { [AGENT_PROOF_HEADERS.nonce]: nonce, [AGENT_PROOF_HEADERS.timestamp]: timestamp, [AGENT_PROOF_HEADERS.proof]: requestProof(token, { timestamp, nonce, method: r.method, target: r.target, body }) };
  return new Promise((resolve, reject) => {
    const req = request(new URL(r.target, url), { method: r.method, headers: { ...r.headers, ...proofHeaders } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        const status = res.statusCode ?? 0;
        const given = res.headers[AGENT_PROOF_HEADERS.answerProof];
        const proven = token !== undefined && typeof given === 'string' && secretsEqual(given, answerProof(token, { nonce, status, body: bytes }));
        resolve({ status, text: bytes.toString('utf8'), proven });
      });
      res.on('error', reject);
    });
    const late = `no answer within ${r.timeoutMs / 1000} s`;
    req.setTimeout(r.timeoutMs, () => req.destroy(Object.assign(new Error(late), { code: late })));
    req.on('error', reject);
    req.end(body);
  });
}

const post = (url: string, token: string, body: string): Promise<ProvenAnswer> =>
  provenRequest(url, token, {
    method: 'POST',
    target: AGENT_API_ROUTES.claudeCodeHook,
    body,
    timeoutMs: WAIT_LIMIT_MS,
    headers: {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      // The agent's trace context, when its environment carries one (W3C TRACEPARENT convention).
      ...(process.env['TRACEPARENT'] ? { traceparent: process.env['TRACEPARENT'] } : {}),
    },
  });

/** Returns the process exit code. */
export async function runHookClient(opts: HookClientOptions): Promise<number> {
  let raw: string;
  let event: string | undefined;
  try {
    raw = await readAll(opts.stdin);
    const parsed = JSON.parse(raw) as { hook_event_name?: unknown };
    event = typeof parsed?.hook_event_name === 'string' ? parsed.hook_event_name : undefined;
    // Without its event name nothing tells whether it decides a tool call: block, as for any
    // payload that cannot be read (`{}` once passed as "nothing to decide").
    if (event === undefined) throw new Error('it names no hook_event_name');
  } catch (error) {
    // Exit 2 blocks the tool call; stderr reaches Claude.
    opts.stderr.write(`cowork-companion hook: cannot read the hook payload (${(error as Error).message}); blocking.\n`);
    return 2;
  }
  const deciding = (DECIDING_EVENTS as readonly string[]).includes(event ?? '');
  /** `unproven`: a server answered that is not provably the companion — denied even with fail-open. */
  const failClosed = (why: string, unproven = false): number => {
    if (!deciding) {
      opts.stderr.write(`cowork-companion hook: ${why}\n`);
      return 0;
    }
    // Fail-open is for a companion that is not running; one that runs but cannot be reached at the
    // address in its file was cut off (that file rewritten, say): deny.
    if (opts.failOpen && !unproven && !companionRunning(opts.dataDir)) {
      opts.stderr.write(`cowork-companion hook: ${why}; falling back to Claude Code's own prompt (fail-open configured).\n`);
      return 0;
    }
    const next = unproven
      ? 'The action is denied; ask the user to check that Cowork Companion is running and that its data folder was not changed.'
      : 'The action is denied until the companion can review it; ask the user to start Cowork Companion, then retry.';
    opts.stdout.write(`${JSON.stringify(toolAnswer(event as DecidingEvent, 'deny', `Cowork Companion: ${why}. ${next}`))}\n`);
    return 0;
  };
  let target: { url: string; token: string };
  try {
    target = endpoint(opts);
  } catch (error) {
    if (error instanceof TokenReplacedError) return failClosed(error.message, true);
    return failClosed(`the companion is not running or not set up (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    const { status, text, proven } = await post(target.url, target.token, raw);
    if (!proven) {
      // Its body is not shown: it may be anything the other server chose.
      return failClosed(
        `the server at ${target.url} could not prove it is Cowork Companion (HTTP ${status} without a valid answer proof), so its answer is ignored. ` +
          `Either ${AGENT_ENDPOINT_FILE} (or --url / COWORK_COMPANION_URL) was rewritten to point elsewhere, or the agent token is not the running companion's`,
        true,
      );
    }
    if (status >= 200 && status < 300) {
      opts.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      return 0;
    }
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
    } catch {
      // keep the raw text
    }
    return failClosed(`the companion refused the request (HTTP ${status}: ${message})`);
  } catch (error) {
    return failClosed(`the companion is unreachable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}
