// `cowork-companion doctor`: what the gathered facts about this machine say, as findings a person can
// act on (each with its fix). Pure: doctor-command.ts does the file, process and network work and hands
// the facts here, so every finding is unit-tested without a machine. Tokens are compared by their
// SHA-256 and never appear in a finding.
import { createHash } from 'node:crypto';
import { sandboxSupport, sandboxWeakenings } from '../core/clients/index.js';
import { COMPANION_HOOK_EVENTS, isCompanionHook, type CompanionHookEvent, type HookEntry, type Settings } from '../core/clients/index.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';
export interface DoctorCheck {
  id: string;
  status: CheckStatus;
  message: string;
  fix?: string;
}

export type SettingsScope = 'user' | 'project' | 'local' | 'managed';
export interface SettingsSource {
  scope: SettingsScope;
  file: string;
  /** `unreadable`: present but could not be read (permissions); `invalid`: not a JSON object. */
  state: 'absent' | 'ok' | 'invalid' | 'unreadable';
  settings?: Settings;
  error?: string;
}

export interface DoctorFacts {
  platform: NodeJS.Platform;
  dataDir: string;
  /** agent-endpoint.json: absent, unreadable, or the URL it names. */
  endpoint: { state: 'absent' } | { state: 'invalid'; error: string } | { state: 'ok'; url: string };
  /** GET /healthz at the endpoint with the agent token (absent when not probed). */
  health?: { ok: true } | { ok: false; status?: number; proven?: boolean; error?: string };
  /** companion.lock: the pid it names and whether that process lives. */
  lock: { state: 'absent' } | { state: 'invalid' } | { state: 'ok'; pid: number; alive: boolean };
  /** The companion's configured port (its settings), for hooks checked while it is not running. */
  configuredPort: number;
  /** `claude --version`; `skipped` where the caller chose not to look. */
  claude: { state: 'skipped' } | { state: 'not-found' } | { state: 'error'; error: string } | { state: 'ok'; version: string };
  settings: SettingsSource[];
  token: { state: 'absent' } | { state: 'unreadable'; error: string } | { state: 'ok'; file: string; sha256: string; length: number; mode?: number };
  /** Where `cowork-companion` is on PATH, if it is. */
  onPath?: string;
  /** The process environment (telemetry variables, env-var tokens in hook headers). */
  env: Record<string, string | undefined>;
  /** Whether a file exists (the command hooks' paths). */
  exists: (path: string) => boolean;
}

/** Events the companion decides: an http hook for them must block when the companion cannot answer. */
const DECIDING: ReadonlySet<string> = new Set<CompanionHookEvent>(['PreToolUse', 'PermissionRequest']);
const CONNECT = 'cowork-companion connect claude-code';
const START = 'cowork-companion start (or "cowork-companion serve" without a desktop)';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export function claudeCodeManagedSettingsFile(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return '/Library/Application Support/ClaudeCode/managed-settings.json';
  if (platform === 'win32') return 'C:\\ProgramData\\ClaudeCode\\managed-settings.json';
  return '/etc/claude-code/managed-settings.json';
}

function portOf(url: string): number | undefined {
  try {
    const u = new URL(url);
    return u.port === '' ? (u.protocol === 'https:' ? 443 : 80) : Number(u.port);
  } catch {
    return undefined;
  }
}

function companionChecks(f: DoctorFacts): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  const endpointFile = `${f.dataDir}/agent-endpoint.json`;
  if (f.endpoint.state === 'absent') {
    checks.push({ id: 'companion-reachable', status: 'fail', message: `the companion is not running for ${f.dataDir} (no agent-endpoint.json)`, fix: `start it: ${START}` });
  } else if (f.endpoint.state === 'invalid') {
    checks.push({ id: 'companion-reachable', status: 'fail', message: `${endpointFile} cannot be read (${f.endpoint.error})`, fix: `restart the companion (it writes the file anew): ${START}` });
  } else if (f.health?.ok) {
    checks.push({ id: 'companion-reachable', status: 'ok', message: `the companion answers at ${f.endpoint.url} (GET /healthz, proven with the agent token)` });
  } else if (f.health?.status === 200 && !f.health.proven) {
    checks.push({
      id: 'companion-reachable',
      status: 'fail',
      message: `the server at ${f.endpoint.url} answers but cannot prove it is the companion (no valid answer proof): agent-endpoint.json points elsewhere, or the token is not the running companion's`,
      fix: `quit whatever listens there and restart the companion (${START}); if the token was renewed, run "${CONNECT}" again`,
    });
  } else if (f.health?.status === 401) {
    checks.push({
      id: 'companion-reachable',
      status: 'fail',
      message: `the server at ${f.endpoint.url} refuses the data folder's agent token (HTTP 401)`,
      fix: `the token file changed under the running companion: restart it (${START}), then run "${CONNECT}" again`,
    });
  } else {
    const why = f.health === undefined ? 'not probed' : f.health.status !== undefined ? `HTTP ${f.health.status}` : (f.health.error ?? 'no answer');
    checks.push({
      id: 'companion-reachable',
      status: 'fail',
      message: `nothing that is the companion answers at ${f.endpoint.url} within 2 s (${why})`,
      fix: `the companion stopped or hangs; quit it if it still runs, then ${START}`,
    });
  }
  if (f.lock.state === 'ok' && f.lock.alive) {
    checks.push({ id: 'companion-process', status: 'ok', message: `companion process ${f.lock.pid} holds the data folder` });
  } else if (f.lock.state === 'ok') {
    checks.push({ id: 'companion-process', status: 'fail', message: `the lock names process ${f.lock.pid}, which is not running (the companion exited without cleaning up)`, fix: `start it again (the stale lock is taken over): ${START}` });
  } else {
    checks.push({ id: 'companion-process', status: 'fail', message: `no companion process holds ${f.dataDir} (${f.lock.state === 'absent' ? 'no lock file' : 'the lock file is unreadable'})`, fix: `start it: ${START}` });
  }
  return checks;
}

function claudeCheck(f: DoctorFacts): DoctorCheck[] {
  const install = 'npm i -g @anthropic-ai/claude-code';
  switch (f.claude.state) {
    case 'skipped':
      return [];
    case 'ok':
      return [{ id: 'claude-code', status: 'ok', message: `Claude Code ${f.claude.version}` }];
    case 'not-found':
      return [{ id: 'claude-code', status: 'warn', message: 'Claude Code ("claude") is not on PATH', fix: `install it: ${install} (or put its folder on PATH)` }];
    case 'error':
      return [{ id: 'claude-code', status: 'warn', message: `"claude --version" failed (${f.claude.error})`, fix: `check the install (reinstall: ${install})` }];
  }
}

interface Located {
  event: string;
  source: SettingsSource;
  hook: HookEntry;
}

/** Every companion hook in the readable settings files. */
function companionHooks(sources: SettingsSource[]): Located[] {
  const found: Located[] = [];
  for (const source of sources) {
    const hooks = source.settings?.['hooks'];
    if (typeof hooks !== 'object' || hooks === null || Array.isArray(hooks)) continue;
    for (const [event, groups] of Object.entries(hooks as Record<string, unknown>)) {
      if (!Array.isArray(groups)) continue;
      for (const group of groups) {
        const list = (group as { hooks?: unknown } | null)?.hooks;
        if (!Array.isArray(list)) continue;
        for (const hook of list) if (isCompanionHook(hook)) found.push({ event, source, hook: hook as HookEntry });
      }
    }
  }
  return found;
}

const where = (s: SettingsSource): string => `${s.file} (${s.scope})`;

/** The words of a shell command, with single and double quotes taken off (enough for what connect writes). */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  const re = /'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (const m of command.matchAll(re)) words.push(m[1] ?? m[2]?.replace(/\\(.)/g, '$1') ?? m[3] ?? '');
  return words;
}

function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

function hookProblems(l: Located, f: DoctorFacts, companionPort: { port: number; running: boolean } | undefined): DoctorCheck[] {
  const problems: DoctorCheck[] = [];
  const id = (what: string): string => `hook-${l.event}-${what}`;
  const at = `${l.event} in ${where(l.source)}`;
  if (l.hook['type'] === 'http') {
    const url = String(l.hook['url']);
    if (DECIDING.has(l.event) && l.hook['onFailure'] !== 'block') {
      problems.push({
        id: id('on-failure'),
        status: 'fail',
        message: `${at}: the http hook has no "onFailure": "block", so an unreachable companion lets the call through`,
        fix: `run "${CONNECT}" (it sets it), or add "onFailure": "block" to that hook`,
      });
    }
    const port = portOf(url);
    if (companionPort && port !== companionPort.port) {
      problems.push({
        id: id('port'),
        status: 'fail',
        message: `${at}: the hook calls port ${port}, but the companion ${companionPort.running ? 'runs on' : 'is set to use'} port ${companionPort.port}`,
        fix: `run "${CONNECT}"${l.source.scope === 'user' ? '' : ` for that file (${l.source.scope === 'managed' ? 'ask your administrator' : '--project'})`} to point it at the companion`,
      });
    }
    const headers = l.hook['headers'];
    const auth = typeof headers === 'object' && headers !== null ? Object.entries(headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1] : undefined;
    const bearer = typeof auth === 'string' ? /^Bearer\s+(.+)$/i.exec(auth.trim())?.[1] : undefined;
    if (bearer === undefined) {
      problems.push({ id: id('token'), status: 'fail', message: `${at}: the http hook sends no "Authorization: Bearer" token, so the companion refuses it`, fix: `run "${CONNECT}"` });
    } else if (f.token.state === 'ok') {
      const envVar = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(bearer)?.[1];
      const value = envVar === undefined ? bearer : f.env[envVar];
      if (value === undefined) {
        problems.push({
          id: id('token'),
          status: 'warn',
          message: `${at}: the hook's token comes from $${envVar}, which is not set here, so it cannot be checked`,
          fix: `set ${envVar} where Claude Code starts, or run "${CONNECT}" (it puts the token into the hook itself)`,
        });
      } else if (sha256(value.trim()) !== f.token.sha256) {
        problems.push({
          id: id('token'),
          status: 'fail',
          message: `${at}: the hook's token is not the data folder's agent token (${envVar === undefined ? 'the header' : `$${envVar}`} differs), so the companion refuses it`,
          fix: `run "${CONNECT}" again (the token was renewed, or the hook is for another data folder)`,
        });
      }
    }
  } else if (l.hook['type'] === 'command') {
    const words = shellWords(String(l.hook['command']));
    const at0 = words.findIndex((w) => /cowork-companion(\.js|-hook)?$/.test(w));
    const missing = words.slice(0, Math.max(at0 + 1, 0)).filter((w) => isAbsolutePath(w) && !f.exists(w));
    if (missing.length > 0) {
      problems.push({
        id: id('command'),
        status: 'fail',
        message: `${at}: the command hook runs ${missing.join(', ')}, which does not exist (a command that is not found does not block)`,
        fix: `run "${CONNECT}" again from the install you use now`,
      });
    }
    // The bash client needs bash and a SHA-256 program where it looks for them (never on PATH).
    if (/cowork-companion-hook$/.test(words[at0] ?? '')) {
      const sha256 = ['/usr/bin/sha256sum', '/bin/sha256sum', '/usr/bin/shasum', '/usr/bin/openssl'];
      const lacking = [...(f.exists('/bin/bash') ? [] : ['/bin/bash']), ...(sha256.some((p) => f.exists(p)) ? [] : ['a SHA-256 program (sha256sum, shasum or openssl in /usr/bin or /bin)'])];
      if (lacking.length > 0) {
        problems.push({
          id: id('command'),
          status: 'fail',
          message: `${at}: the bash hook client needs ${lacking.join(' and ')}, which this machine lacks, so it denies every call`,
          fix: `install what is missing (coreutils has sha256sum), or run "${CONNECT} --hook-client node"`,
        });
      }
    }
    const fingerprint = words[words.indexOf('--token-sha256') + 1];
    if (words.includes('--token-sha256') && fingerprint !== undefined && f.token.state === 'ok' && !f.token.sha256.startsWith(fingerprint.toLowerCase())) {
      problems.push({
        id: id('token'),
        status: 'fail',
        message: `${at}: the command hook expects another agent token (--token-sha256 differs), so it denies every call`,
        fix: `run "${CONNECT}" again (the token was renewed, or the hook is for another data folder)`,
      });
    }
  }
  return problems;
}

function hookChecks(f: DoctorFacts, located: Located[]): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  for (const s of f.settings) {
    if (s.state === 'invalid') checks.push({ id: `settings-${s.scope}`, status: 'fail', message: `${where(s)} is not a valid settings file (${s.error ?? 'not a JSON object'})`, fix: 'fix the JSON in that file (Claude Code does not use it as it is)' });
    if (s.state === 'unreadable') checks.push({ id: `settings-${s.scope}`, status: 'warn', message: `${where(s)} cannot be read (${s.error ?? 'unreadable'}), so its hooks are not checked` });
  }
  const looked = f.settings.filter((s) => s.state !== 'absent').map(where);
  const running = f.endpoint.state === 'ok' ? portOf(f.endpoint.url) : undefined;
  const companionPort = running !== undefined ? { port: running, running: true } : f.configuredPort > 0 ? { port: f.configuredPort, running: false } : undefined;
  for (const event of COMPANION_HOOK_EVENTS) {
    const here = located.filter((l) => l.event === event);
    if (here.length === 0) {
      const deciding = DECIDING.has(event);
      checks.push({
        id: `hook-${event}`,
        status: deciding ? 'fail' : 'warn',
        message: `${event}: no Cowork Companion hook (${looked.length > 0 ? `looked in ${looked.join(', ')}` : 'no Claude Code settings file found'})${deciding ? ', so Claude Code does not ask the companion' : ''}`,
        fix: `run "${CONNECT}"`,
      });
      continue;
    }
    const kinds = here.map((l) => `${String(l.hook['type'])} hook in ${where(l.source)}`);
    if (here.length > 1) {
      checks.push({
        id: `hook-${event}`,
        status: 'warn',
        message: `${event}: ${here.length} companion hooks (${kinds.join('; ')}); Claude Code runs each, so the companion hears every call ${here.length} times`,
        fix: `keep one: "cowork-companion disconnect claude-code" (with --project DIR for a project's file) where it is not wanted`,
      });
    } else {
      checks.push({ id: `hook-${event}`, status: 'ok', message: `${event}: ${kinds[0]}` });
    }
    for (const l of here) checks.push(...hookProblems(l, f, companionPort));
  }
  return checks;
}

function pathCheck(f: DoctorFacts, located: Located[]): DoctorCheck {
  if (f.onPath) return { id: 'command-on-path', status: 'ok', message: `cowork-companion is on PATH (${f.onPath})` };
  const commands = located.filter((l) => l.hook['type'] === 'command').map((l) => shellWords(String(l.hook['command'])));
  const bare = commands.filter((w) => w.some((x) => x === 'cowork-companion'));
  if (bare.length > 0) {
    return {
      id: 'command-on-path',
      status: 'fail',
      message: 'cowork-companion is not on PATH, and command hooks call it by name (Claude Code cannot find it; a command that is not found does not block)',
      fix: `put the install's bin folder on PATH, or run "${CONNECT}" (it writes an absolute path)`,
    };
  }
  if (commands.length > 0) return { id: 'command-on-path', status: 'ok', message: 'cowork-companion is not on PATH; that is fine: the command hooks call it by its absolute path' };
  return { id: 'command-on-path', status: 'warn', message: 'cowork-companion is not on PATH (the hooks do not need it; typing the commands does)', fix: "put the install's bin folder on PATH (from a checkout: npm link)" };
}

function tokenCheck(f: DoctorFacts): DoctorCheck {
  const file = `${f.dataDir}/agent-token`;
  if (f.token.state === 'absent') return { id: 'agent-token', status: 'fail', message: `there is no agent token (${file})`, fix: `start the companion once, or run "${CONNECT}" (either makes it)` };
  if (f.token.state === 'unreadable') return { id: 'agent-token', status: 'fail', message: `the agent token cannot be read (${f.token.error})`, fix: `make ${file} readable by you only: chmod 600 "${file}"` };
  if (f.token.length < 32) return { id: 'agent-token', status: 'fail', message: `${f.token.file} holds no valid token (too short)`, fix: `restart the companion (it makes a new one), then run "${CONNECT}" again` };
  if (f.platform !== 'win32' && f.token.mode !== undefined && (f.token.mode & 0o077) !== 0) {
    return {
      id: 'agent-token',
      status: 'fail',
      message: `${f.token.file} is readable by others (mode ${(f.token.mode & 0o777).toString(8).padStart(3, '0')}): another local user could submit requests as your agent`,
      fix: `chmod 600 "${f.token.file}"`,
    };
  }
  return { id: 'agent-token', status: 'ok', message: `the agent token is readable, by you only (${f.token.file})` };
}

/** Claude Code's env as it resolves it: managed settings over local over project over user, then the
 *  process environment; each value with where it came from. */
function claudeEnv(f: DoctorFacts, name: string): { value: string; from: string; file?: string } | undefined {
  for (const scope of ['managed', 'local', 'project', 'user'] as const) {
    const source = f.settings.find((s) => s.scope === scope);
    const env = source?.settings?.['env'];
    const value = typeof env === 'object' && env !== null && !Array.isArray(env) ? (env as Record<string, unknown>)[name] : undefined;
    if (typeof value === 'string') return { value, from: `${scope} settings`, file: source!.file };
  }
  const value = f.env[name];
  return value !== undefined ? { value, from: 'environment' } : undefined;
}

const isRelay = (url: URL): boolean => ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) && url.pathname === '/v1/logs';

/** The bearer token Claude Code's logs exporter sends: it joins the general header list under the logs'
 *  own, the logs' one winning per header. */
function logsBearer(f: DoctorFacts): { token: string; key: string; from: string; file?: string } | undefined {
  for (const key of ['OTEL_EXPORTER_OTLP_LOGS_HEADERS', 'OTEL_EXPORTER_OTLP_HEADERS']) {
    const header = claudeEnv(f, key);
    const token = header ? /(?:^|,)\s*authorization\s*=\s*Bearer(?:\s|%20)+([^,\s]+)/i.exec(header.value)?.[1] : undefined;
    if (token !== undefined && header) return { token, key, from: header.from, ...(header.file ? { file: header.file } : {}) };
  }
  return undefined;
}

/** The agent token going with Claude Code's logs to a destination that is not the companion's relay:
 *  whoever receives them there could act as this person's agent towards the companion. */
function tokenLeakCheck(f: DoctorFacts, destination: { shown: string; from: string }): DoctorCheck[] {
  const bearer = logsBearer(f);
  if (!bearer || f.token.state !== 'ok' || sha256(bearer.token) !== f.token.sha256) return [];
  const inFile = bearer.file ? `the "env" of ${bearer.file}` : 'the environment Claude Code starts in';
  const managed = destination.from === 'managed settings';
  return [
    {
      id: 'telemetry-token',
      status: 'warn',
      message: `Claude Code sends the companion's agent token (${bearer.key}, ${bearer.from}) with its logs to ${destination.shown} (${destination.from}), which is not the companion: whoever receives them there can pose as your agent to the companion`,
      fix: `${bearer.from === 'user settings' || bearer.from === 'project settings' ? `run "cowork-companion disconnect claude-code"${bearer.from === 'project settings' ? ' --project <that folder>' : ''} then "${CONNECT}" (it takes the relay's keys out where they are not used), or ` : ''}remove ${bearer.key} from ${inFile}${managed ? '; and ask IT to generate the managed settings again (newer ones pin the header lists empty)' : ''}`,
    },
  ];
}

function telemetryCheck(f: DoctorFacts): DoctorCheck[] {
  const main = telemetryMain(f);
  return [main.check, ...(main.destination ? tokenLeakCheck(f, main.destination) : [])];
}

/** The telemetry finding, and where the logs go when that is not the companion's relay. */
function telemetryMain(f: DoctorFacts): { check: DoctorCheck; destination?: { shown: string; from: string } } {
  const enabled = claudeEnv(f, 'CLAUDE_CODE_ENABLE_TELEMETRY');
  const exporter = claudeEnv(f, 'OTEL_LOGS_EXPORTER');
  const logsEndpoint = claudeEnv(f, 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT');
  const general = claudeEnv(f, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const missing = [
    ...(enabled && !['0', 'false', ''].includes(enabled.value.trim().toLowerCase()) ? [] : ['CLAUDE_CODE_ENABLE_TELEMETRY']),
    ...(exporter?.value.split(',').map((e) => e.trim()).includes('otlp') ? [] : ['OTEL_LOGS_EXPORTER']),
    ...(logsEndpoint || general ? [] : ['OTEL_EXPORTER_OTLP_LOGS_ENDPOINT']),
  ];
  if (missing.length > 0) {
    const check: DoctorCheck = {
      id: 'telemetry',
      status: 'warn',
      message: `advice: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set (Claude Code's settings "env" or this environment); Claude Code's own events (tool_decision, tool_result) cannot be joined with the companion's`,
      fix: `run ${CONNECT}: it points Claude Code's own logs at the companion, which forwards them to your collector with its decisions (docs/telemetry.md, "The agent's own telemetry")`,
    };
    return { check };
  }
  let url: URL | undefined;
  try {
    url = logsEndpoint ? new URL(logsEndpoint.value) : undefined;
  } catch {
    url = undefined;
  }
  const where = logsEndpoint ?? general!;
  if (url && isRelay(url)) {
    const port = f.endpoint.state === 'ok' ? portOf(f.endpoint.url) : f.configuredPort;
    if (port !== undefined && port !== 0 && Number(url.port) !== port) {
      return { check: { id: 'telemetry', status: 'warn', message: `Claude Code's own logs go to port ${url.port} (${where.from}), but the companion listens on ${port}: they are lost`, fix: `run ${CONNECT} again` } };
    }
    const bearer = logsBearer(f)?.token;
    if (f.token.state === 'ok' && (bearer === undefined || sha256(bearer) !== f.token.sha256)) {
      return { check: { id: 'telemetry', status: 'warn', message: `Claude Code's own logs go to the companion's relay (${where.from}) ${bearer === undefined ? 'without the agent token' : 'with a token that is not the companion\'s'}: it refuses them`, fix: `run ${CONNECT} again` } };
    }
    return { check: { id: 'telemetry', status: 'ok', message: `Claude Code's own logs go to the companion's relay (${url.origin}${url.pathname}, ${where.from}): joined with its decisions by session and forwarded to the collector with them` } };
  }
  const shown = url?.origin ?? where.value;
  return {
    check: { id: 'telemetry', status: 'ok', message: `Claude Code's telemetry is on and goes to ${shown} (${where.from}), so its events can be joined with the companion's there` },
    destination: { shown, from: where.from },
  };
}

const sandboxOf = (s: SettingsSource): Record<string, unknown> | undefined => {
  const v = s.settings?.['sandbox'];
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
};

/** Claude Code's Bash sandbox: on, able to run here, and not weakened by a project's settings. */
function sandboxChecks(f: DoctorFacts): DoctorCheck[] {
  const sources = f.settings.filter((s) => s.state === 'ok');
  const on = sources.filter((s) => sandboxOf(s)?.['enabled'] === true && (s.scope === 'user' || s.scope === 'managed'));
  const support = sandboxSupport(f.platform, f.exists);
  const checks: DoctorCheck[] = [];
  if (on.length === 0) {
    checks.push({
      id: 'sandbox',
      status: 'warn',
      message: "Claude Code's Bash sandbox is not on: only the hooks stand between a Bash command and files outside the shared folders (a command's targets cannot always be read from its text)",
      fix: support.ok ? `run "${CONNECT}" (it sets the sandbox up from your shared folders)` : `${support.fix}, then run "${CONNECT}"`,
    });
  } else if (!support.ok) {
    checks.push({ id: 'sandbox', status: 'fail', message: `Claude Code's Bash sandbox is on (${on.map((s) => s.file).join(', ')}) but cannot run here: ${support.reason}; with failIfUnavailable Claude Code refuses to start`, fix: support.fix });
  } else {
    checks.push({ id: 'sandbox', status: 'ok', message: `Claude Code's Bash sandbox is on (${on.map((s) => s.file).join(', ')}), and this machine can run it` });
  }
  const locked = sources.some((s) => s.scope === 'managed' && sandboxOf(s)?.['allowUnsandboxedCommands'] === false);
  for (const s of sources.filter((x) => x.scope === 'project' || x.scope === 'local')) {
    const weakens = s.settings ? sandboxWeakenings(s.settings) : [];
    if (weakens.length === 0) continue;
    checks.push({
      id: `sandbox-${s.scope}`,
      status: locked ? 'ok' : 'warn',
      message: `${s.file} (${s.scope}) ${weakens.join('; ')}${locked ? ' — ignored: managed settings lock the sandbox' : ''}`,
      ...(locked ? {} : { fix: 'remove those keys from the project\'s settings, or have IT lock the sandbox in managed settings ({"sandbox": {"allowUnsandboxedCommands": false}})' }),
    });
  }
  return checks;
}

/** The findings, in the order they are shown. */
export function evaluateDoctor(f: DoctorFacts): DoctorCheck[] {
  const located = companionHooks(f.settings.filter((s) => s.state === 'ok'));
  return [...companionChecks(f), ...claudeCheck(f), ...hookChecks(f, located), pathCheck(f, located), tokenCheck(f), ...sandboxChecks(f), ...telemetryCheck(f)];
}

export function doctorOk(checks: DoctorCheck[]): boolean {
  return checks.every((c) => c.status !== 'fail');
}

const MARK: Record<CheckStatus, string> = { ok: '✓', warn: '!', fail: '✗' };

export function formatDoctor(checks: DoctorCheck[]): string {
  const lines = checks.map((c) => `${MARK[c.status]} ${c.message}${c.fix ? `\n    fix: ${c.fix}` : ''}`);
  const fails = checks.filter((c) => c.status === 'fail').length;
  const warns = checks.filter((c) => c.status === 'warn').length;
  lines.push('', fails === 0 ? `All needed checks pass${warns > 0 ? ` (${warns} to look at)` : ''}.` : `${fails} problem${fails === 1 ? '' : 's'} to fix${warns > 0 ? `, ${warns} to look at` : ''}.`);
  return `${lines.join('\n')}\n`;
}
