// Command-line options of the Electron main process (the CLI's `start` may forward them), and the CLI
// commands the packaged app runs instead of starting (its binary cannot run as plain Node).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { APP_CLI_COMMANDS } from '../cli/cli-commands.js';

const APP_CLI_FLAGS = ['--version', '-v', '--help', '-h'];

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
