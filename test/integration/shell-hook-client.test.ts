// What only the bash hook client (bin/cowork-companion-hook) can get wrong; the behaviour both clients
// share is in hook-client.test.ts and hook-client-server-proof.test.ts, run against each. Here: its
// names stay the TypeScript ones, the token never reaches another program's command line, the HMAC
// matches Node's for every kind of key (RFC 2104), bytes are bytes (UTF-8, the 8 KiB read boundary,
// the size limit), nothing on the user's PATH is run, and hostile addresses and answers are refused.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_API_ROUTES, AGENT_ENDPOINT_FILE, AGENT_TOKEN_FILE, HOOK_CLIENT_LIMITS, INSTANCE_LOCK_FILE } from '../../shared/agent-files.js';
import { AGENT_PROOF_HEADERS, AGENT_PROOF_LABELS } from '../../shared/agent-proof.js';
import { toolAnswer } from '../../shared/hook-answer.js';
import { answerProof, requestProof } from '../../electron/core/base/index.js';
import { fixtureIn, fixtureText } from '../support/fixtures.js';
import { runShellClient, SHELL_CLIENT, shellArgs, type HookRun } from '../support/hook-clients.js';
import { startTestCore, type TestCore } from '../support/start-core.js';

const H = AGENT_PROOF_HEADERS;
const script = readFileSync(SHELL_CLIENT, 'utf8');

let t: TestCore | undefined;
let standin: Server | undefined;
afterEach(async () => {
  await t?.dispose();
  t = undefined;
  await new Promise<void>((r) => (standin ? standin.close(() => r()) : r()));
  standin = undefined;
});

/** A data folder whose address file points at `url`, holding `token`. */
function dataDirFor(url: string, token: string): string {
  const dataDir = mkdtempSync(join(tmpdir(), 'cc-sh-hook-'));
  writeFileSync(join(dataDir, AGENT_ENDPOINT_FILE), JSON.stringify({ url, pid: 1 }));
  writeFileSync(join(dataDir, AGENT_TOKEN_FILE), `${token}\n`, { mode: 0o600 });
  return dataDir;
}

interface Seen {
  headers: IncomingHttpHeaders;
  body: string;
  proofValid: boolean;
}

/** A companion stand-in that holds `token`: checks the request proof with the Node code, answers
 *  `answer` with a Node-made answer proof (or as `reply` says), and keeps what it saw. */
async function startStandin(token: string, reply?: (seen: Seen, res: import('node:http').ServerResponse) => void): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const nonce = String(req.headers[H.nonce]);
      const expected = requestProof(token, { timestamp: String(req.headers[H.timestamp]), nonce, method: req.method ?? '', target: req.url ?? '', body });
      const s = { headers: req.headers, body, proofValid: req.headers[H.proof] === expected };
      seen.push(s);
      if (reply) return reply(s, res);
      const text = JSON.stringify(s.proofValid ? toolAnswer('PreToolUse', 'allow', 'stand-in') : { error: { code: 'proof_invalid', message: 'bad proof' } });
      const status = s.proofValid ? 200 : 401;
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), [H.answerProof]: answerProof(token, { nonce, status, body: text }) });
      res.end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  standin = server;
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const preToolUse = (): string => fixtureText('input/pretooluse-write.json');
const decision = (r: HookRun): string | undefined => (JSON.parse(r.stdout) as { hookSpecificOutput?: { permissionDecision?: string } }).hookSpecificOutput?.permissionDecision;
const reasonOf = (r: HookRun): string => (JSON.parse(r.stdout) as { hookSpecificOutput: { permissionDecisionReason: string } }).hookSpecificOutput.permissionDecisionReason;

describe('bash hook client', () => {
  it('uses the names, labels and limits of the TypeScript side (one protocol, two implementations)', () => {
    const value = (name: string): string => new RegExp(`^${name}='?([^'\\n]*)'?$`, 'm').exec(script)?.[1] ?? `(no ${name})`;
    expect(value('LABEL_REQUEST')).toBe(AGENT_PROOF_LABELS.request);
    expect(value('LABEL_ANSWER')).toBe(AGENT_PROOF_LABELS.answer);
    expect(value('HOOK_ROUTE')).toBe(AGENT_API_ROUTES.claudeCodeHook);
    expect(value('ENDPOINT_FILE')).toBe(AGENT_ENDPOINT_FILE);
    expect(value('TOKEN_FILE')).toBe(AGENT_TOKEN_FILE);
    expect(value('LOCK_FILE')).toBe(INSTANCE_LOCK_FILE);
    expect(Number(value('STDIN_LIMIT'))).toBe(HOOK_CLIENT_LIMITS.stdinBytes);
    expect(Number(value('WAIT_LIMIT_S'))).toBe(HOOK_CLIENT_LIMITS.waitSeconds);
    for (const header of [H.nonce, H.timestamp, H.proof, H.answerProof]) expect(script).toContain(`${header}:`);
    expect(script.startsWith('#!/bin/bash\n')).toBe(true);
  });

  it('bash 3.2 (macOS) can read it: nothing of bash 4 outside eval, and with `coproc` not a keyword it answers on its sequential path', async () => {
    const code = script.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n');
    // Syntax bash 3.2 does not have (it would fail to parse the whole file, and exit 1 lets the call through).
    for (const bash4 of [/\$\{\w+(,,|\^\^)\}/, /declare -A/, /\bmapfile\b|\breadarray\b/, /&>>|\|&/, /\{\w+\}[<>]/, /printf '%\(/, /read[^\n]* -N /]) expect(code, String(bash4)).not.toMatch(bash4);
    const coprocLines = code.split('\n').filter((l) => /\bcoproc\b/.test(l));
    expect(coprocLines.length).toBeGreaterThan(0);
    for (const l of coprocLines) expect(l, 'coproc only inside an eval string').toMatch(/eval '[^']*\bcoproc\b/);
    // As bash 3.2 reads it: `coproc` is an unknown word there.
    const as32 = join(mkdtempSync(join(tmpdir(), 'cc-sh-32-')), 'hook');
    writeFileSync(as32, script.replaceAll('coproc', 'coproc_not_in_bash_3_2'));
    t = await startTestCore();
    const r = await runShellClient(JSON.stringify(fixtureIn('input/pretooluse-read.json', t.projectDir)), { dataDir: t.dataDir }, { COWORK_COMPANION_HOOK_SEQUENTIAL: '1' }, as32);
    expect(r.code, r.stderr).toBe(0);
    expect(decision(r)).toBe('allow');
  });

  it('matches the Node HMAC for every kind of key: short, with bytes that make a NUL in the inner pad, exactly 64 bytes, longer than a block', async () => {
    const tokens = {
      'a usual token': randomBytes(32).toString('base64url'),
      "'6' ^ 0x36 is NUL": `666${randomBytes(20).toString('base64url')}6`,
      '64 bytes': randomBytes(48).toString('base64url'),
      '65 bytes (hashed first)': `${randomBytes(48).toString('base64url')}x`,
      '200 bytes': randomBytes(150).toString('base64url'),
    };
    for (const [kind, token] of Object.entries(tokens)) {
      const { url, seen } = await startStandin(token);
      const r = await runShellClient(preToolUse(), { dataDir: dataDirFor(url, token) });
      expect(seen[0]?.proofValid, `${kind}: request proof`).toBe(true);
      expect(decision(r), `${kind}: answer proof accepted (${r.stdout})`).toBe('allow');
      await new Promise<void>((res) => standin!.close(() => res()));
      standin = undefined;
    }
  });

  it('never puts the token on another program\'s command line (traced: only builtins ever see it)', async () => {
    // Traced on the sequential path: the coprocesses' trace goes where their stderr does (nowhere);
    // both paths run the same functions.
    t = await startTestCore();
    const builtins = await new Promise<Set<string>>((resolve) => {
      const c = spawn('/bin/bash', ['-c', 'compgen -b']);
      let out = '';
      c.stdout.on('data', (d: Buffer) => (out += d.toString()));
      c.on('close', () => resolve(new Set(out.split('\n').filter(Boolean))));
    });
    const traced = await new Promise<{ stdout: string; trace: string }>((resolve) => {
      const c = spawn('/bin/bash', ['-x', SHELL_CLIENT, ...shellArgs({ dataDir: t!.dataDir })], { env: { PATH: '/usr/bin:/bin', HOME: '/', COWORK_COMPANION_HOOK_SEQUENTIAL: '1' } });
      let stdout = '';
      let trace = '';
      c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      c.stderr.on('data', (d: Buffer) => (trace += d.toString()));
      c.on('close', () => resolve({ stdout, trace }));
      c.stdin.on('error', () => undefined);
      c.stdin.end(JSON.stringify(fixtureIn('input/pretooluse-read.json', t!.projectDir)));
    });
    expect(decision({ code: 0, stdout: traced.stdout, stderr: '' })).toBe('allow');
    const commands = traced.trace.split('\n').map((l) => /^\++ (\S+)/.exec(l)?.[1]).filter((c): c is string => c !== undefined && !c.includes('='));
    const external = (c: string): boolean => !builtins.has(c) && (existsSync(`/usr/bin/${c}`) || existsSync(`/bin/${c}`) || c.startsWith('/'));
    // Not vacuous: the trace shows the hash programs it ran, and the token in builtins' arguments.
    expect(commands.filter(external)).toEqual(expect.arrayContaining(['/usr/bin/sha256sum']));
    expect(traced.trace).toContain(t.agentToken);
    const leaks = traced.trace.split('\n').filter((l) => l.includes(t!.agentToken) && external(/^\++ (\S+)/.exec(l)?.[1] ?? ''));
    expect(leaks).toEqual([]);
  });

  it('counts bytes, not characters: UTF-8 payloads, and sizes around its 8 KiB first read, are proven and decided', async () => {
    t = await startTestCore();
    const base = fixtureIn<Record<string, unknown>>('input/pretooluse-write.json', t.projectDir);
    const overhead = Buffer.byteLength(JSON.stringify({ ...base, tool_input: { ...(base['tool_input'] as object), content: '' } }));
    for (const target of [8191, 8192, 8193, 40_000]) {
      const content = `é✓😀 ${'x'.repeat(Math.max(0, target - overhead - 12))}`;
      const payload = JSON.stringify({ ...base, tool_input: { ...(base['tool_input'] as object), content } });
      const r = await runShellClient(payload, { dataDir: t.dataDir });
      expect(r.stdout, `${Buffer.byteLength(payload)} bytes`).not.toMatch(/could not prove|refused the request/);
      expect(JSON.parse(r.stdout)).toHaveProperty('hookSpecificOutput.hookEventName', 'PreToolUse');
    }
  });

  it('blocks (exit 2) a payload over the limit, and bad arguments (or no HOME to find the data folder in), each with one line saying why', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-sh-hook-'));
    const big = JSON.stringify({ hook_event_name: 'PreToolUse', pad: 'x'.repeat(HOOK_CLIENT_LIMITS.stdinBytes) });
    const r = await runShellClient(big, { dataDir });
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/cannot read the hook payload \(hook payload is larger than 1048576 bytes\); blocking/);
    for (const args of [['--data-dir'], ['--bogus'], []]) {
      const bad = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const c = spawn(SHELL_CLIENT, args, { env: { PATH: '/usr/bin:/bin' } });
        let stderr = '';
        c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        c.on('close', (code) => resolve({ code, stderr }));
        c.stdin.on('error', () => undefined); // it may exit before reading
        c.stdin.end(preToolUse());
      });
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('finds the companion\'s default data folder as the companion does (a managed, machine-wide command can leave --data-dir out)', async () => {
    const { defaultDataDir } = await import('../../electron/core/base/index.js');
    const home = mkdtempSync(join(tmpdir(), 'cc-sh-home-'));
    const envs: Record<string, string>[] = [{ HOME: home }, { HOME: home, XDG_CONFIG_HOME: '/x/config' }, { HOME: home, XDG_CONFIG_HOME: 'relative/config' }, { HOME: home, COWORK_COMPANION_DATA_DIR: '/y/data' }];
    // macOS and Git Bash on Windows (bash takes OSTYPE from the environment when it is set there).
    const platforms: [NodeJS.Platform, Record<string, string>][] = [
      ['darwin', { HOME: home, OSTYPE: 'darwin23' }],
      ['win32', { HOME: home, OSTYPE: 'msys' }],
    ];
    for (const [platform, env] of [...envs.map((e): [NodeJS.Platform, Record<string, string>] => ['linux', e]), ...platforms]) {
      const r = await new Promise<string>((resolve) => {
        const c = spawn(SHELL_CLIENT, [], { env: { PATH: '/usr/bin:/bin', ...env } });
        let out = '';
        c.stdout.on('data', (d: Buffer) => (out += d.toString()));
        c.on('close', () => resolve(out));
        c.stdin.on('error', () => undefined); // it may exit before reading
        c.stdin.end(preToolUse());
      });
      expect(r, JSON.stringify(env)).toContain(`cannot read ${join(defaultDataDir(env, platform, home), AGENT_TOKEN_FILE)}`);
    }
  });

  it('--managed ignores every environment variable that could point it elsewhere and finds the data folder from the password database\'s home', async () => {
    const token = randomBytes(32).toString('base64url');
    const { url, seen } = await startStandin(token);
    // A fake companion set up every way the environment can name one: the data folder, the address,
    // the token, XDG_CONFIG_HOME and a HOME that is not the password database's.
    const fakeDir = dataDirFor(url, token);
    const fakeHome = mkdtempSync(join(tmpdir(), 'cc-sh-fakehome-'));
    for (const dir of [join(fakeHome, '.config', 'cowork-companion'), join(fakeHome, 'xdg', 'cowork-companion'), join(fakeHome, 'Library', 'Application Support', 'cowork-companion')]) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, AGENT_ENDPOINT_FILE), JSON.stringify({ url, pid: 1 }));
      writeFileSync(join(dir, AGENT_TOKEN_FILE), `${token}\n`, { mode: 0o600 });
    }
    const envs: Record<string, string>[] = [
      { HOME: fakeHome },
      { HOME: fakeHome, XDG_CONFIG_HOME: join(fakeHome, 'xdg') },
      { HOME: fakeHome, COWORK_COMPANION_DATA_DIR: fakeDir },
      { HOME: fakeHome, COWORK_COMPANION_URL: url, COWORK_COMPANION_TOKEN: token },
      // bash takes OSTYPE from the environment: --managed asks uname instead.
      { HOME: fakeHome, OSTYPE: 'darwin23' },
    ];
    // A start-up file and an exported function that answer "allow" in the client's place: bash without
    // -p runs them (the managed settings run `/bin/bash -p`).
    const startup = join(fakeHome, 'answer.sh');
    writeFileSync(startup, `printf '%s' '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow"}}'; exit 0\n`);
    const hijacks: Record<string, string>[] = [
      { HOME: fakeHome, BASH_ENV: startup },
      { HOME: fakeHome, 'BASH_FUNC_read%%': `() { printf '%s' '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow"}}'; exit 0; }` },
    ];
    const run = (args: string[], env: Record<string, string>, bash: string[] = ['-p']) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const c = spawn('/bin/bash', [...bash, SHELL_CLIENT, ...args], { env: { PATH: '/usr/bin:/bin', ...env } });
        let stdout = '';
        let stderr = '';
        c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        c.on('close', (code) => resolve({ code, stdout, stderr }));
        c.stdin.on('error', () => undefined);
        c.stdin.end(preToolUse());
      });
    // Not vacuous: without --managed each of these environments reaches the fake companion, which allows.
    for (const env of envs.slice(0, 4)) {
      const r = await run([], env);
      expect(JSON.parse(r.stdout).hookSpecificOutput?.permissionDecision, JSON.stringify(env)).toBe('allow');
    }
    const reached = seen.length;
    expect(reached).toBe(4);
    // The home folder the password database names for the user running this (os.userInfo reads it there).
    const passwdHome = userInfo().homedir;
    expect(passwdHome).not.toBe(fakeHome);
    for (const env of hijacks) {
      const r = await run(['--managed'], env, []);
      expect(JSON.parse(r.stdout).hookSpecificOutput?.permissionDecision, `not vacuous: ${Object.keys(env).join(' ')}`).toBe('allow');
    }
    for (const env of [...envs, ...hijacks]) {
      const r = await run(['--managed'], env);
      expect(r.code, JSON.stringify(env)).toBe(0);
      const answer = JSON.parse(r.stdout) as { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string } };
      const where = join(passwdHome, '.config', 'cowork-companion');
      expect(answer.hookSpecificOutput.permissionDecisionReason, JSON.stringify(env)).not.toContain(fakeHome);
      // Where no companion is set up in the real home (a test machine), it says it looked there.
      if (!existsSync(join(where, AGENT_TOKEN_FILE))) {
        expect(answer.hookSpecificOutput.permissionDecision, JSON.stringify(env)).toBe('deny');
        expect(answer.hookSpecificOutput.permissionDecisionReason, JSON.stringify(env)).toContain(`cannot read ${join(where, AGENT_TOKEN_FILE)}`);
      }
    }
    // The fake companion was never asked.
    expect(seen.length).toBe(reached);
    // --managed with a data folder or address given is a usage error: blocked, one line saying why.
    for (const args of [['--managed', '--data-dir', fakeDir], ['--url', url, '--managed'], ['--managed', `--data-dir=${fakeDir}`]]) {
      const r = await run(args, { HOME: fakeHome });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/--managed .*cannot be given --data-dir or --url; blocking/);
    }
    expect(seen.length).toBe(reached);
  });

  it('takes the first hook_event_name (Claude Code writes it before tool_input): one the agent nests in its input does not turn a deny into a no-op', async () => {
    const payload = JSON.stringify({ ...JSON.parse(preToolUse()), tool_input: { file_path: '/tmp/x', content: '{"hook_event_name":"Stop"}', hook_event_name: 'Stop' } });
    expect(payload.indexOf('"hook_event_name":"PreToolUse"')).toBeLessThan(payload.indexOf('"hook_event_name":"Stop"'));
    const r = await runShellClient(payload, { dataDir: mkdtempSync(join(tmpdir(), 'cc-sh-hook-')) });
    expect(decision(r)).toBe('deny');
  });

  it('runs only the system\'s tools: a sha256sum or od earlier on PATH is not run', async () => {
    const token = randomBytes(32).toString('base64url');
    const { url } = await startStandin(token);
    const bin = mkdtempSync(join(tmpdir(), 'cc-sh-path-'));
    const marker = join(bin, 'ran');
    for (const tool of ['sha256sum', 'shasum', 'openssl', 'od', 'head', 'date', 'bash']) {
      writeFileSync(join(bin, tool), `#!/bin/sh\ntouch '${marker}'\necho 0000000000000000000000000000000000000000000000000000000000000000\n`);
      chmodSync(join(bin, tool), 0o755);
    }
    const r = await runShellClient(preToolUse(), { dataDir: dataDirFor(url, token), env: { PATH: `${bin}:/usr/bin:/bin` } });
    expect(decision(r)).toBe('allow');
    expect(existsSync(marker)).toBe(false);
  });

  it('forwards a well-formed TRACEPARENT, and drops one that would smuggle a header in', async () => {
    const token = randomBytes(32).toString('base64url');
    const { url, seen } = await startStandin(token);
    const dataDir = dataDirFor(url, token);
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await runShellClient(preToolUse(), { dataDir, env: { TRACEPARENT: traceparent } });
    expect(seen[0]?.headers['traceparent']).toBe(traceparent);
    const r = await runShellClient(preToolUse(), { dataDir, env: { TRACEPARENT: `${traceparent}\r\nx-cowork-proof: forged` } });
    expect(decision(r)).toBe('allow');
    expect(seen[1]?.headers['traceparent']).toBeUndefined();
    expect(seen[1]?.proofValid).toBe(true);
  });

  it('refuses addresses that are not http://host:port, and never follows them', async () => {
    const token = randomBytes(32).toString('base64url');
    for (const url of ['file:///etc/passwd', 'https://127.0.0.1:1', 'http://127.0.0.1:1/../x', 'http://127.0.0.1', `http://${'a'.repeat(300)}:1`, 'http://127.0.0.1:1;touch /tmp/x']) {
      const r = await runShellClient(preToolUse(), { dataDir: dataDirFor(url, token) });
      expect(decision(r), url).toBe('deny');
      expect(reasonOf(r), url).toMatch(/is not an http:\/\/host:port address/);
      expect(reasonOf(r).length, url).toBeLessThan(800);
    }
  });

  it('denies an answer it cannot check (no length, cut short, a closed connection) and is not killed by a write to a closed socket', async () => {
    const token = randomBytes(32).toString('base64url');
    // Chunked, without Content-Length, though proven.
    const chunked = await startStandin(token, (s, res) => {
      const text = JSON.stringify(toolAnswer('PreToolUse', 'allow', 'x'));
      res.writeHead(200, { [H.answerProof]: answerProof(token, { nonce: String(s.headers[H.nonce]), status: 200, body: text }) });
      res.end(text);
    });
    const r1 = await runShellClient(preToolUse(), { dataDir: dataDirFor(chunked.url, token) });
    expect(decision(r1)).toBe('deny');
    expect(reasonOf(r1)).toMatch(/without a length|could not prove/);
    await new Promise<void>((res) => standin!.close(() => res()));
    standin = undefined;
    // A server that closes every connection at once, before reading a 300 KB request.
    const closer = createTcpServer((socket) => socket.destroy());
    await new Promise<void>((res) => closer.listen(0, '127.0.0.1', res));
    try {
      const url = `http://127.0.0.1:${(closer.address() as AddressInfo).port}`;
      const payload = JSON.stringify({ ...JSON.parse(preToolUse()), pad: 'x'.repeat(300_000) });
      const r2 = await runShellClient(payload, { dataDir: dataDirFor(url, token) });
      expect(r2.code).toBe(0);
      expect(decision(r2)).toBe('deny');
    } finally {
      closer.close();
    }
  });

  it('with --fail-open, steps aside only when no companion holds the data folder', async () => {
    const dataDir = dataDirFor('http://127.0.0.1:9', randomBytes(32).toString('base64url'));
    const open = await runShellClient(preToolUse(), { dataDir, failOpen: true });
    expect(open).toMatchObject({ code: 0, stdout: '' });
    expect(open.stderr).toMatch(/fail-open configured/);
    // A lock naming a live process (this one): a companion runs, but cannot be reached: deny.
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, INSTANCE_LOCK_FILE), JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));
    const held = await runShellClient(preToolUse(), { dataDir, failOpen: true });
    expect(decision(held)).toBe('deny');
  });
});
