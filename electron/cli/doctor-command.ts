// `cowork-companion doctor`: gathers the facts (files in the data folder, Claude Code's settings files,
// the running companion, `claude --version`, PATH) and prints what doctor-policy.ts makes of them.
// Reads only: nothing is written, started or fixed here; no token is printed.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { AGENT_API_ROUTES, AGENT_ENDPOINT_FILE, AGENT_TOKEN_FILE, INSTANCE_LOCK_FILE } from '../../shared/agent-files.js';
import { processAlive } from '../core/base/index.js';
import { configuredPort } from '../core/settings/index.js';
import { provenRequest } from './hook-client.js';
import { claudeCodeManagedSettingsFile, doctorOk, evaluateDoctor, formatDoctor, type DoctorFacts, type SettingsScope, type SettingsSource } from './doctor-policy.js';


export interface DoctorOptions {
  dataDir: string;
  /** A project folder (default: the current directory). */
  project?: string;
  json: boolean;
  home?: string;
  /** Where Claude Code's managed settings are (default: the system path for this OS). */
  managedSettingsFile?: string;
  /** `claude --version` (tests inject it; 'skip' leaves the check out). */
  claudeVersion?: (() => Promise<DoctorFacts['claude']>) | 'skip';
  env?: Record<string, string | undefined>;
  out: NodeJS.WritableStream;
}

export class DoctorError extends Error {}

function readJson(file: string): { state: 'absent' } | { state: 'invalid'; error: string } | { state: 'unreadable'; error: string } | { state: 'ok'; value: unknown } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { state: 'absent' };
    return { state: 'unreadable', error: code ?? (error as Error).message };
  }
  try {
    return { state: 'ok', value: text.trim() === '' ? {} : JSON.parse(text) };
  } catch (error) {
    return { state: 'invalid', error: (error as Error).message };
  }
}

function settingsSource(scope: SettingsScope, file: string): SettingsSource {
  const r = readJson(file);
  if (r.state !== 'ok') return { scope, file, state: r.state, ...('error' in r ? { error: r.error } : {}) };
  if (typeof r.value !== 'object' || r.value === null || Array.isArray(r.value)) return { scope, file, state: 'invalid', error: 'not a JSON object' };
  return { scope, file, state: 'ok', settings: r.value as Record<string, unknown> };
}

/** GET /healthz proving the agent token (as the hook client does) rather than sending it: a server that
 *  a rewritten agent-endpoint.json points at learns no token, and only the companion can prove its answer. */
async function health(url: string, token: string | undefined): Promise<NonNullable<DoctorFacts['health']>> {
  try {
    const { status, proven } = await provenRequest(url, token, { method: 'GET', target: AGENT_API_ROUTES.health, timeoutMs: 2000 });
    return status === 200 && proven ? { ok: true } : { ok: false, status, proven };
  } catch (error) {
    return { ok: false, error: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
}

/** `claude --version`, given 5 s. */
export function claudeVersion(env: NodeJS.ProcessEnv = process.env): Promise<DoctorFacts['claude']> {
  return new Promise((resolveVersion) => {
    let out = '';
    let settled = false;
    // Not spawn's own `timeout`: its timer outlives a command that is not found (ENOENT), keeping
    // this process alive for the full 5 s.
    const timer = setTimeout(() => {
      // A shell script's own children may hold stdout open: let go of them all.
      child.kill('SIGKILL');
      child.stdout.destroy();
      child.unref();
      done({ state: 'error', error: 'no answer within 5 s' });
    }, 5000);
    const done = (r: DoctorFacts['claude']): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolveVersion(r);
    };
    const child = spawn('claude', ['--version'], { env, stdio: ['ignore', 'pipe', 'ignore'], shell: process.platform === 'win32' });
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => done(error.code === 'ENOENT' ? { state: 'not-found' } : { state: 'error', error: error.code ?? error.message }));
    child.on('close', (code, signal) => {
      if (signal) return done({ state: 'error', error: `ended by ${signal}` });
      // Through a Windows shell a missing command is exit code 1 with nothing on stdout.
      if (code !== 0) return done(process.platform === 'win32' && code === 1 && out.trim() === '' ? { state: 'not-found' } : { state: 'error', error: `exit code ${code}` });
      done({ state: 'ok', version: out.trim().split('\n')[0] ?? '' });
    });
  });
}

/** Where `name` is on PATH (Windows: with each PATHEXT extension). */
export function findOnPath(name: string, env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform): string | undefined {
  const dirs = (env['PATH'] ?? env['Path'] ?? '').split(platform === 'win32' ? ';' : delimiter).filter((d) => d !== '');
  const exts = platform === 'win32' ? ['', ...(env['PATHEXT'] ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((e) => e !== '')] : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const file = join(dir, name + ext);
      try {
        const s = statSync(file);
        if (s.isFile() && (platform === 'win32' || (s.mode & 0o111) !== 0)) return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}


export async function gatherDoctorFacts(o: DoctorOptions): Promise<DoctorFacts> {
  const env = o.env ?? process.env;
  const dataDir = resolve(o.dataDir);
  const home = o.home ?? env['HOME'] ?? homedir();
  const project = resolve(o.project ?? process.cwd());
  if (o.project !== undefined && (!existsSync(project) || !statSync(project).isDirectory())) throw new DoctorError(`--project ${o.project} is not a folder`);

  let token: DoctorFacts['token'];
  let tokenText: string | undefined;
  const tokenFile = join(dataDir, AGENT_TOKEN_FILE);
  try {
    tokenText = readFileSync(tokenFile, 'utf8').trim();
    token = { state: 'ok', file: tokenFile, sha256: createHash('sha256').update(tokenText).digest('hex'), length: tokenText.length, mode: statSync(tokenFile).mode };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    token = code === 'ENOENT' ? { state: 'absent' } : { state: 'unreadable', error: code ?? (error as Error).message };
  }

  const e = readJson(join(dataDir, AGENT_ENDPOINT_FILE));
  const url = e.state === 'ok' ? (e.value as { url?: unknown } | null)?.url : undefined;
  const endpoint: DoctorFacts['endpoint'] =
    e.state === 'absent' ? { state: 'absent' } : typeof url === 'string' ? { state: 'ok', url } : { state: 'invalid', error: 'error' in e ? e.error : 'it names no url' };
  const healthResult = endpoint.state === 'ok' ? await health(endpoint.url, tokenText) : undefined;

  const l = readJson(join(dataDir, INSTANCE_LOCK_FILE));
  const pid = l.state === 'ok' ? (l.value as { pid?: unknown } | null)?.pid : undefined;
  const lock: DoctorFacts['lock'] = l.state === 'absent' ? { state: 'absent' } : Number.isInteger(pid) && (pid as number) > 0 ? { state: 'ok', pid: pid as number, alive: processAlive(pid as number) } : { state: 'invalid' };

  const files: [SettingsScope, string][] = [
    ['user', join(home, '.claude', 'settings.json')],
    ['project', join(project, '.claude', 'settings.json')],
    ['local', join(project, '.claude', 'settings.local.json')],
    ['managed', o.managedSettingsFile ?? claudeCodeManagedSettingsFile(process.platform)],
  ];
  // The project may be the home folder: its .claude/settings.json is then the user's, read once.
  const seen = new Set<string>();
  const settings = files.filter(([, f]) => !seen.has(resolve(f)) && seen.add(resolve(f))).map(([scope, file]) => settingsSource(scope, file));

  const claude = o.claudeVersion === 'skip' ? { state: 'skipped' as const } : await (o.claudeVersion ?? (() => claudeVersion(env as NodeJS.ProcessEnv)))();

  return {
    platform: process.platform,
    dataDir,
    endpoint,
    health: healthResult,
    lock,
    configuredPort: configuredPort(dataDir),
    claude,
    settings,
    token,
    onPath: findOnPath('cowork-companion', env),
    env,
    exists: (p) => existsSync(p),
  };
}

/** Returns the exit code: 0 when nothing failed, 1 otherwise. */
export async function runDoctorCommand(o: DoctorOptions): Promise<number> {
  const checks = evaluateDoctor(await gatherDoctorFacts(o));
  const ok = doctorOk(checks);
  o.out.write(o.json ? `${JSON.stringify({ ok, checks }, null, 2)}\n` : formatDoctor(checks));
  return ok ? 0 : 1;
}
