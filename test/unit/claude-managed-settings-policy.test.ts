// Claude Code's managed settings from the policy: the same hook set `connect` writes (as command hooks
// running the bash client by its absolute, root-owned path with --managed), the sandbox lock with IT's paths and the companion's data folder,
// and the OTel environment. The real client's view of them: test/integration/claude-managed-settings.test.ts.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { ManagedPolicySchema, type ManagedPolicy } from '../../shared/managed-policy-contract.js';
import { defaultDataDir } from '../../electron/core/base/index.js';
import { COMPANION_HOOK_EVENTS, companionHookGroup, isCompanionHook, SANDBOX_FLAGS } from '../../electron/core/clients/index.js';
import { claudeManagedSettingsFor, claudeManagedSettingsText, claudeOtlpEndpoint, ClaudeSettingsError, managedDataDir, MANAGED_HOOK_CLIENT, managedHookCommand, MANAGED_PLATFORMS } from '../../electron/core/deploy/index.js';

const policy = (input: unknown): ManagedPolicy => ManagedPolicySchema.parse(input);
type Hook = Record<string, unknown>;
type Groups = Record<string, { matcher?: string; hooks: Hook[] }[]>;

describe('claudeManagedSettingsFor: hooks', () => {
  const settings = claudeManagedSettingsFor(policy({}), { platform: 'linux' });
  const hooks = settings['hooks'] as Groups;
  const linuxCommand = "/bin/bash -p '/usr/bin/cowork-companion-hook' --managed";

  it('has connect\'s events, matchers and timeouts, each one command hook running the client by its absolute path', () => {
    expect(Object.keys(hooks)).toEqual([...COMPANION_HOOK_EVENTS]);
    for (const event of COMPANION_HOOK_EVENTS) {
      const connect = companionHookGroup(event, { commandOnly: true, command: linuxCommand, url: '', token: '' });
      expect(hooks[event], event).toHaveLength(1);
      const [group] = hooks[event]!;
      expect(group!.matcher, event).toBe(connect.matcher);
      expect(group!.hooks, event).toHaveLength(1);
      const { onFailure: _f, ...rest } = group!.hooks[0]!;
      expect(rest, event).toEqual(connect.hooks[0]);
      // connect and doctor recognise it as the companion's own.
      expect(isCompanionHook(group!.hooks[0]), event).toBe(true);
    }
  });

  it('blocks on hook failure exactly where the companion decides (PreToolUse, PermissionRequest)', () => {
    const blocking = COMPANION_HOOK_EVENTS.filter((e) => hooks[e]![0]!.hooks[0]!['onFailure'] === 'block');
    expect(blocking).toEqual(['PreToolUse', 'PermissionRequest']);
    expect(hooks['PreToolUse']![0]!.hooks[0]!['timeout']).toBe(300);
  });

  it('takes only managed hooks and allows no http hook at all', () => {
    expect(settings['allowManagedHooksOnly']).toBe(true);
    expect(settings['allowedHttpHookUrls']).toEqual([]);
    expect(Object.values(hooks).flat().flatMap((g) => g.hooks).filter((h) => h['type'] !== 'command')).toEqual([]);
    expect(JSON.stringify(settings)).not.toMatch(/Bearer|token/i);
  });

  it('names each system\'s client by its absolute path in a folder only an administrator writes, run by /bin/bash with --managed', () => {
    const command = (platform: (typeof MANAGED_PLATFORMS)[number]) =>
      (claudeManagedSettingsFor(policy({}), { platform })['hooks'] as Groups)['PreToolUse']![0]!.hooks[0]!['command'];
    expect(command('linux')).toBe(linuxCommand);
    expect(command('darwin')).toBe("/bin/bash -p '/Library/Application Support/CoworkCompanion/bin/cowork-companion-hook' --managed");
    expect(command('win32')).toBe("/bin/bash -p '/c/Program Files/Cowork Companion/resources/bin/cowork-companion-hook' --managed");
    for (const platform of MANAGED_PLATFORMS) {
      expect(MANAGED_HOOK_CLIENT[platform], platform).toMatch(/^\/(usr\/bin|Library\/Application Support|c\/Program Files)\//);
      expect(JSON.stringify(claudeManagedSettingsFor(policy({}), { platform })), platform).not.toMatch(/"command":\s*"cowork-companion-hook/);
    }
  });

  it('uses another absolute client path when told, quoted for the shell; refuses a bare name', () => {
    const other = claudeManagedSettingsFor(policy({}), { platform: 'linux', hookClient: "/opt/it's here/cowork-companion-hook" })['hooks'] as Groups;
    expect(other['Stop']![0]!.hooks[0]!['command']).toBe("/bin/bash -p '/opt/it'\\''s here/cowork-companion-hook' --managed");
    expect(() => managedHookCommand('cowork-companion-hook')).toThrow(/absolute path/);
    expect(() => claudeManagedSettingsFor(policy({}), { platform: 'linux', hookClient: 'bin/cowork-companion-hook' })).toThrow(ClaudeSettingsError);
  });
});

describe('claudeManagedSettingsFor: sandbox', () => {
  it('locks the sandbox on and denies IT\'s forbidden paths and the companion\'s data folder (that OS\'s) to read and write', () => {
    const s = claudeManagedSettingsFor(policy({ forbiddenPaths: ['~/.ssh', '/srv/payroll', '~/.ssh'] }), { platform: 'linux' })['sandbox'] as Record<string, unknown>;
    expect(s).toMatchObject(SANDBOX_FLAGS);
    expect(s['allowUnsandboxedCommands']).toBe(false);
    const fs = s['filesystem'] as Record<string, unknown>;
    const expected = ['~/.ssh', '/srv/payroll', '~/.config/cowork-companion'];
    expect(fs['denyRead']).toEqual(expected);
    expect(fs['denyWrite']).toEqual(expected);
    expect(fs).not.toHaveProperty('allowManagedReadPathsOnly');
  });

  it('names the data folder where data-dir.ts puts it by default', () => {
    for (const platform of MANAGED_PLATFORMS) {
      expect(managedDataDir(platform), platform).toBe(defaultDataDir({}, platform, '~').replaceAll('\\', '/'));
    }
  });

  it('lists only the data folder of the system it is for', () => {
    const fs = (platform: (typeof MANAGED_PLATFORMS)[number]) => (claudeManagedSettingsFor(policy({}), { platform })['sandbox'] as { filesystem: Record<string, unknown> }).filesystem;
    expect(fs('darwin')['denyRead']).toEqual(['~/Library/Application Support/cowork-companion']);
    expect(fs('win32')['denyWrite']).toEqual(['~/AppData/Roaming/cowork-companion']);
  });

  it('reads only managed paths when the policy says so', () => {
    const s = claudeManagedSettingsFor(policy({ claudeCode: { allowManagedReadPathsOnly: true } }), { platform: 'darwin' })['sandbox'] as { filesystem: Record<string, unknown> };
    expect(s.filesystem['allowManagedReadPathsOnly']).toBe(true);
  });
});

describe('claudeManagedSettingsFor: Claude Code\'s own telemetry', () => {
  const env = (input: unknown) => claudeManagedSettingsFor(policy(input), { platform: 'linux' })['env'] as Record<string, string> | undefined;

  it('pins only the start-up file and preload variables unless the policy turns telemetry on', () => {
    // Managed values win: a user or project settings `env` cannot give the hook's shell a start-up file.
    expect(env({})).toEqual({ BASH_ENV: '', ENV: '', LD_PRELOAD: '' });
    expect(env({ claudeCode: { telemetry: false }, telemetry: { endpoint: 'https://otel.example.com/v1/logs' } })).toEqual({ BASH_ENV: '', ENV: '', LD_PRELOAD: '' });
  });

  it('sends it to the policy\'s OTLP base URL, or to the evidence collector without /v1/logs', () => {
    expect(env({ claudeCode: { telemetry: true, otlpEndpoint: 'https://cc.example.com:4318/' }, telemetry: { endpoint: 'https://otel.example.com/v1/logs' } })).toEqual({
      BASH_ENV: '',
      ENV: '',
      LD_PRELOAD: '',
      CLAUDE_CODE_ENABLE_TELEMETRY: '1',
      OTEL_LOGS_EXPORTER: 'otlp',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://cc.example.com:4318',
      // pinned per signal too: a user's or project's OTEL_EXPORTER_OTLP_LOGS_ENDPOINT would beat the general key
      OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://cc.example.com:4318/v1/logs',
      OTEL_EXPORTER_OTLP_HEADERS: '',
      OTEL_EXPORTER_OTLP_LOGS_HEADERS: '',
    });
    expect(env({ claudeCode: { telemetry: true }, telemetry: { endpoint: 'https://otel.example.com:4318/v1/logs' } })?.['OTEL_EXPORTER_OTLP_ENDPOINT']).toBe('https://otel.example.com:4318');
    expect(claudeOtlpEndpoint({ telemetry: policy({ telemetry: { endpoint: 'http://10.0.0.5/otlp/v1/logs/' } }).telemetry })).toBe('http://10.0.0.5/otlp');
  });

  it('pins the header lists empty, so a user file\'s (connect\'s carries the agent token) does not go to the collector, nor do the policy\'s own collector headers land in this world-readable file', () => {
    const secret = 'Bearer policy-secret-for-the-companion';
    const e = env({ claudeCode: { telemetry: true }, telemetry: { endpoint: 'https://otel.example.com/v1/logs', headers: { Authorization: secret } } })!;
    expect(e['OTEL_EXPORTER_OTLP_LOGS_HEADERS']).toBe('');
    expect(e['OTEL_EXPORTER_OTLP_HEADERS']).toBe('');
    // Metrics' endpoint is not pinned, so their own header list stays the person's to set.
    expect(e).not.toHaveProperty('OTEL_EXPORTER_OTLP_METRICS_HEADERS');
    expect(claudeManagedSettingsText(policy({ claudeCode: { telemetry: true }, telemetry: { endpoint: 'https://otel.example.com/v1/logs', headers: { Authorization: secret } } }), { platform: 'linux' })).not.toContain('policy-secret');
  });

  it('refuses to guess: no collector, or a logs URL whose base is unclear', () => {
    expect(() => env({ claudeCode: { telemetry: true } })).toThrow(ClaudeSettingsError);
    expect(() => env({ claudeCode: { telemetry: true } })).toThrow(/claudeCode\.otlpEndpoint/);
    expect(() => env({ claudeCode: { telemetry: true }, telemetry: { endpoint: 'https://otel.example.com/ingest' } })).toThrow(/does not end in \/v1\/logs/);
  });
});

describe('claudeManagedSettingsText', () => {
  it('is the settings as two-space JSON with a final newline, the same each time', () => {
    const p = policy({ forbiddenPaths: ['/srv/x'] });
    const text = claudeManagedSettingsText(p, { platform: 'linux' });
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(claudeManagedSettingsFor(p, { platform: 'linux' }));
    expect(claudeManagedSettingsText(policy({ forbiddenPaths: ['/srv/x'] }), { platform: 'linux' })).toBe(text);
  });
});

describe('MANAGED_HOOK_CLIENT: where the packages really put the client', () => {
  // js-yaml comes with electron-builder and ships no types; only `load` is used.
  const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
  const text = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
  const config = load(text('electron-builder.yml')) as { productName: string; extraResources: { to: string }[]; pkg: { installLocation: string }; msi: { perMachine: boolean } };
  const resource = config.extraResources.map((r) => r.to).find((to) => to.endsWith('cowork-companion-hook'));

  it('macOS: the root-only copy the pkg postinstall makes of the bundle\'s client; Windows: the per-machine msi\'s Program Files folder, as Git Bash names it', () => {
    expect(resource).toBe('bin/cowork-companion-hook');
    const postinstall = text('build/pkg-scripts/postinstall');
    expect(postinstall).toContain(`hook_client="$install_location/${config.productName}.app/Contents/Resources/${resource}"`);
    expect(postinstall).toContain('managed_dir="$volume/Library/Application Support/CoworkCompanion/bin"');
    expect(MANAGED_HOOK_CLIENT.darwin).toBe('/Library/Application Support/CoworkCompanion/bin/cowork-companion-hook');
    expect(config.msi.perMachine).toBe(true);
    expect(MANAGED_HOOK_CLIENT.win32).toBe(`/c/Program Files/${config.productName}/resources/${resource}`);
  });

  it('Linux: the link the deb/rpm post-install makes in root-owned /usr/bin', () => {
    expect(text('build/linux/after-install.tpl')).toMatch(new RegExp(`^hook_link=${MANAGED_HOOK_CLIENT.linux}$`, 'm'));
  });
});
