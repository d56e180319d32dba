// One companion per data folder, and a start that cannot happen says so at once: a second `serve` on
// the same folder names the running one and leaves its files alone; a busy port is one clear line.
// Runs the built CLI (`npm test` builds first) as real processes.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest } from '../support/http-client.js';
import { killServeProcesses, startServe } from '../support/serve-process.js';

let blocker: Server | undefined;
afterEach(async () => {
  killServeProcesses();
  await new Promise((r) => (blocker ? blocker.close(r) : r(undefined)));
  blocker = undefined;
});

/** Every file in the data folder with its content and modification time. */
function folderState(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[p] = `${statSync(p).mtimeMs}:${readFileSync(p, 'utf8')}`;
    }
  };
  walk(dir);
  return out;
}

describe('one companion per data folder', () => {
  it('a second serve on the same folder exits 3 at once, names the running one, and touches none of its files', async () => {
    const first = startServe();
    const { agentApiUrl, tokenFile } = await first.ready;
    await new Promise((r) => setTimeout(r, 300)); // the first one's own writes settle
    const before = folderState(first.dataDir);
    const started = Date.now();
    const second = startServe({ dataDir: first.dataDir });
    const code = await second.exited;
    expect(Date.now() - started).toBeLessThan(5000); // ≈ process start; generous for a loaded machine
    expect(code).toBe(3);
    const lines = second.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`already running for this data folder \\(pid ${first.child.pid}, at ${agentApiUrl.replace(/\./g, '\\.')}\\)`));
    expect(folderState(first.dataDir)).toEqual(before);
    const health = await rawRequest(`${agentApiUrl}/healthz`, { method: 'GET', headers: { Authorization: `Bearer ${readFileSync(tokenFile, 'utf8').trim()}` } });
    expect(health.status).toBe(200);
  });

  it('after the first one stops (even killed), the folder is free again', async () => {
    const first = startServe();
    await first.ready;
    first.child.kill('SIGKILL');
    await first.exited;
    const second = startServe({ dataDir: first.dataDir });
    await second.ready;
  });

  it('a busy --port exits 1 at once with one clear line', async () => {
    blocker = createServer();
    await new Promise<void>((r) => blocker!.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const s = startServe({ args: ['--port', String(port), '--no-watch'] });
    expect(await s.exited).toBe(1);
    expect(s.stderr().trim().split('\n')).toEqual([`cowork-companion: the port ${port} is in use by another program; choose another with --port (0 picks a free one)`]);
  });
});
