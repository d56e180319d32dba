// The packaged app's binary cannot run as plain Node (its fuses forbid it), so `cowork-companion policy
// show` and the other CLI commands go through the app itself: the real built main, under the fake
// electron, runs the command, prints its output and exits with its code — no window, tray or core.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { removeFakeElectronBuild, runElectronMainCli, stopElectronMainProcesses } from '../support/electron-main-process.js';

const PROCESS_TEST = { timeout: 60_000 };
let dir: string | undefined;
afterEach(async () => {
  await stopElectronMainProcesses();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});
afterAll(() => removeFakeElectronBuild());

const STARTED_APP = /^app\.(requestSingleInstanceLock|setPath|enableSandbox)$|^tray\.|^window\./;

describe('CLI commands through the packaged app', () => {
  it('policy show --json prints the policy in force and exits 0, starting nothing of the app', PROCESS_TEST, async () => {
    dir = mkdtempSync(join(tmpdir(), 'cc-app-cli-'));
    const policy = join(dir, 'policy.json');
    writeFileSync(policy, JSON.stringify({ approvals: { timeoutSeconds: 60 }, organization: { name: 'Acme IT' } }));
    const run = await runElectronMainCli(['policy', 'show', '--json', `--policy=${policy}`]);
    expect(run.code, run.stderr).toBe(0);
    const shown = JSON.parse(run.stdout) as { state: string; settings: { key: string; value?: unknown; locked: boolean }[] };
    expect(shown.state).toBe('ok');
    expect(shown.settings.find((s) => s.key === 'approvals.timeoutSeconds')).toMatchObject({ value: 60, locked: true });
    expect(run.events.filter((e) => STARTED_APP.test(e))).toEqual([]);
  });

  it('policy check exits 1, each error with its place; a usage error exits 64 with the hint', PROCESS_TEST, async () => {
    dir = mkdtempSync(join(tmpdir(), 'cc-app-cli-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"approvals":{"timeoutSeconds":2}}');
    const check = await runElectronMainCli(['policy', 'check', bad]);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/bad\.json:1:\d+: error: approvals\.timeoutSeconds: Too small/);
    const usage = await runElectronMainCli(['scope', 'add', '/a', '/b', '/c']);
    expect(usage.code).toBe(64);
    expect(usage.stderr).toMatch(/unexpected argument "\/b"[\s\S]*--help/);
  });

  it('--version prints the version', PROCESS_TEST, async () => {
    const run = await runElectronMainCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
