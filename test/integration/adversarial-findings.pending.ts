// PENDING: not run by vitest (the include pattern is *.test.ts). Each finding here fails today; a fix moves
// its case into a passing test file and deletes it from here.
// Adversarial review: FINDINGS. Every test in this file FAILS today: each is a case where the companion
// allows (without a person) what it must deny or ask about, lets the agent decide for itself, loses
// evidence silently, or lets an edit of its state files widen the agent's authority. Each test says
// the attack, what the companion answers now, what it should answer, and where the bug is. The cases it
// gets right are in adversarial-review.test.ts.
//
// Setting shared by most cases: the agent runs as the same user; a project folder P is shared
// read-write; the person has "Always allow" rules the Inbox proposes for ordinary commands (limited to
// P). Links in P that lead out of the scope are the kind a cloned repository or a package manager
// (pnpm's node_modules, a monorepo's links) leaves behind; the companion denies them when they are
// named (adversarial-review.test.ts), so a command that reaches them must not be allowed either.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCompanionCore } from '../../electron/core/app/companion-core.js';
import { call, expectNotAllowed, outcome, remember, rememberCommand } from '../support/adversary.js';
import { keyHolder } from '../support/key-holder.js';
import { startOtlpReceiver } from '../support/otlp-receiver.js';
import { startTestCore, type TestCore } from '../support/start-core.js';

let sink: Awaited<ReturnType<typeof startOtlpReceiver>>;
beforeAll(async () => (sink = await startOtlpReceiver()));
afterAll(async () => sink.close());

function makeHome(prefix: string): string {
  const home = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  mkdirSync(join(home, '.ssh'));
  writeFileSync(join(home, '.ssh', 'id_ed25519'), 'PRIVATE KEY');
  writeFileSync(join(home, '.bashrc'), '# shell');
  writeFileSync(join(home, 'secret.txt'), 'secret');
  mkdirSync(join(home, 'private'));
  writeFileSync(join(home, 'private', 'secret.txt'), 'private');
  return home;
}

const reopen = (dataDir: string, extra: Record<string, unknown> = {}) =>
  createCompanionCore({ dataDir, port: 0, webUi: false, watch: false, env: { OTEL_EXPORTER_OTLP_ENDPOINT: sink.url, OTEL_BLRP_SCHEDULE_DELAY: '50' }, ...extra });

const forgedRule = () => ({
  toolName: 'Bash', match: { kind: 'command-prefix', prefix: 'curl' }, id: 'forged-rule', origin: 'person', lifetime: 'always',
  createdAt: new Date().toISOString(), description: 'Allows the agent to run shell commands starting with “curl”', hits: 0, locked: false,
});

// =====================================================================================================
// B. Rules answering what only a person may decide. Bug home: approvals/automatic-decision-policy.ts
//    (rules are consulted for every 'ask' that is not personOnly) and approvals/rule-matching-policy.ts.
// =====================================================================================================

describe('B. rules that answer what must go to a person', () => {
  let t: TestCore | undefined;
  let home: string;
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
    rmSync(home, { recursive: true, force: true });
  });


  // B2. IT sets `outOfScope: "ask"` so that files outside the shared folders go to a person instead of
  // being denied. evaluateScope then returns a plain 'ask' (not personOnly), and automaticDecisionPolicy
  // lets any matching rule answer it: rule "cat" (made for the project) now reads ~/secret.txt without a
  // person. Promise 2 of docs/security.md: "Nothing outside the shared folders without a person".
  // Now: allow (source = rule). Expected: ask (out-of-scope asks must be personOnly).
  it('B2 with outOfScope "ask", a command rule answers for a file outside every shared folder', async () => {
    home = makeHome('cc-find-b2-');
    const policyFile = join(home, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ outOfScope: 'ask' }));
    t = await startTestCore({ home, policyFile });
    writeFileSync(join(t.projectDir, 'notes.txt'), 'n');
    await rememberCommand(t, 'cat notes.txt', 'cat', t.projectDir, t.projectDir);
    await expectNotAllowed(t, call('Bash', { command: `cat ${home}/secret.txt` }, t.projectDir));
  });

  // B3. The managed policy is broken and there is no good copy: README says "fails closed (nothing is
  // allowed automatically)". evaluateScope asks (state.failClosed), but automaticDecisionPolicy then
  // consults the person's remembered rules, which allow. Now: allow (a remembered "git status" rule).
  // Expected: ask.
  it('B3 a broken managed policy (fail closed) still lets remembered rules allow', async () => {
    home = makeHome('cc-find-b3-');
    t = await startTestCore({ home });
    await rememberCommand(t, 'git status', 'git status', t.projectDir, t.projectDir);
    await t.core.close();
    const policyFile = join(home, 'policy.json');
    writeFileSync(policyFile, '{ "forbiddenPaths": ');
    const core = await reopen(t.dataDir, { home, policyFile });
    try {
      expect(core.getSnapshot().scope.policyError).toMatch(/not valid JSON/);
      const token = readFileSync(core.tokenFile, 'utf8').trim();
      const { rawRequest } = await import('../support/http-client.js');
      const res = await rawRequest(`${core.agentApiUrl}/hooks/claude-code`, {
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(call('Bash', { command: 'git status' }, t.projectDir)),
      });
      expect((res.json as { hookSpecificOutput: { permissionDecision: string } }).hookSpecificOutput.permissionDecision).not.toBe('allow');
    } finally {
      await core.close();
    }
  });

  // B4. MCP tools: the Inbox proposes `{ kind: 'any', folder: P }` for them (proposeRule). The scope
  // check only sees arguments under the names in MCP_PATH_KEYS that start with "/", "~" or "file:"
  // (tool-targets-policy.ts, case 'mcp'), so a relative path with "..", a path under another name
  // (`filePath`, `repo_path`, the official git server's argument) or a path nested in an object is
  // never checked, and the "any" rule answers. The same call with an absolute `path` is denied. Now:
  // allow. Expected: deny (outside) or ask.
  it('B4 an "always" rule for an MCP tool lets through paths the scope check does not read', async () => {
    home = makeHome('cc-find-b4-');
    t = await startTestCore({ home });
    const P = t.projectDir;
    await remember(t, call('mcp__filesystem__write_file', { path: `${P}/a.txt`, content: 'x' }, P));
    expect(t.core.getSnapshot().rules[0]).toMatchObject({ match: { kind: 'any' }, folder: P });
    const absolute = await outcome(t, call('mcp__filesystem__write_file', { path: `${home}/.bashrc`, content: 'x' }, P));
    expect(absolute.verdict).toBe('deny'); // (control) the absolute spelling is caught
    const results = [];
    for (const input of [
      { path: `${'../'.repeat(P.split('/').length)}${home.slice(1)}/.bashrc`, content: 'x' },
      { filePath: `${home}/.bashrc`, content: 'x' },
      { files: [{ path: `${home}/.bashrc`, content: 'x' }] },
    ]) {
      results.push([input, (await outcome(t, call('mcp__filesystem__write_file', input, P))).verdict]);
    }
    expect(results.filter(([, v]) => v === 'allow')).toEqual([]);
  });
});

// =====================================================================================================
// C. A decision served to actions the person never saw. Bug home: approvals/approvals-broker-service.ts
//    decideRunReads and the contract's decideRunReads request (shared/ui-contract.ts), which names a run
//    but not the items (ids + content hashes) shown.
// =====================================================================================================

describe('C. bulk decisions', () => {
  // C1. "Approve all reads of this run" approves whatever is pending for the run when the call lands,
  // including reads that arrived after the person looked. With outOfScope "ask" (or reads of hard-linked
  // files, or a broken policy) the agent queues a harmless read, then a sensitive one just before the
  // click. Now: both allowed (count 2). Expected: only the items the person saw (the call should carry
  // their ids and content hashes; a newer item stays pending).
  it('C1 "approve all reads of this run" also approves a read that arrived after the person looked', async () => {
    const home = makeHome('cc-find-c1-');
    const policyFile = join(home, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ outOfScope: 'ask' }));
    const t = await startTestCore({ home, policyFile });
    try {
      const harmless = t.hook(call('Read', { file_path: `${home}/private/secret.txt` }, t.projectDir, { session: 'run' }));
      await t.waitForPending(1);
      const seen = t.core.getSnapshot().pending.map((p) => p.id); // what the person has on screen
      const late = t.hook(call('Read', { file_path: `${home}/.bashrc` }, t.projectDir, { session: 'run' }));
      await t.waitForPending(2);
      const { count } = await t.core.callUi('decideRunReads', { sessionId: 'run', verdict: 'allow' });
      const verdictOf = async (r: Promise<{ json: unknown }>) => ((await r).json as { hookSpecificOutput: { permissionDecision: string } }).hookSpecificOutput.permissionDecision;
      expect(await verdictOf(harmless)).toBe('allow');
      expect(count).toBe(seen.length);
      const stillPending = t.core.getSnapshot().pending;
      for (const p of stillPending) await t.core.callUi('deny', { id: p.id, contentHash: p.contentHash });
      expect(await verdictOf(late)).not.toBe('allow');
    } finally {
      await t.dispose();
      rmSync(home, { recursive: true, force: true });
    }
  });
});

// =====================================================================================================
// D. Paths the companion reads in its own process context. Bug home: electron/core/paths/
//    path-canonicalizer.ts (readlink of /proc/self/* answers for the companion, not for Claude Code).
// =====================================================================================================

describe('D. /proc/self is the reader\'s own process', () => {
  // D1. /proc/self/cwd is the cwd of whichever process opens it. The companion canonicalises it with
  // readlink in its own process (cwd: wherever serve was started; here the test runner's cwd), so
  // `/proc/self/cwd/../../<shared folder>/notes.txt` lands in the shared folder; Claude Code (cwd
  // /home/u/a/b/c/d/e) opens /home/u/a/b/c/<shared folder>/notes.txt — a file outside the scope. The
  // same holds for /proc/thread-self and /dev/fd. Now: allow. Expected: deny (a path through
  // /proc/self, /proc/thread-self or /dev/fd cannot be pinned to one file), or read relative to the
  // payload's cwd.
  it('D1 Read /proc/self/cwd/… is judged against the companion\'s cwd, not the agent\'s', async () => {
    const home = makeHome('cc-find-d1-');
    const t = await startTestCore({ home });
    try {
      const claudeCwd = join(home, 'a', 'b', 'c', 'd', 'e');
      mkdirSync(claudeCwd, { recursive: true });
      writeFileSync(join(t.projectDir, 'notes.txt'), 'shared');
      const rel = `${'../'.repeat(process.cwd().split('/').filter(Boolean).length)}${t.projectDir.slice(1)}/notes.txt`;
      // What Claude Code will open: a file outside the scope, planted here to make it concrete.
      const claudeReads = join(claudeCwd, rel);
      mkdirSync(join(claudeReads, '..'), { recursive: true });
      writeFileSync(claudeReads, 'OUTSIDE THE SCOPE');
      await expectNotAllowed(t, call('Read', { file_path: `/proc/self/cwd/${rel}` }, claudeCwd));
    } finally {
      await t.dispose();
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('F. state files (kept: a documented same-account limit)', () => {
  // F4. A holder of the key (headless: a command that read integrity-key) adds a rule to settings.json
  // and reseals it while the companion is stopped. At start RulesService takes the stored rules as its
  // own (personCache = readRules()); the "only the core adds rules" guard (docs/security.md, defence in
  // depth behind the seals) only works while the core runs, and rules leave no record in the journal to
  // check them against (unlike folders and scope.changed). Now: the forged rule is in force, with no
  // alert. Expected: not taken (e.g. rules cross-checked against a journal record of their creation).
  // (Reading the key is a documented same-account limit; the defence in depth is what fails here.)
  it('F4 a rule sealed into settings.json by a key holder while the companion is stopped is taken silently', async () => {
    const home = makeHome('cc-find-f4-');
    const t = await startTestCore({ home });
    await t.core.close();
    const file = join(t.dataDir, 'settings.json');
    const settings = JSON.parse(readFileSync(file, 'utf8')) as { rules: unknown[] };
    settings.rules.push(forgedRule());
    writeFileSync(file, JSON.stringify(settings));
    keyHolder(t.dataDir).reseal('settings.json');
    const core = await reopen(t.dataDir, { home });
    try {
      expect(core.getSnapshot().rules.map((r) => r.id)).not.toContain('forged-rule');
    } finally {
      await core.close();
      await t.dispose();
      rmSync(home, { recursive: true, force: true });
    }
  });
});

// =====================================================================================================
// H. The process as a way in. Bug home: electron/core/base/process-guard.ts (inspectorFlags).
// =====================================================================================================

describe('H. inspector flags the guard does not recognise', () => {
  const CLI = join(fileURLToPath(new URL('../../', import.meta.url)), 'dist/electron/cli/cli.js');
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) {
      if (c.exitCode === null) {
        c.kill('SIGKILL');
        await new Promise((r) => c.once('exit', r));
      }
    }
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  /** Starts serve with NODE_OPTIONS; resolves when it exits, prints its ready line, or opens an inspector. */
  function startWith(nodeOptions: string): Promise<{ exited: number | null; ready: boolean; stderr: string }> {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-find-h-'));
    dirs.push(dataDir);
    const child = spawn(process.execPath, [CLI, 'serve', '--data-dir', dataDir, '--port', '0', '--no-watch'], {
      env: { ...process.env, NODE_OPTIONS: nodeOptions, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.push(child);
    let stderr = '';
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ exited: null, ready: false, stderr }), 5000);
      const settle = (r: { exited: number | null; ready: boolean }) => {
        clearTimeout(timer);
        resolve({ ...r, stderr });
      };
      child.stderr!.on('data', (c: Buffer) => {
        stderr += c.toString();
        if (/Debugger listening/.test(stderr)) setTimeout(() => settle({ exited: child.exitCode, ready: false }), 300);
      });
      child.stdout!.on('data', (c: Buffer) => {
        if (c.toString().includes('"event":"ready"')) settle({ exited: null, ready: true });
      });
      child.once('exit', (code) => settle({ exited: code, ready: false }));
    });
  }

  // H1. Node reads NODE_OPTIONS with shell-like quoting: `"--inspect=127.0.0.1:0"` opens the inspector,
  // but inspectorFlags splits on spaces and tests /^--inspect…/ against `"--inspect=…"`, so the guard
  // passes and the companion serves with a live inspector (full control of the process, the UI
  // credential included). Now: ready, "Debugger listening". Expected: refused (non-zero exit).
  // H2. Node accepts "_" for "-" in option names: `--inspect_brk` / `--inspect_wait` open the inspector
  // and wait for a debugger; the guard's regex only knows the dashed names. (The dashed -brk/-wait forms
  // wait for a debugger BEFORE the guard can run at all: only a launcher that refuses NODE_OPTIONS, or
  // Electron's fuses, can stop those.) Now: "Debugger listening", no refusal. Expected: refused.
  // Kept here: H1 and H2 (quoted, underscore-spelt) are refused now (process-guard.test.ts). What stays
  // is the documented limit: -brk/-wait forms pause before any of the companion's code runs; the
  // packaged app's fuses turn NODE_OPTIONS and inspector flags off, headless `serve` relies on the
  // environment of whoever starts it (docs/security.md).
  for (const nodeOptions of ['--inspect_brk=127.0.0.1:0', '--inspect-wait=127.0.0.1:0']) {
    it(`H NODE_OPTIONS=${nodeOptions} opens an inspector in the companion`, async () => {
      const r = await startWith(nodeOptions);
      expect(r.stderr).not.toMatch(/Debugger listening/);
      expect(r.ready).toBe(false);
      expect(r.stderr).toMatch(/refusing to run with the Node inspector enabled/);
    });
  }
});
