// `cowork-companion connect claude-code` / `disconnect claude-code`: puts the companion's hooks into
// Claude Code's settings (the user's, following HOME, or a project's with --project) as a merge, backs
// the old file up, and says what changed; disconnect takes out what connect put in. The token goes
// into the http hooks' header there, so no shell profile has to carry it (and the agent's own
// environment does not): the file is then made user-only. Where the machine can run it, Claude Code's
// Bash sandbox goes in too, made from the scope (core/clients); the running companion keeps it in step.
// And Claude Code's own OTel logs are pointed at the companion's relay (the same file's `env`, token in
// the header list), so they reach the journal beside the decisions and go on to IT's collector with them;
// Claude Code keeps OTEL_* out of its tools' environment (test/integration/claude-code-telemetry-relay.test.ts).
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AGENT_API_ROUTES } from '../../shared/agent-files.js';
import type { Rule } from '../../shared/ui-contract.js';
import { openCoreServices } from '../core/app/index.js';
import { defaultDataDir, ensureDataDir, systemClock, writeAtomic } from '../core/base/index.js';
import {
  applySandbox,
  CONNECTIONS_FILE,
  LOOPBACK_HOOK_URLS,
  mergeCompanionHooks,
  mergeRelayTelemetry,
  readConnections,
  removeCompanionHooks,
  removeRecognisedRelayTelemetry,
  removeRelayTelemetry,
  removeSandbox,
  sandboxPathsFor,
  sandboxRuns,
  SandboxShapeError,
  sandboxSupport,
  SettingsShapeError,
  TelemetryShapeError,
  writeConnections,
  type ConnectionRecord,
  type HookChange,
  type RelayIdentity,
  type Settings,
} from '../core/clients/index.js';
import { AGENT_TOKEN_FILE, loadOrCreateAgentToken } from '../core/http/index.js';
import type { ActiveFolder, ForbiddenEntry } from '../core/scope/index.js';
import { configuredPort } from '../core/settings/index.js';
import { claudeCodeManagedSettingsFile } from './doctor-policy.js';

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
  /** Claude Code's Bash sandbox kept in step with the scope (default: where this machine can run it). */
  sandbox?: boolean;
  /** Claude Code's OTel logs to the companion's relay (default: yes; `--no-telemetry-relay`). */
  telemetryRelay?: boolean;
  /** Claude Code's managed settings files (default: this system's managed-settings.json and its
   *  managed-settings.d drop-ins). */
  managedSettings?: string[];
  home?: string;
  out: NodeJS.WritableStream;
  now?: () => Date;
}

export class ConnectError extends Error {}

export const HOOK_CLIENT_KINDS = ['bash', 'node'] as const;
export type HookClientKind = (typeof HOOK_CLIENT_KINDS)[number];

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
    // Run by bash itself: a script that lost its exec bit would exit 126, which does not block.
    // -p: no BASH_ENV file or imported functions from an environment a settings file's `env` can set.
    return `/bin/bash -p ${shellQuote(packageBin('cowork-companion-hook'))} --data-dir ${shellQuote(resolve(dataDir))} --token-sha256 ${fingerprint}`;
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

export async function runConnectCommand(action: 'connect' | 'disconnect', client: string | undefined, o: ConnectOptions): Promise<number> {
  if (client !== 'claude-code') throw new ConnectError(`${action} what? The one client known is "claude-code" (got ${client === undefined ? 'nothing' : `"${client}"`})`);
  const dataDir = ensureDataDir(o.dataDir);
  const file = settingsFile(o);
  const { settings, text } = readSettings(file);
  // The token, the record and the scope as the companion keeps them (sealed; made if there are none).
  const services = openCoreServices({ dataDir, clock: systemClock, env: process.env, ship: false, ...(o.home ? { home: o.home } : {}) });
  try {
    const connections = services.seals.file(CONNECTIONS_FILE);
    const record = readConnections(connections);
    const saveRecord = (): void => writeConnections(connections, record);
    // The token as it is (none made for a disconnect) and the port: what the companion's own relay
    // values are recognised by where the record has none.
    const stored = services.seals.file(AGENT_TOKEN_FILE).read()?.trim();
    const relayId = (): RelayIdentity => ({ token: stored, port: o.port ?? configuredPort(dataDir) });
    if (action === 'disconnect') return disconnect(o, file, settings, text, record, saveRecord, relayId());
    const token = loadOrCreateAgentToken(dataDir, services.seals.file(AGENT_TOKEN_FILE)).token;
    // Lasting rules (the person's and IT's), whose domains the sandbox lets Bash reach.
    const rules = [...services.settings.readRules().rules, ...services.managedPolicy.state.policy.rules.map((r) => ({ ...r, lifetime: 'always' as const }))];
    return connect(o, { dataDir, file, settings, text, token, record, saveRecord, scope: services.scope.state(), rules, relayId: { ...relayId(), token } });
  } catch (error) {
    if (error instanceof SettingsShapeError || error instanceof SandboxShapeError || error instanceof TelemetryShapeError) throw new ConnectError(`${file} cannot take the hooks: ${error.message}; nothing was changed`);
    throw error;
  } finally {
    await services.close();
  }
}

/** connect's telemetry env taken out: what the record names (by fingerprint), then whatever is still
 *  recognisably the companion's (the record file lost, connected by a version that kept none, or a
 *  value already there when connect ran and so not recorded as its own). */
function takeOutTelemetry(settings: Settings, was: Record<string, string> | undefined, id: RelayIdentity): { settings: Settings; changes: HookChange[]; keptNote?: string } {
  const byRecord = was ? removeRelayTelemetry(settings, was) : { settings, changes: [], kept: [] };
  const recognised = removeRecognisedRelayTelemetry(byRecord.settings, id);
  const env = (recognised.settings['env'] ?? {}) as Record<string, unknown>;
  const changed = byRecord.kept.filter((k) => k in env);
  const needed = recognised.kept.filter((k) => !changed.includes(k));
  const notes = [
    ...(changed.length > 0 ? [`= ${changed.join(', ')}: changed since connect, so yours; kept`] : []),
    ...(needed.length > 0 ? [`= ${needed.join(', ')}: your other telemetry settings may use them; kept`] : []),
  ];
  return { settings: recognised.settings, changes: [...byRecord.changes, ...recognised.changes], ...(notes.length > 0 ? { keptNote: notes.join('\n') } : {}) };
}

function disconnect(o: ConnectOptions, file: string, settings: Settings, text: string | undefined, record: ConnectionRecord, saveRecord: () => void, relayId: RelayIdentity): number {
  const was = record[file];
  const hooks = removeCompanionHooks(settings, { allowListed: was?.allowListed ?? false });
  const sandbox = was?.sandbox ? removeSandbox(hooks.settings, was.sandbox) : { settings: hooks.settings, changed: false };
  const telemetry = takeOutTelemetry(sandbox.settings, was?.telemetry, relayId);
  if (hooks.changes.length === 0 && !sandbox.changed && telemetry.changes.length === 0) {
    o.out.write(`No Cowork Companion hooks in ${file}; nothing to do.\n`);
    // Taken out by hand: the record goes too, or the running companion would put the sandbox back.
    if (was && !o.print) {
      delete record[file];
      saveRecord();
    }
    return 0;
  }
  report(o, hooks.changes);
  if (sandbox.changed) o.out.write('- sandbox            the Bash sandbox settings the companion added\n');
  report(o, telemetry.changes);
  if (telemetry.keptNote) o.out.write(`${telemetry.keptNote}\n`);
  if (o.print) return printOnly(o, telemetry.settings);
  save(file, telemetry.settings, text, o);
  delete record[file];
  saveRecord();
  return 0;
}

interface ConnectInput {
  dataDir: string;
  file: string;
  settings: Settings;
  text: string | undefined;
  token: string;
  record: ConnectionRecord;
  saveRecord: () => void;
  scope: { folders: ActiveFolder[]; forbidden: ForbiddenEntry[] };
  rules: Pick<Rule, 'match' | 'lifetime'>[];
  relayId: RelayIdentity;
}

function connect(o: ConnectOptions, c: ConnectInput): number {
  const port = o.port ?? configuredPort(c.dataDir);
  // Asked for explicitly, it is set up whatever the machine says (with a warning); otherwise only
  // where bubblewrap can really make a sandbox, or Claude Code would refuse to start.
  const support = o.sandbox === false ? sandboxSupport(process.platform) : sandboxRuns(process.platform);
  const sandbox = o.sandbox ?? support.ok;
  if (o.sandbox === undefined && !support.ok) o.out.write(`Not setting up Claude Code's Bash sandbox: ${support.reason}; ${support.fix}, then run connect again.\n`);
  else if (sandbox && !support.ok) o.out.write(`Setting up Claude Code's Bash sandbox as asked, though ${support.reason}: Claude Code will refuse to start until you ${support.fix}.\n`);
  // With the sandbox on, Claude Code sends http hooks through the sandbox's network proxy, which
  // refuses loopback: every hook is then a command hook.
  const commandOnly = o.commandHooks || port === 0 || sandbox;
  if (port === 0 && !o.commandHooks) o.out.write('The companion picks a new port at each start (port 0), so every hook is a command hook.\n');
  else if (sandbox && !o.commandHooks) o.out.write('With the sandbox on, every hook is a command hook (Claude Code sends http hooks through the sandbox, which refuses loopback).\n');
  const hookClient = o.hookClient ?? defaultHookClient();
  if (hookClient === 'bash' && process.platform === 'win32') throw new ConnectError('the bash hook client does not run on Windows; use --hook-client node');
  const hooks = mergeCompanionHooks(c.settings, { url: `http://127.0.0.1:${port}${AGENT_API_ROUTES.claudeCodeHook}`, token: c.token, command: hookCommand(c.dataDir, c.token, hookClient), commandOnly });
  const was = c.record[c.file];
  const paths = sandboxPathsFor(c.scope, c.rules);
  // The sandbox: put in (kept in step with the scope from now on by the running companion), or, asked
  // not to, what an earlier connect put there taken out.
  const withSandbox = sandbox
    ? applySandbox(hooks.settings, paths, was?.sandbox)
    : was?.sandbox
      ? { ...removeSandbox(hooks.settings, was.sandbox), record: undefined }
      : { settings: hooks.settings, changed: false, record: undefined };
  const telemetry = relayTelemetry(o, c, port, withSandbox.settings, was?.telemetry);
  report(o, hooks.changes);
  if (hooks.allowListed) o.out.write(`+ allowedHttpHookUrls ${LOOPBACK_HOOK_URLS} (your list of allowed hook URLs would refuse the companion's)\n`);
  if (withSandbox.changed) {
    o.out.write(sandbox ? `${was?.sandbox ? '~' : '+'} sandbox            Bash may write only in ${paths.allowWrite.length > 0 ? paths.allowWrite.join(', ') : 'no shared folder yet'}; the companion's data and secrets unreadable; kept in step with your shared folders\n` : '- sandbox            taken out (--no-sandbox)\n');
  }
  report(o, telemetry.changes);
  if (telemetry.note) o.out.write(`${telemetry.note}\n`);
  if (hooks.changes.every((ch) => ch.action === 'unchanged') && !withSandbox.changed && !telemetry.changed) {
    o.out.write(`${c.file} already has Cowork Companion's hooks${sandbox ? ' and sandbox' : ''}; nothing changed.\n`);
    return 0;
  }
  if (o.print) return printOnly(o, telemetry.settings);
  save(c.file, telemetry.settings, c.text, o);
  const allowListed = hooks.allowListed || (was?.allowListed ?? false);
  c.record[c.file] = { allowListed, ...(withSandbox.record ? { sandbox: withSandbox.record } : {}), ...(telemetry.record ? { telemetry: telemetry.record } : {}) };
  c.saveRecord();
  o.out.write('Claude Code sessions started from now on ask Cowork Companion first');
  o.out.write(telemetry.record ? ', and send it their own telemetry (the Timeline shows it; it goes on to your organisation\'s collector with the decisions).' : '.');
  o.out.write(' Undo with: cowork-companion disconnect claude-code\n');
  return 0;
}

interface TelemetryStep {
  settings: Settings;
  changes: HookChange[];
  changed: boolean;
  /** What connect set (absent: nothing of connect's is there now). */
  record?: Record<string, string>;
  note?: string;
}

/** Claude Code's logs to the relay in the settings' `env`, unless the person said no, sends them
 *  somewhere of their own, or the port is not fixed; an earlier connect's values go when not wanted. */
function relayTelemetry(o: ConnectOptions, c: ConnectInput, port: number, settings: Settings, was: Record<string, string> | undefined): TelemetryStep {
  const takeOut = (note: string | undefined): TelemetryStep => {
    const removed = takeOutTelemetry(settings, was, c.relayId);
    const notes = [removed.keptNote, note].filter((n) => n !== undefined);
    return { settings: removed.settings, changes: removed.changes, changed: removed.changes.length > 0, ...(notes.length > 0 ? { note: notes.join('\n') } : {}) };
  };
  if (o.telemetryRelay === false) return takeOut(undefined);
  const managed = managedTelemetry(o.managedSettings ?? managedSettingsFiles());
  if (managed) return takeOut(`= telemetry          IT's managed settings (${managed}) send Claude Code's telemetry to your organisation's collector; they win, so the companion's relay is not used.`);
  if (port === 0) return takeOut('Not pointing Claude Code\'s telemetry at the companion: its port changes at each start (port 0). Give it a fixed port (the "port" in its settings), then run connect again.');
  const merged = mergeRelayTelemetry(settings, { endpoint: `http://127.0.0.1:${port}${AGENT_API_ROUTES.otlpLogs}`, token: c.token }, was);
  if (merged.kind === 'theirs') {
    // What an earlier connect wrote and is still as written stays recorded, so disconnect takes it out.
    return { settings, changes: [], changed: false, ...(was ? { record: was } : {}), note: `= telemetry          kept yours (${merged.keys.join(', ')} in ${c.file}): Claude Code's own logs go there, not through the companion. Run connect with --no-telemetry-relay to silence this.` };
  }
  return { settings: merged.settings, changes: merged.changes, changed: merged.changes.some((ch) => ch.action !== 'unchanged'), record: merged.record };
}

function printOnly(o: ConnectOptions, settings: Settings): number {
  // The token is a credential: shown as a placeholder, never printed.
  o.out.write(`${JSON.stringify(settings, null, 2).replace(/Bearer [A-Za-z0-9_-]+/g, 'Bearer <agent token>')}\n(--print: nothing was written)\n`);
  return 0;
}

/** This system's Claude Code managed settings: the file and its drop-ins (managed-settings.d/*.json). */
function managedSettingsFiles(): string[] {
  const file = claudeCodeManagedSettingsFile(process.platform);
  const dir = join(dirname(file), 'managed-settings.d');
  let dropIns: string[] = [];
  try {
    dropIns = readdirSync(dir).filter((n) => n.endsWith('.json') && !n.startsWith('.')).sort().map((n) => join(dir, n));
  } catch {
    // none
  }
  return [file, ...dropIns];
}

/** The managed settings file that sets Claude Code's telemetry destination, if one does. */
function managedTelemetry(files: string[]): string | undefined {
  return files.find((file) => {
    try {
      const env = (JSON.parse(readFileSync(file, 'utf8')) as { env?: Record<string, unknown> } | null)?.env;
      return env !== null && typeof env === 'object' && ['CLAUDE_CODE_ENABLE_TELEMETRY', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT'].some((k) => k in env);
    } catch {
      return false; // absent or unreadable: Claude Code does not use it either
    }
  });
}
