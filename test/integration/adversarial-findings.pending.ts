// PENDING: not run by vitest (the include pattern is *.test.ts). What is left here are the adversarial
// review's findings that stay documented same-account limits (docs/security.md): each still fails. A
// fix moves its case into a passing test file and deletes it from here.
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
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { forgedRule, makeHome, restarter } from '../support/adversary.js';
import { keyHolder } from '../support/key-holder.js';
import { startTestCore } from '../support/start-core.js';

const reopen = restarter();

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
