// `cowork-companion connect claude-code` / `disconnect claude-code`: puts the companion's hooks into
// Claude Code's settings (the user's, following HOME, or a project's with --project) as a merge, backs
// the old file up, and says what changed; disconnect takes out what connect put in. The token goes
// into the http hooks' header there, so no shell profile has to carry it (and the agent's own
// environment does not): the file is then made user-only.
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AGENT_API_ROUTES } from '../../shared/agent-files.js';
import { openCoreServices } from '../core/app/index.js';
import { defaultDataDir, ensureDataDir, systemClock, writeAtomic } from '../core/base/index.js';
import { AGENT_TOKEN_FILE, loadOrCreateAgentToken } from '../core/http/index.js';
import { configuredPort } from '../core/settings/index.js';
import { LOOPBACK_HOOK_URLS, mergeCompanionHooks, removeCompanionHooks, SettingsShapeError, type HookChange, type Settings } from './claude-code-hooks-policy.js';

export interface ConnectOptions {
  dataDir: string;
  /** A project folder: its `.claude/settings.json` instead of the user's. */
  project?: string;
  /** Show the result without writing. */
  print: boolean;
  /** The companion's port (default: its settings). */
  port?: number;
  /** Command hooks for every event (slower, but proves the companion's identity; see docs/security.md). */
  commandHooks: boolean;
  /** Which command hook client: bash (bin/cowork-companion-hook) or Node (`cowork-companion hook`).
   *  Default: bash where /bin/bash is (not Windows). */
  hookClient?: HookClientKind;
  home?: string;
  out: NodeJS.WritableStream;
  now?: () => Date;
}

export class ConnectError extends Error {}

export const HOOK_CLIENT_KINDS = ['bash', 'node'] as const;
export type HookClientKind = (typeof HOOK_CLIENT_KINDS)[number];

/** Where connect keeps what it changed beyond the hooks themselves (so disconnect undoes just that). */
const RECORD_FILE = 'connections.json';

const shellQuote = (s: string): string => (process.platform === 'win32' ? `"${s.replaceAll('"', '""')}"` : `'${s.replaceAll("'", `'\\''`)}'`);

/** A file of the package's bin folder: from source (electron/cli), built (dist/electron/cli), or
 *  packaged (the app's resources, where electron-builder.yml puts the bash client). */
function packageBin(name: string): string {
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = [
    ...['../../bin/', '../../../bin/'].map((rel) => fileURLToPath(new URL(`${rel}${name}`, import.meta.url))),
    ...(resources ? [join(resources, 'bin', name)] : []),
  ];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new ConnectError(`cannot find bin/${name} beside this install`);
  return found;
}

const defaultHookClient = (): HookClientKind => (process.platform !== 'win32' && existsSync('/bin/bash') ? 'bash' : 'node');

/** The command hook client, runnable from this install whether or not it is on PATH. It carries the
 *  token's fingerprint: a token file replaced in the data folder is then refused (this settings file
 *  is protected from the agent; the data folder's files are only watched). */
function hookCommand(dataDir: string, token: string, client: HookClientKind): string {
  const fingerprint = createHash('sha256').update(token).digest('hex').slice(0, 32);
  if (client === 'bash') {
    // No default data folder of its own: the bash client is always told where it is.
    return `${shellQuote(packageBin('cowork-companion-hook'))} --data-dir ${shellQuote(resolve(dataDir))} --token-sha256 ${fingerprint}`;
  }
  const dataDirArg = resolve(dataDir) === resolve(defaultDataDir()) ? '' : ` --data-dir ${shellQuote(resolve(dataDir))}`;
  return `${shellQuote(process.execPath)} ${shellQuote(packageBin('cowork-companion.js'))} hook${dataDirArg} --token-sha256 ${fingerprint}`;
}

function settingsFile(o: ConnectOptions): string {
  if (o.project) {
    if (!existsSync(o.project) || !statSync(o.project).isDirectory()) throw new ConnectError(`--project ${o.project} is not a folder`);
    return join(resolve(o.project), '.claude', 'settings.json');
  }
  return join(o.home ?? process.env['HOME'] ?? homedir(), '.claude', 'settings.json');
}

function readSettings(file: string): { settings: Settings; text: string | undefined } {
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { settings: {}, text: undefined };
    throw new ConnectError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = text.trim() === '' ? {} : JSON.parse(text);
  } catch (error) {
    throw new ConnectError(`${file} is not valid JSON (${(error as Error).message}); fix it first — nothing was changed`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConnectError(`${file} does not hold a JSON object; nothing was changed`);
  return { settings: parsed as Settings, text };
}

function readRecord(dataDir: string): Record<string, { allowListed: boolean }> {
  try {
    return JSON.parse(readFileSync(join(dataDir, RECORD_FILE), 'utf8')) as Record<string, { allowListed: boolean }>;
  } catch {
    return {};
  }
}


function report(o: ConnectOptions, changes: HookChange[]): void {
  const mark = { added: '+', updated: '~', unchanged: '=', removed: '-' } as const;
  for (const c of changes) o.out.write(`${mark[c.action]} ${c.event.padEnd(18)} ${c.detail}\n`);
}

/** Writes `settings` over `file` (backing up what was there), user-only since it holds the token. */
function save(file: string, settings: Settings, before: string | undefined, o: ConnectOptions): void {
  mkdirSync(dirname(file), { recursive: true });
  if (before !== undefined) {
    const stamp = (o.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    const backup = `${file}.cowork-companion-backup-${stamp}`;
    copyFileSync(file, backup);
    if (process.platform !== 'win32') chmodSync(backup, 0o600);
    o.out.write(`Backed up the previous file to ${backup}\n`);
  }
  writeAtomic(file, `${JSON.stringify(settings, null, 2)}\n`);
  o.out.write(`Wrote ${file}\n`);
}

/** The companion's agent token, made (and sealed) the way the companion makes it if there is none yet. */
async function sealedAgentToken(dataDir: string): Promise<string> {
  const services = openCoreServices({ dataDir, clock: systemClock, env: process.env, ship: false });
  try {
    return loadOrCreateAgentToken(dataDir, services.seals.file(AGENT_TOKEN_FILE)).token;
  } finally {
    await services.close();
  }
}

export async function runConnectCommand(action: 'connect' | 'disconnect', client: string | undefined, o: ConnectOptions): Promise<number> {
  if (client !== 'claude-code') throw new ConnectError(`${action} what? The one client known is "claude-code" (got ${client === undefined ? 'nothing' : `"${client}"`})`);
  const dataDir = ensureDataDir(o.dataDir);
  const file = settingsFile(o);
  const { settings, text } = readSettings(file);
  const record = readRecord(dataDir);
  try {
    if (action === 'disconnect') {
      const result = removeCompanionHooks(settings, { allowListed: record[file]?.allowListed ?? false });
      if (result.changes.length === 0) {
        o.out.write(`No Cowork Companion hooks in ${file}; nothing to do.\n`);
        return 0;
      }
      report(o, result.changes);
      if (o.print) return printOnly(o, result.settings);
      save(file, result.settings, text, o);
      delete record[file];
      writeAtomic(join(dataDir, RECORD_FILE), JSON.stringify(record));
      return 0;
    }
    const port = o.port ?? configuredPort(dataDir);
    const commandOnly = o.commandHooks || port === 0;
    if (port === 0 && !o.commandHooks) o.out.write('The companion picks a new port at each start (port 0), so every hook is a command hook.\n');
    const token = await sealedAgentToken(dataDir);
    const client = o.hookClient ?? defaultHookClient();
    if (client === 'bash' && process.platform === 'win32') throw new ConnectError('the bash hook client does not run on Windows; use --hook-client node');
    const result = mergeCompanionHooks(settings, { url: `http://127.0.0.1:${port}${AGENT_API_ROUTES.claudeCodeHook}`, token, command: hookCommand(dataDir, token, client), commandOnly });
    report(o, result.changes);
    if (result.allowListed) o.out.write(`+ allowedHttpHookUrls ${LOOPBACK_HOOK_URLS} (your list of allowed hook URLs would refuse the companion's)\n`);
    if (result.changes.every((c) => c.action === 'unchanged')) {
      o.out.write(`${file} already has Cowork Companion's hooks; nothing changed.\n`);
      return 0;
    }
    if (o.print) return printOnly(o, result.settings);
    save(file, result.settings, text, o);
    if (result.allowListed || record[file]) {
      record[file] = { allowListed: result.allowListed || (record[file]?.allowListed ?? false) };
      writeAtomic(join(dataDir, RECORD_FILE), JSON.stringify(record));
    }
    o.out.write('Claude Code sessions started from now on ask Cowork Companion first. Undo with: cowork-companion disconnect claude-code\n');
    return 0;
  } catch (error) {
    if (error instanceof SettingsShapeError) throw new ConnectError(`${file} cannot take the hooks: ${error.message}; nothing was changed`);
    throw error;
  }
}

function printOnly(o: ConnectOptions, settings: Settings): number {
  // The token is a credential: shown as a placeholder, never printed.
  o.out.write(`${JSON.stringify(settings, null, 2).replace(/Bearer [A-Za-z0-9_-]+/g, 'Bearer <agent token>')}\n(--print: nothing was written)\n`);
  return 0;
}
