// Adversarial review, findings B2, B3, B4, C1 and D1 (moved here from adversarial-findings.pending.ts once
// fixed): remembered rules never answer for what lies outside the scope or while the managed policy is
// broken, MCP rules never let through a path argument the scope check did not read, "approve all reads
// of this run" decides only the cards the person saw, and a path through a per-process view
// (/proc/self/cwd…) is refused instead of being read in the companion's own process. Each case says the
// attack and what the companion answers; the controls show the rules still do their ordinary job.
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, expectVerdict, makeHome, outcome, remember, rememberCommand, restarter } from '../support/adversary.js';
import { rawRequest } from '../support/http-client.js';
import { startTestCore, type TestCore } from '../support/start-core.js';

const reopen = restarter();


type HookAnswer = { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason?: string } };

describe('remembered rules answer only inside the scope, and never while the policy is broken', () => {
  let t: TestCore | undefined;
  let home: string;
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
    rmSync(home, { recursive: true, force: true });
  });

  // B2. IT sets `outOfScope: "ask"` so that files outside the shared folders go to a person instead of
  // being denied. The out-of-scope ask is person-only: rule "cat" (made for the project) must not read
  // ~/secret.txt. The same rule still answers inside the project.
  it('B2 with outOfScope "ask", a command rule does not answer for a file outside every shared folder', async () => {
    home = makeHome('cc-rules-b2-');
    const policyFile = join(home, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ outOfScope: 'ask' }));
    t = await startTestCore({ home, policyFile });
    writeFileSync(join(t.projectDir, 'notes.txt'), 'n');
    await rememberCommand(t, 'cat notes.txt', 'cat', t.projectDir, t.projectDir);
    await expectVerdict(t, call('Bash', { command: `cat ${home}/secret.txt` }, t.projectDir), 'ask', /outside the folders shared/);
    await expectVerdict(t, call('Bash', { command: `cat notes.txt ${home}/private/secret.txt` }, t.projectDir), 'ask', /outside the folders shared/);
    // control: inside the scope the rule answers
    await expectVerdict(t, call('Bash', { command: 'cat notes.txt' }, t.projectDir), 'allow', /Allowed by a rule/);
  });

  // B3. The managed policy is broken and there is no good copy: README says "fails closed (nothing is
  // allowed automatically)". A remembered "git status" rule must not allow either: every call asks.
  it('B3 a broken managed policy (fail closed): remembered rules do not allow', async () => {
    home = makeHome('cc-rules-b3-');
    t = await startTestCore({ home });
    await rememberCommand(t, 'git status', 'git status', t.projectDir, t.projectDir);
    writeFileSync(join(t.projectDir, 'notes.txt'), 'n');
    await t.core.close();
    const policyFile = join(home, 'policy.json');
    writeFileSync(policyFile, '{ "forbiddenPaths": ');
    const core = await reopen(t.dataDir, { home, policyFile, decisionBudgetMs: 300 });
    try {
      expect(core.getSnapshot().scope.policyError).toMatch(/not valid JSON/);
      const token = readFileSync(core.tokenFile, 'utf8').trim();
      const ask = async (body: Record<string, unknown>) =>
        (
          await rawRequest(`${core.agentApiUrl}/hooks/claude-code`, {
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
            body: JSON.stringify(body),
          })
        ).json as HookAnswer;
      // Nobody decides within the (short) budget: fail closed, a deny that is not the rule's allow.
      for (const body of [call('Bash', { command: 'git status' }, t.projectDir), call('Read', { file_path: join(t.projectDir, 'notes.txt') }, t.projectDir)]) {
        const answer = await ask(body);
        expect(answer.hookSpecificOutput.permissionDecision).not.toBe('allow');
      }
      expect(core.getSnapshot().recent.filter((r) => r.source === 'rule')).toEqual([]);
    } finally {
      await core.close();
    }
  });

  // B4. MCP tools: the Inbox proposes `{ kind: 'any', folder: P }`. The scope check only reads the
  // catalogue's argument names, and only absolute spellings; a relative path with "..", a path under
  // another name (`filePath`) or nested in an object was never checked, and the "any" rule answered.
  // Now the rule answers only when every path-like string in the arguments lies inside the scope.
  it('B4 an "always" rule for an MCP tool does not let through paths the scope check does not read', async () => {
    home = makeHome('cc-rules-b4-');
    t = await startTestCore({ home });
    const P = t.projectDir;
    await remember(t, call('mcp__filesystem__write_file', { path: `${P}/a.txt`, content: 'x' }, P));
    expect(t.core.getSnapshot().rules[0]).toMatchObject({ match: { kind: 'any' }, folder: P });
    const absolute = await outcome(t, call('mcp__filesystem__write_file', { path: `${home}/.bashrc`, content: 'x' }, P));
    expect(absolute.verdict).toBe('deny'); // (control) the absolute spelling is caught by the scope
    const results = [];
    for (const input of [
      { path: `${'../'.repeat(P.split('/').length)}${home.slice(1)}/.bashrc`, content: 'x' },
      { filePath: `${home}/.bashrc`, content: 'x' },
      { files: [{ path: `${home}/.bashrc`, content: 'x' }] },
      { options: { deep: { repo_path: `file://${home}/private` } } },
      { path: `${P}/a.txt`, [`${home}/.bashrc`]: 'a path as an object key' },
      { target_file: '~/.bashrc', content: 'x' },
      { path: `${P}/sub/../../${home.split('/').pop()}/x`, content: 'x' },
      { dest: `${P}/.git/hooks/pre-commit`, content: 'x' }, // inside, but a file that makes commands run code
    ]) {
      results.push([input, (await outcome(t, call('mcp__filesystem__write_file', input, P))).verdict]);
    }
    expect(results.filter(([, v]) => v === 'allow')).toEqual([]);
    // controls: calls whose every path lies inside the project are still answered by the rule
    mkdirSync(join(P, 'docs'));
    for (const input of [
      { path: `${P}/b.txt`, content: 'plain text' },
      { filePath: `${P}/docs/c.md`, content: 'x' },
      { files: [{ path: `${P}/docs/d.md` }, { path: 'docs/e.md' }], content: 'see https://example.com/a/b' },
    ]) {
      await expectVerdict(t, call('mcp__filesystem__write_file', input, P), 'allow', /Allowed by a rule/);
    }
  });
});

describe('bulk decisions bind to what the person saw', () => {
  // C1. "Approve all reads of this run" approved whatever was pending for the run when the call landed,
  // including reads that arrived after the person looked. The call now names the cards shown (ids and
  // content hashes); a newer item stays pending.
  it('C1 "approve all reads of this run" does not approve a read that arrived after the person looked', async () => {
    const home = makeHome('cc-rules-c1-');
    const policyFile = join(home, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ outOfScope: 'ask' }));
    const t = await startTestCore({ home, policyFile });
    try {
      const harmless = t.hook(call('Read', { file_path: `${home}/private/secret.txt` }, t.projectDir, { session: 'run' }));
      await t.waitForPending(1);
      const seen = t.core.getSnapshot().pending.map((p) => ({ id: p.id, contentHash: p.contentHash })); // what the person has on screen
      const late = t.hook(call('Read', { file_path: `${home}/.bashrc` }, t.projectDir, { session: 'run' }));
      await t.waitForPending(2);
      const { count } = await t.core.callUi('decideRunReads', { sessionId: 'run', verdict: 'allow', items: seen });
      const verdictOf = async (r: Promise<{ json: unknown }>) => ((await r).json as HookAnswer).hookSpecificOutput.permissionDecision;
      expect(await verdictOf(harmless)).toBe('allow');
      expect(count).toBe(seen.length);
      const stillPending = t.core.getSnapshot().pending;
      expect(stillPending).toHaveLength(1);
      for (const p of stillPending) await t.core.callUi('deny', { id: p.id, contentHash: p.contentHash });
      expect(await verdictOf(late)).not.toBe('allow');
    } finally {
      await t.dispose();
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('C1 a bulk call that names no card is refused by the contract', async () => {
    const t = await startTestCore();
    try {
      const res = await t.ui('decideRunReads', { sessionId: 'run', verdict: 'allow' });
      expect(res.status).toBe(400);
      await expect(t.core.callUi('decideRunReads', { sessionId: 'run', verdict: 'allow', items: [] })).rejects.toThrow();
    } finally {
      await t.dispose();
    }
  });
});

describe('a path through a per-process view (/proc/self…) is refused', () => {
  let t: TestCore;
  let home: string;
  let claudeCwd: string;
  let rel: string;
  beforeAll(async () => {
    home = makeHome('cc-rules-d1-');
    t = await startTestCore({ home });
    claudeCwd = join(home, 'a', 'b', 'c', 'd', 'e');
    mkdirSync(claudeCwd, { recursive: true });
    writeFileSync(join(t.projectDir, 'notes.txt'), 'shared');
    rel = `${'../'.repeat(process.cwd().split('/').filter(Boolean).length)}${t.projectDir.slice(1)}/notes.txt`;
    // What Claude Code will open: a file outside the scope, planted here to make it concrete.
    const claudeReads = join(claudeCwd, rel);
    mkdirSync(join(claudeReads, '..'), { recursive: true });
    writeFileSync(claudeReads, 'OUTSIDE THE SCOPE');
    symlinkSync('/proc/self/cwd', join(t.projectDir, 'here')); // a link planted in the project
    await rememberCommand(t, 'cat notes.txt', 'cat', t.projectDir, t.projectDir);
  });
  afterAll(async () => {
    await t.dispose();
    rmSync(home, { recursive: true, force: true });
  });

  // D1. /proc/self/cwd is the cwd of whichever process opens it. The companion read it in its own
  // process (cwd: wherever serve was started), so `/proc/self/cwd/../../<shared folder>/notes.txt`
  // landed in the shared folder while Claude Code (another cwd) opens a file outside the scope.
  it('D1 Read /proc/self/cwd/… is denied, not judged against the companion\'s cwd', async () => {
    await expectVerdict(t, call('Read', { file_path: `/proc/self/cwd/${rel}` }, claudeCwd), 'deny', /whichever process opens it/);
  });

  for (const [what, path] of [
    ['/proc/thread-self/cwd', () => `/proc/thread-self/cwd/${rel}`],
    ['/proc/<pid>/root', () => `/proc/${process.pid}/root${t.projectDir}/notes.txt`],
    ['/proc/self/fd', () => '/proc/self/fd/0'],
    ['/dev/fd', () => '/dev/fd/0'],
  ] as const) {
    it(`D1 ${what} is denied for every tool shape`, async () => {
      await expectVerdict(t, call('Read', { file_path: path() }, t.projectDir), 'deny', /whichever process opens it/);
      await expectVerdict(t, call('Write', { file_path: path(), content: 'x' }, t.projectDir), 'deny', /whichever process opens it/);
      await expectVerdict(t, call('mcp__fs__read_file', { path: path() }, t.projectDir), 'deny', /whichever process opens it/);
    });
  }

  it('D1 a link in the project to /proc/self/cwd is denied, named as a path or as a bare shell word', async () => {
    await expectVerdict(t, call('Read', { file_path: `${t.projectDir}/here/${rel}` }, claudeCwd), 'deny', /whichever process opens it/);
    await expectVerdict(t, call('Glob', { pattern: '*', path: `${t.projectDir}/here` }, t.projectDir), 'deny', /whichever process opens it/);
    await expectVerdict(t, call('Bash', { command: 'cat here' }, t.projectDir), 'deny', /whichever process opens it/);
  });

  it('D1 shell words through /proc/self are denied even under a remembered rule', async () => {
    await expectVerdict(t, call('Bash', { command: `cat /proc/self/cwd/${rel}` }, t.projectDir), 'deny', /whichever process opens it/);
    await expectVerdict(t, call('Bash', { command: 'cat notes.txt > /proc/self/fd/1' }, t.projectDir), 'deny', /whichever process opens it/);
    await expectVerdict(t, call('Bash', { command: 'cd /proc/self/cwd && cat notes.txt' }, t.projectDir), 'deny', /whichever process opens it/);
    // control: the rule still answers the command it was made for
    await expectVerdict(t, call('Bash', { command: 'cat notes.txt' }, t.projectDir), 'allow');
  });
});
