// `cowork-companion connect claude-code` against real files and a real companion: what it writes works
// as Claude Code would use it (the http hook's address and header reach the companion and get a
// decision; the command hook runs), a second run changes nothing, and disconnect gives the file back.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectError, runConnectCommand, type ConnectOptions } from '../../electron/cli/connect-command.js';
import { fixtureIn, journalEvents } from '../support/fixtures.js';
import { rawRequest } from '../support/http-client.js';
import { CLI } from '../support/serve-process.js';
import { startTestCore, type TestCore } from '../support/start-core.js';

let home: string;
let t: TestCore | undefined;
beforeEach(() => (home = mkdtempSync(join(tmpdir(), 'cc-connect-home-'))));
afterEach(async () => {
  await t?.dispose();
  t = undefined;
  rmSync(home, { recursive: true, force: true });
});

async function connect(action: 'connect' | 'disconnect', extra: Partial<ConnectOptions> = {}): Promise<{ code: number; out: string }> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  const code = await runConnectCommand(action, 'claude-code', { dataDir: t!.dataDir, print: false, commandHooks: false, sandbox: false, home, out, port: Number(new URL(t!.core.agentApiUrl).port), managedSettings: [], ...extra });
  return { code, out: text };
}

/** The connection record gone as a whole (the file and its seal: otherwise the seal puts it back). */
const forgetRecord = (dataDir: string): void => {
  for (const f of ['connections.json', join('seals', 'connections.json.seal')]) rmSync(join(dataDir, f));
};

type Hooks = Record<string, { matcher?: string; hooks: { type: string; url?: string; headers?: Record<string, string>; command?: string }[] }[]>;
const settingsAt = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { hooks: Hooks } & Record<string, unknown>;

describe('connect claude-code', () => {
  it('writes hooks that reach the running companion as Claude Code sends them, keeping the rest of the file', async () => {
    t = await startTestCore();
    const file = join(home, '.claude', 'settings.json');
    mkdirSync(join(home, '.claude'));
    writeFileSync(file, JSON.stringify({ model: 'opus', hooks: { Notification: [{ hooks: [{ type: 'command', command: 'notify' }] }] } }));
    const first = await connect('connect');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^\+ PreToolUse/m);
    expect(first.out).toMatch(/Backed up the previous file to .*cowork-companion-backup-/);
    const settings = settingsAt(file);
    expect(settings['model']).toBe('opus');
    expect(settings.hooks['Notification']).toHaveLength(1);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o077).toBe(0); // it holds the token

    // The http hook as Claude Code would call it: its URL and its header, nothing else.
    const http = settings.hooks['PreToolUse']!.find((g) => g.matcher === '*')!.hooks[0]!;
    const answer = await rawRequest(http.url!, { headers: { 'Content-Type': 'application/json', ...http.headers }, body: JSON.stringify(fixtureIn('input/pretooluse-read.json', t.projectDir)) });
    expect(answer.json).toMatchObject({ hookSpecificOutput: { permissionDecision: 'allow' } });

    // The command hook as Claude Code runs it: through the shell, payload on stdin. The bash client
    // by default where /bin/bash is; the Node client on request.
    const runCommandHook = async (command: string, sessionId: string): Promise<void> => {
      // Not spawnSync: the companion answering it runs in this process.
      const child = spawn('sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.stdin.end(JSON.stringify({ ...fixtureIn('input/sessionstart-startup.json', t!.projectDir), session_id: sessionId }));
      const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(status, stderr).toBe(0);
      expect(t!.core.getSnapshot().runs.map((r) => r.sessionId)).toContain(sessionId);
    };
    const sessionStart = (): string => settingsAt(file).hooks['SessionStart']![0]!.hooks[0]!.command!;
    if (existsSync('/bin/bash') && process.platform !== 'win32') {
      expect(sessionStart()).toMatch(/cowork-companion-hook' --data-dir '.*' --token-sha256 [0-9a-f]{32}$/);
      await runCommandHook(sessionStart(), 'session-bash-client');
    }

    const again = await connect('connect');
    expect(again.out).toMatch(/already has Cowork Companion's hooks; nothing changed/);
    expect(readdirSync(join(home, '.claude')).filter((n) => n.includes('backup'))).toHaveLength(1);

    if (existsSync(CLI)) {
      const node = await connect('connect', { hookClient: 'node' });
      expect(node.out).toMatch(/^~ SessionStart .*cowork-companion\.js' hook/m);
      await runCommandHook(sessionStart(), 'session-node-client');
    }
  });

  it('--print shows the result with the token hidden and writes nothing', async () => {
    t = await startTestCore();
    const r = await connect('connect', { print: true });
    expect(r.out).toMatch(/Bearer <agent token>/);
    expect(r.out).not.toContain(t.agentToken);
    expect(existsSync(join(home, '.claude', 'settings.json'))).toBe(false);
  });

  it('disconnect gives the file back as it was (the allow-list entry it added goes too)', async () => {
    t = await startTestCore();
    const file = join(home, '.claude', 'settings.json');
    mkdirSync(join(home, '.claude'));
    const before = { allowedHttpHookUrls: ['https://hooks.example/*'], hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'lint' }] }] } };
    writeFileSync(file, JSON.stringify(before));
    await connect('connect');
    expect(settingsAt(file)['allowedHttpHookUrls']).toEqual(['https://hooks.example/*', 'http://127.0.0.1:*']);
    const r = await connect('disconnect');
    expect(r.out).toMatch(/^- PreToolUse/m);
    expect(settingsAt(file)).toEqual(before);
    expect((await connect('disconnect')).out).toMatch(/nothing to do/);
  });

  it('points Claude Code\'s own logs at the relay in the same file\'s env: what it writes gets records into the journal; disconnect takes out exactly that', async () => {
    t = await startTestCore();
    const file = join(home, '.claude', 'settings.json');
    mkdirSync(join(home, '.claude'));
    const before = { env: { DISABLE_AUTOUPDATER: '1' } };
    writeFileSync(file, JSON.stringify(before));
    const r = await connect('connect');
    expect(r.out).toMatch(/^\+ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT +http:\/\/127\.0\.0\.1:\d+\/v1\/logs$/m);
    expect(r.out).toMatch(/^\+ OTEL_EXPORTER_OTLP_LOGS_HEADERS +Authorization=Bearer <agent token>$/m);
    expect(r.out).not.toContain(t.agentToken);
    expect(r.out).toMatch(/send it their own telemetry/);
    const env = settingsAt(file)['env'] as Record<string, string>;
    expect(env).toEqual({
      DISABLE_AUTOUPDATER: '1',
      CLAUDE_CODE_ENABLE_TELEMETRY: '1',
      OTEL_LOGS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `${t.core.agentApiUrl}/v1/logs`,
      OTEL_EXPORTER_OTLP_LOGS_HEADERS: `Authorization=Bearer ${t.agentToken}`,
    });
    // As an OTLP exporter reads them: the endpoint as is, the header list as key=value.
    const [name, value] = env['OTEL_EXPORTER_OTLP_LOGS_HEADERS']!.split(/=(.*)/s);
    const post = await rawRequest(env['OTEL_EXPORTER_OTLP_LOGS_ENDPOINT']!, {
      headers: { 'Content-Type': 'application/json', [name!]: value! },
      body: JSON.stringify({ resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'claude-code' } }] }, scopeLogs: [{ logRecords: [{ attributes: [{ key: 'event.name', value: { stringValue: 'user_prompt' } }, { key: 'session.id', value: { stringValue: 'sess-connect' } }] }] }] }] }),
    });
    expect(post.status).toBe(200);
    await expect.poll(async () => (await journalEvents(t!.dataDir)).filter((e) => e.name === 'agent.log' && e.attributes['session.id'] === 'sess-connect')).toHaveLength(1);

    expect((await connect('connect')).out).toMatch(/^= OTEL_EXPORTER_OTLP_LOGS_ENDPOINT/m);
    const off = await connect('disconnect');
    expect(off.out).toMatch(/^- OTEL_EXPORTER_OTLP_LOGS_HEADERS/m);
    expect(settingsAt(file)).toEqual(before);
  });

  it('the person\'s own telemetry destination is kept (and said); --no-telemetry-relay takes connect\'s out; a value changed since connect stays', async () => {
    t = await startTestCore();
    const file = join(home, '.claude', 'settings.json');
    mkdirSync(join(home, '.claude'));
    const theirs = { env: { CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example:4318', OTEL_LOGS_EXPORTER: 'otlp' } };
    writeFileSync(file, JSON.stringify(theirs));
    const kept = await connect('connect');
    expect(kept.out).toMatch(/^= telemetry +kept yours \(OTEL_EXPORTER_OTLP_ENDPOINT in .*\)/m);
    expect(settingsAt(file)['env']).toEqual(theirs.env);
    await connect('disconnect');
    expect(settingsAt(file)).toEqual(theirs);

    writeFileSync(file, '{}');
    await connect('connect');
    expect(Object.keys(settingsAt(file)['env'] as object)).toHaveLength(5);
    const optOut = await connect('connect', { telemetryRelay: false });
    expect(optOut.out).toMatch(/^- OTEL_EXPORTER_OTLP_LOGS_ENDPOINT/m);
    expect(settingsAt(file)['env']).toBeUndefined();
    expect(settingsAt(file).hooks['PreToolUse']).toBeDefined();

    await connect('connect');
    const changed = settingsAt(file);
    (changed['env'] as Record<string, string>)['OTEL_EXPORTER_OTLP_LOGS_ENDPOINT'] = 'https://mine.example/v1/logs';
    writeFileSync(file, JSON.stringify(changed));
    const off = await connect('disconnect');
    expect(off.out).toMatch(/^= OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: changed since connect, so yours; kept$/m);
    expect(settingsAt(file)['env']).toEqual({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://mine.example/v1/logs' });
  });

  it('IT\'s managed settings send Claude Code\'s telemetry to the collector: connect leaves it to them (and takes out its own), saying so', async () => {
    t = await startTestCore();
    const file = join(home, '.claude', 'settings.json');
    await connect('connect');
    expect(Object.keys(settingsAt(file)['env'] as object)).toHaveLength(5);
    const managedDir = mkdtempSync(join(tmpdir(), 'cc-managed-'));
    const managed = join(managedDir, 'managed-settings.json');
    writeFileSync(managed, JSON.stringify({ env: { CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.corp.example:4318' } }));
    try {
      const r = await connect('connect', { managedSettings: [join(managedDir, 'absent.json'), managed] });
      expect(r.out).toContain(`IT's managed settings (${managed}) send Claude Code's telemetry to your organisation's collector`);
      expect(r.out).toMatch(/^- OTEL_EXPORTER_OTLP_LOGS_ENDPOINT/m);
      expect(settingsAt(file)['env']).toBeUndefined();
    } finally {
      rmSync(managedDir, { recursive: true, force: true });
    }
  });

  it('without the connection record (deleted, or an older version\'s connect), disconnect still takes out the relay\'s keys and the token, and leaves the person\'s own telemetry alone', async () => {
    t = await startTestCore();
    const file = join(home, '.claude', 'settings.json');
    mkdirSync(join(home, '.claude'));
    const before = { env: { DISABLE_AUTOUPDATER: '1' } };
    writeFileSync(file, JSON.stringify(before));
    await connect('connect');
    expect(settingsAt(file)['env']).toMatchObject({ OTEL_EXPORTER_OTLP_LOGS_HEADERS: `Authorization=Bearer ${t.agentToken}` });
    forgetRecord(t.dataDir);
    const off = await connect('disconnect');
    expect(off.out).toMatch(/^- OTEL_EXPORTER_OTLP_LOGS_HEADERS +the companion's agent token$/m);
    expect(off.out).toMatch(/^- OTEL_EXPORTER_OTLP_LOGS_ENDPOINT/m);
    expect(off.out).not.toContain(t.agentToken);
    expect(settingsAt(file)).toEqual(before);
    expect(readFileSync(file, 'utf8')).not.toContain(t.agentToken);

    // Someone's own collector, on loopback and with a token of theirs: not the companion's, kept.
    const theirs = { env: { CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_LOGS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://localhost:4318/v1/logs', OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'Authorization=Bearer their-own' } };
    writeFileSync(file, JSON.stringify(theirs));
    expect((await connect('disconnect')).out).toMatch(/nothing to do/);
    expect(settingsAt(file)).toEqual(theirs);
  });

  it('IT\'s managed settings in place and no record: connect takes the token out of the user file, which would otherwise go with the logs to IT\'s collector', async () => {
    t = await startTestCore();
    const file = join(home, '.claude', 'settings.json');
    await connect('connect');
    forgetRecord(t.dataDir);
    // The person's own metrics set-up beside it: connect's fixed values may serve it, so they stay.
    const settings = settingsAt(file);
    (settings['env'] as Record<string, string>)['OTEL_METRICS_EXPORTER'] = 'otlp';
    writeFileSync(file, JSON.stringify(settings));
    const managedDir = mkdtempSync(join(tmpdir(), 'cc-managed-'));
    const managed = join(managedDir, 'managed-settings.json');
    writeFileSync(managed, JSON.stringify({ env: { CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://otel.corp.example:4318/v1/logs' } }));
    try {
      const r = await connect('connect', { managedSettings: [managed] });
      expect(r.out).toMatch(/^- OTEL_EXPORTER_OTLP_LOGS_HEADERS/m);
      expect(r.out).toMatch(/^= CLAUDE_CODE_ENABLE_TELEMETRY, OTEL_LOGS_EXPORTER, OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: your other telemetry settings may use them; kept$/m);
      expect(settingsAt(file)['env']).toEqual({ CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_LOGS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/protobuf', OTEL_METRICS_EXPORTER: 'otlp' });
      // (The http hooks' header keeps it: that goes to the companion only.)
      expect(JSON.stringify(settingsAt(file)['env'])).not.toContain(t.agentToken);
    } finally {
      rmSync(managedDir, { recursive: true, force: true });
    }
  });

  it('port 0: no fixed address for Claude Code\'s telemetry, so none is written, and it says why', async () => {
    t = await startTestCore();
    const r = await connect('connect', { port: 0 });
    expect(r.out).toMatch(/Not pointing Claude Code's telemetry at the companion: its port changes/);
    expect(settingsAt(join(home, '.claude', 'settings.json'))['env']).toBeUndefined();
  });

  it('with the sandbox: Bash may write only the read-write shared folders, the companion\'s data is unreadable, every hook a command hook; kept in step with the scope; disconnect gives the file back', async () => {
    // The companion's home is the one connect wrote into (it tells which sessions the file covers).
    t = await startTestCore({ watch: true, home });
    // Nothing connected yet: the Inbox's first-run guidance reads this.
    expect(t.core.getSnapshot().sandbox).toMatchObject({ state: 'not-set-up', connected: false });
    const file = join(home, '.claude', 'settings.json');
    mkdirSync(join(home, '.claude'));
    const before = { model: 'opus', sandbox: { enabled: false, network: { allowedDomains: ['github.com'] }, filesystem: { allowWrite: ['/opt/cache'] } } };
    writeFileSync(file, JSON.stringify(before));
    const r = await connect('connect', { sandbox: true });
    expect(r.out).toMatch(/^\+ sandbox +Bash may write only in /m);
    expect(r.out).toMatch(/every hook is a command hook/);
    const settings = settingsAt(file) as unknown as { sandbox: { enabled: boolean; failIfUnavailable: boolean; allowUnsandboxedCommands: boolean; network: unknown; filesystem: Record<string, string[]> }; hooks: Hooks };
    expect(settings.sandbox).toMatchObject({ enabled: true, failIfUnavailable: true, allowUnsandboxedCommands: false, network: { allowedDomains: ['github.com'] } });
    expect(settings.sandbox.filesystem['allowWrite']).toEqual(['/opt/cache', t.projectDir]);
    expect(settings.sandbox.filesystem['denyRead']).toContain(t.dataDir);
    expect(settings.sandbox.filesystem['denyWrite']).toEqual(expect.arrayContaining([join(t.projectDir, '.claude'), join(t.projectDir, '.git', 'hooks'), t.dataDir]));
    for (const [event, groups] of Object.entries(settings.hooks)) expect(groups[0]!.hooks[0]!.type, event).toBe('command');
    expect((await connect('connect', { sandbox: true })).out).toMatch(/already has Cowork Companion's hooks and sandbox; nothing changed/);

    // The running companion keeps it in step: a folder shared read-write now is writable for Bash at
    // once; one made read-only is not; the companion's own write raises no alert.
    const more = mkdtempSync(join(tmpdir(), 'cc-connect-more-'));
    await t.core.callUi('addSharedFolder', { path: more, mode: 'read-write' });
    const shared = realpathSync(more);
    await vi.waitFor(() => expect((settingsAt(file) as unknown as typeof settings).sandbox.filesystem['allowWrite']).toContain(shared), { timeout: 3000 });
    await t.core.callUi('setSharedFolderMode', { path: shared, mode: 'read' });
    await vi.waitFor(() => {
      const fs = (settingsAt(file) as unknown as typeof settings).sandbox.filesystem;
      expect(fs['allowWrite']).not.toContain(shared);
      expect(fs['denyWrite']).toContain(shared);
    }, { timeout: 3000 });
    expect(t.core.getSnapshot().sandbox).toMatchObject({ state: 'enforced', connected: true, files: [{ file, enforced: true }] });
    expect(t.core.getSnapshot().alerts).toEqual([]);

    // A Bash call waits for a person, its card saying where it could write. A session working outside
    // the read-write folders gets no Bash at all (the sandbox would let it write its working folder).
    const elsewhere = realpathSync(mkdtempSync(join(tmpdir(), 'cc-connect-cwd-')));
    const bash = fixtureIn<Record<string, unknown>>('input/pretooluse-bash.json', t.projectDir);
    const answer = async (cwd: string, command: string) => (await t!.hook({ ...bash, cwd, tool_use_id: `toolu_${cwd.length}_${command.length}`, tool_input: { command, description: command } })).json as { hookSpecificOutput?: { permissionDecision?: string; permissionDecisionReason?: string } };
    const asked = answer(t.projectDir, 'make check');
    await t.waitForPending(1);
    const [item] = t.core.getSnapshot().pending;
    const writable = t.core.getSnapshot().sandbox.writable;
    expect(writable).toEqual(expect.arrayContaining([t.projectDir, '/opt/cache'])); // the person's own entry too
    expect(item!.sandbox).toEqual({ sandboxed: true, writable });
    await t.core.callUi('deny', { id: item!.id, contentHash: item!.contentHash, reason: 'not now' });
    await asked;
    expect((await answer(elsewhere, 'make check')).hookSpecificOutput).toMatchObject({ permissionDecision: 'deny', permissionDecisionReason: expect.stringContaining(`works in ${elsewhere}, which is not shared read & write`) });
    const sandboxedRecords = (await journalEvents(t.dataDir)).filter((e) => e.name === 'approval.decided' && e.attributes['tool_name'] === 'Bash');
    expect(sandboxedRecords.map((e) => [e.attributes['sandboxed'], e.attributes['decision.rule']])).toEqual([[true, undefined], [true, 'sandbox.cwd-outside']]);

    // The person lets sandboxed Bash through: a command run from the read-write folder needs nobody; one
    // naming a file a person decides still asks.
    await t.core.callUi('setSandboxedBash', { mode: 'allow' });
    expect(t.core.getSnapshot().settings.sandboxedBash).toEqual({ mode: 'allow', source: 'settings' });
    const auto = await answer(t.projectDir, 'make test');
    expect(auto.hookSpecificOutput).toMatchObject({ permissionDecision: 'allow', permissionDecisionReason: expect.stringMatching(/runs in the operating system's sandbox, where it can write only in /) });
    const ruled = (await journalEvents(t.dataDir)).filter((e) => e.name === 'approval.decided' && e.attributes['decision.rule'] === 'sandbox.bash');
    expect(ruled).toHaveLength(1);
    const sensitive = answer(t.projectDir, 'echo "{}" > package.json');
    await t.waitForPending(1);
    const [asksStill] = t.core.getSnapshot().pending;
    await t.core.callUi('deny', { id: asksStill!.id, contentHash: asksStill!.contentHash, reason: 'no' });
    expect((await sensitive).hookSpecificOutput?.permissionDecision).toBe('deny');
    // A project whose own settings take Bash out of the sandbox: its sessions are not sandboxed (the card
    // says why), so even in this mode a person decides.
    mkdirSync(join(t.projectDir, '.claude'), { recursive: true });
    const local = join(t.projectDir, '.claude', 'settings.local.json');
    writeFileSync(local, JSON.stringify({ sandbox: { enabled: false } }));
    const unsandboxed = answer(t.projectDir, 'make lint');
    await t.waitForPending(1);
    const [outItem] = t.core.getSnapshot().pending;
    expect(outItem!.sandbox).toEqual({ sandboxed: false, writable: [], reason: `${local} turns the sandbox off` });
    await t.core.callUi('deny', { id: outItem!.id, contentHash: outItem!.contentHash, reason: 'no' });
    await unsandboxed;
    rmSync(local);
    await t.core.callUi('setSandboxedBash', { mode: 'ask' });

    // A lasting rule to fetch from a host lets Bash reach it too (the sandbox's allowed domains).
    const fetchAsked = t.hook({ ...bash, cwd: t.projectDir, tool_use_id: 'toolu_fetch', tool_name: 'WebFetch', tool_input: { url: 'https://docs.example.com/guide', prompt: 'read it' } });
    await t.waitForPending(1);
    const [fetchItem] = t.core.getSnapshot().pending;
    await t.core.callUi('approve', { id: fetchItem!.id, contentHash: fetchItem!.contentHash, grant: 'always', rule: { toolName: 'WebFetch', match: { kind: 'domain', domain: 'docs.example.com' } } });
    await fetchAsked;
    await vi.waitFor(() => expect((settingsAt(file) as unknown as { sandbox: { network: { allowedDomains: string[] } } }).sandbox.network.allowedDomains).toEqual(['github.com', 'docs.example.com', '*.docs.example.com']), { timeout: 3000 });

    // Turned off by hand, it shows as not enforced, with the fix; the next scope change puts it back.
    const off = settingsAt(file) as unknown as typeof settings;
    off.sandbox.enabled = false;
    writeFileSync(file, JSON.stringify(off));
    await vi.waitFor(() => expect(t!.core.getSnapshot().sandbox).toMatchObject({ state: 'not-enforced', reason: expect.stringMatching(/sandbox\.enabled is not true/), fix: expect.stringMatching(/connect claude-code/) }), { timeout: 5000 });
    await t.core.callUi('setSharedFolderMode', { path: shared, mode: 'read-write' });
    await vi.waitFor(() => expect(t!.core.getSnapshot().sandbox.state).toBe('enforced'), { timeout: 3000 });

    const gone = await connect('disconnect');
    expect(gone.out).toMatch(/^- sandbox/m);
    expect(settingsAt(file)).toEqual(before);
  });

  it('set up in one project only: sessions elsewhere are not sandboxed, and say why', async () => {
    t = await startTestCore({ home });
    await connect('connect', { sandbox: true, project: t.projectDir });
    const other = realpathSync(mkdtempSync(join(tmpdir(), 'cc-connect-other-')));
    await t.core.callUi('addSharedFolder', { path: other, mode: 'read-write' });
    const bash = fixtureIn<Record<string, unknown>>('input/pretooluse-bash.json', t.projectDir);
    for (const [cwd, sandboxed] of [[t.projectDir, true], [other, false]] as const) {
      const asked = t.hook({ ...bash, cwd, tool_use_id: `toolu_${sandboxed}`, tool_input: { command: 'make check', description: 'checks' } });
      await t.waitForPending(1);
      const [item] = t.core.getSnapshot().pending;
      expect(item!.sandbox?.sandboxed, cwd).toBe(sandboxed);
      if (!sandboxed) expect(item!.sandbox?.reason).toMatch(/set up for other projects/);
      await t.core.callUi('deny', { id: item!.id, contentHash: item!.contentHash, reason: 'no' });
      await asked;
    }
  });

  it('taken out by hand, then disconnect: the companion forgets the file and does not put its sandbox back', async () => {
    t = await startTestCore();
    const file = join(home, '.claude', 'settings.json');
    await connect('connect', { sandbox: true });
    writeFileSync(file, '{}\n');
    expect((await connect('disconnect')).out).toMatch(/nothing to do/);
    await t.core.callUi('addSharedFolder', { path: mkdtempSync(join(tmpdir(), 'cc-connect-after-')), mode: 'read-write' });
    await new Promise((r) => setTimeout(r, 300));
    expect(readFileSync(file, 'utf8')).toBe('{}\n');
    expect(t.core.getSnapshot().sandbox.state).toBe('not-set-up');
  });

  it('a connected settings file replaced by a link: the companion neither reads nor writes through it, and says so', async () => {
    t = await startTestCore();
    const file = join(home, '.claude', 'settings.json');
    await connect('connect', { sandbox: true });
    const elsewhere = join(home, 'credentials.json');
    writeFileSync(elsewhere, '{"secret":"s3cret"}');
    rmSync(file);
    symlinkSync(elsewhere, file);
    await t.core.callUi('addSharedFolder', { path: mkdtempSync(join(tmpdir(), 'cc-connect-link-')), mode: 'read-write' });
    await vi.waitFor(() => expect(t!.core.getSnapshot().sandbox).toMatchObject({ state: 'not-enforced', reason: expect.stringContaining('is a link') }), { timeout: 5000 });
    expect(readFileSync(elsewhere, 'utf8')).toBe('{"secret":"s3cret"}');
    expect(lstatSync(file).isSymbolicLink()).toBe(true);
  });

  it('--project writes the project\'s .claude/settings.json, not the user\'s', async () => {
    t = await startTestCore();
    await connect('connect', { project: t.projectDir });
    expect(settingsAt(join(t.projectDir, '.claude', 'settings.json')).hooks['PreToolUse']).toHaveLength(1);
    expect(existsSync(join(home, '.claude', 'settings.json'))).toBe(false);
  });

  it('a settings file that is not valid JSON is left untouched, with a clear error', async () => {
    t = await startTestCore();
    mkdirSync(join(home, '.claude'));
    writeFileSync(join(home, '.claude', 'settings.json'), '{ "model": "opus", ');
    await expect(connect('connect')).rejects.toThrow(ConnectError);
    await expect(connect('connect')).rejects.toThrow(/not valid JSON.*nothing was changed/);
    expect(readFileSync(join(home, '.claude', 'settings.json'), 'utf8')).toBe('{ "model": "opus", ');
  });

  it('through the CLI: follows HOME, and an unknown client is one clear line', () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does).`);
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-connect-data-'));
    const out = execFileSync(process.execPath, [CLI, 'connect', 'claude-code', '--data-dir', dataDir], { env: { ...process.env, HOME: home }, encoding: 'utf8' });
    expect(out).toMatch(/Wrote .*\.claude\/settings\.json/);
    expect(existsSync(join(home, '.claude', 'settings.json'))).toBe(true);
    const bad = spawnSync(process.execPath, [CLI, 'connect', 'cursor', '--data-dir', dataDir], { env: { ...process.env, HOME: home }, encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe('cowork-companion connect: connect what? The one client known is "claude-code" (got "cursor")');
    rmSync(dataDir, { recursive: true, force: true });
  });
});
