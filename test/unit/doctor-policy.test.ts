// doctor's findings from facts alone: no files, processes or network.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { companionHookGroup, COMPANION_HOOK_EVENTS } from '../../electron/core/clients/index.js';
import { findOnPath } from '../../electron/cli/doctor-command.js';
import { claudeCodeManagedSettingsFile, doctorOk, evaluateDoctor, formatDoctor, shellWords, type DoctorCheck, type DoctorFacts, type SettingsSource } from '../../electron/cli/doctor-policy.js';

const TOKEN = 'a'.repeat(43);
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const URL_ = 'http://127.0.0.1:47615/hooks/claude-code';
const COMMAND = `'/usr/bin/node' '/opt/cc/bin/cowork-companion.js' hook --token-sha256 ${sha(TOKEN).slice(0, 32)}`;

function connected(o: { url?: string; token?: string; command?: string; commandOnly?: boolean } = {}): Record<string, unknown> {
  const hooks: Record<string, unknown> = {};
  for (const e of COMPANION_HOOK_EVENTS) hooks[e] = [companionHookGroup(e, { url: o.url ?? URL_, token: o.token ?? TOKEN, command: o.command ?? COMMAND, commandOnly: o.commandOnly ?? false })];
  return { hooks };
}

function facts(over: Partial<DoctorFacts> = {}, user: Record<string, unknown> | null = connected()): DoctorFacts {
  const settings: SettingsSource[] = [
    user === null ? { scope: 'user', file: '/home/u/.claude/settings.json', state: 'absent' } : { scope: 'user', file: '/home/u/.claude/settings.json', state: 'ok', settings: user },
    { scope: 'project', file: '/p/.claude/settings.json', state: 'absent' },
    { scope: 'local', file: '/p/.claude/settings.local.json', state: 'absent' },
    { scope: 'managed', file: '/etc/claude-code/managed-settings.json', state: 'absent' },
  ];
  return {
    platform: 'linux',
    dataDir: '/d',
    endpoint: { state: 'ok', url: 'http://127.0.0.1:47615' },
    health: { ok: true },
    lock: { state: 'ok', pid: 42, alive: true },
    configuredPort: 47615,
    claude: { state: 'ok', version: '2.1.332 (Claude Code)' },
    settings,
    token: { state: 'ok', file: '/d/agent-token', sha256: sha(TOKEN), length: TOKEN.length, mode: 0o100600 },
    onPath: '/usr/local/bin/cowork-companion',
    env: {},
    exists: (p) => p === '/usr/bin/node' || p === '/opt/cc/bin/cowork-companion.js',
    ...over,
  };
}

const byId = (checks: DoctorCheck[], id: string): DoctorCheck | undefined => checks.find((c) => c.id === id);
const fails = (checks: DoctorCheck[]): string[] => checks.filter((c) => c.status === 'fail').map((c) => c.id);

describe('doctor policy', () => {
  it('a connected machine with a running companion: nothing fails, telemetry is advice', () => {
    const checks = evaluateDoctor(facts());
    expect(fails(checks)).toEqual([]);
    expect(doctorOk(checks)).toBe(true);
    for (const e of COMPANION_HOOK_EVENTS) expect(byId(checks, `hook-${e}`)?.status).toBe('ok');
    expect(byId(checks, 'hook-PreToolUse')?.message).toMatch(/http hook in \/home\/u\/\.claude\/settings\.json \(user\)/);
    expect(byId(checks, 'hook-SessionStart')?.message).toMatch(/command hook/);
    expect(byId(checks, 'telemetry')?.status).toBe('warn');
    expect(byId(checks, 'claude-code')?.message).toContain('2.1.332');
  });

  it('no token ever appears in a finding', () => {
    const wrong = 'b'.repeat(43);
    const checks = evaluateDoctor(facts({}, connected({ token: wrong })));
    expect(byId(checks, 'hook-PreToolUse-token')?.status).toBe('fail');
    const text = JSON.stringify(checks) + formatDoctor(checks);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(wrong);
  });

  it('no hooks: the deciding events fail, the others warn, each with the connect fix', () => {
    const checks = evaluateDoctor(facts({}, null));
    expect(byId(checks, 'hook-PreToolUse')).toMatchObject({ status: 'fail', fix: 'run "cowork-companion connect claude-code"' });
    expect(byId(checks, 'hook-PermissionRequest')?.status).toBe('fail');
    expect(byId(checks, 'hook-Stop')?.status).toBe('warn');
    expect(byId(checks, 'hook-PreToolUse')?.message).toMatch(/no Claude Code settings file found/);
    expect(doctorOk(checks)).toBe(false);
  });

  it('hooks in the project or managed file count; two places warn about double calls', () => {
    const f = facts({}, null);
    f.settings[3] = { scope: 'managed', file: '/etc/claude-code/managed-settings.json', state: 'ok', settings: connected() };
    expect(byId(evaluateDoctor(f), 'hook-PreToolUse')?.message).toMatch(/managed-settings\.json \(managed\)/);
    f.settings[2] = { scope: 'local', file: '/p/.claude/settings.local.json', state: 'ok', settings: connected() };
    expect(byId(evaluateDoctor(f), 'hook-PreToolUse')).toMatchObject({ status: 'warn', message: expect.stringMatching(/2 companion hooks/) });
  });

  it('a deciding http hook without onFailure: block fails with the fix; a notice hook does not need it', () => {
    const settings = connected() as { hooks: Record<string, { hooks: Record<string, unknown>[] }[]> };
    delete settings.hooks['PreToolUse']![0]!.hooks[0]!['onFailure'];
    const checks = evaluateDoctor(facts({}, settings));
    expect(byId(checks, 'hook-PreToolUse-on-failure')).toMatchObject({ status: 'fail', message: expect.stringMatching(/an unreachable companion lets the call through/), fix: expect.stringMatching(/connect claude-code/) });
    expect(byId(checks, 'hook-PermissionRequest-on-failure')).toBeUndefined();
    expect(byId(checks, 'hook-Stop-on-failure')).toBeUndefined();
  });

  it('a hook on another port than the running companion fails; without a running companion the configured port is used', () => {
    const running = evaluateDoctor(facts({ endpoint: { state: 'ok', url: 'http://127.0.0.1:50000' } }));
    expect(byId(running, 'hook-PreToolUse-port')).toMatchObject({ status: 'fail', message: expect.stringMatching(/port 47615, but the companion runs on port 50000/) });
    const stopped = evaluateDoctor(facts({ endpoint: { state: 'absent' }, health: undefined, configuredPort: 47616 }));
    expect(byId(stopped, 'hook-PreToolUse-port')?.message).toMatch(/is set to use port 47616/);
    expect(byId(evaluateDoctor(facts({ endpoint: { state: 'absent' }, configuredPort: 0 })), 'hook-PreToolUse-port')).toBeUndefined();
  });

  it('header tokens: another token fails, $VAR is resolved from the environment or warned about, none fails', () => {
    const env = connected({ token: '$COWORK_COMPANION_TOKEN' });
    expect(byId(evaluateDoctor(facts({}, env)), 'hook-PreToolUse-token')?.status).toBe('warn');
    expect(byId(evaluateDoctor(facts({ env: { COWORK_COMPANION_TOKEN: TOKEN } }, env)), 'hook-PreToolUse-token')).toBeUndefined();
    expect(byId(evaluateDoctor(facts({ env: { COWORK_COMPANION_TOKEN: 'x'.repeat(40) } }, env)), 'hook-PreToolUse-token')?.status).toBe('fail');
    const none = connected() as { hooks: Record<string, { hooks: Record<string, unknown>[] }[]> };
    delete none.hooks['Stop']![0]!.hooks[0]!['headers'];
    expect(byId(evaluateDoctor(facts({}, none)), 'hook-Stop-token')?.message).toMatch(/sends no "Authorization: Bearer" token/);
  });

  it('command hooks: a fingerprint of another token fails, a path that is gone fails', () => {
    const other = connected({ command: `'/usr/bin/node' '/opt/cc/bin/cowork-companion.js' hook --token-sha256 ${sha('other').slice(0, 32)}` });
    expect(byId(evaluateDoctor(facts({}, other)), 'hook-SessionStart-token')?.status).toBe('fail');
    const gone = connected({ command: `'/usr/bin/node' '/old/cc/bin/cowork-companion.js' hook` });
    expect(byId(evaluateDoctor(facts({}, gone)), 'hook-SessionStart-command')).toMatchObject({ status: 'fail', message: expect.stringMatching(/\/old\/cc\/bin\/cowork-companion\.js, which does not exist/) });
  });

  it('the bash client: found, with bash and a SHA-256 program, is fine; without them it fails with the way out', () => {
    const bash = connected({ command: `'/opt/cc/bin/cowork-companion-hook' --data-dir '/d' --token-sha256 ${sha(TOKEN).slice(0, 32)}` });
    const present = new Set(['/opt/cc/bin/cowork-companion-hook', '/bin/bash', '/usr/bin/sha256sum']);
    expect(byId(evaluateDoctor(facts({ exists: (p) => present.has(p) }, bash)), 'hook-SessionStart-command')).toBeUndefined();
    expect(byId(evaluateDoctor(facts({ exists: (p) => present.has(p) }, bash)), 'hook-SessionStart')?.status).toBe('ok');
    const noHash = evaluateDoctor(facts({ exists: (p) => p !== '/usr/bin/sha256sum' && present.has(p) }, bash));
    expect(byId(noHash, 'hook-SessionStart-command')).toMatchObject({ status: 'fail', message: expect.stringMatching(/needs a SHA-256 program/), fix: expect.stringMatching(/--hook-client node/) });
    const gone = evaluateDoctor(facts({ exists: (p) => p !== '/opt/cc/bin/cowork-companion-hook' && present.has(p) }, bash));
    expect(byId(gone, 'hook-SessionStart-command')?.message).toMatch(/cowork-companion-hook, which does not exist/);
  });

  it('the Bash sandbox: off warns with connect as the fix; on but unable to run here fails with how to install; a project that weakens it warns unless IT locks it', () => {
    const deps = (p: string) => p === '/usr/bin/bwrap' || p === '/usr/bin/socat';
    expect(byId(evaluateDoctor(facts({ exists: deps })), 'sandbox')).toMatchObject({ status: 'warn', fix: 'run "cowork-companion connect claude-code" (it sets the sandbox up from your shared folders)' });
    const on = { ...connected(), sandbox: { enabled: true, failIfUnavailable: true, allowUnsandboxedCommands: false } };
    expect(byId(evaluateDoctor(facts({ exists: deps }, on)), 'sandbox')?.status).toBe('ok');
    expect(byId(evaluateDoctor(facts({ exists: () => false }, on)), 'sandbox')).toMatchObject({ status: 'fail', message: expect.stringMatching(/bwrap and socat are not installed/), fix: expect.stringMatching(/apt-get install bubblewrap socat/) });
    const weak = (managed?: Record<string, unknown>): DoctorFacts => {
      const f = facts({ exists: deps }, on);
      f.settings = f.settings.map((s) =>
        s.scope === 'project' ? { ...s, state: 'ok', settings: { sandbox: { enabled: false, filesystem: { allowWrite: ['/'] } } } } : s.scope === 'managed' && managed ? { ...s, state: 'ok', settings: managed } : s,
      );
      return f;
    };
    expect(byId(evaluateDoctor(weak()), 'sandbox-project')).toMatchObject({ status: 'warn', message: expect.stringMatching(/turns the sandbox off.*lets Bash write more \(\/\)/), fix: expect.stringMatching(/managed settings/) });
    expect(byId(evaluateDoctor(weak({ sandbox: { allowUnsandboxedCommands: false } })), 'sandbox-project')).toMatchObject({ status: 'ok', message: expect.stringMatching(/ignored: managed settings lock the sandbox/) });
  });

  it('PATH: absolute command hooks are fine without it; bare "cowork-companion hook" is not', () => {
    expect(byId(evaluateDoctor(facts({ onPath: undefined })), 'command-on-path')).toMatchObject({ status: 'ok', message: expect.stringMatching(/absolute path/) });
    const bare = connected({ command: 'cowork-companion hook', commandOnly: true });
    expect(byId(evaluateDoctor(facts({ onPath: undefined }, bare)), 'command-on-path')?.status).toBe('fail');
    expect(byId(evaluateDoctor(facts({ onPath: undefined }, bare)), 'hook-PreToolUse-command')).toBeUndefined();
    expect(byId(evaluateDoctor(facts({ onPath: undefined }, null)), 'command-on-path')?.status).toBe('warn');
  });

  it('the companion: stopped, stale endpoint, refused token, dead lock', () => {
    const stopped = evaluateDoctor(facts({ endpoint: { state: 'absent' }, health: undefined, lock: { state: 'absent' } }));
    expect(byId(stopped, 'companion-reachable')).toMatchObject({ status: 'fail', fix: expect.stringMatching(/cowork-companion start/) });
    expect(byId(stopped, 'companion-process')?.status).toBe('fail');
    expect(byId(evaluateDoctor(facts({ health: { ok: false, error: 'ECONNREFUSED' } })), 'companion-reachable')?.message).toMatch(/ECONNREFUSED/);
    expect(byId(evaluateDoctor(facts({ health: { ok: false, status: 401 } })), 'companion-reachable')?.message).toMatch(/refuses the data folder's agent token/);
    expect(byId(evaluateDoctor(facts({ health: { ok: false, status: 200, proven: false } })), 'companion-reachable')?.message).toMatch(/cannot prove it is the companion/);
    expect(byId(evaluateDoctor(facts({ lock: { state: 'ok', pid: 9, alive: false } })), 'companion-process')?.message).toMatch(/process 9, which is not running/);
  });

  it('Claude Code not found is a warning with the install hint; skipped leaves the check out', () => {
    const checks = evaluateDoctor(facts({ claude: { state: 'not-found' } }));
    expect(byId(checks, 'claude-code')).toMatchObject({ status: 'warn', fix: expect.stringContaining('npm i -g @anthropic-ai/claude-code') });
    expect(doctorOk(checks)).toBe(true);
    expect(byId(evaluateDoctor(facts({ claude: { state: 'skipped' } })), 'claude-code')).toBeUndefined();
  });

  it('the token: absent, readable by others (POSIX only), too short', () => {
    expect(byId(evaluateDoctor(facts({ token: { state: 'absent' } })), 'agent-token')?.status).toBe('fail');
    const loose = { state: 'ok' as const, file: '/d/agent-token', sha256: sha(TOKEN), length: 43, mode: 0o100644 };
    expect(byId(evaluateDoctor(facts({ token: loose })), 'agent-token')).toMatchObject({ status: 'fail', message: expect.stringMatching(/mode 644/), fix: 'chmod 600 "/d/agent-token"' });
    expect(byId(evaluateDoctor(facts({ token: loose, platform: 'win32' })), 'agent-token')?.status).toBe('ok');
    expect(byId(evaluateDoctor(facts({ token: { ...loose, mode: 0o100600, length: 5 } })), 'agent-token')?.status).toBe('fail');
  });

  it('telemetry: set in the user settings env or the environment is ok; a missing one is advice', () => {
    const env = { CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_LOGS_EXPORTER: 'otlp' };
    const user = { ...connected(), env: { ...env } };
    const partly = byId(evaluateDoctor(facts({}, user)), 'telemetry');
    expect(partly).toMatchObject({ status: 'warn', message: expect.stringMatching(/^advice: OTEL_EXPORTER_OTLP_LOGS_ENDPOINT is not set/), fix: expect.stringMatching(/connect claude-code/) });
    expect(byId(evaluateDoctor(facts({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' } }, user)), 'telemetry')).toMatchObject({ status: 'ok', message: expect.stringMatching(/goes to http:\/\/c:4318 \(environment\)/) });
  });

  it('telemetry through the companion\'s relay (as connect sets it) is joined telemetry; a stale port or token is said', () => {
    const relay = (port: number, token: string) => ({
      CLAUDE_CODE_ENABLE_TELEMETRY: '1',
      OTEL_LOGS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `http://127.0.0.1:${port}/v1/logs`,
      OTEL_EXPORTER_OTLP_LOGS_HEADERS: `Authorization=Bearer ${token}`,
    });
    const ok = byId(evaluateDoctor(facts({}, { ...connected(), env: relay(47615, TOKEN) })), 'telemetry');
    expect(ok).toMatchObject({ status: 'ok', message: expect.stringMatching(/go to the companion's relay \(http:\/\/127\.0\.0\.1:47615\/v1\/logs, user settings\): joined/) });
    expect(ok?.message).not.toContain(TOKEN);
    expect(byId(evaluateDoctor(facts({}, { ...connected(), env: relay(5000, TOKEN) })), 'telemetry')).toMatchObject({ status: 'warn', message: expect.stringMatching(/port 5000 .* listens on 47615/), fix: expect.stringMatching(/connect claude-code again/) });
    expect(byId(evaluateDoctor(facts({}, { ...connected(), env: relay(47615, 'not-the-token') })), 'telemetry')).toMatchObject({ status: 'warn', message: expect.stringMatching(/not the companion's/) });
    // Managed settings win over the user's: IT's collector is where the logs go.
    const f = facts({}, { ...connected(), env: relay(47615, TOKEN) });
    f.settings[3] = { scope: 'managed', file: '/etc/claude-code/managed-settings.json', state: 'ok', settings: { env: { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://otel.corp.example/v1/logs' } } };
    expect(byId(evaluateDoctor(f), 'telemetry')?.message).toMatch(/goes to https:\/\/otel\.corp\.example \(managed settings\)/);
  });

  it('the agent token going with Claude Code\'s logs to a collector that is not the relay is said, with where it is set and how to take it out', () => {
    const relayEnv = { CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_LOGS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://127.0.0.1:47615/v1/logs', OTEL_EXPORTER_OTLP_LOGS_HEADERS: `Authorization=Bearer ${TOKEN}` };
    const withManaged = (managedEnv: Record<string, string>, user: Record<string, string> = relayEnv): DoctorFacts => {
      const f = facts({}, { ...connected(), env: user });
      f.settings[3] = { scope: 'managed', file: '/etc/claude-code/managed-settings.json', state: 'ok', settings: { env: managedEnv } };
      return f;
    };
    // IT's managed settings of before: the endpoint pinned, the header list not, so the user file's goes along.
    const leak = byId(evaluateDoctor(withManaged({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://otel.corp.example/v1/logs' })), 'telemetry-token');
    expect(leak).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/agent token \(OTEL_EXPORTER_OTLP_LOGS_HEADERS, user settings\) with its logs to https:\/\/otel\.corp\.example \(managed settings\)/),
      fix: expect.stringMatching(/disconnect claude-code" then "cowork-companion connect claude-code".*remove OTEL_EXPORTER_OTLP_LOGS_HEADERS from the "env" of \/home\/u\/\.claude\/settings\.json; and ask IT/),
    });
    expect(JSON.stringify(leak)).not.toContain(TOKEN);
    // As policy generate writes them now: the header lists pinned empty, nothing goes along.
    expect(byId(evaluateDoctor(withManaged({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://otel.corp.example/v1/logs', OTEL_EXPORTER_OTLP_HEADERS: '', OTEL_EXPORTER_OTLP_LOGS_HEADERS: '' })), 'telemetry-token')).toBeUndefined();
    // The general list is sent too when the logs' own has no Authorization (the exporter joins them).
    const general = facts({ env: { OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer%20${TOKEN}` } }, { ...connected(), env: { CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_LOGS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'https://mine.example:4318', OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'x-team=a' } });
    expect(byId(evaluateDoctor(general), 'telemetry-token')).toMatchObject({ status: 'warn', message: expect.stringMatching(/\(OTEL_EXPORTER_OTLP_HEADERS, environment\) with its logs to https:\/\/mine\.example:4318 \(user settings\)/), fix: expect.stringMatching(/^remove OTEL_EXPORTER_OTLP_HEADERS from the environment Claude Code starts in$/) });
    // Another token, or the relay itself: nothing to say.
    expect(byId(evaluateDoctor(withManaged({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://otel.corp.example/v1/logs' }, { ...relayEnv, OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'Authorization=Bearer their-own' })), 'telemetry-token')).toBeUndefined();
    const relayed = evaluateDoctor(facts({}, { ...connected(), env: relayEnv }));
    expect(byId(relayed, 'telemetry')?.status).toBe('ok');
    expect(byId(relayed, 'telemetry-token')).toBeUndefined();
  });

  it('an invalid settings file fails with its name', () => {
    const f = facts();
    f.settings[1] = { scope: 'project', file: '/p/.claude/settings.json', state: 'invalid', error: 'Unexpected end of JSON input' };
    expect(byId(evaluateDoctor(f), 'settings-project')).toMatchObject({ status: 'fail', message: expect.stringMatching(/\/p\/\.claude\/settings\.json \(project\) is not a valid settings file/) });
  });

  it('formats marks and fixes', () => {
    const text = formatDoctor([
      { id: 'a', status: 'ok', message: 'fine' },
      { id: 'b', status: 'warn', message: 'hmm', fix: 'do x' },
      { id: 'c', status: 'fail', message: 'bad', fix: 'do y' },
    ]);
    expect(text).toBe('✓ fine\n! hmm\n    fix: do x\n✗ bad\n    fix: do y\n\n1 problem to fix, 1 to look at.\n');
  });

  it('managed settings paths per OS, shell words as connect writes them', () => {
    expect(claudeCodeManagedSettingsFile('linux')).toBe('/etc/claude-code/managed-settings.json');
    expect(claudeCodeManagedSettingsFile('darwin')).toBe('/Library/Application Support/ClaudeCode/managed-settings.json');
    expect(claudeCodeManagedSettingsFile('win32')).toBe('C:\\ProgramData\\ClaudeCode\\managed-settings.json');
    expect(shellWords(`'/a b/node' "/c/x.js" hook --data-dir '/d'`)).toEqual(['/a b/node', '/c/x.js', 'hook', '--data-dir', '/d']);
  });

  it('findOnPath: executables only on POSIX, PATHEXT on Windows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-path-'));
    try {
      mkdirSync(join(dir, 'bin'));
      writeFileSync(join(dir, 'bin', 'cowork-companion'), '#!/bin/sh\n');
      chmodSync(join(dir, 'bin', 'cowork-companion'), 0o644);
      if (process.platform !== 'win32') expect(findOnPath('cowork-companion', { PATH: `/nonexistent:${join(dir, 'bin')}` }, 'linux')).toBeUndefined();
      chmodSync(join(dir, 'bin', 'cowork-companion'), 0o755);
      expect(findOnPath('cowork-companion', { PATH: `/nonexistent:${join(dir, 'bin')}` }, 'linux')).toBe(join(dir, 'bin', 'cowork-companion'));
      writeFileSync(join(dir, 'bin', 'tool.CMD'), '');
      expect(findOnPath('tool', { PATH: join(dir, 'bin'), PATHEXT: '.EXE;.CMD' }, 'win32')).toBe(join(dir, 'bin', 'tool.CMD'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
