// The scope policy end to end through the agent API, on real folders and links.
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DecisionJournalService } from '../../electron/core/evidence/decision-journal-service.js';
import { newEvidenceEvent } from '../../electron/core/evidence/evidence-event.js';
import { keyHolder } from '../support/key-holder.js';
import { ManualClock } from '../support/manual-clock.js';
import { startTestCore, type TestCore } from '../support/start-core.js';

let t: TestCore;
let home: string;
let policyFile: string;

beforeEach(() => {
  home = realpathSync(mkdtempSync(join(tmpdir(), 'cc-home-')));
  mkdirSync(join(home, '.ssh'));
  writeFileSync(join(home, '.ssh', 'id_ed25519'), 'PRIVATE');
  mkdirSync(join(home, 'other'));
  writeFileSync(join(home, 'other', 'notes.txt'), 'n');
  policyFile = join(home, 'policy.json');
});
afterEach(async () => {
  await t?.dispose();
  rmSync(home, { recursive: true, force: true });
});

const tool = (toolName: string, toolInput: Record<string, unknown>, cwd = t.projectDir) => ({
  session_id: 'sess-1',
  prompt_id: 'prompt-1',
  cwd,
  hook_event_name: 'PreToolUse',
  tool_name: toolName,
  tool_input: toolInput,
  tool_use_id: `toolu_${Math.random().toString(36).slice(2)}`,
});
type Answer = { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string } };
const decide = async (body: unknown): Promise<Answer['hookSpecificOutput']> => ((await t.hook(body)).json as Answer).hookSpecificOutput;
const journal = () => new DecisionJournalService(join(t.dataDir, 'journal')).readAll();

describe('scope policy through the agent API', () => {
  beforeEach(async () => {
    t = await startTestCore({ home, share: 'read-write', policyFile: undefined });
    writeFileSync(join(t.projectDir, 'src', 'a.ts'), 'a');
  });

  it('allows a read inside a shared folder at once, recording the matched rule', async () => {
    const a = await decide(tool('Read', { file_path: join(t.projectDir, 'src/a.ts') }));
    expect(a.permissionDecision).toBe('allow');
    const decided = journal().filter((e) => e.name === 'approval.decided').at(-1)!;
    expect(decided.attributes).toMatchObject({ decision: 'allow', 'decision.source': 'policy', 'decision.rule': `scope.shared-folder:read-write:${t.projectDir}` });
    expect(t.core.getSnapshot().pending).toHaveLength(0);
  });

  it('allows a write inside a read-write folder', async () => {
    expect((await decide(tool('Write', { file_path: join(t.projectDir, 'src/new/b.ts'), content: 'x' }))).permissionDecision).toBe('allow');
  });

  it('denies a read outside the scope and names the folder to share', async () => {
    const a = await decide(tool('Read', { file_path: join(home, 'other/notes.txt') }));
    expect(a.permissionDecision).toBe('deny');
    expect(a.permissionDecisionReason).toContain(`share ${join(home, 'other')}`);
    expect(journal().at(-1)!.attributes).toMatchObject({ 'decision.rule': 'scope.outside' });
  });

  it('denies forbidden paths even inside a shared folder', async () => {
    // The home folder is a broad share: the person confirmed it.
    await t.core.callUi('addSharedFolder', { path: home, mode: 'read-write', confirmBroad: true });
    const ssh = await decide(tool('Read', { file_path: join(home, '.ssh/id_ed25519') }));
    expect(ssh.permissionDecision).toBe('deny');
    expect(ssh.permissionDecisionReason).toMatch(/SSH keys/);
    mkdirSync(join(t.projectDir, '.claude'));
    const settings = await decide(tool('Edit', { file_path: join(t.projectDir, '.claude/settings.local.json'), old_string: 'a', new_string: 'b' }));
    expect(settings.permissionDecision).toBe('deny');
    const own = await decide(tool('Read', { file_path: join(t.dataDir, 'agent-token') }));
    expect(own.permissionDecision).toBe('deny');
  });

  it('denies a symlink that leads out of the scope', async () => {
    symlinkSync(join(home, '.ssh'), join(t.projectDir, 'keys'));
    symlinkSync(join(home, 'other'), join(t.projectDir, 'docs'));
    expect((await decide(tool('Read', { file_path: join(t.projectDir, 'keys/id_ed25519') }))).permissionDecision).toBe('deny');
    expect((await decide(tool('Read', { file_path: join(t.projectDir, 'docs/notes.txt') }))).permissionDecision).toBe('deny');
  });

  it('denies a search whose root contains a protected folder', async () => {
    await t.core.callUi('addSharedFolder', { path: home, mode: 'read', confirmBroad: true });
    const grep = await decide(tool('Grep', { pattern: 'KEY', path: home }));
    expect(grep.permissionDecision).toBe('deny');
    expect(grep.permissionDecisionReason).toMatch(/narrower/);
    expect((await decide(tool('Glob', { pattern: '../../**/*', path: join(t.projectDir, 'src') }))).permissionDecision).toBe('deny');
  });

  it('asks for a write into a read-only folder, and settles it when the folder becomes read-write', async () => {
    await t.core.callUi('setSharedFolderMode', { path: t.projectDir, mode: 'read' });
    const answer = t.hook(tool('Write', { file_path: join(t.projectDir, 'src/a.ts'), content: 'y' }));
    await t.waitForPending(1);
    expect(t.core.getSnapshot().pending[0]!.note).toMatch(/read-only/);
    await t.core.callUi('setSharedFolderMode', { path: t.projectDir, mode: 'read-write' });
    const a = ((await answer).json as Answer).hookSpecificOutput;
    expect(a.permissionDecision).toBe('allow');
    expect(journal().filter((e) => e.name === 'scope.changed').length).toBeGreaterThanOrEqual(3);
  });

  it('asks for shell, web, MCP and unknown tools; denies a shell command naming an outside file', async () => {
    const pending = [
      t.hook(tool('Bash', { command: 'npm run test -- src/refunds' })),
      t.hook(tool('WebFetch', { url: 'https://example.com', prompt: 'x' })),
      t.hook(tool('mcp__jira__create_issue', { summary: 'x' })),
      t.hook(tool('FutureTool', { anything: 1 })),
    ];
    await t.waitForPending(4);
    expect(t.core.getSnapshot().pending.map((i) => i.toolName).sort()).toEqual(['Bash', 'FutureTool', 'WebFetch', 'mcp__jira__create_issue']);
    const out = await decide(tool('Bash', { command: `cat ${join(home, 'other/notes.txt')} > /tmp/x` }));
    expect(out.permissionDecision).toBe('deny');
    const key = await decide(tool('Bash', { command: 'cat ~/.ssh/id_ed25519' }));
    expect(key.permissionDecision).toBe('deny');
    for (const item of t.core.getSnapshot().pending) await t.core.callUi('deny', { id: item.id, contentHash: item.contentHash });
    await Promise.all(pending);
  });

  it('denies hostile and malformed paths with a reason', async () => {
    for (const file_path of ['', 'a\0b', 42, '/x'.repeat(3000)]) {
      const a = await decide(tool('Read', { file_path }));
      expect(a.permissionDecision, JSON.stringify(file_path).slice(0, 20)).toBe('deny');
      expect(a.permissionDecisionReason).toMatch(/cannot verify|cannot tell which file/);
    }
  });

  it('stops honouring a shared folder that was replaced by a link elsewhere', async () => {
    const moved = join(home, 'moved');
    mkdirSync(moved);
    writeFileSync(join(moved, 'x.txt'), 'x');
    writeFileSync(join(t.projectDir, 'x.txt'), 'x');
    // Allowed a moment before: the folder as seen then may still stand for the decisions of this second,
    // and must let nothing through once it is a link (the target is read afresh).
    expect((await decide(tool('Read', { file_path: join(t.projectDir, 'x.txt') }))).permissionDecision).toBe('allow');
    rmSync(t.projectDir, { recursive: true });
    symlinkSync(moved, t.projectDir);
    expect((await decide(tool('Read', { file_path: join(t.projectDir, 'x.txt') }))).permissionDecision).toBe('deny');
    expect(t.core.getSnapshot().scope.folders.find((f) => f.path === t.projectDir)?.problem).toMatch(/link/);
  });
});

describe('managed policy', () => {
  it('adds forbidden paths, limits where users may share, and locks IT folders', async () => {
    const itFolder = join(home, 'it-shared');
    mkdirSync(itFolder);
    writeFileSync(policyFile, JSON.stringify({ forbiddenPaths: ['~/other'], allowedRoots: [join(home, 'allowed')], sharedFolders: [{ path: itFolder, mode: 'read' }], organization: { name: 'Example Corp', contact: 'it@example.com' } }));
    t = await startTestCore({ home, share: false, policyFile });
    const view = t.core.getSnapshot().scope;
    expect(view.folders).toEqual([expect.objectContaining({ path: itFolder, locked: true, lockReason: 'Set by Example Corp (it@example.com)' })]);
    expect(view.forbidden.some((f) => f.path === join(home, 'other') && f.reason.includes('organisation'))).toBe(true);
    await expect(t.core.callUi('addSharedFolder', { path: t.projectDir, mode: 'read' })).rejects.toMatchObject({ code: 'scope_refused', message: expect.stringMatching(/only inside/) });
    await expect(t.core.callUi('removeSharedFolder', { path: itFolder })).rejects.toMatchObject({ code: 'scope_locked' });
    expect((await decide(tool('Read', { file_path: join(itFolder, 'x') }, itFolder))).permissionDecision).toBe('allow');
    expect((await decide(tool('Read', { file_path: join(home, 'other/notes.txt') }))).permissionDecisionReason).toMatch(/organisation/);
  });

  it('a folder written into settings.json behind the core is put back from the seal and reported', async () => {
    t = await startTestCore({ home, share: false });
    const settingsFile = join(t.dataDir, 'settings.json');
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as { sharedFolders: unknown[] };
    settings.sharedFolders.push({ path: home, mode: 'read-write', label: '', addedAt: new Date().toISOString() });
    writeFileSync(settingsFile, JSON.stringify(settings));
    const deadline = Date.now() + 3000;
    while (!journal().some((e) => e.name === 'state.tampered') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(journal().find((e) => e.name === 'state.tampered')?.attributes).toMatchObject({ 'state.file': 'settings.json', 'state.reason': expect.stringMatching(/differs from what the companion last wrote/) });
    expect(t.core.getSnapshot().scope.folders).toEqual([]);
    expect((JSON.parse(readFileSync(settingsFile, 'utf8')) as { sharedFolders: unknown[] }).sharedFolders).toEqual([]);
    expect((await decide(tool('Read', { file_path: join(home, 'other', 'notes.txt') }, home))).permissionDecision).toBe('deny');
  });

  it('a folder a holder of the key writes and seals into settings.json, without a journal record, is refused and reported', async () => {
    t = await startTestCore({ home, share: false });
    const settingsFile = join(t.dataDir, 'settings.json');
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as { sharedFolders: unknown[] };
    settings.sharedFolders.push({ path: home, mode: 'read-write', label: '', addedAt: new Date().toISOString() });
    writeFileSync(settingsFile, JSON.stringify(settings));
    keyHolder(t.dataDir).reseal('settings.json');
    const deadline = Date.now() + 3000;
    while (!journal().some((e) => e.name === 'state.tampered') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(journal().find((e) => e.name === 'state.tampered')?.attributes).toMatchObject({ 'state.file': 'settings.json', 'state.reason': expect.stringMatching(/~ read-write.*refused/) });
    expect(t.core.getSnapshot().scope.folders).toEqual([]);
    expect((JSON.parse(readFileSync(settingsFile, 'utf8')) as { sharedFolders: unknown[] }).sharedFolders).toEqual([]);
    expect((await decide(tool('Read', { file_path: join(home, 'other', 'notes.txt') }, home))).permissionDecision).toBe('deny');
  });

  it('even with a forged journal record, a folder from settings.json is held to the sharing rules (allowed roots, protected places)', async () => {
    mkdirSync(join(home, 'allowed'));
    writeFileSync(policyFile, JSON.stringify({ allowedRoots: [join(home, 'allowed')] }));
    t = await startTestCore({ home, share: false, policyFile });
    const settingsFile = join(t.dataDir, 'settings.json');
    const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as { sharedFolders: unknown[] };
    const forged = (path: string) => ({ path, mode: 'read-write', label: '', addedAt: new Date().toISOString() });
    settings.sharedFolders.push(forged(t.projectDir), forged(join(home, '.ssh')));
    // A process that read the key can append tagged records (the limit of a same-account core: docs/security.md).
    const holder = keyHolder(t.dataDir);
    const forger = holder.journal();
    for (const path of [t.projectDir, join(home, '.ssh')]) {
      await forger.append(newEvidenceEvent('scope.changed', Date.now(), { 'scope.action': 'add', 'scope.path': path, 'scope.mode': 'read-write', 'scope.folder_count': 2 }));
    }
    await forger.close();
    writeFileSync(settingsFile, JSON.stringify(settings));
    holder.reseal('settings.json');
    const deadline = Date.now() + 3000;
    while (t.core.getSnapshot().scope.folders.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const folders = t.core.getSnapshot().scope.folders;
    expect(folders.find((f) => f.path === t.projectDir)?.problem).toMatch(/outside the places your organisation allows/);
    expect(folders.find((f) => f.path === join(home, '.ssh'))?.problem).toMatch(/protected/);
    expect((await decide(tool('Write', { file_path: join(t.projectDir, 'x.txt'), content: 'x' }))).permissionDecision).toBe('deny');
  });

  it('refuses user folders when policy says so', async () => {
    writeFileSync(policyFile, JSON.stringify({ allowUserFolders: false }));
    t = await startTestCore({ home, share: false, policyFile });
    await expect(t.core.callUi('addSharedFolder', { path: t.projectDir, mode: 'read' })).rejects.toMatchObject({ message: expect.stringMatching(/does not allow/) });
  });

  it('fails closed on an invalid policy with no good copy: nothing is allowed automatically', async () => {
    writeFileSync(policyFile, '{ "forbiddenPaths": "not-a-list" ');
    t = await startTestCore({ home, share: false, policyFile });
    expect(t.core.getSnapshot().scope.policyError).toMatch(/not valid JSON/);
    const answer = t.hook(tool('Read', { file_path: join(t.projectDir, 'src') }));
    // Outside any folder → deny; nothing can be shared while the policy is broken.
    expect(((await answer).json as Answer).hookSpecificOutput.permissionDecision).toBe('deny');
  });

  it('keeps the last good policy when the file turns invalid', async () => {
    writeFileSync(policyFile, JSON.stringify({ forbiddenPaths: ['~/other'] }));
    t = await startTestCore({ home, share: false, policyFile });
    writeFileSync(policyFile, 'garbage');
    await new Promise((r) => setTimeout(r, 2300));
    const view = t.core.getSnapshot().scope;
    expect(view.policyError).toMatch(/keeping the last good policy/);
    expect(view.forbidden.some((f) => f.path === join(home, 'other'))).toBe(true);
    expect(journal().some((e) => e.name === 'policy.changed')).toBe(true);
  });

  it('refuses a missing explicit policy file (fail closed)', async () => {
    t = await startTestCore({ home, share: false, policyFile: join(home, 'missing.json') });
    expect(t.core.getSnapshot().scope).toMatchObject({ allowUserFolders: false, policyError: expect.stringMatching(/ENOENT/) });
  });
});

// Every request asks for the scope; it is kept between requests only while nothing it was made of
// changed (scope-service.ts state()). These would fail if a kept scope outlived its folders.
describe('the scope each request is checked against', () => {
  const read = () => tool('Read', { file_path: join(t.projectDir, 'src', 'refunds', 'a.ts') });

  it('a folder shared for 500 ms is out of scope once that time has passed, though the scope was asked for just before', async () => {
    const clock = new ManualClock(Date.now());
    t = await startTestCore({ clock, share: false });
    await t.core.callUi('addSharedFolder', { path: t.projectDir, mode: 'read', expiresAt: '500ms' });
    expect((await decide(read())).permissionDecision).toBe('allow');
    clock.advance(400);
    expect((await decide(read())).permissionDecision).toBe('allow');
    clock.advance(200);
    expect((await decide(read())).permissionDecision).not.toBe('allow');
  });

  it('a folder no longer shared is out of scope for the very next request', async () => {
    t = await startTestCore({ clock: new ManualClock(Date.now()) });
    expect((await decide(read())).permissionDecision).toBe('allow');
    await t.core.callUi('removeSharedFolder', { path: t.projectDir });
    expect((await decide(read())).permissionDecision).not.toBe('allow');
    await t.core.callUi('addSharedFolder', { path: t.projectDir, mode: 'read' });
    expect((await decide(read())).permissionDecision).toBe('allow');
  });
});
