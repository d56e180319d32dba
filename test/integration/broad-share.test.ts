// Sharing through the real core: broad folders need the person's confirmation (or are refused by
// IT's allowBroadShares: false), `~` is the person's home, sharing a folder again changes only what
// differs, and every change is evidence.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DecisionJournalService } from '../../electron/core/evidence/decision-journal-service.js';
import { startTestCore, type TestCore } from '../support/start-core.js';

let t: TestCore | undefined;
let home: string;

beforeEach(() => {
  home = realpathSync(mkdtempSync(join(tmpdir(), 'cc-home-')));
  mkdirSync(join(home, '.ssh'));
  mkdirSync(join(home, 'work', 'app'), { recursive: true });
});
afterEach(async () => {
  await t?.dispose();
  t = undefined;
  rmSync(home, { recursive: true, force: true });
});

const core = () => t!.core;
const scopeChanges = () => new DecisionJournalService(join(t!.dataDir, 'journal')).readAll().filter((e) => e.name === 'scope.changed');
const userFolders = () => core().getSnapshot().scope.folders.filter((f) => !f.locked);

describe('broad shares', () => {
  it('~ is the home folder; sharing it needs confirmBroad, and the refusal changes nothing', async () => {
    t = await startTestCore({ home, share: false });
    const preview = await core().callUi('previewSharedFolder', { path: '~' });
    expect(preview).toMatchObject({ ok: true, path: home, broad: { kind: 'home' } });
    // The protected places that are there (no ~/.aws here: it is still protected, just not listed).
    expect(preview.ok && preview.broad?.protectedInside).toEqual([{ path: join(home, '.ssh'), reason: 'SSH keys' }]);
    expect(await core().callUi('previewSharedFolder', { path: '~/work/app' })).toEqual({ ok: true, path: join(home, 'work', 'app') });

    await expect(core().callUi('addSharedFolder', { path: '~', mode: 'read' })).rejects.toMatchObject({
      code: 'scope_confirm_broad',
      message: expect.stringMatching(/your home folder: the agent could read every file in it.*explicit confirmation/),
    });
    // The web transport says the same with its own status.
    const web = await t.ui('addSharedFolder', { path: home, mode: 'read-write' });
    expect(web.status).toBe(428);
    expect(web.json).toMatchObject({ error: { code: 'scope_confirm_broad', message: expect.stringContaining('read and change every file') } });
    expect(userFolders()).toEqual([]);
    expect(scopeChanges()).toEqual([]);

    const shared = await core().callUi('addSharedFolder', { path: '~', mode: 'read', confirmBroad: true });
    expect(shared).toMatchObject({ outcome: 'added', folder: { path: home, mode: 'read' } });
    expect(userFolders()).toEqual([expect.objectContaining({ path: home, mode: 'read' })]);
    // (evidence shortens the home folder to ~, per the redaction policy)
    expect(scopeChanges().map((e) => e.attributes)).toEqual([expect.objectContaining({ 'scope.action': 'add', 'scope.path': '~', 'scope.mode': 'read', 'scope.broad': 'home' })]);

    // Widening it to read-write is a new grant: confirmed again. A label is not.
    await expect(core().callUi('addSharedFolder', { path: home, mode: 'read-write' })).rejects.toMatchObject({ code: 'scope_confirm_broad' });
    expect(await core().callUi('addSharedFolder', { path: home, mode: 'read', label: 'Everything' })).toMatchObject({ outcome: 'updated', changed: ['label'], folder: { label: 'Everything', mode: 'read' } });
  });

  it('a folder around a protected location (the companion data folder) needs the confirmation too', async () => {
    const parent = realpathSync(mkdtempSync(join(tmpdir(), 'cc-parent-')));
    try {
      t = await startTestCore({ home, share: false, dataDir: join(parent, 'data') });
      const preview = await core().callUi('previewSharedFolder', { path: parent });
      expect(preview).toMatchObject({ ok: true, broad: { kind: 'protected-inside', protectedInside: [{ path: join(parent, 'data'), reason: expect.stringContaining("Cowork Companion's own data") }] } });
      await expect(core().callUi('addSharedFolder', { path: parent, mode: 'read' })).rejects.toMatchObject({ code: 'scope_confirm_broad' });
    } finally {
      await t?.dispose();
      t = undefined;
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('widening a broad folder to read-write from the list needs the confirmation too', async () => {
    t = await startTestCore({ home, share: false });
    await core().callUi('addSharedFolder', { path: home, mode: 'read', confirmBroad: true });
    await expect(core().callUi('setSharedFolderMode', { path: home, mode: 'read-write' })).rejects.toMatchObject({ code: 'scope_confirm_broad', message: expect.stringContaining('read and change every file') });
    expect(userFolders()).toEqual([expect.objectContaining({ path: home, mode: 'read' })]);
    await core().callUi('setSharedFolderMode', { path: home, mode: 'read-write', confirmBroad: true });
    expect(userFolders()).toEqual([expect.objectContaining({ path: home, mode: 'read-write' })]);
    // Narrowing never asks.
    await core().callUi('setSharedFolderMode', { path: home, mode: 'read' });
    // The evidence says which changes the person confirmed as broad.
    expect(scopeChanges().map((e) => [e.attributes['scope.action'], e.attributes['scope.mode'], e.attributes['scope.broad']])).toEqual([
      ['add', 'read', 'home'],
      ['set-mode', 'read-write', 'home'],
      ['set-mode', 'read', undefined],
    ]);
  });

  it("a broad folder shared before IT set allowBroadShares: false stops being in effect, and says why", async () => {
    const policyFile = join(home, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({}));
    t = await startTestCore({ home, share: false, policyFile });
    await core().callUi('addSharedFolder', { path: home, mode: 'read', confirmBroad: true });
    const read = { session_id: 's', cwd: home, hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: { file_path: join(home, 'work', 'app') }, tool_use_id: 'toolu_b1' };
    expect(JSON.stringify((await t.hook(read)).json)).toMatch(/"allow"/);
    writeFileSync(policyFile, JSON.stringify({ allowBroadShares: false }));
    const deadline = Date.now() + 5000;
    while (!userFolders()[0]?.problem && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(userFolders()[0]?.problem).toBe('the folder is broader than your organisation allows sharing');
    expect(JSON.stringify((await t.hook({ ...read, tool_use_id: 'toolu_b2' })).json)).toMatch(/"deny"/);
  });

  it("IT's allowBroadShares: false refuses them outright, naming the organisation; narrower folders still work", async () => {
    const policyFile = join(home, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ allowBroadShares: false, organization: { name: 'Example Corp', contact: 'it@example.com' } }));
    t = await startTestCore({ home, share: false, policyFile });
    const preview = await core().callUi('previewSharedFolder', { path: '~' });
    expect(preview).toMatchObject({ ok: false, broad: { kind: 'home' }, error: expect.stringMatching(/^Example Corp \(it@example.com\) does not allow sharing folders this broad/) });
    await expect(core().callUi('addSharedFolder', { path: home, mode: 'read', confirmBroad: true })).rejects.toMatchObject({ code: 'scope_refused', message: expect.stringContaining('Example Corp') });
    expect(scopeChanges()).toEqual([]);
    expect(await core().callUi('addSharedFolder', { path: '~/work/app', mode: 'read' })).toMatchObject({ outcome: 'added', folder: { path: join(home, 'work', 'app') } });
  });
});

describe('sharing a folder again', () => {
  it('says it is already shared and changes nothing, or changes only what differs (with evidence)', async () => {
    t = await startTestCore({ home, share: 'read-write' });
    const before = scopeChanges().length;
    const again = await core().callUi('addSharedFolder', { path: t.projectDir, mode: 'read-write' });
    expect(again).toMatchObject({ outcome: 'unchanged', changed: [], folder: { path: t.projectDir, mode: 'read-write' } });
    expect(await core().callUi('previewSharedFolder', { path: t.projectDir })).toMatchObject({ ok: true, existing: { mode: 'read-write' } });
    expect(scopeChanges()).toHaveLength(before);

    const narrowed = await core().callUi('addSharedFolder', { path: t.projectDir, mode: 'read', label: 'Payments', expiresAt: '2h' });
    expect(narrowed).toMatchObject({ outcome: 'updated', changed: ['mode', 'label', 'expiresAt'], previous: { mode: 'read-write', label: '' }, folder: { mode: 'read', label: 'Payments' } });
    const expires = Date.parse(narrowed.folder.expiresAt!);
    expect(Math.abs(expires - (Date.now() + 2 * 3_600_000))).toBeLessThan(60_000);
    expect(scopeChanges()).toHaveLength(before + 1);
    expect(scopeChanges().at(-1)!.attributes).toMatchObject({ 'scope.action': 'add', 'scope.path': t.projectDir, 'scope.mode': 'read' });
    expect(scopeChanges().at(-1)!.attributes).not.toHaveProperty('scope.broad');
    expect(userFolders()).toEqual([expect.objectContaining({ path: t.projectDir, mode: 'read', label: 'Payments' })]);
  });

  it('refuses an expiry it cannot read, or one in the past, naming the accepted forms', async () => {
    t = await startTestCore({ home, share: false });
    const app = join(home, 'work', 'app');
    await expect(core().callUi('addSharedFolder', { path: app, mode: 'read', expiresAt: 'soon' })).rejects.toMatchObject({
      code: 'scope_refused',
      message: expect.stringContaining('a duration (30m, 2h, 1d, 1w) or a date (2026-12-31, 2026-12-31T18:00)'),
    });
    await expect(core().callUi('addSharedFolder', { path: app, mode: 'read', expiresAt: '2020-01-01T00:00:00.000Z' })).rejects.toMatchObject({ message: expect.stringMatching(/in the past/) });
    expect(userFolders()).toEqual([]);
  });
});
