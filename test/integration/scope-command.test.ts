// `cowork-companion scope …` on the same data dir as a running companion.
import { mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runScopeCommand } from '../../electron/cli/scope-command.js';
import { startOtlpReceiver, type OtlpReceiver } from '../support/otlp-receiver.js';
import { startTestCore, type TestCore } from '../support/start-core.js';

let t: TestCore | undefined;
let receiver: OtlpReceiver;
beforeAll(async () => {
  receiver = await startOtlpReceiver();
});
afterAll(() => receiver.close());
afterEach(async () => {
  await t?.dispose();
  t = undefined;
});

type Extra = { mode?: string; json?: boolean; label?: string; expires?: string; yes?: boolean; cwd?: string };
async function scope(action: string, path: string | undefined, dataDir: string, { json, ...extra }: Extra = {}) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const code = await runScopeCommand(action, path, { dataDir, json: json ?? true, ...extra, out, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BLRP_SCHEDULE_DELAY: '10' } });
  return { code, text: Buffer.concat(chunks).toString('utf8') };
}
const scopeChanges = async (dataDir: string) => {
  const { DecisionJournalService } = await import('../../electron/core/evidence/decision-journal-service.js');
  return new DecisionJournalService(join(dataDir, 'journal')).readAll().filter((e) => e.name === 'scope.changed');
};
const listed = async (dataDir: string) => (JSON.parse((await scope('list', undefined, dataDir)).text) as { folders: { path: string; mode: string; label: string; expiresAt?: string }[] }).folders;

describe('scope command', () => {
  it('adds, lists and removes folders, with JSON output', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-scope-'));
    const folder = realpathSync(mkdtempSync(join(tmpdir(), 'cc-folder-')));
    expect((await scope('add', folder, dataDir, { mode: 'read-write' })).code).toBe(0);
    const list = JSON.parse((await scope('list', undefined, dataDir)).text) as { folders: { path: string; mode: string }[] };
    expect(list.folders).toEqual([expect.objectContaining({ path: folder, mode: 'read-write', locked: false })]);
    await scope('remove', folder, dataDir);
    // The change is evidence, journalled for the companion to deliver.
    const { DecisionJournalService } = await import('../../electron/core/evidence/decision-journal-service.js');
    expect(new DecisionJournalService(join(dataDir, 'journal')).readAll().filter((e) => e.name === 'scope.changed')).toHaveLength(2);
    expect((JSON.parse((await scope('list', undefined, dataDir)).text) as { folders: unknown[] }).folders).toEqual([]);
  });

  it('refuses bad input with a clear message', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-scope-'));
    await expect(scope('add', '/definitely/not/here', dataDir)).rejects.toThrow(/does not exist/);
    await expect(scope('add', tmpdir(), dataDir, { mode: 'write' })).rejects.toThrow(/--mode/);
    await expect(scope('add', 'relative/path', dataDir, { cwd: '/definitely' })).rejects.toThrow('/definitely/relative/path does not exist');
    await expect(scope('remove', '/not/shared', dataDir)).rejects.toThrow(/not a folder you shared/);
    await expect(scope('launch', undefined, dataDir)).rejects.toThrow(/unknown scope action/);
  });

  it('a broad folder needs --yes: without it, the command explains, fails and changes nothing', async () => {
    // The companion's own data folder is protected: the folder around it is broad.
    const parent = realpathSync(mkdtempSync(join(tmpdir(), 'cc-parent-')));
    const dataDir = join(parent, 'data');
    await expect(scope('add', parent, dataDir, { json: false })).rejects.toThrow(
      new RegExp(`^Sharing ${parent} is broad: protected locations are inside it.*They are: ${dataDir} — Cowork Companion's own data.*Add --yes to share it anyway; nothing was changed\\.$`),
    );
    expect(await listed(dataDir)).toEqual([]);
    expect(await scopeChanges(dataDir)).toEqual([]);
    const yes = await scope('add', parent, dataDir, { json: false, yes: true });
    expect(yes.code).toBe(0);
    expect(yes.text).toMatch(new RegExp(`^Note: Sharing ${parent} is broad: .*\nShared ${parent} \\(read, until removed\\)\\.\n$`));
    expect(await listed(dataDir)).toEqual([expect.objectContaining({ path: parent, mode: 'read' })]);
    expect(await scopeChanges(dataDir)).toHaveLength(1);
  });

  it('"." and relative paths are the folders below the current one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-scope-'));
    const work = realpathSync(mkdtempSync(join(tmpdir(), 'cc-work-')));
    mkdirSync(join(work, 'app', 'docs'), { recursive: true });
    expect((await scope('add', '.', dataDir, { cwd: join(work, 'app') })).code).toBe(0);
    expect((await scope('add', 'app/docs', dataDir, { cwd: work })).code).toBe(0);
    expect((await scope('add', '../../app', dataDir, { cwd: join(work, 'app', 'docs'), json: false })).text).toBe(`${join(work, 'app')} is already shared (read, until removed); nothing changed. Give --mode, --label or --expires to change it.\n`);
    expect((await listed(dataDir)).map((f) => f.path)).toEqual([join(work, 'app'), join(work, 'app', 'docs')]);
  });

  it('adding a folder again says it is already shared, and changes only what is given', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-scope-'));
    const folder = realpathSync(mkdtempSync(join(tmpdir(), 'cc-folder-')));
    await scope('add', folder, dataDir, { mode: 'read-write' });
    const same = await scope('add', folder, dataDir, { mode: 'read-write' });
    expect(JSON.parse(same.text)).toMatchObject({ ok: true, outcome: 'unchanged', changed: [] });
    expect((await scope('add', folder, dataDir, { json: false })).text).toMatch(/is already shared \(read-write, until removed\); nothing changed/);
    expect(await scopeChanges(dataDir)).toHaveLength(1);
    const changed = await scope('add', folder, dataDir, { json: false, mode: 'read', label: 'Docs' });
    expect(changed.text).toBe(`${folder} was already shared; changed mode "read-write" → "read", label "" → "Docs".\n`);
    expect(await listed(dataDir)).toEqual([expect.objectContaining({ path: folder, mode: 'read', label: 'Docs' })]);
    expect((await scopeChanges(dataDir)).at(-1)!.attributes).toMatchObject({ 'scope.action': 'add', 'scope.mode': 'read' });
  });

  it('--expires takes durations and dates, and says which forms it takes otherwise', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cc-scope-'));
    const folder = realpathSync(mkdtempSync(join(tmpdir(), 'cc-folder-')));
    const expiry = async (expires: string) => {
      await scope('add', folder, dataDir, { expires });
      return Date.parse((await listed(dataDir))[0]!.expiresAt!);
    };
    for (const [text, span] of [['30m', 30 * 60_000], ['2h', 2 * 3_600_000], ['1d', 86_400_000], ['1w', 7 * 86_400_000]] as const) {
      expect(Math.abs((await expiry(text)) - (Date.now() + span)), text).toBeLessThan(60_000);
    }
    expect(await expiry('2099-12-31')).toBe(new Date(2099, 11, 31).getTime());
    expect(await expiry('2099-12-31T18:00')).toBe(new Date(2099, 11, 31, 18).getTime());
    await expect(scope('add', folder, dataDir, { expires: 'next week' })).rejects.toThrow('"next week" is not an expiry: use a duration (30m, 2h, 1d, 1w) or a date (2026-12-31, 2026-12-31T18:00).');
    await expect(scope('add', folder, dataDir, { expires: '2020-01-01' })).rejects.toThrow(/in the past/);
  });

  it('a running companion picks up a folder added from the command line', async () => {
    t = await startTestCore({ share: false });
    const read = { session_id: 's', cwd: t.projectDir, hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: { file_path: join(t.projectDir, 'src') }, tool_use_id: 'toolu_1' };
    expect(JSON.stringify((await t.hook(read)).json)).toMatch(/"deny"/);
    await scope('add', t.projectDir, t.dataDir, { mode: 'read' });
    // In force once the core has checked the change (seal and journal record), within moments.
    const deadline = Date.now() + 5000;
    while (!t.core.getSnapshot().scope.folders.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(t.core.getSnapshot().scope.folders[0]?.path).toBe(t.projectDir);
    expect(JSON.stringify((await t.hook(read)).json)).toMatch(/"allow"/);
  });
});
