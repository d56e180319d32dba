// The command hook client and the companion prove to each other that they hold the agent token, and
// the token itself never crosses the wire. An agent that can only write files (it rewrites
// agent-endpoint.json to point at its own server) gains nothing: its server learns no token, and no
// answer of its own — or a real answer it changed — is acted on. Real servers on loopback throughout.
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_PROOF_HEADERS } from '../../shared/agent-proof.js';
import { toolAnswer } from '../../shared/hook-answer.js';
import { answerProof, newNonce, requestProof } from '../../electron/core/base/index.js';
import { fixture, fixtureIn, fixtureText, journalEvents } from '../support/fixtures.js';
import { HOOK_CLIENTS } from '../support/hook-clients.js';
import { forward, startHostileServer, type CapturedRequest, type HostileServer } from '../support/hostile-server.js';
import { rawRequest } from '../support/http-client.js';
import { startTestCore, type TestCore } from '../support/start-core.js';

const H = AGENT_PROOF_HEADERS;

/** A data folder whose address file points at `url`, with a token of its own. */
function dataDirFor(url: string): { dataDir: string; token: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'cc-hook-proof-'));
  const token = randomBytes(32).toString('base64url');
  writeFileSync(join(dataDir, 'agent-endpoint.json'), JSON.stringify({ url }));
  writeFileSync(join(dataDir, 'agent-token'), `${token}\n`, { mode: 0o600 });
  return { dataDir, token };
}

/** Neither the token nor an encoding of it appears anywhere in what the server received. */
function expectNoToken(requests: CapturedRequest[], token: string): void {
  expect(requests.length).toBeGreaterThan(0);
  const bytes = Buffer.from(token, 'base64url');
  const forms = [token, Buffer.from(token).toString('base64'), Buffer.from(token).toString('hex'), bytes.toString('hex'), bytes.toString('base64'), encodeURIComponent(token)];
  for (const r of requests) {
    expect(r.headers['authorization']).toBeUndefined();
    expect(r.headers[H.proof]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const text = r.raw.toString('latin1');
    for (const form of forms) expect(text.toLowerCase()).not.toContain(form.toLowerCase());
    expect(r.raw.includes(bytes)).toBe(false);
  }
}

type PreToolUseAnswer = { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string } };
/**
 * Starts a server of the agent's and shows the client the companion's data folder with the address
 * file pointing at it (the rewrite attack): the running companion's token and lock, the agent's
 * address. A copy, because the companion puts its own address file back within milliseconds, and a
 * client started after that (a process) would find the real address instead.
 */
async function interpose(test: TestCore, handler: Parameters<typeof startHostileServer>[0]): Promise<HostileServer & { dataDir: string }> {
  const server = await startHostileServer(handler);
  const dataDir = mkdtempSync(join(tmpdir(), 'cc-hook-rewritten-'));
  for (const name of ['agent-token', 'companion.lock']) copyFileSync(join(test.dataDir, name), join(dataDir, name));
  writeFileSync(join(dataDir, 'agent-endpoint.json'), JSON.stringify({ url: server.url }));
  return Object.assign(server, { dataDir });
}

const HOSTILE_ALLOW = JSON.stringify(toolAnswer('PreToolUse', 'allow', 'HOSTILE SERVER SAYS ALLOW'));

function expectUnprovenDeny(r: { code: number; stdout: string }, url: string): void {
  expect(r.code).toBe(0);
  const answer = JSON.parse(r.stdout) as PreToolUseAnswer;
  expect(answer.hookSpecificOutput.permissionDecision).toBe('deny');
  expect(answer.hookSpecificOutput.permissionDecisionReason).toContain(`the server at ${url} could not prove it is Cowork Companion`);
  expect(answer.hookSpecificOutput.permissionDecisionReason).toContain('agent-endpoint.json');
  expect(r.stdout).not.toContain('HOSTILE');
}

let t: TestCore | undefined;
let hostile: (HostileServer & { dataDir?: string }) | undefined;
afterEach(async () => {
  await hostile?.close();
  hostile = undefined;
  await t?.dispose();
  t = undefined;
});

const inScope = (t: TestCore): string => JSON.stringify(fixtureIn('input/pretooluse-read.json', t.projectDir));
/** A Read outside every shared folder: the scope policy denies it at once. */
const outOfScope = fixtureText('input/pretooluse-read.json');

/** A proof request to the real companion, made as the hook client makes it. */
function proofRequest(t: TestCore, target: string, body: string, opts: { method?: string; timestamp?: number; nonce?: string } = {}) {
  const method = opts.method ?? 'POST';
  const nonce = opts.nonce ?? newNonce();
  const timestamp = String(opts.timestamp ?? Date.now());
  const proof = requestProof(t.agentToken, { timestamp, nonce, method, target, body });
  const headers = { 'Content-Type': 'application/json', [H.nonce]: nonce, [H.timestamp]: timestamp, [H.proof]: proof };
  return { nonce, headers, send: (extra: Record<string, string> = {}) => rawRequest(`${t.core.agentApiUrl}${target}`, { method, headers: { ...headers, ...extra }, body }) };
}

describe.each(HOOK_CLIENTS)('the hook client acts only on a server that proves it is this companion: $name', ({ run }) => {
  it('decisions still reach the agent (a person allows, the scope denies), authenticated by proofs instead of the token', async () => {
    t = await startTestCore();
    const asked = run(JSON.stringify(fixtureIn('input/pretooluse-bash.json', t.projectDir)), { dataDir: t.dataDir });
    await t.waitForPending(1);
    const [item] = t.core.getSnapshot().pending;
    await t.core.callUi('approve', { id: item!.id, contentHash: item!.contentHash });
    const allowed = await asked;
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'allow' } });

    const denied = await run(outOfScope, { dataDir: t.dataDir });
    expect(JSON.parse(denied.stdout)).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny' } });
    expect(denied.stdout).not.toMatch(/could not prove/);

    const asked2 = run(fixtureText('input/permissionrequest-bash.json').split('/Users/dana.kovac/work/payments-api').join(t.projectDir), { dataDir: t.dataDir });
    await t.waitForPending(1);
    const [item2] = t.core.getSnapshot().pending;
    await t.core.callUi('deny', { id: item2!.id, contentHash: item2!.contentHash, reason: 'not now' });
    expect(JSON.parse((await asked2).stdout)).toMatchObject({ hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'deny', message: expect.stringContaining('not now') } } });
  });

  it('a hostile server that answers allow without a proof gets a deny from the client, and learns no token', async () => {
    hostile = await startHostileServer(() => ({ status: 200, body: HOSTILE_ALLOW }));
    const { dataDir, token } = dataDirFor(hostile.url);
    const r = await run(fixtureText('input/pretooluse-write.json'), { dataDir });
    expectUnprovenDeny(r, hostile.url);
    expectNoToken(hostile.requests, token);
    // Not even for events that need no decision is its answer passed on.
    const quiet = await run(fixtureText('input/sessionstart-startup.json'), { dataDir });
    expect(quiet).toMatchObject({ code: 0, stdout: '' });
    expect(quiet.stderr).toMatch(/could not prove it is Cowork Companion/);
  });

  it('a hostile server that answers allow with a forged answer proof (another key, or the request\'s own proof echoed) gets a deny', async () => {
    const forgeries: Record<string, (req: CapturedRequest, body: string) => string> = {
      'another key': (req, body) => answerProof(randomBytes(32).toString('base64url'), { nonce: req.headers[H.nonce]!, status: 200, body }),
      'the request proof echoed': (req) => req.headers[H.proof]!,
      'the nonce echoed': (req) => req.headers[H.nonce]!,
    };
    for (const [name, forge] of Object.entries(forgeries)) {
      hostile = await startHostileServer((req) => ({ status: 200, headers: { [H.answerProof]: forge(req, HOSTILE_ALLOW) }, body: HOSTILE_ALLOW }));
      const { dataDir, token } = dataDirFor(hostile.url);
      const r = await run(fixtureText('input/pretooluse-write.json'), { dataDir });
      expect(JSON.parse(r.stdout), name).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny' } });
      expectUnprovenDeny(r, hostile.url);
      expectNoToken(hostile.requests, token);
      await hostile.close();
      hostile = undefined;
    }
  });

  it('agent-endpoint.json rewritten while the companion runs: the client fails closed (even with fail-open), leaks no token, and nothing is asked of the companion', async () => {
    t = await startTestCore();
    hostile = await interpose(t, () => ({ status: 200, body: HOSTILE_ALLOW }));
    for (const failOpen of [false, true]) {
      const r = await run(JSON.stringify(fixtureIn('input/pretooluse-bash.json', t.projectDir)), { dataDir: hostile.dataDir!, failOpen });
      expectUnprovenDeny(r, hostile.url);
    }
    const p = await run(fixtureText('input/permissionrequest-bash.json'), { dataDir: hostile.dataDir! });
    expect(JSON.parse(p.stdout)).toMatchObject({ hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'deny', message: expect.stringContaining('could not prove') } } });
    expect(hostile.requests).toHaveLength(3);
    expectNoToken(hostile.requests, t.agentToken);
    expect(t.core.getSnapshot().pending).toHaveLength(0);
    expect((await journalEvents(t.dataDir)).filter((e) => e.name === 'approval.requested')).toHaveLength(0);
  });

  it('a server in between that passes everything on learns no token, and the companion\'s answer gets through', async () => {
    t = await startTestCore();
    const core = t.core.agentApiUrl;
    hostile = await interpose(t!, (req) => forward(req, core));
    const r = await run(inScope(t), { dataDir: hostile.dataDir! });
    expect(JSON.parse(r.stdout)).toMatchObject({ hookSpecificOutput: { permissionDecision: 'allow' } });
    expectNoToken(hostile.requests, t.agentToken);
  });

  it('a server in between cannot change the answer: the companion\'s deny turned into allow is not acted on', async () => {
    t = await startTestCore();
    const core = t.core.agentApiUrl;
    let real = '';
    hostile = await interpose(t!, async (req) => {
      const answer = await forward(req, core);
      real = answer.body.toString();
      return { status: 200, headers: { [H.answerProof]: answer.headers[H.answerProof]! }, body: real.replace('"deny"', '"allow"') };
    });
    const r = await run(outOfScope, { dataDir: hostile.dataDir! });
    expect(real).toMatch(/"permissionDecision":"deny"/); // the companion did answer, with a proof…
    expectUnprovenDeny(r, hostile.url); // …but not for the answer the client received
  });

  it('a server in between cannot change the request: the companion refuses a changed body, and the client denies', async () => {
    t = await startTestCore();
    const core = t.core.agentApiUrl;
    const inside = inScope(t);
    let status = 0;
    hostile = await interpose(t!, async (req) => {
      // The client asks about a file outside; the relay asks about one inside the shared folder.
      const answer = await forward(req, core, { body: inside });
      status = answer.status;
      return answer;
    });
    const r = await run(outOfScope, { dataDir: hostile.dataDir! });
    expect(status).toBe(401);
    expectUnprovenDeny(r, hostile.url);
    expect((await journalEvents(t.dataDir)).filter((e) => e.name === 'approval.requested')).toHaveLength(0);
  });

  it('a captured proof request sent again is refused (401) and recorded nothing the second time', async () => {
    t = await startTestCore();
    const core = t.core.agentApiUrl;
    hostile = await interpose(t!, (req) => forward(req, core));
    const r = await run(inScope(t), { dataDir: hostile.dataDir! });
    expect(JSON.parse(r.stdout)).toMatchObject({ hookSpecificOutput: { permissionDecision: 'allow' } });
    const requested = async (): Promise<number> => (await journalEvents(t!.dataDir)).filter((e) => e.name === 'approval.requested').length;
    const before = await requested();
    const [captured] = hostile.requests;
    for (let i = 0; i < 2; i++) {
      const replay = await forward(captured!, core);
      expect(replay.status).toBe(401);
      expect(JSON.parse(replay.body.toString())).toMatchObject({ error: { code: 'proof_replayed' } });
      expect(replay.headers[H.answerProof]).toBeUndefined();
    }
    expect(await requested()).toBe(before);
  });

  it('a proof is bound to its body, its route, its method and its time', async () => {
    t = await startTestCore();
    const body = inScope(t);
    const good = proofRequest(t, '/hooks/claude-code', body);
    // Another body under the same proof, with a fresh nonce.
    const otherBody = await rawRequest(`${t.core.agentApiUrl}/hooks/claude-code`, { headers: { ...good.headers, [H.nonce]: newNonce() }, body });
    expect(otherBody.status).toBe(401);
    expect(otherBody.json).toMatchObject({ error: { code: 'proof_invalid' } });
    const changedBody = await rawRequest(`${t.core.agentApiUrl}/hooks/claude-code`, { headers: good.headers, body: outOfScope });
    expect(changedBody.json).toMatchObject({ error: { code: 'proof_invalid' } });
    // A proof made for the health route does not open the hook route.
    const health = proofRequest(t, '/healthz', body);
    const wrongRoute = await rawRequest(`${t.core.agentApiUrl}/hooks/claude-code`, { headers: health.headers, body });
    expect(wrongRoute.json).toMatchObject({ error: { code: 'proof_invalid' } });
    const wrongMethod = await rawRequest(`${t.core.agentApiUrl}/hooks/claude-code`, { method: 'PUT', headers: good.headers, body });
    expect(wrongMethod.json).toMatchObject({ error: { code: 'proof_invalid' } });
    // Made ten minutes ago (correctly keyed): too old.
    const stale = await proofRequest(t, '/hooks/claude-code', body, { timestamp: Date.now() - 10 * 60_000 }).send();
    expect(stale.status).toBe(401);
    expect(stale.json).toMatchObject({ error: { code: 'proof_stale' } });
    // Half the headers.
    const partial = await rawRequest(`${t.core.agentApiUrl}/hooks/claude-code`, { headers: { 'Content-Type': 'application/json', [H.nonce]: newNonce() }, body });
    expect(partial.json).toMatchObject({ error: { code: 'proof_invalid' } });
    // None of these used up the good request's nonce.
    expect((await good.send()).status).toBe(200);
    expect(t.core.getSnapshot().pending).toHaveLength(0);
  });

  it('the health route follows the same rules: a proof in, a proven answer out, a replay refused', async () => {
    t = await startTestCore();
    const health = proofRequest(t, '/healthz', '', { method: 'GET' });
    const ok = await rawRequest(`${t.core.agentApiUrl}/healthz`, { method: 'GET', headers: health.headers });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ ok: true });
    const proofOf = await rawProofHeader(`${t.core.agentApiUrl}/healthz`, health.headers);
    expect(proofOf.status).toBe(401); // the same nonce, a second time
    const again = proofRequest(t, '/healthz', '', { method: 'GET' });
    const answered = await rawProofHeader(`${t.core.agentApiUrl}/healthz`, again.headers);
    expect(answered.proof).toBe(answerProof(t.agentToken, { nonce: again.nonce, status: 200, body: answered.body }));
    // A bearer token still works there (and gets no answer proof: there is no nonce to bind it to).
    const bearer = await rawProofHeader(`${t.core.agentApiUrl}/healthz`, { Authorization: `Bearer ${t.agentToken}` });
    expect(bearer).toMatchObject({ status: 200, proof: undefined });
  });

  it('error answers to a proven request carry the answer proof too, so the client can report the refusal', async () => {
    t = await startTestCore();
    const { hook_event_name: _e, ...noEvent } = fixture('input/pretooluse-write.json');
    const body = JSON.stringify(noEvent);
    const req = proofRequest(t, '/hooks/claude-code', body);
    const answered = await rawProofHeader(`${t.core.agentApiUrl}/hooks/claude-code`, req.headers, body);
    expect(answered.status).toBe(400);
    expect(answered.proof).toBe(answerProof(t.agentToken, { nonce: req.nonce, status: 400, body: answered.body }));
    // Through the client (which itself blocks a payload without an event name): a proven refusal is
    // reported as the companion's, not as an unproven server's.
    const r = await run(JSON.stringify({ hook_event_name: 'Stop' }), { dataDir: t.dataDir });
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toMatch(/the companion refused the request \(HTTP 400: Not a Claude Code hook payload/);
  });

  it('a proof request too large to check is refused, unproven (only the hook client sends proofs, and it then denies)', async () => {
    t = await startTestCore();
    const body = JSON.stringify({ ...fixture('input/pretooluse-write.json'), pad: 'x'.repeat(1_100_000) });
    const answered = await rawProofHeader(`${t.core.agentApiUrl}/hooks/claude-code`, proofRequest(t, '/hooks/claude-code', body).headers, body);
    expect(answered.status).toBe(413);
    expect(answered.proof).toBeUndefined();
    expect(t.core.getSnapshot().pending).toHaveLength(0);
  });

  it('a valid proof next to a wrong bearer token is refused: every credential sent must be valid', async () => {
    t = await startTestCore();
    const r = await proofRequest(t, '/hooks/claude-code', inScope(t)).send({ Authorization: 'Bearer not-the-token' });
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ error: { code: 'token_invalid' } });
  });
});

/** A request whose answer proof header is kept. */
async function rawProofHeader(url: string, headers: Record<string, string>, body?: string): Promise<{ status: number; proof: string | undefined; body: Buffer }> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(url, { method: body === undefined ? 'GET' : 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, proof: res.headers[H.answerProof] as string | undefined, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
