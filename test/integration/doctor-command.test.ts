// `cowork-companion doctor` against real files and a real companion: after connect everything the
// companion needs checks out; without connect the hooks are missing; with the companion stopped it is
// unreachable; a hand-written hook without "onFailure": "block" is named with its fix; --json's shape.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runConnectCommand } from '../../electron/cli/connect-command.js';
import { runDoctorCommand, type DoctorOptions } from '../../electron/cli/doctor-command.js';
import { COMPANION_HOOK_EVENTS } from '../../electron/core/clients/index.js';
import type { DoctorCheck } from '../../electron/cli/doctor-policy.js';
import { CLI } from '../support/serve-process.js';
import { startTestCore, type TestCore } from '../support/start-core.js';

let home: string;
let project: string;
let t: TestCore | undefined;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'cc-doctor-home-'));
  project = mkdtempSync(join(tmpdir(), 'cc-doctor-project-'));
});
afterEach(async () => {
  await t?.dispose();
  t = undefined;
  rmSync(home, { recursive: true, force: true });
  rmSync(project, { recursive: true, force: true });
});

async function connect(): Promise<void> {
  const out = new PassThrough();
  out.resume();
  const code = await runConnectCommand('connect', 'claude-code', { dataDir: t!.dataDir, print: false, commandHooks: false, sandbox: false, home, out, port: Number(new URL(t!.core.agentApiUrl).port) });
  expect(code).toBe(0);
}

async function doctor(extra: Partial<DoctorOptions> = {}): Promise<{ code: number; ok: boolean; checks: DoctorCheck[] }> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  const code = await runDoctorCommand({
    dataDir: t!.dataDir,
    project,
    json: true,
    home,
    managedSettingsFile: join(home, 'no-managed-settings.json'),
    claudeVersion: async () => ({ state: 'not-found' }),
    env: { PATH: '' },
    out,
    ...extra,
  });
  const parsed = JSON.parse(text) as { ok: boolean; checks: DoctorCheck[] };
  return { code, ...parsed };
}

const status = (checks: DoctorCheck[], id: string): string | undefined => checks.find((c) => c.id === id)?.status;

describe('doctor', () => {
  it('after connect, with the companion running: the companion, every hook and the token check out', async () => {
    t = await startTestCore();
    await connect();
    const r = await doctor();
    expect(r.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.ok).toBe(true);
    expect(status(r.checks, 'companion-reachable')).toBe('ok');
    expect(status(r.checks, 'companion-process')).toBe('ok');
    for (const e of COMPANION_HOOK_EVENTS) expect(status(r.checks, `hook-${e}`), e).toBe('ok');
    expect(status(r.checks, 'agent-token')).toBe('ok');
    // Not on PATH (PATH is empty here), and that is fine: connect's command hook is an absolute path.
    expect(r.checks.find((c) => c.id === 'command-on-path')?.message).toMatch(/absolute path/);
    expect(status(r.checks, 'claude-code')).toBe('warn');
    expect(JSON.stringify(r.checks)).not.toContain(t.agentToken);
  });

  it('without connect: the hooks are missing (fail, exit 1)', async () => {
    t = await startTestCore();
    const r = await doctor();
    expect(r.code).toBe(1);
    expect(r.ok).toBe(false);
    expect(r.checks.find((c) => c.id === 'hook-PreToolUse')).toMatchObject({ status: 'fail', fix: 'run "cowork-companion connect claude-code"' });
    expect(status(r.checks, 'companion-reachable')).toBe('ok');
  });

  it('with the companion stopped: not reachable, no process (fail)', async () => {
    t = await startTestCore();
    await connect();
    await t.dispose();
    const r = await doctor();
    expect(r.code).toBe(1);
    expect(r.checks.find((c) => c.id === 'companion-reachable')).toMatchObject({ status: 'fail', fix: expect.stringMatching(/cowork-companion start/) });
    expect(status(r.checks, 'companion-process')).toBe('fail');
    // The hooks are still there, pointed at the port the companion had.
    expect(status(r.checks, 'hook-PreToolUse')).toBe('ok');
  });

  it('an address file pointing at another server: that server learns no token, and doctor says it is not the companion', async () => {
    t = await startTestCore();
    const seen: Record<string, string | string[] | undefined>[] = [];
    const impostor = createServer((req, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
    });
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-doctor-data-'));
    try {
      // A copy of the data folder's token and an address file naming the impostor (the running core
      // would put its own sealed files back, so this uses a folder of its own).
      writeFileSync(join(dataDir, 'agent-token'), `${t.agentToken}\n`, { mode: 0o600 });
      writeFileSync(join(dataDir, 'agent-endpoint.json'), JSON.stringify({ url: `http://127.0.0.1:${(impostor.address() as AddressInfo).port}` }));
      const r = await doctor({ dataDir });
      expect(r.checks.find((c) => c.id === 'companion-reachable')).toMatchObject({ status: 'fail', message: expect.stringMatching(/cannot prove it is the companion/) });
      expect(seen).toHaveLength(1);
      expect(JSON.stringify(seen)).not.toContain(t.agentToken);
    } finally {
      await new Promise((resolve) => impostor.close(resolve));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a hand-written deciding http hook without "onFailure": "block" (in the project\'s local settings) is named with its fix', async () => {
    t = await startTestCore();
    mkdirSync(join(project, '.claude'));
    const url = `${t.core.agentApiUrl}/hooks/claude-code`;
    const hook = { type: 'http', url, timeout: 300, headers: { Authorization: `Bearer ${t.agentToken}` } };
    writeFileSync(join(project, '.claude', 'settings.local.json'), JSON.stringify({ hooks: { PreToolUse: [{ matcher: '*', hooks: [hook] }] } }));
    const r = await doctor();
    expect(r.checks.find((c) => c.id === 'hook-PreToolUse')).toMatchObject({ status: 'ok', message: expect.stringMatching(/settings\.local\.json \(local\)/) });
    expect(r.checks.find((c) => c.id === 'hook-PreToolUse-on-failure')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/an unreachable companion lets the call through/),
      fix: expect.stringMatching(/"onFailure": "block"/),
    });
    expect(r.code).toBe(1);
  });

  it('through the CLI: --json shape, the human form with marks, exit codes; follows HOME', () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does).`);
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-doctor-data-'));
    try {
      const env = { ...process.env, HOME: home };
      const json = spawnSync(process.execPath, [CLI, 'doctor', '--json', '--data-dir', dataDir, '--project', project], { env, encoding: 'utf8', timeout: 15_000 });
      expect(json.status, json.stderr).toBe(1); // nothing runs, nothing is wired
      const parsed = JSON.parse(json.stdout) as { ok: unknown; checks: Record<string, unknown>[] };
      expect(Object.keys(parsed).sort()).toEqual(['checks', 'ok']);
      expect(parsed.ok).toBe(false);
      for (const c of parsed.checks) {
        expect(typeof c['id']).toBe('string');
        expect(['ok', 'warn', 'fail']).toContain(c['status']);
        expect(typeof c['message']).toBe('string');
        if ('fix' in c) expect(typeof c['fix']).toBe('string');
        expect(Object.keys(c).every((k) => ['id', 'status', 'message', 'fix'].includes(k))).toBe(true);
      }
      const ids = parsed.checks.map((c) => c['id']);
      expect(ids).toEqual(expect.arrayContaining(['companion-reachable', 'companion-process', 'hook-PreToolUse', 'command-on-path', 'agent-token', 'telemetry']));
      // Whether or not claude is installed here, it never decides the exit code.
      const claude = parsed.checks.find((c) => c['id'] === 'claude-code');
      if (claude) expect(claude['status']).not.toBe('fail');
      expect(parsed.checks.find((c) => c['id'] === 'hook-PreToolUse')?.['message']).toMatch(/no Claude Code settings file found/);

      // connect through the CLI (following HOME), then the human form.
      spawnSync(process.execPath, [CLI, 'connect', 'claude-code', '--data-dir', dataDir, '--no-sandbox'], { env, encoding: 'utf8' });
      expect(readFileSync(join(home, '.claude', 'settings.json'), 'utf8')).toContain('/hooks/claude-code');
      const human = spawnSync(process.execPath, [CLI, 'doctor', '--data-dir', dataDir, '--project', project], { env, encoding: 'utf8', timeout: 15_000 });
      expect(human.status).toBe(1); // the companion is not running
      expect(human.stdout).toMatch(/^✗ the companion is not running/m);
      expect(human.stdout).toMatch(/^ {4}fix: start it: cowork-companion start/m);
      expect(human.stdout).toMatch(/^✓ PreToolUse: http hook in .*\.claude\/settings\.json \(user\)/m);
      // connect pointed Claude Code's own logs at the relay: joined telemetry, no advice to add a collector.
      expect(human.stdout).toMatch(/^✓ Claude Code's own logs go to the companion's relay \(http:\/\/127\.0\.0\.1:\d+\/v1\/logs, user settings\)/m);
      expect(human.stdout).not.toMatch(/advice: .*OTEL/);
      expect(human.stdout).toMatch(/problems? to fix/);
      const bad = spawnSync(process.execPath, [CLI, 'doctor', '--data-dir', dataDir, '--project', join(project, 'nope')], { env, encoding: 'utf8' });
      expect(bad.status).toBe(1);
      expect(bad.stderr.trim()).toBe(`cowork-companion doctor: --project ${join(project, 'nope')} is not a folder`);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
