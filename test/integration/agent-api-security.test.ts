// The agent API refuses everything that is not a well-formed, authenticated hook call from a local
// agent — with a clear 4xx JSON error and nothing queued — and the agent token can never decide.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixture, fixtureIn } from '../support/fixtures.js';
import { rawRequest } from '../support/http-client.js';
import { startTestCore, type TestCore } from '../support/start-core.js';

let t: TestCore;
let hookUrl: string;
const valid = JSON.stringify(fixture('input/pretooluse-write.json'));

beforeAll(async () => {
  t = await startTestCore();
  hookUrl = `${t.core.agentApiUrl}/hooks/claude-code`;
});
afterAll(async () => t.dispose());

const json = { 'Content-Type': 'application/json' };
const auth = (): Record<string, string> => ({ ...json, Authorization: `Bearer ${t.agentToken}` });

async function expectRefused(res: Promise<{ status: number; json: unknown }>, status: number, code: string): Promise<void> {
  const r = await res;
  expect(r.status).toBe(status);
  expect(r.json).toMatchObject({ error: { code, message: expect.any(String) } });
  expect(t.core.getSnapshot().pending).toHaveLength(0);
}

describe('agent API security', () => {
  it('refuses a request without a token', () => expectRefused(rawRequest(hookUrl, { headers: json, body: valid }), 401, 'token_missing'));

  it('refuses a wrong token', () =>
    expectRefused(rawRequest(hookUrl, { headers: { ...json, Authorization: 'Bearer not-the-token' }, body: valid }), 401, 'token_invalid'));

  it('refuses the UI credential on the agent API', () =>
    expectRefused(rawRequest(hookUrl, { headers: { ...json, Authorization: `Bearer ${t.uiToken}` }, body: valid }), 401, 'token_invalid'));

  it('refuses any request carrying an Origin header', () =>
    expectRefused(rawRequest(hookUrl, { headers: { ...auth(), Origin: 'https://evil.example' }, body: valid }), 403, 'origin_refused'));

  it('refuses even a same-host Origin (browsers must never reach the agent API)', () =>
    expectRefused(rawRequest(hookUrl, { headers: { ...auth(), Origin: t.core.agentApiUrl }, body: valid }), 403, 'origin_refused'));

  it('refuses a foreign Host (DNS rebinding)', () =>
    expectRefused(rawRequest(hookUrl, { headers: { ...auth(), Host: `evil.example:${new URL(hookUrl).port}` }, body: valid }), 421, 'host_not_allowed'));

  it('refuses a Host with another port', () =>
    expectRefused(rawRequest(hookUrl, { headers: { ...auth(), Host: '127.0.0.1:1' }, body: valid }), 421, 'host_not_allowed'));

  // Claude Code's http hooks go ahead with their normal flow on any non-2xx answer: a hook call the
  // companion will not take is answered 2xx with a deny, never a 4xx.
  it('denies (2xx) an oversized hook call, in the shape of the event it names', async () => {
    for (const name of ['pretooluse-write', 'permissionrequest-bash']) {
      const r = await rawRequest(hookUrl, { headers: auth(), body: JSON.stringify({ ...fixture(`input/${name}.json`), pad: 'x'.repeat(1_100_000) }) });
      expect(r.status).toBe(200);
      const answer = JSON.stringify(r.json);
      expect(answer).toMatch(name.startsWith('pretooluse') ? /"permissionDecision":"deny"/ : /"behavior":"deny"/);
      expect(answer).toMatch(/larger than/);
    }
    expect(t.core.getSnapshot().pending).toHaveLength(0);
  });

  it('denies (2xx) an oversized chunked hook call (no Content-Length)', async () => {
    const { request } = await import('node:http');
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(hookUrl, { method: 'POST', headers: { ...auth(), 'Transfer-Encoding': 'chunked' } }, (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write('x'.repeat(64 * 1024));
      req.end();
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny' } });
    expect(t.core.getSnapshot().pending).toHaveLength(0);
  });

  it('survives a client that leaves in the middle of a body: nothing queued, nothing recorded, the next call answered', async () => {
    const { connect } = await import('node:net');
    const { port } = new URL(hookUrl);
    const before = t.core.getSnapshot().evidence.queued;
    const half = valid.slice(0, valid.length / 2);
    const stderr = vi.spyOn(process.stderr, 'write');
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST /hooks/claude-code HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAuthorization: Bearer ${t.agentToken}\r\nContent-Length: ${Buffer.byteLength(valid)}\r\n\r\n${half}`);
        setTimeout(() => socket.destroy(), 50);
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    await new Promise((r) => setTimeout(r, 50));
    // A client that left is not an internal error of the companion.
    expect(stderr.mock.calls.map(([text]) => String(text)).filter((text) => text.includes('internal error'))).toEqual([]);
    stderr.mockRestore();
    expect(t.core.getSnapshot().pending).toHaveLength(0);
    expect(t.core.getSnapshot().evidence.queued).toBe(before);
    const r = await rawRequest(`${t.core.agentApiUrl}/healthz`, { method: 'GET', headers: auth() });
    expect(r.status).toBe(200);
  });

  it('refuses malformed JSON', () => expectRefused(rawRequest(hookUrl, { headers: auth(), body: '{"session_id": ' }), 400, 'malformed_json'));

  it('refuses an empty body', () => expectRefused(rawRequest(hookUrl, { headers: auth(), body: '' }), 400, 'empty_body'));

  it('refuses a body that is not JSON-typed', () =>
    expectRefused(rawRequest(hookUrl, { headers: { ...auth(), 'Content-Type': 'text/plain' }, body: valid }), 415, 'unsupported_media_type'));

  it('denies (2xx) a tool call missing required fields, naming them', async () => {
    const { tool_name: _drop, ...rest } = fixture('input/pretooluse-write.json');
    const r = await rawRequest(hookUrl, { headers: auth(), body: JSON.stringify(rest) });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny', permissionDecisionReason: expect.stringContaining('tool_name') } });
    const { tool_input: _input, ...noInput } = fixture('input/permissionrequest-bash.json');
    const p = await rawRequest(hookUrl, { headers: auth(), body: JSON.stringify(noInput) });
    expect(p.status).toBe(200);
    expect(p.json).toMatchObject({ hookSpecificOutput: { decision: { behavior: 'deny' } } });
    expect(t.core.getSnapshot().pending).toHaveLength(0);
  });

  it('refuses (4xx) a body that names no hook event: nothing would run on it', async () => {
    const { hook_event_name: _e, ...rest } = fixture('input/pretooluse-write.json');
    await expectRefused(rawRequest(hookUrl, { headers: auth(), body: JSON.stringify(rest) }), 400, 'invalid_payload');
  });

  it('refuses a payload that is not an object', () => expectRefused(rawRequest(hookUrl, { headers: auth(), body: '[1,2]' }), 400, 'invalid_payload'));

  it('refuses GET on the hook route', () => expectRefused(rawRequest(hookUrl, { method: 'GET', headers: auth() }), 405, 'method_not_allowed'));

  it('never lets the agent token decide, hold or read the inbox', async () => {
    const answer = t.hook(fixtureIn('input/pretooluse-bash.json', t.projectDir));
    await t.waitForPending(1);
    const [item] = t.core.getSnapshot().pending;
    const ref = { id: item!.id, contentHash: item!.contentHash };
    for (const method of ['approve', 'deny', 'hold', 'getSnapshot']) {
      const r = await t.ui(method, ref, t.agentToken);
      expect(r.status, method).toBe(403);
      expect(r.json, method).toMatchObject({ error: { code: 'agent_token_cannot_decide' } });
    }
    const events = await rawRequest(`${t.core.agentApiUrl}/ui/events`, { method: 'GET', headers: { Authorization: `Bearer ${t.agentToken}` } });
    expect(events.status).toBe(403);
    expect(t.core.getSnapshot().pending[0]).toMatchObject({ id: item!.id, held: false });
    // clean up: the person denies it
    expect((await t.ui('deny', ref)).status).toBe(200);
    await answer;
  });

  it('refuses UI calls without the credential, with a wrong one, or from another origin', async () => {
    expect((await rawRequest(`${t.core.agentApiUrl}/ui/api/getSnapshot`, { headers: json, body: '{}' })).status).toBe(401);
    expect((await t.ui('getSnapshot', {}, 'wrong')).status).toBe(401);
    const cross = await rawRequest(`${t.core.agentApiUrl}/ui/api/getSnapshot`, {
      headers: { ...json, Authorization: `Bearer ${t.uiToken}`, Origin: 'http://localhost:1' },
      body: '{}',
    });
    expect(cross.status).toBe(403);
    const ok = await t.ui('getSnapshot', {});
    expect(ok.status).toBe(200);
  });

  it('validates UI payloads against the contract', async () => {
    const r = await t.ui('deny', { id: 42 });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: { code: 'invalid_request' } });
    expect((await t.ui('launchMissiles', {})).status).toBe(404);
  });

  it('keeps the agent token file user-only', async () => {
    const { statSync } = await import('node:fs');
    expect(statSync(t.core.tokenFile).mode & 0o777).toBe(0o600);
    expect(statSync(t.dataDir).mode & 0o777).toBe(0o700);
  });

  it('serves the UI with a strict CSP and no directory traversal', async () => {
    const index = await rawRequest(`${t.core.agentApiUrl}/`, { method: 'GET' });
    expect(index.status).toBe(200);
    const traversal = await rawRequest(`${t.core.agentApiUrl}/..%2f..%2fagent-token`, { method: 'GET' });
    expect(traversal.status).toBe(404);
    expect(traversal.text).not.toContain(t.agentToken);
  });
});

describe('web UI pairing', () => {
  const session = (token: string) => rawRequest(`${t.core.agentApiUrl}/ui/session`, { headers: { Authorization: `Bearer ${token}` } });

  it('trades a link token once for a session; the used link (left in browser history) is worthless', async () => {
    const pairing = new URL(t.core.newUiUrl()!).hash.replace('#token=', '');
    expect((await t.ui('getSnapshot', {}, pairing)).status).toBe(401); // not a session token
    const first = await session(pairing);
    expect(first.status).toBe(200);
    const sessionToken = (first.json as { sessionToken: string }).sessionToken;
    expect((await t.ui('getSnapshot', {}, sessionToken)).status).toBe(200);
    const replay = await session(pairing);
    expect(replay.status).toBe(401);
    expect(replay.json).toMatchObject({ error: { code: 'link_used' } });
  });

  it('refuses the agent token and cross-origin pages at the pairing route', async () => {
    expect((await session(t.agentToken)).status).toBe(403);
    const pairing = new URL(t.core.newUiUrl()!).hash.replace('#token=', '');
    const cross = await rawRequest(`${t.core.agentApiUrl}/ui/session`, { headers: { Authorization: `Bearer ${pairing}`, Origin: 'http://evil.example' } });
    expect(cross.status).toBe(403);
    expect((await session(pairing)).status).toBe(200); // still unused after the refused attempt
  });
});
