// Command-line options of the Electron main process (the CLI's `start` may forward them), and the CLI
// commands the packaged app runs instead of starting (its binary cannot run as plain Node).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { APP_CLI_COMMANDS } from '../cli/cli-commands.js';

const APP_CLI_FLAGS = ['--version', '-v', '--help', '-h'];

/**
 * Chromium switches that would hand the app to another program: a DevTools endpoint (which can click
 * Approve), a wrapper or replacement run for every child process, flags for the JavaScript engine. The
 * agent runs as the same user and could restart the app with them; the fuses cover only Node's own
 * (--inspect, NODE_OPTIONS).
 */
const REFUSED_SWITCHES = [
  'remote-debugging-port',
  'remote-debugging-pipe',
  'remote-debugging-address',
  'remote-allow-origins',
  'js-flags',
  'renderer-cmd-prefix',
  'gpu-launcher',
  'utility-cmd-prefix',
  'browser-subprocess-path',
  'load-extension',
] as const;

/** The refused switches on a command line (`--name` or `--name=value`; Chromium also takes a single dash). */
export function refusedSwitches(argv: readonly string[]): string[] {
  const found = argv.flatMap((arg) => {
    const m = /^--?([a-z0-9-]+)(?:=|$)/i.exec(arg);
    const name = m?.[1]?.toLowerCase();
    return name !== undefined && (REFUSED_SWITCHES as readonly string[]).includes(name) ? [name] : [];
  });
  return [...new Set(found)];
}

/**
 * The CLI command line when the app was started to run one (`cowork-companion policy show`), else
 * undefined. argv[1] is the app's own entry when Electron runs an app folder or file (development, or a
 * Node process loading it) and is skipped; the packaged binary's arguments start at argv[1].
 */
export function appCliArgs(argv: readonly string[], o: { defaultApp: boolean; ownFile: string }): string[] | undefined {
  const skipEntry = o.defaultApp || (argv[1] !== undefined && resolve(argv[1]) === o.ownFile);
  const args = argv.slice(skipEntry ? 2 : 1);
  const first = args[0];
  if (first === undefined) return undefined;
  return (APP_CLI_COMMANDS as readonly string[]).includes(first) || APP_CLI_FLAGS.includes(first) ? args : undefined;
}

export interface LaunchOptions {
  dataDir: string | undefined;
  port: number | undefined;
  /** Start in the tray without showing the window (login items, MDM launch agents). */
  hidden: boolean;
  /** `--no-watch`: no file watching during agent runs. */
  watch: boolean;
  /** `--policy FILE`: a managed policy file instead of the system's (as `serve --policy`). */
  policyFile: string | undefined;
}

export function parseLaunchOptions(argv: readonly string[]): LaunchOptions {
  // strict: false, because Chromium and Playwright add switches of their own.
  const { values } = parseArgs({
    args: [...argv],
    strict: false,
    allowPositionals: true,
    options: { 'data-dir': { type: 'string' }, port: { type: 'string' }, hidden: { type: 'boolean' }, 'no-watch': { type: 'boolean' }, policy: { type: 'string' } },
  });
  const dataDir = typeof values['data-dir'] === 'string' && values['data-dir'] !== '' ? values['data-dir'] : undefined;
  let port: number | undefined;
  if (typeof values.port === 'string') {
    const n = Number(values.port);
    if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new Error(`--port must be an integer from 0 to 65535 (got "${values.port}")`);
    port = n;
  }
  const policyFile = typeof values.policy === 'string' && values.policy !== '' ? values.policy : undefined;
  return { dataDir, port, hidden: values.hidden === true, watch: values['no-watch'] !== true, policyFile };
}
