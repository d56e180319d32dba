// The companion's process is not a way in: SIGUSR1 does not open Node's inspector, inspector flags
// are refused, and a process that can write into serve's stdin pipe cannot mint Inbox addresses.
// Runs the built CLI (`npm test` builds first) as a real process.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inspectorFlags } from '../../electron/core/base/index.js';
import { rawRequest } from '../support/http-client.js';
import { killServeProcesses, startServe, type ServeProcess } from '../support/serve-process.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  killServeProcesses();
});

function start(args: string[], env: Record<string, string> = {}): ServeProcess {
  return startServe({ dataDir: mkdtempSync(join(tmpdir(), 'cc-guard-')), args: ['--port', '0', '--no-watch', ...args], env });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the process is not a way in', () => {
  it('SIGUSR1 does not open the inspector; the companion keeps serving', async () => {
    const s = start([]);
    const { agentApiUrl, tokenFile } = await s.ready;
    s.child.kill('SIGUSR1');
    await pause(700);
    expect(s.stderr()).not.toMatch(/Debugger listening/);
    expect(s.stderr()).toMatch(/SIGUSR1 ignored/);
    const health = await rawRequest(`${agentApiUrl}/healthz`, { method: 'GET', headers: { Authorization: `Bearer ${readFileSync(tokenFile, 'utf8').trim()}` } });
    expect(health.status).toBe(200);
  });

  it('(control) without the guard, the same signal opens the inspector of a plain Node process', async () => {
    const child = spawn(process.execPath, ['--inspect-port=0', '-e', 'setTimeout(() => {}, 5000)'], { stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    await pause(300);
    child.kill('SIGUSR1');
    const deadline = Date.now() + 3000;
    while (!/Debugger listening/.test(stderr) && Date.now() < deadline) await pause(50);
    expect(stderr).toMatch(/Debugger listening/);
  });

  it('refuses to start with an inspector flag, from the command line or NODE_OPTIONS', async () => {
    for (const env of [{ NODE_OPTIONS: '--inspect-port=0' }, { NODE_OPTIONS: '--max-old-space-size=512 --inspect=127.0.0.1:0' }]) {
      const s = start([], env);
      const code = await s.exited;
      expect(code, s.stderr()).not.toBe(0);
      expect(s.stderr()).toMatch(/refusing to run with the Node inspector enabled/);
    }
    expect(inspectorFlags(['--inspect-brk'], undefined)).toEqual(['--inspect-brk']);
    expect(inspectorFlags([], '--inspect-publish-uid=http --max-old-space-size=1')).toEqual(['--inspect-publish-uid=http']);
    expect(inspectorFlags(['--no-warnings'], '--enable-source-maps')).toEqual([]);
    // As Node reads NODE_OPTIONS: quoted words, and `_` for `-` in option names.
    expect(inspectorFlags([], '"--inspect=127.0.0.1:0"')).toEqual(['--inspect=127.0.0.1:0']);
    expect(inspectorFlags([], '--max-old-space-size=64 --inspect_brk=0')).toEqual(['--inspect_brk=0']);
    expect(inspectorFlags([], '--title="a b" --no-warnings')).toEqual([]);
  });

  it('refuses a quoted or underscore-spelt inspector flag in NODE_OPTIONS too (adversarial review H1, H2)', async () => {
    // Node opens the inspector before any of the companion's code runs; the guard's part is to stop
    // the process at once, before it holds anything worth taking.
    for (const nodeOptions of ['"--inspect=127.0.0.1:0"', '--inspect_publish_uid=http --inspect_port=0']) {
      const s = start([], { NODE_OPTIONS: nodeOptions });
      const code = await s.exited;
      expect(code, s.stderr()).not.toBe(0);
      expect(s.lines).toEqual([]);
      expect(s.stderr()).toMatch(/refusing to run with the Node inspector enabled/);
    }
  });

  it('a line written into a stdin pipe mints no Inbox address unless the starter asked for it', async () => {
    const piped = start([]);
    await piped.ready;
    piped.child.stdin!.write('\n');
    await pause(500);
    expect(piped.lines).toHaveLength(1);
    const owned = start(['--stdin-links']);
    await owned.ready;
    owned.child.stdin!.write('\n');
    const deadline = Date.now() + 3000;
    while (owned.lines.length < 2 && Date.now() < deadline) await pause(50);
    expect(JSON.parse(owned.lines[1]!)).toMatchObject({ event: 'ui-link', uiUrl: expect.stringContaining('#token=') });
  });
});
