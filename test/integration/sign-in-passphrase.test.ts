// Signing in to the headless Inbox without a terminal, over real HTTP on loopback: the passphrase is
// set only from a signed-in window (not with the agent token, not without a session), traded for a
// working session, refused with growing waits when wrong, refused from another origin, and every try
// is evidence in the journal.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PASSPHRASE_FILE } from '../../electron/core/http/index.js';
import { rawRequest } from '../support/http-client.js';
import { startTestCore, type TestCore } from '../support/start-core.js';

let t: TestCore | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

const PASS = 'a long passphrase only the person knows';
const json = { 'Content-Type': 'application/json' };

function journalText(dataDir: string): string {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.jsonl') ? [readFileSync(join(dir, e.name), 'utf8')] : []));
  return walk(dataDir).join('\n');
}

describe('sign-in passphrase (serve as a service)', () => {
  it('is set only from a signed-in window, and traded for a session that works', async () => {
    t = await startTestCore({ share: false });
    const base = t.core.agentApiUrl;
    const set = (token: string | undefined, passphrase = PASS) =>
      rawRequest(`${base}/ui/passphrase`, { headers: { ...json, ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ passphrase }) });
    const signIn = (passphrase: string, headers: Record<string, string> = {}) => rawRequest(`${base}/ui/sign-in`, { headers: { ...json, ...headers }, body: JSON.stringify({ passphrase }) });

    expect((await signIn(PASS)).status).toBe(409);
    // The agent's token and no token at all cannot set it.
    expect((await set(t.agentToken)).status).toBe(403);
    expect((await set(undefined)).status).toBe(401);
    expect((await set(t.uiToken, 'too short')).status).toBe(400);
    expect((await set(t.uiToken)).status).toBe(200);
    expect(readFileSync(join(t.dataDir, PASSPHRASE_FILE), 'utf8')).not.toContain(PASS);

    // A page of another origin cannot try passphrases.
    expect((await signIn(PASS, { Origin: 'http://evil.example' })).status).toBe(403);

    const wrong = await signIn('not the passphrase');
    expect(wrong.status).toBe(401);
    // Too soon after it: refused unchecked, even the right one.
    const early = await signIn(PASS);
    expect(early.status).toBe(429);
    expect(early.json).toMatchObject({ error: { code: 'sign_in_wait' } });
    await new Promise((r) => setTimeout(r, 1000));
    const ok = await signIn(PASS);
    expect(ok.status).toBe(200);
    const session = (ok.json as { sessionToken: string }).sessionToken;
    const snapshot = await t.ui('getSnapshot', {}, session);
    expect(snapshot.status).toBe(200);

    // Every try is evidence (repeats of an unchecked refusal excepted); the passphrase never is.
    await vi.waitFor(() => {
      const text = journalText(t!.dataDir);
      for (const outcome of ['not_set', 'set', 'wrong', 'wait', 'success']) expect(text).toContain(`"sign_in.outcome":"${outcome}"`);
      expect(text).not.toContain(PASS);
    });
  }, 20_000);
});
