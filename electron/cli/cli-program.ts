// cowork-companion's commands: serve (headless core + agent API + web UI), start (tray app, or headless
// where Electron cannot start), hook (Claude Code command hook client), scope, connect/disconnect,
// policy, doctor, timeline. Run by the Node entry (cli.ts) and by the packaged tray app, whose Electron binary
// cannot run as plain Node (its fuses forbid it) but takes these commands on its own command line.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Snapshot } from '../../shared/ui-contract.js';
import { defaultDataDir, refuseInspector } from '../core/base/index.js';
import { isCliCommand } from './cli-commands.js';
import { electronAvailability } from './electron-availability.js';
import { passwdDataDir, runHookClient } from './hook-client.js';

const USAGE = `Usage: cowork-companion <command> [options]

Commands:
  start   Run the tray app; where Electron cannot start, say why and run "serve"
  serve   Headless: core + agent API + web UI on 127.0.0.1; prints one JSON line when ready
  hook    Claude Code "command" hook: payload on stdin, answer on stdout
  scope list | add PATH [--mode read|read-write] [--label L] [--expires WHEN] [--yes] | remove PATH
          the shared folders agents may touch (works whether or not the app is running); PATH may
          be relative (".") or start with ~; WHEN is a duration (30m, 2h, 1d, 1w) or a date
          (2026-12-31, 2026-12-31T18:00); adding a folder already shared changes only what is given
  connect claude-code [--project DIR] [--print] [--command-hooks] [--hook-client bash|node] [--no-sandbox]
          [--no-telemetry-relay]
          put the companion's hooks into Claude Code's settings (~/.claude/settings.json, or DIR's
          .claude/settings.json), and point its own telemetry at the companion, keeping everything
          else; backs the old file up
  disconnect claude-code [--project DIR] [--print]
          take them out again
  policy generate --out DIR
          write IT's templates from the policy schema: ADMX/ADML, a configuration profile, a JSON
          Schema with an example, and Claude Code's managed settings
  policy show [--json] [--policy FILE]
          the policy in force on this machine: each key, where it came from, whether it is locked
  policy check FILE [--json]
          validate a policy file before rollout; every error with its key path and place
  timeline [--since WHEN] [--until WHEN] [--session S] [--tool T] [--decision allow|deny|ask|hold]
           [--decided-by user|policy|rule|timeout] [--folder DIR] [--text WORDS] [--limit N] [--json]
          what happened: the recorded events that match, oldest first (the newest N, default 1000;
          works whether or not the app is running); WHEN is a duration before now (30m, 1h, 2d) or a
          date and time; ask = requests put to a person; DIR: working folders and changed files at
          or below it; S: a run id or its first 4+ characters; WORDS must all appear (word
          prefixes; then the newest N in journal order)
  doctor [--json] [--project DIR]
          check the setup (companion running, Claude Code, its hooks, PATH, token, telemetry) and
          say how to fix what is wrong; exits 1 when something must be fixed

Options:
  --data-dir DIR     data folder (default: ${defaultDataDir()})
  --port N           loopback port for serve/start (0 = any free port; default from settings: 47615)
  --budget-ms N      how long a hook waits for a person before it is denied
  --url URL          hook: companion address (default: read from the data folder)
  --token-file FILE  hook: agent token file (default: <data-dir>/agent-token)
  --fail-open        hook: when the companion is not running, let Claude Code ask instead of denying
  --token-sha256 H   hook: refuse an agent token whose SHA-256 does not start with H (connect sets it)
  --managed          hook: IT's machine-wide hook: the data folder from the user database's home, no
                     --data-dir/--url, and COWORK_COMPANION_* / XDG_CONFIG_HOME / HOME ignored
  --policy FILE      a managed policy JSON file instead of this machine's managed sources (policy.json
                     and policy.d, managed preferences, the registry); refused where any of them exists
  --no-watch         serve/start: do not watch files during agent runs (no run manifests)
  --hidden           start: open in the tray without showing the window (what start at login uses)
  --stdin-links      serve: a line on a non-terminal stdin prints a new Inbox address (for scripts
                     that own the pipe; without it only a terminal's Enter does)
  --json             scope/doctor/policy show/policy check/timeline: machine-readable output (timeline:
                     one JSON array of events, attributes named as in the evidence schema)
  --out DIR          policy generate: where the templates go
  --yes              scope add: share a broad folder (a disk's top, a home or system folder, one
                     around a protected location) after reading what it means
  --project DIR      connect/disconnect: a project's settings instead of the user's; doctor: the
                     project whose settings are checked too (default: the current folder)
  --print            connect/disconnect: show the result, write nothing
  --command-hooks    connect: command hooks for every event (no http)
  --hook-client K    connect: the command hook client, bash (bin/cowork-companion-hook; default
                     where /bin/bash is) or node (cowork-companion hook)
  --sandbox, --no-sandbox
                     connect: Claude Code's Bash sandbox made from the shared folders and kept in step
                     with them (default: on where bubblewrap and socat, or Seatbelt, are there)
  --no-telemetry-relay
                     connect: leave Claude Code's own telemetry alone (default: its logs go to the
                     companion's /v1/logs, unless the settings file sends them elsewhere already)
  -h, --help         show this help
  -v, --version      show the version`;

class UsageError extends Error {}

function intOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max} (got "${value}")`);
  return n;
}

function oneOf<T extends string>(value: string | undefined, name: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  return value as T;
}

async function serve(values: Record<string, string | boolean | undefined>, humanAddress: boolean): Promise<void> {
  refuseInspector((line) => process.stderr.write(`${line}\n`));
  const { createCompanionCore } = await import('../core/app/index.js');
  const staticDir = fileURLToPath(new URL('../../renderer', import.meta.url));
  if (!existsSync(`${staticDir}/index.html`)) throw new UsageError(`the web UI is not built (${staticDir}); run "npm run build" first`);
  const core = await createCompanionCore({
    dataDir: (values['data-dir'] as string | undefined) ?? defaultDataDir(),
    port: intOption(values['port'] as string | undefined, 'port', 0, 65535),
    decisionBudgetMs: intOption(values['budget-ms'] as string | undefined, 'budget-ms', 100, 3_600_000),
    policyFile: values['policy'] as string | undefined,
    watch: values['no-watch'] !== true,
    webUi: { staticDir },
  });
  process.stdout.write(`${JSON.stringify({ event: 'ready', agentApiUrl: core.agentApiUrl, uiUrl: core.uiUrl, tokenFile: core.tokenFile, dataDir: core.dataDir, pid: process.pid })}\n`);
  if (humanAddress) process.stderr.write(`Cowork Companion is running headless. Open the Inbox: ${core.uiUrl}\n`);
  // A broken or doubtful IT policy is said when serve starts and again only when what is in force
  // changes (the file is checked every 2 s; an unchanged problem is not repeated).
  const { policyReportLines } = await import('../core/policy/index.js');
  let policyReported: string | undefined;
  const reportPolicy = (view: Snapshot['policy']): void => {
    const key = JSON.stringify(view);
    if (key === policyReported) return;
    // A policy that is fine is not news: said only once it follows a problem.
    if (policyReported === undefined && (view.state === 'ok' || view.state === 'none')) return;
    policyReported = key;
    for (const line of policyReportLines(view)) process.stderr.write(`${line}\n`);
  };
  reportPolicy(core.getSnapshot().policy);
  core.onSnapshot((snapshot) => reportPolicy(snapshot.policy));
  // Each address works once (browsers keep visited addresses in their history files); Enter in the
  // terminal prints a fresh one. Only a terminal: another process of the user can write into a pipe
  // (through /proc/<pid>/fd/0), but what it writes to a terminal is shown, not typed.
  const linksFromStdin = process.stdin.isTTY === true || values['stdin-links'] === true;
  if (humanAddress) {
    process.stderr.write(
      linksFromStdin ? 'Each address works once; press Enter here for a new one.\n' : 'Each address works once; run serve in a terminal to get new ones with Enter.\n',
    );
  }
  if (linksFromStdin) {
    createInterface({ input: process.stdin }).on('line', () => {
      const uiUrl = core.newUiUrl();
      process.stdout.write(`${JSON.stringify({ event: 'ui-link', uiUrl })}\n`);
      if (humanAddress) process.stderr.write(`New Inbox address: ${uiUrl}\n`);
    });
  }
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`cowork-companion: ${signal}, shutting down (pending requests are denied, telemetry flushed)\n`);
    core.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`cowork-companion: shutdown error: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function start(values: Record<string, string | boolean | undefined>): Promise<void> {
  refuseInspector((line) => process.stderr.write(`${line}\n`));
  const electron = electronAvailability();
  if (!electron.ok) {
    process.stderr.write(`Cowork Companion: cannot start the tray app because ${electron.reason}; running headless instead.\n`);
    return serve(values, true);
  }
  const main = fileURLToPath(new URL('../main/main.js', import.meta.url));
  const forward = (['data-dir', 'port', 'policy'] as const).filter((k) => typeof values[k] === 'string').map((k) => `--${k}=${String(values[k])}`);
  if (values['no-watch'] === true) forward.push('--no-watch');
  if (values.hidden === true) forward.push('--hidden');
  const child = spawn(electron.binary, [main, ...forward], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

/** Runs a command; its own error (a reason a person can act on, not a fault) is said on stderr, exit 1. */
async function said(name: string, reasons: new (...args: never[]) => Error, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof reasons)) throw error;
    process.stderr.write(`cowork-companion ${name}: ${error.message}\n`);
    return 1;
  }
}

/** Runs one command line (without the program); resolves with the exit code, or -1 while serving. */
export async function runCli(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      'budget-ms': { type: 'string' },
      url: { type: 'string' },
      'token-file': { type: 'string' },
      'fail-open': { type: 'boolean' },
      'token-sha256': { type: 'string' },
      managed: { type: 'boolean' },
      policy: { type: 'string' },
      'no-watch': { type: 'boolean' },
      hidden: { type: 'boolean' },
      'stdin-links': { type: 'boolean' },
      json: { type: 'boolean' },
      mode: { type: 'string' },
      label: { type: 'string' },
      expires: { type: 'string' },
      yes: { type: 'boolean' },
      project: { type: 'string' },
      out: { type: 'string' },
      print: { type: 'boolean' },
      'command-hooks': { type: 'boolean' },
      'hook-client': { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      session: { type: 'string' },
      tool: { type: 'string' },
      decision: { type: 'string' },
      'decided-by': { type: 'string' },
      folder: { type: 'string' },
      text: { type: 'string' },
      limit: { type: 'string' },
      sandbox: { type: 'boolean' },
      'no-sandbox': { type: 'boolean' },
      'no-telemetry-relay': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (values.version) {
    const { appVersion } = await import('../core/base/index.js');
    process.stdout.write(`${appVersion()}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 64;
  }
  if (!isCliCommand(command)) throw new UsageError(`unknown command "${command}"`);
  if (command === 'scope') {
    if (rest.length > 2) throw new UsageError(`unexpected argument "${rest[2]}"`);
    const { runScopeCommand, ScopeCommandError } = await import('./scope-command.js');
    return said('scope', ScopeCommandError, () => runScopeCommand(rest[0], rest[1], {
        dataDir: values['data-dir'] ?? defaultDataDir(),
        policyFile: values.policy,
        json: values.json ?? false,
        mode: values.mode,
        label: values.label,
        expires: values.expires,
        yes: values.yes ?? false,
        out: process.stdout,
      }));
  }
  if (command === 'policy') {
    const { runPolicyCommand, PolicyCommandError } = await import('./policy-command.js');
    return said('policy', PolicyCommandError, () => runPolicyCommand(rest[0], rest.slice(1), { out: values.out, policyFile: values.policy, json: values.json ?? false, stdout: process.stdout }));
  }
  if (command === 'connect' || command === 'disconnect') {
    if (rest.length > 1) throw new UsageError(`unexpected argument "${rest[1]}"`);
    const { runConnectCommand, ConnectError, HOOK_CLIENT_KINDS } = await import('./connect-command.js');
    return said(command, ConnectError, () => runConnectCommand(command, rest[0], {
        dataDir: values['data-dir'] ?? defaultDataDir(),
        project: values.project,
        print: values.print ?? false,
        port: intOption(values.port, 'port', 0, 65535),
        commandHooks: values['command-hooks'] ?? false,
        hookClient: oneOf(values['hook-client'], 'hook-client', HOOK_CLIENT_KINDS),
        ...(values['no-sandbox'] ? { sandbox: false } : values.sandbox ? { sandbox: true } : {}),
        ...(values['no-telemetry-relay'] ? { telemetryRelay: false } : {}),
        out: process.stdout,
      }));
  }
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  if (command === 'timeline') {
    const { runTimelineCommand, TimelineCommandError } = await import('./timeline-command.js');
    return said('timeline', TimelineCommandError, () => runTimelineCommand({
        dataDir: values['data-dir'] ?? defaultDataDir(),
        policyFile: values.policy,
        since: values.since,
        until: values.until,
        session: values.session,
        tool: values.tool,
        decision: values.decision,
        decidedBy: values['decided-by'],
        folder: values.folder,
        text: values.text,
        limit: values.limit,
        json: values.json ?? false,
        out: process.stdout,
      }));
  }
  if (command === 'doctor') {
    const { runDoctorCommand, DoctorError } = await import('./doctor-command.js');
    return said('doctor', DoctorError, () => runDoctorCommand({ dataDir: values['data-dir'] ?? defaultDataDir(), project: values.project, json: values.json ?? false, out: process.stdout }));
  }
  switch (command) {
    case 'hook':
      if (values.managed && (values['data-dir'] !== undefined || values.url !== undefined)) {
        process.stderr.write('cowork-companion hook: --managed takes the data folder from the password database: it cannot be given --data-dir or --url; blocking.\n');
        return 2;
      }
      let hookDataDir: string;
      try {
        hookDataDir = values.managed ? passwdDataDir() : (values['data-dir'] ?? defaultDataDir());
      } catch (error) {
        // Exit 2 blocks the tool call; any other failure would let it through.
        process.stderr.write(`cowork-companion hook: ${(error as Error).message}\n`);
        return 2;
      }
      return runHookClient({
        dataDir: hookDataDir,
        managed: values.managed ?? false,
        url: values.url,
        tokenFile: values['token-file'],
        failOpen: values['fail-open'] ?? false,
        tokenSha256: values['token-sha256'],
        stdin: process.stdin,
        stdout: process.stdout,
        stderr: process.stderr,
      });
    case 'serve':
      await serve(values, false);
      return -1;
    case 'start':
      await start(values);
      return -1;
    default: {
      // Every command in CLI_COMMANDS is handled above: a new one that is not fails to compile here.
      const unhandled: never = command;
      throw new UsageError(`unknown command "${String(unhandled)}"`);
    }
  }
}

/** One line a person can act on, for the ways starting can fail. */
function startFailure(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { port?: number };
  if (e.code === 'EADDRINUSE') return `the port${e.port !== undefined ? ` ${e.port}` : ''} is in use by another program; choose another with --port (0 picks a free one)`;
  return e.message;
}

/** What a command that threw says on stderr, and the exit code it ends with. */
export function cliFailure(error: unknown): { text: string; code: number } {
  const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  return {
    text: `cowork-companion: ${startFailure(error)}\n${usage ? 'Run "cowork-companion --help" for usage.\n' : ''}`,
    code: usage ? 64 : (error as { code?: string }).code === 'already_running' ? 3 : 1,
  };
}
