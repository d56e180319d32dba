// `cowork-companion scope …` on the same data dir as a running companion.
import { mkdtempSync, realpathSync } from 'node:fs';
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

async function scope(action: string, path: string | undefined, dataDir: string, extra: { mode?: string; json?: boolean } = {}) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const code = await runScopeCommand(action, path, { dataDir, json: extra.json ?? true, mode: extra.mode, out, env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BLRP_SCHEDULE_DELAY: '10' } });
  return { code, text: Buffer.concat(chunks).toString('utf8') };
}

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
    await expect(scope('add', 'relative/path', dataDir)).rejects.toThrow(/absolute/);
    await expect(scope('remove', '/not/shared', dataDir)).rejects.toThrow(/not a folder you shared/);
    await expect(scope('launch', undefined, dataDir)).rejects.toThrow(/unknown scope action/);
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
