// A broken IT policy file under a real `serve` (the built CLI, `npm test` builds first): stderr says
// it once, with the file, line and column, even while the core re-reads it every 2 s; the snapshot's
// policy view says the same; fixed, stderr says the policy is in force again.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Snapshot } from '../../shared/ui-contract.js';
import { rawRequest } from '../support/http-client.js';
import { killServeProcesses, startServe } from '../support/serve-process.js';

const dirs: string[] = [];
afterEach(() => {
  killServeProcesses();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The person's window: the ready line's one-time address traded for a session, then snapshots. */
async function uiOf(ready: { agentApiUrl: string; uiUrl: string }): Promise<() => Promise<Snapshot>> {
  const pairing = new URL(ready.uiUrl).hash.replace('#token=', '');
  const session = await rawRequest(`${ready.agentApiUrl}/ui/session`, { headers: { Authorization: `Bearer ${pairing}` } });
  const token = (session.json as { sessionToken: string }).sessionToken;
  return async () => (await rawRequest(`${ready.agentApiUrl}/ui/api/getSnapshot`, { headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: '{}' })).json as Snapshot;
}

const count = (text: string, part: string): number => text.split(part).length - 1;

describe('serve with a broken IT policy', () => {
  it('says it on stderr once, with file and line; the snapshot shows the same; fixed, it says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-broken-policy-'));
    dirs.push(dir);
    const file = join(dir, 'policy.json');
    writeFileSync(file, '{\n  "stormPerMinute": 100,\n  "outOfScope": "sometimes"\n}\n');
    const serve = startServe({ args: ['--port', '0', '--no-watch', '--policy', file] });
    const snapshot = await uiOf(await serve.ready);

    const head = `cowork-companion: IT policy ${file} is invalid; no valid policy: nothing is allowed automatically, every request asks a person. Problems:`;
    const where = `  ${file}:3:17: outOfScope: `;
    await vi.waitFor(() => expect(serve.stderr()).toContain(where), { timeout: 5000 });
    // Three polls of the file later, still said once.
    await new Promise((r) => setTimeout(r, 6500));
    expect(count(serve.stderr(), head), serve.stderr()).toBe(1);
    expect(count(serve.stderr(), where)).toBe(1);

    const view = (await snapshot()).policy;
    expect(view).toMatchObject({ state: 'invalid', file, behaviour: 'nothing-automatic', problems: [{ path: 'outOfScope', line: 3, column: 17 }] });

    writeFileSync(file, '{\n  "stormPerMinute": 100\n}\n');
    utimesSync(file, 1_000, 1_000);
    await vi.waitFor(() => expect(serve.stderr()).toContain(`cowork-companion: IT policy ${file} is valid; its settings are in force.`), { timeout: 6000 });
    expect((await snapshot()).policy).toMatchObject({ state: 'ok', behaviour: 'policy', problems: [] });
  }, 30_000);
});
