// The scope the operating system enforces: the real Claude Code, wired by `connect claude-code` with
// its Bash sandbox (bubblewrap + socat here), while a stand-in person approves every request. Each
// command builds its target at run time, so the hooks cannot see where it writes — what stops it is
// the sandbox the companion made from the shared folders: writes outside them fail, the companion's
// data can be neither read nor written, the agent's own config inside a shared folder is read-only,
// and a folder shared in the UI is writable on the next Bash call.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sandboxSupport } from '../../electron/core/clients/index.js';
import { claude, conversation, diagnosis, PINNED, removeDebugLogs, runClaude, unwire, wire } from '../support/claude-code-harness.js';
import { startMessagesApiStandin, toolResultText, type MessagesApiStandin } from '../support/messages-api-standin.js';
import type { ApprovalItem } from '../../shared/ui-contract.js';
import type { TestCore } from '../support/start-core.js';
import { journalEvents } from '../support/fixtures.js';

const support = sandboxSupport(process.platform);
const skip = !claude.bin ? claude.reason : !support.ok ? `Claude Code's sandbox cannot run here: ${support.reason} (${support.fix})` : undefined;
if (skip) console.warn(`SKIPPED claude-code sandbox conformance: ${skip}`);
afterAll(removeDebugLogs);

describe.skipIf(skip !== undefined)(`Claude Code ${PINNED} with the sandbox the companion keeps`, () => {
  let t: TestCore;
  let home: string;
  let api: MessagesApiStandin | undefined;

  beforeAll(async () => {
    ({ t, home } = await wire(['--sandbox']));
    mkdirSync(join(home, 'Documents'), { recursive: true });
    mkdirSync(join(t.projectDir, '.claude'), { recursive: true });
  }, 30_000);

  afterAll(() => unwire(t, home, api));

  it('no Bash command, approved or not, writes outside the shared folders or touches the companion\'s data; a folder shared in the UI is writable on the next call', async () => {
    const later = realpathSync(mkdtempSync(join(tmpdir(), 'cc-sandbox-later-')));
    // Targets built at run time: the hooks see no path, a person approves, the OS decides.
    const cut = (p: string): [string, string] => [p.slice(0, -3), p.slice(-3)];
    const [docsHead, docsTail] = cut(join(home, 'Documents'));
    const [dataHead, dataTail] = cut(t.dataDir);
    const [laterHead, laterTail] = cut(later);
    const bash = (id: string, command: string) => ({ toolUse: { id, name: 'Bash', input: { command, description: id } } });
    api = await startMessagesApiStandin(
      conversation([
        bash('sb_in', 'echo inside > inside.txt && cat inside.txt'),
        bash('sb_out', `d="${docsHead}"; echo leaked > "\${d}${docsTail}/out.txt"; echo "rc=$?"`),
        bash('sb_read', `d="${dataHead}"; cat "\${d}${dataTail}/agent-token"; echo "rc=$?"; ls "\${d}${dataTail}"`),
        bash('sb_write', `d="${dataHead}"; echo forged > "\${d}${dataTail}/injected"; echo "rc=$?"`),
        bash('sb_config', `c=".cla"; echo '{}' > "\${c}ude/settings.json"; echo "rc=$?"`),
        bash('sb_later', `d="${laterHead}"; echo shared-later > "\${d}${laterTail}/later.txt"; echo "rc=$?"`),
        { text: 'done' },
      ]),
    );
    // The stand-in person approves whatever is pending; before the last command, the folder is shared
    // in the UI (and the settings follow).
    let shared = false;
    const approved: string[] = [];
    const cards: ApprovalItem[] = [];
    let laterCard: ApprovalItem | undefined;
    const approver = setInterval(() => {
      for (const item of t.core.getSnapshot().pending) {
        if (!item.agentWaiting || approved.includes(item.id)) continue;
        if (!cards.some((c) => c.id === item.id)) cards.push(item);
        if (item.targets.command?.includes(laterTail) && !shared) {
          shared = true;
          void t.core.callUi('addSharedFolder', { path: later, mode: 'read-write' }).then(async () => {
            await vi.waitFor(() => expect(readFileSync(join(home, '.claude', 'settings.json'), 'utf8')).toContain(later), { timeout: 3000 });
            // Claude Code takes a settings file in once it has been still for a second (its watcher's
            // write-settling wait), then applies it to the next command.
            await new Promise((r) => setTimeout(r, 2500));
            laterCard = t.core.getSnapshot().pending.find((p) => p.id === item.id);
            approved.push(item.id);
            await t.core.callUi('approve', { id: item.id, contentHash: item.contentHash });
          });
          continue;
        }
        if (item.targets.command?.includes(laterTail)) continue;
        approved.push(item.id);
        void t.core.callUi('approve', { id: item.id, contentHash: item.contentHash }).catch(() => undefined);
      }
    }, 25);
    let run;
    try {
      run = await runClaude({ home, cwd: t.projectDir, api, prompt: 'Try the sandbox.', timeoutMs: 60_000 });
    } finally {
      clearInterval(approver);
    }
    const diag = diagnosis(run, home);
    expect(run.code, diag).toBe(0);
    const out = (id: string): string => toolResultText(api!.toolResults().get(id));

    // In scope: written.
    expect(out('sb_in'), diag).toContain('inside');
    expect(readFileSync(join(t.projectDir, 'inside.txt'), 'utf8')).toBe('inside\n');
    // Outside every shared folder, though a person approved: the OS refused.
    expect(out('sb_out'), diag).toContain(`${join(home, 'Documents', 'out.txt')}: Read-only file system`);
    expect(existsSync(join(home, 'Documents', 'out.txt'))).toBe(false);
    // The companion's data: neither readable nor writable.
    expect(out('sb_read')).not.toContain(t.agentToken);
    expect(out('sb_read'), diag).toContain(t.dataDir);
    expect(out('sb_read'), diag).toMatch(/rc=[1-9]/);
    // (Unreadable means an empty folder in Bash's view: a write there lands in that empty stand-in and
    // is gone with the command; the real folder never sees it.)
    expect(out('sb_write'), diag).toMatch(/rc=\d/);
    expect(existsSync(join(t.dataDir, 'injected'))).toBe(false);
    // The agent's own config inside the shared folder: read-only.
    expect(out('sb_config'), diag).toMatch(/\.claude\/settings\.json: (Read-only file system|Operation not permitted|Permission denied)/);
    expect(out('sb_config')).toMatch(/rc=[1-9]/);
    expect(existsSync(join(t.projectDir, '.claude', 'settings.json'))).toBe(false);
    // Shared in the UI during the run: writable on the next Bash call.
    expect(shared).toBe(true);
    expect(out('sb_later'), diag).toMatch(/rc=0/);
    expect(readFileSync(join(later, 'later.txt'), 'utf8')).toBe('shared-later\n');

    // Each card said where the command could write; every Bash decision says it ran sandboxed; the UI
    // says the OS enforces the scope.
    expect(cards.find((c) => c.toolUseId === 'sb_in')?.sandbox).toEqual({ sandboxed: true, writable: [t.projectDir] });
    // The last one was asked before the folder was shared; its card followed the change.
    expect(cards.find((c) => c.toolUseId === 'sb_later')?.sandbox?.writable).toEqual([t.projectDir]);
    expect(laterCard?.sandbox?.writable).toEqual([t.projectDir, later]);
    const decided = (await journalEvents(t.dataDir)).filter((e) => e.name === 'approval.decided' && e.attributes['tool_name'] === 'Bash');
    expect(decided.length).toBeGreaterThanOrEqual(6);
    for (const e of decided) expect(e.attributes['sandboxed'], JSON.stringify(e.attributes)).toBe(true);
    expect(t.core.getSnapshot().sandbox).toMatchObject({ state: 'enforced', writable: expect.arrayContaining([t.projectDir, later]) });
    // The companion's own rewrite of ~/.claude/settings.json during the run raised no alert.
    expect(t.core.getSnapshot().alerts.filter((a) => a.path.includes('.claude')).map((a) => [a.path, a.change, a.violation])).toEqual([]);
  }, 90_000);

  it('a session started outside the read-write shared folders gets no Bash (the sandbox would let it write its working folder), with the way out in the answer', async () => {
    await api?.close();
    const outside = join(home, 'Documents');
    api = await startMessagesApiStandin(conversation([{ toolUse: { id: 'sb_cwd', name: 'Bash', input: { command: 'f=here; eval "echo $f > $f.txt"', description: 'write here, the target known only at run time' } } }, { text: 'done' }]));
    const run = await runClaude({ home, cwd: outside, api, prompt: 'Write here.' });
    const diag = diagnosis(run, home);
    const result = api.toolResults().get('sb_cwd');
    expect(result?.is_error, diag).toBe(true);
    expect(toolResultText(result)).toContain(`this session works in ${outside}, which is not shared read & write`);
    expect(toolResultText(result)).toContain('start Claude Code in a shared folder');
    expect(existsSync(join(outside, 'here.txt'))).toBe(false);
  }, 60_000);
});
