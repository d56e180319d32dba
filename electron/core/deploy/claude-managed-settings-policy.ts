// Claude Code's managed settings made from the managed policy: one rollout wires the companion's hooks,
// locks Claude Code's Bash sandbox and points Claude Code's own telemetry at the organisation's
// collector. Pure: the policy comes in, the settings object goes out.
//
// Claude Code's telemetry goes straight to the collector here, not through the companion's relay
// (which `connect` uses): a machine-wide file cannot name a person's companion (its loopback port and
// token are per person; Claude Code has a headers helper, `otelHeadersHelper`, but none for the
// endpoint), and IT's collector should get Claude Code's events whether or not the companion runs.
//
// Facts about the client (CLI 2.1.332, read from its settings schema and measured in
// test/integration/claude-managed-settings.test.ts):
// - Managed settings carry no per-user token, so every hook is a COMMAND hook calling the bash client
//   with `--managed`, which finds the person's data folder and token itself (from the password
//   database, never from the environment a user or project settings file can set). Http hooks could
//   not work here anyway: with the sandbox on they go through its proxy, which refuses loopback.
// - The client is named by its absolute, root-owned path and run by `/bin/bash`: a bare
//   `cowork-companion-hook` would be looked up on the user's PATH (~/.local/bin, a user-owned
//   /usr/local/bin), where any approved command could drop a fake client that answers "allow". So the
//   file is per OS (the path differs). On Windows Claude Code runs a command hook's text with Git
//   Bash (`bash -c`), so the path there is Git Bash's view of the per-machine install folder.
// - Command hooks take `onFailure: "block"`: a hook that cannot start (client not installed: exit 127),
//   times out, crashes or prints invalid JSON then counts as exit 2 and blocks the guarded action.
//   Without it such a failure lets the tool call through. Only the deciding events get it: on a notice
//   event (UserPromptSubmit) it would block the person's prompt, and on Stop it is ignored.
// - `allowManagedHooksOnly` counts only in managed settings; user/project hooks are then ignored (the
//   hooks `connect` wrote become redundant, not harmful).
// - `allowedHttpHookUrls: []`: no http hook may run at all. The managed hooks need none, and a list in
//   managed settings is what decides for hooks managed settings define; the empty list says so plainly.
// - Drop-ins: `managed-settings.d/*.json` (not dot-files) are merged in name order on top of
//   managed-settings.json: a later file wins for a scalar, lists are joined and de-duplicated, objects
//   merged key by key. Deploy ONE of the two forms (both would list every hook twice); the drop-in is for
//   machines where another team owns managed-settings.json, and its `50-` leaves room after it.
import { posix } from 'node:path';
import type { ManagedPolicy } from '../../../shared/managed-policy-contract.js';
import { APP_DIR_NAME, DATA_DIR_BASE_UNDER_HOME } from '../base/index.js';
import { COMPANION_HOOK_EVENTS, companionHookGroup, DECIDING_HOOK_EVENTS, SANDBOX_FLAGS, type HookGroup } from '../clients/index.js';

export const CLAUDE_MANAGED_SETTINGS_FILE = 'managed-settings.json';
export const CLAUDE_MANAGED_DROP_IN = 'managed-settings.d/50-cowork-companion.json';

export type ManagedPlatform = 'darwin' | 'linux' | 'win32';
export const MANAGED_PLATFORMS: readonly ManagedPlatform[] = ['darwin', 'linux', 'win32'];
/** The folder under claude-code/ that holds each system's files (`policy generate`). */
export const MANAGED_PLATFORM_FOLDER: Readonly<Record<ManagedPlatform, string>> = { darwin: 'macos', linux: 'linux', win32: 'windows' };

/** Where the packages put the bash hook client, in folders only an administrator can write:
 *  deb/rpm link it in /usr/bin (build/linux/after-install.tpl), the pkg copies it below
 *  /Library/Application Support (build/pkg-scripts/postinstall), the per-machine msi in Program Files
 *  (as Git Bash names C:\Program Files). */
export const MANAGED_HOOK_CLIENT: Readonly<Record<ManagedPlatform, string>> = {
  linux: '/usr/bin/cowork-companion-hook',
  // Not the bundle's own copy: /Applications is writable by the admin group (and a dmg install by its
  // user), so the pkg's postinstall copies the client into a folder only root can write.
  darwin: '/Library/Application Support/CoworkCompanion/bin/cowork-companion-hook',
  win32: '/c/Program Files/Cowork Companion/resources/bin/cowork-companion-hook',
};

export interface ClaudeManagedSettingsOptions {
  /** The system the file is for: its client path and its companion data folder (which Bash may
   *  neither read nor write). */
  platform: ManagedPlatform;
  /** The hook client's absolute path (default MANAGED_HOOK_CLIENT for the platform). */
  hookClient?: string;
}

export class ClaudeSettingsError extends Error {}

/** The companion's data folder (agent token, journal) in `~` form, as electron/core/base/data-dir.ts
 *  places it by default (Claude Code expands `~` in sandbox paths; XDG_CONFIG_HOME and APPDATA
 *  moved elsewhere cannot be known in a machine-wide file). */
export function managedDataDir(platform: ManagedPlatform): string {
  return posix.join('~', ...DATA_DIR_BASE_UNDER_HOME[platform], APP_DIR_NAME);
}

/** Claude Code's OTLP base URL: the policy's own, else the evidence collector's logs URL without its
 *  `/v1/logs` (Claude Code adds the signal's path itself). */
export function claudeOtlpEndpoint(policy: Pick<ManagedPolicy, 'claudeCode' | 'telemetry'>): string {
  const own = policy.claudeCode?.otlpEndpoint;
  if (own) return own.replace(/\/+$/, '');
  const logs = policy.telemetry?.endpoint;
  if (!logs) throw new ClaudeSettingsError('claudeCode.telemetry is on, but neither claudeCode.otlpEndpoint nor telemetry.endpoint says where Claude Code should send it');
  const base = logs.replace(/\/+$/, '');
  if (!base.endsWith('/v1/logs')) throw new ClaudeSettingsError(`claudeCode.telemetry is on and telemetry.endpoint (${logs}) does not end in /v1/logs, so its base URL is unclear: set claudeCode.otlpEndpoint`);
  return base.slice(0, -'/v1/logs'.length);
}

const shellQuote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

/** The hook command: bash by its absolute path runs the client by its absolute path, so neither PATH
 *  nor a shebang lookup takes part (and a client without its exec bit still runs). `-p`: bash reads no
 *  BASH_ENV file and imports no functions or SHELLOPTS from the environment, which a user or project
 *  settings file's `env` (writable by the agent) could otherwise set to answer in the client's place. */
export function managedHookCommand(client: string): string {
  if (!client.startsWith('/')) throw new ClaudeSettingsError(`the hook client must be named by an absolute path, not "${client}" (a bare name would be looked up on the user's PATH)`);
  return `/bin/bash -p ${shellQuote(client)} --managed`;
}

/** Environment the managed settings pin for every session (managed values win over user and project
 *  ones): no start-up file for the shell Claude Code runs a hook's text in (Git Bash on Windows runs it
 *  with \`bash -c\`, before -p above takes effect), and no library preloaded into the client's tools. */
export const PINNED_HOOK_ENV: Readonly<Record<string, string>> = { BASH_ENV: '', ENV: '', LD_PRELOAD: '' };

/** The companion's hook for every event, as command hooks; the deciding ones block when the hook fails. */
export function managedHooks(command: string): Record<string, HookGroup[]> {
  const hooks: Record<string, HookGroup[]> = {};
  for (const event of COMPANION_HOOK_EVENTS) {
    const group = companionHookGroup(event, { commandOnly: true, command, url: '', token: '' });
    hooks[event] = [DECIDING_HOOK_EVENTS.has(event) ? { ...group, hooks: group.hooks.map((h) => ({ ...h, onFailure: 'block' })) } : group];
  }
  return hooks;
}

/** The header lists that would reach the pinned collector, pinned to none (see below). */
const PINNED_HEADERS: Readonly<Record<string, string>> = { OTEL_EXPORTER_OTLP_HEADERS: '', OTEL_EXPORTER_OTLP_LOGS_HEADERS: '' };

const unique = (xs: readonly string[]): string[] => [...new Set(xs)];

/** managed-settings.json (and the drop-in: the same object) for this policy on one system. */
export function claudeManagedSettingsFor(policy: ManagedPolicy, opts: ClaudeManagedSettingsOptions): Record<string, unknown> {
  const hookCommand = managedHookCommand(opts.hookClient ?? MANAGED_HOOK_CLIENT[opts.platform]);
  const denied = unique([...policy.forbiddenPaths, managedDataDir(opts.platform)]);
  const settings: Record<string, unknown> = {
    $schema: 'https://json.schemastore.org/claude-code-settings.json',
    allowManagedHooksOnly: true,
    allowedHttpHookUrls: [],
    hooks: managedHooks(hookCommand),
    sandbox: {
      ...SANDBOX_FLAGS,
      filesystem: {
        denyRead: denied,
        denyWrite: denied,
        ...(policy.claudeCode?.allowManagedReadPathsOnly ? { allowManagedReadPathsOnly: true } : {}),
      },
    },
  };
  settings['env'] = { ...PINNED_HOOK_ENV };
  if (policy.claudeCode?.telemetry) {
    const endpoint = claudeOtlpEndpoint(policy);
    settings['env'] = {
      ...PINNED_HOOK_ENV,
      CLAUDE_CODE_ENABLE_TELEMETRY: '1',
      OTEL_LOGS_EXPORTER: 'otlp',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      // The logs' own keys too: the SDK prefers a per-signal key over the general one, and Claude Code
      // resolves env key by key, so a user or project settings file's OTEL_EXPORTER_OTLP_LOGS_ENDPOINT
      // (connect writes one for the companion's relay) would otherwise move the logs off this collector.
      OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `${endpoint}/v1/logs`,
      // And the headers, pinned empty, for the same reason: a header list in a user or project file
      // would otherwise ride along to this collector — connect's carries the companion's agent token.
      // Claude Code's exporter takes an empty value as none, and joins the general list under the
      // logs' own (so both). Not telemetry.headers: this file is readable by every user, and those are
      // the companion's secret; a collector that needs credentials gets them from an
      // `otelHeadersHelper` IT adds. Metrics' own headers stay the person's: their endpoint is not pinned.
      ...PINNED_HEADERS,
    };
  }
  return settings;
}

/** The settings as file text: two-space JSON and a final newline, stable for the same policy. */
export function claudeManagedSettingsText(policy: ManagedPolicy, opts: ClaudeManagedSettingsOptions): string {
  return `${JSON.stringify(claudeManagedSettingsFor(policy, opts), null, 2)}\n`;
}
