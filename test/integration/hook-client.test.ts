// The command-hook client against a real server, and its fail-closed behaviour without one.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURE_PROJECT, fixtureIn, fixtureText } from '../support/fixtures.js';
import { HOOK_CLIENTS } from '../support/hook-clients.js';
import { CLI } from '../support/serve-process.js';
import { startTestCore, type TestCore } from '../support/start-core.js';

let t: TestCore | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

describe.each(HOOK_CLIENTS)('hook client: $name', ({ run }) => {
  it('forwards the payload and prints the decision', async () => {
    t = await startTestCore();
    const result = run(fixtureText('input/pretooluse-bash.json').split(FIXTURE_PROJECT).join(t.projectDir), { dataDir: t.dataDir });
    await t.waitForPending(1);
    const [item] = t.core.getSnapshot().pending;
    await t.core.callUi('approve', { id: item!.id, contentHash: item!.contentHash });
    const r = await result;
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow' } });
  });

  it('prints {} for events that need no decision', async () => {
    t = await startTestCore();
    const r = await run(fixtureText('input/sessionstart-startup.json'), { dataDir: t.dataDir });
    expect(r).toMatchObject({ code: 0 });
    expect(JSON.parse(r.stdout)).toEqual({});
  });

  it('denies with a clear reason when the companion is not running', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-hook-'));
    const r = await run(fixtureText('input/pretooluse-write.json'), { dataDir });
    expect(r.code).toBe(0);
    const answer = JSON.parse(r.stdout) as { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string } };
    expect(answer.hookSpecificOutput.permissionDecision).toBe('deny');
    expect(answer.hookSpecificOutput.permissionDecisionReason).toMatch(/not running/);
  });

  it('denies when the published address is stale (connection refused)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-hook-'));
    writeFileSync(join(dataDir, 'agent-endpoint.json'), JSON.stringify({ url: 'http://127.0.0.1:9' }));
    writeFileSync(join(dataDir, 'agent-token'), 'x'.repeat(43));
    const r = await run(fixtureText('input/permissionrequest-bash.json'), { dataDir });
    expect(JSON.parse(r.stdout)).toMatchObject({ hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'deny' } } });
    expect(r.stdout).toMatch(/the companion is unreachable \((ECONNREFUSED|cannot connect to 127\.0\.0\.1:9)\)/);
  });

  it('falls back to Claude Code\'s own prompt only when fail-open is configured', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-hook-'));
    const r = await run(fixtureText('input/pretooluse-write.json'), { dataDir, failOpen: true });
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toMatch(/fail-open/);
  });

  it('denies when its token is not the companion\'s (the refusal cannot be proven either), naming both causes', async () => {
    t = await startTestCore();
    // The running companion's address and lock with another token (a copy: the companion puts its
    // own token file back at once, before a client process would read the changed one).
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-hook-'));
    for (const name of ['agent-endpoint.json', 'companion.lock']) copyFileSync(join(t.dataDir, name), join(dataDir, name));
    writeFileSync(join(dataDir, 'agent-token'), 'y'.repeat(43));
    const r = await run(fixtureText('input/pretooluse-write.json'), { dataDir });
    expect(r.stdout).toMatch(/HTTP 401 without a valid answer proof/);
    expect(r.stdout).toMatch(/agent-endpoint\.json .*rewritten.*or the agent token is not the running companion's/);
    expect(JSON.parse(r.stdout)).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny' } });
  });

  it('with --token-sha256 (as connect wires it) acts only with the token connect set up, the fingerprint in either case', async () => {
    t = await startTestCore();
    const fingerprint = createHash('sha256').update(t.agentToken).digest('hex').slice(0, 32);
    const read = JSON.stringify(fixtureIn('input/pretooluse-read.json', t.projectDir));
    for (const given of [fingerprint, fingerprint.toUpperCase()]) {
      const ok = await run(read, { dataDir: t.dataDir, tokenSha256: given });
      expect(JSON.parse(ok.stdout), given).toMatchObject({ hookSpecificOutput: { permissionDecision: 'allow' } });
    }
    // The token replaced (with the address, in a copy of the folder: the companion would put both back).
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-hook-'));
    for (const name of ['agent-endpoint.json', 'companion.lock']) copyFileSync(join(t.dataDir, name), join(dataDir, name));
    writeFileSync(join(dataDir, 'agent-token'), 'z'.repeat(43));
    for (const given of [fingerprint, fingerprint.slice(0, 8)]) {
      const r = await run(read, { dataDir, tokenSha256: given, failOpen: true });
      expect(JSON.parse(r.stdout), given).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny' } });
      expect(r.stdout).toMatch(/not the one \\"cowork-companion connect\\" set up/);
    }
  });

  it('blocks (exit 2) on a payload it cannot read', async () => {
    const r = await run('{not json', { dataDir: mkdtempSync(join(tmpdir(), 'cc-hook-')) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read the hook payload/);
    // Not a hook payload at all: nothing says it decides nothing.
    for (const text of ['{}', '[]', 'null', '{"hook_event_name": 7}']) {
      const e = await run(text, { dataDir: mkdtempSync(join(tmpdir(), 'cc-hook-')) });
      expect(e.code, text).toBe(2);
      expect(e.stderr).toMatch(/cannot read the hook payload/);
    }
  });

  it('does nothing (exit 0) for a non-deciding event when the companion is down', async () => {
    const r = await run(fixtureText('input/stop.json'), { dataDir: mkdtempSync(join(tmpdir(), 'cc-hook-')) });
    expect(r).toMatchObject({ code: 0, stdout: '' });
  });
});

describe('Node hook client --managed (the built CLI, as an installed command runs)', () => {
  const cli = (args: string[], env: Record<string, string>, input: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const c = spawn(process.execPath, [CLI, 'hook', ...args], { env: { PATH: '/usr/bin:/bin', ...env } });
      let stdout = '';
      let stderr = '';
      c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      c.on('close', (code) => resolve({ code, stdout, stderr }));
      c.stdin.on('error', () => undefined);
      c.stdin.end(input);
    });

  it('ignores the environment that names another companion; --data-dir or --url with it blocks', async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build:core" first (npm test builds).`);
    t = await startTestCore();
    const token = readFileSync(join(t.dataDir, 'agent-token'), 'utf8').trim();
    const url = (JSON.parse(readFileSync(join(t.dataDir, 'agent-endpoint.json'), 'utf8')) as { url: string }).url;
    const input = JSON.stringify(fixtureIn('input/pretooluse-read.json', t.projectDir));
    const home = mkdtempSync(join(tmpdir(), 'cc-hook-home-'));
    const envs: Record<string, string>[] = [
      { HOME: home, COWORK_COMPANION_DATA_DIR: t.dataDir },
      { HOME: home, COWORK_COMPANION_URL: url, COWORK_COMPANION_TOKEN: token },
    ];
    // Not vacuous: without --managed each environment reaches that companion, which decides.
    for (const env of envs) expect(JSON.parse((await cli([], env, input)).stdout), JSON.stringify(env)).toMatchObject({ hookSpecificOutput: { permissionDecision: 'allow' } });
    const decided = t.core.getSnapshot().recent.length;
    expect(decided).toBe(2);
    for (const env of envs) {
      const r = await cli(['--managed'], env, input);
      expect(r.code, r.stderr).toBe(0);
      // With no companion in the real home (a test machine) that is a deny; either way not this one's answer.
      if (!existsSync(join(userInfo().homedir, '.config', 'cowork-companion', 'agent-token'))) {
        expect(JSON.parse(r.stdout), JSON.stringify(env)).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny' } });
      }
    }
    for (const args of [['--managed', '--data-dir', t.dataDir], ['--managed', '--url', url]]) {
      const r = await cli(args, { HOME: home }, input);
      expect(r, args.join(' ')).toMatchObject({ code: 2, stdout: '' });
      expect(r.stderr).toMatch(/--managed .*cannot be given --data-dir or --url; blocking/);
    }
    expect(t.core.getSnapshot().recent).toHaveLength(decided);
  });
});
