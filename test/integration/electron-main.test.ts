// The real built Electron main process (dist/electron/main/main.js) against a fake `electron` module
// (test/support/fake-electron): its top-level code, the real core on loopback in a temp data folder,
// process exit codes. Covers start-up wiring, single instance, the tray and its count, IPC sender checks,
// notification actions, --hidden, quitting and start at login.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { INSTANCE_LOCK_FILE } from '../../shared/agent-files.js';
import { ipcChannel, SNAPSHOT_CHANNEL, SNAPSHOT_DELTA_CHANNEL, UI_METHODS, type Snapshot } from '../../shared/ui-contract.js';
import { removeFakeElectronBuild, startElectronMain, stopElectronMainProcesses, type ElectronMainProcess } from '../support/electron-main-process.js';
import type { FakeSender } from '../support/fake-electron/fake-electron-protocol.js';
import { fixtureIn } from '../support/fixtures.js';

// Each test starts a real process and its core (about 2 s alone, far more on a loaded CI machine).
const PROCESS_TEST = { timeout: 60_000 };

afterEach(() => stopElectronMainProcesses());
afterAll(() => removeFakeElectronBuild());

type Invoked = { ok: true; value: unknown } | { ok: false; message: string };
const invoke = (m: ElectronMainProcess, method: string, request: unknown = {}, sender: FakeSender = 'window') =>
  m.send<Invoked>({ cmd: 'invoke', channel: `companion:${method}`, request, sender });

/** A real project folder shared read-only through the window's IPC, so a Write asks a person. */
async function shareProject(m: ElectronMainProcess): Promise<string> {
  const projectDir = realpathSync(mkdtempSync(join(m.home, 'project-')));
  mkdirSync(join(projectDir, 'src', 'refunds'), { recursive: true });
  const added = await invoke(m, 'addSharedFolder', { path: projectDir, mode: 'read' });
  expect(added).toMatchObject({ ok: true });
  return projectDir;
}

/** A Write the person must decide (distinct per `n`). */
function writeRequest(projectDir: string, n = 0): Record<string, unknown> {
  const payload = fixtureIn<Record<string, unknown> & { tool_input: Record<string, unknown> }>('input/pretooluse-write.json', projectDir);
  return { ...payload, tool_use_id: `toolu_electron_main_${n}`, tool_input: { ...payload.tool_input, file_path: join(projectDir, 'src', 'refunds', `file${n}.ts`) } };
}

async function snapshotOf(m: ElectronMainProcess): Promise<Snapshot> {
  const answer = await invoke(m, 'getSnapshot');
  if (!answer.ok) throw new Error(answer.message);
  return answer.value as Snapshot;
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
  });
}

describe('electron main: start-up', PROCESS_TEST, () => {
  it('wires the app before ready, then the core, the IPC handlers, the tray and a shown window', async () => {
    const m = await startElectronMain();
    const s = await m.waitForState((s) => s.windows.some((w) => w.visible), 'the window to show');
    expect(s.name).toBe('Cowork Companion');
    expect(s.paths['userData']).toBe(m.dataDir);
    expect(s.paths['sessionData']).toBe(join(m.dataDir, 'chromium'));
    // The fake throws if enableSandbox comes after ready, as Electron ignores it then.
    expect(s.sandboxEnabled).toBe(true);
    expect(s.singleInstanceLockRequested).toBe(true);
    expect(s.permissionHandlersSet.sort()).toEqual(['check', 'device', 'request']);
    expect(s.ipcHandlers.sort()).toEqual(UI_METHODS.map(ipcChannel).sort());
    // electron-store's unchecked sync channel is removed.
    expect(s.ipcListeners).not.toContain('electron-store-get-data');
    expect(s.windows).toHaveLength(1);
    expect(s.windows[0]).toMatchObject({
      url: expect.stringMatching(/\/dist\/renderer\/index\.html$/),
      preload: expect.stringMatching(/\/dist\/electron\/preload\/preload\.cjs$/),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
    });
    expect(s.tray).toMatchObject({ tooltip: 'Cowork Companion — nothing waiting', menu: ['Open Cowork Companion', '---', 'Quit Cowork Companion'] });
    expect(s.errorBoxes).toEqual([]);
    // The core runs: its loopback server answers, and the window's IPC reaches it.
    const url = await m.agentApiUrl();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await snapshotOf(m)).pending).toEqual([]);
  });

  it('the integrity key goes to the OS keystore when safeStorage has one, else stays a user-only file', async () => {
    const withKeystore = await startElectronMain({ env: { FAKE_ELECTRON_KEYSTORE: '1' } });
    await withKeystore.waitForState((s) => s.windows[0]?.url !== undefined, 'the window page');
    expect((await snapshotOf(withKeystore)).integrity.keyProtection).toBe('os-keystore');
    const without = await startElectronMain();
    await without.waitForState((s) => s.windows[0]?.url !== undefined, 'the window page');
    expect((await snapshotOf(without)).integrity.keyProtection).toBe('user-file');
  });

  it('--hidden starts to the tray: the window exists (IPC works) but is not shown', async () => {
    const m = await startElectronMain({ args: ['--hidden'] });
    await m.agentApiUrl();
    const s = await m.waitForState((s) => s.windows.length === 1 && s.windows[0]!.url !== undefined && s.tray !== undefined, 'the hidden window to load');
    expect(s.windows[0]!.visible).toBe(false);
    expect(m.events.some((e) => e.name === 'BrowserWindow.show')).toBe(false);
    expect((await snapshotOf(m)).pending).toEqual([]);
    // The tray brings it up.
    await m.send({ cmd: 'click-menu', label: 'Open Cowork Companion' });
    await m.waitForState((s) => s.windows[0]!.visible, 'the window to show from the tray menu');
  });

  it('a bad command line is told in an error box and exits 64 before anything starts', async () => {
    const m = await startElectronMain({ args: ['--port=99999'] });
    expect((await m.exited).code).toBe(64);
    expect(m.events.find((e) => e.name === 'dialog.showErrorBox')?.detail).toMatchObject({ title: 'Cowork Companion cannot start', content: expect.stringMatching(/--port/) });
  });

  it('the installed app refuses a switch that would let another program drive it (a DevTools port), before the lock or the core', async () => {
    // What an agent running as the same user could restart the app with, to click Approve itself.
    const m = await startElectronMain({ args: ['--remote-debugging-port=9222'], env: { FAKE_ELECTRON_PACKAGED: '1' } });
    expect((await m.exited).code).toBe(64);
    expect(m.events.find((e) => e.name === 'dialog.showErrorBox')?.detail).toMatchObject({ content: expect.stringMatching(/--remote-debugging-port, which would let another program control it/) });
    expect(m.events.map((e) => e.name).filter((n) => /requestSingleInstanceLock|tray\./.test(n))).toEqual([]);
    expect(existsSync(join(m.dataDir, INSTANCE_LOCK_FILE))).toBe(false);
  });
});

describe('electron main: single instance', PROCESS_TEST, () => {
  it('quits at once when another instance holds the lock, starting no core', async () => {
    const m = await startElectronMain({ env: { FAKE_ELECTRON_LOCK: 'refused' } });
    expect((await m.exited).code).toBe(0);
    expect(m.events.map((e) => e.name)).not.toContain('BrowserWindow.new');
    expect(m.events.map((e) => e.name)).not.toContain('Tray.new');
    expect(existsSync(join(m.dataDir, INSTANCE_LOCK_FILE))).toBe(false);
  });

  it('shows the window when a second instance starts', async () => {
    const m = await startElectronMain({ args: ['--hidden'] });
    await m.waitForState((s) => s.windows.length === 1 && s.windows[0]!.url !== undefined, 'the hidden window');
    await m.send({ cmd: 'emit-app', event: 'second-instance', argv: ['cowork-companion'] });
    await m.waitForState((s) => s.windows[0]!.visible && s.windows[0]!.focused, 'the window to show');
    // Closing hides it (the tray keeps running); the next second instance shows the same window.
    const closed = await m.send<{ windows: { visible: boolean; destroyed: boolean }[] }>({ cmd: 'close-window' });
    expect(closed.windows).toEqual([expect.objectContaining({ visible: false, destroyed: false })]);
    await m.send({ cmd: 'emit-app', event: 'second-instance' });
    const s = await m.waitForState((s) => s.windows[0]!.visible, 'the window to show again');
    expect(s.windows).toHaveLength(1);
    // macOS re-opens a running app with 'activate' (the Dock icon): the same window again.
    await m.send({ cmd: 'close-window' });
    await m.send({ cmd: 'emit-app', event: 'activate' });
    expect((await m.waitForState((s) => s.windows[0]!.visible, 'activate to show the window')).windows).toHaveLength(1);
  });
});

describe('electron main: tray, notifications and the window follow the core', PROCESS_TEST, () => {
  it('a real hook request over HTTP changes the tray count and menu, notifies, and reaches the window', async () => {
    const m = await startElectronMain({ args: ['--hidden'] });
    await m.waitForState((s) => s.windows[0]?.url !== undefined, 'the window page');
    const projectDir = await shareProject(m);
    const answer = m.hook(writeRequest(projectDir));
    answer.catch(() => undefined); // answered below; a failed test kills the process first
    const s = await m.waitForState((s) => /1 action waiting/.test(s.tray?.tooltip ?? ''), 'the tray count');
    expect(s.tray!.tooltip).toMatch(/^Cowork Companion — 1 action waiting for you( · evidence: .*)?$/);
    expect(s.tray!.menu[0]).toBe('Open Cowork Companion (1 waiting)');
    expect(s.tray!.menu).toContain('Quit Cowork Companion');
    expect(s.tray!.menu.length).toBeGreaterThan(3);
    // Not looking at the window: a notification (no buttons on Linux).
    const note = await m.waitForEvent('Notification.show');
    expect(note).toMatchObject({ actions: [] });
    expect(JSON.stringify(note)).toMatch(/file0\.ts|Write/);
    // The page got the whole snapshot when it loaded, then the waiting action in a delta.
    expect(s.windows[0]!.sent.filter((x) => x.channel === SNAPSHOT_CHANNEL)).toEqual([expect.objectContaining({ pending: 0 })]);
    expect(s.windows[0]!.sent.filter((x) => x.channel === SNAPSHOT_DELTA_CHANNEL && x.upserted === 1)).toHaveLength(1);

    // A waiting action in the menu brings the window forward; it is decided there (through IPC).
    await m.send({ cmd: 'click-menu', label: { regex: 'file0\\.ts|Write' } });
    await m.waitForState((s) => s.windows[0]!.visible, 'the window to show from the menu entry');
    const [item] = (await snapshotOf(m)).pending;
    expect(await invoke(m, 'deny', { id: item!.id, contentHash: item!.contentHash, reason: 'not now' })).toEqual({ ok: true, value: { ok: true } });
    expect((await answer).json).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny' } });
    const after = await m.waitForState((s) => /nothing waiting/.test(s.tray?.tooltip ?? ''), 'the tray to clear');
    expect(after.tray!.menu[0]).toBe('Open Cowork Companion');
  });
});

describe('electron main: the window gets deltas', PROCESS_TEST, () => {
  it('a whole snapshot when the page loads, deltas after (each applying to the one before), whole again when the page asks or reloads', async () => {
    const m = await startElectronMain({ args: ['--hidden'] });
    await m.waitForState((s) => s.windows[0]?.sent.some((x) => x.channel === SNAPSHOT_CHANNEL) ?? false, 'the whole snapshot at load');
    const projectDir = await shareProject(m);
    const answer = m.hook(writeRequest(projectDir));
    answer.catch(() => undefined); // answered below; a failed test kills the process first
    let s = await m.waitForState((s) => s.windows[0]!.sent.some((x) => x.upserted === 1), 'the delta with the request');
    const [first, ...rest] = s.windows[0]!.sent;
    expect(first).toMatchObject({ channel: SNAPSHOT_CHANNEL, pending: 0, seq: expect.any(Number) });
    let seq = first!.seq!;
    for (const delta of rest) {
      expect(delta).toMatchObject({ channel: SNAPSHOT_DELTA_CHANNEL, base: seq });
      expect(delta.seq).toBeGreaterThan(seq);
      seq = delta.seq!;
    }
    const withRequest = rest.find((x) => x.upserted === 1)!;
    expect(withRequest.removed).toBe(0);

    // A frame that may not talk to the companion cannot make main start again: the next push is still a delta.
    expect(await invoke(m, 'getSnapshot', {}, 'subframe')).toMatchObject({ ok: false });
    await invoke(m, 'setSandboxedBash', { mode: 'allow' });
    s = await m.waitForState((s) => s.windows[0]!.sent.length > rest.length + 1, 'the push after a setting');
    expect(s.windows[0]!.sent[rest.length + 1]).toMatchObject({ channel: SNAPSHOT_DELTA_CHANNEL, base: seq });

    // The page asks for the whole state (as it does when it cannot apply a delta): the next push is whole.
    const item = (await snapshotOf(m)).pending[0]!;
    const before = s.windows[0]!.sent.length;
    expect(await invoke(m, 'deny', { id: item.id, contentHash: item.contentHash })).toEqual({ ok: true, value: { ok: true } });
    await answer;
    s = await m.waitForState((s) => s.windows[0]!.sent.length > before, 'the push after the decision');
    const whole = s.windows[0]!.sent[before]!;
    expect(whole).toMatchObject({ channel: SNAPSHOT_CHANNEL, pending: 0 });
    // And then deltas again, from that one.
    await invoke(m, 'setSandboxedBash', { mode: 'ask' });
    s = await m.waitForState((s) => s.windows[0]!.sent.some((x, i) => i > before && x.channel === SNAPSHOT_DELTA_CHANNEL), 'a delta after the whole snapshot');
    expect(s.windows[0]!.sent[before + 1]).toMatchObject({ channel: SNAPSHOT_DELTA_CHANNEL, base: whole.seq });

    // A reload: the new page gets a whole snapshot.
    const beforeReload = s.windows[0]!.sent.length;
    await m.send({ cmd: 'reload' });
    s = await m.waitForState((s) => s.windows[0]!.sent.length > beforeReload, 'the push after the reload');
    expect(s.windows[0]!.sent[beforeReload]).toMatchObject({ channel: SNAPSHOT_CHANNEL, pending: 0 });
  });
});

describe('electron main: web hardening', PROCESS_TEST, () => {
  it('the window stays on the app page and opens no windows; safe links go to the browser', async () => {
    const m = await startElectronMain();
    const s = await m.waitForState((s) => s.windows[0]?.url !== undefined, 'the window page');
    expect(await m.send({ cmd: 'navigate', url: 'https://attacker.example/' })).toEqual({ prevented: true });
    expect(await m.send({ cmd: 'navigate', url: 'file:///etc/passwd' })).toEqual({ prevented: true });
    expect(await m.send({ cmd: 'navigate', url: s.windows[0]!.url!, isMainFrame: false })).toEqual({ prevented: true });
    expect(await m.send({ cmd: 'navigate', url: s.windows[0]!.url! })).toEqual({ prevented: false });
    expect(await m.send({ cmd: 'window-open', url: 'https://docs.example.com/' })).toEqual({ action: 'deny' });
    await m.waitForEvent('shell.openExternal', (url) => url === 'https://docs.example.com/');
    expect(await m.send({ cmd: 'window-open', url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(m.events.filter((e) => e.name === 'shell.openExternal')).toHaveLength(1);
    expect(m.stderr()).toMatch(/blocked navigation to https:\/\/attacker\.example\//);
  });
});

describe('electron main: IPC sender checks', PROCESS_TEST, () => {
  it('refuses UI calls from any frame but the window top frame on the app page, and answers that one', async () => {
    const m = await startElectronMain();
    await m.waitForState((s) => s.windows[0]?.url !== undefined, 'the window page');
    for (const sender of ['subframe', 'other-contents', 'navigated', 'detached'] as const) {
      expect(await invoke(m, 'getSnapshot', {}, sender), sender).toEqual({ ok: false, message: 'This window is not allowed to talk to the companion.' });
      expect(await invoke(m, 'setLanguage', { language: 'ja' }, sender), sender).toMatchObject({ ok: false });
    }
    expect(m.stderr()).toMatch(/refused getSnapshot from an untrusted frame \(https:\/\/attacker\.example\/\)/);
    // The refused setLanguage changed nothing; the window's own does.
    expect((await snapshotOf(m)).settings.language).toBeUndefined();
    expect(await invoke(m, 'setLanguage', { language: 'ja' })).toEqual({ ok: true, value: { ok: true } });
    expect((await snapshotOf(m)).settings.language).toBe('ja');
    // A bad request from the right sender gets the core's message, not a crash.
    const bad = await invoke(m, 'setLanguage', { language: 'xx' });
    expect(bad).toMatchObject({ ok: false, message: expect.stringMatching(/language/) });
    // The shell's own method (native folder picker): cancelled in the fake, so no path.
    expect(await invoke(m, 'pickFolder')).toEqual({ ok: true, value: {} });
  });
});

describe('electron main: notification buttons (macOS, where they render)', PROCESS_TEST, () => {
  it('approve once, deny and hold from notifications reach the core, bound to what each showed', async () => {
    const m = await startElectronMain({ args: ['--hidden'], env: { FAKE_ELECTRON_PLATFORM: 'darwin' } });
    await m.waitForState((s) => s.windows[0]?.url !== undefined, 'the window page');
    const projectDir = await shareProject(m);
    const answers = [0, 1, 2].map((n) => m.hook(writeRequest(projectDir, n)));
    for (const a of answers) a.catch(() => undefined); // awaited below
    const s = await m.waitForState((s) => s.notifications.filter((n) => n.actions.length > 0).length === 3, 'three notifications with buttons');
    // macOS: the count is the menu-bar title; the menu opens on right-click.
    expect(s.tray!.title).toBe('3');
    expect(s.tray!.contextMenuSet).toBe(false);
    const notes = s.notifications.map((n, index) => ({ ...n, index })).filter((n) => n.actions.length > 0);
    for (const n of notes) expect(n.actions.map((a) => a.text)).toEqual(['Approve once', 'Deny', 'Hold']);
    const byFile = (n: number) => notes.find((x) => x.body.includes(`file${n}.ts`))!;
    // Past the grace period in which a press only opens the window (timing-dependent, so unit-tested in
    // notification-actions-policy.test.ts rather than here).
    await new Promise((r) => setTimeout(r, 800));
    await m.send({ cmd: 'notification-action', index: byFile(0).index, actionIndex: 0 });
    await m.send({ cmd: 'notification-action', index: byFile(1).index, actionIndex: 1 });
    await m.send({ cmd: 'notification-action', index: byFile(2).index, actionIndex: 2 });
    const [approved, denied, held] = await Promise.all(answers);
    expect(approved!.json).toMatchObject({ hookSpecificOutput: { permissionDecision: 'allow' } });
    expect(denied!.json).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny', permissionDecisionReason: expect.stringMatching(/Denied from a notification/) } });
    expect(held!.json).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny', permissionDecisionReason: expect.stringMatching(/on hold/) } });
    const pending = (await snapshotOf(m)).pending;
    expect(pending).toEqual([expect.objectContaining({ held: true, targets: expect.objectContaining({ paths: [join(projectDir, 'src', 'refunds', 'file2.ts')] }) })]);
    // A press on a notification whose request was decided already is not applied, and says so.
    await m.send({ cmd: 'notification-action', index: byFile(1).index, actionIndex: 0 });
    await m.waitForEvent('Notification.show', (d) => (d as { title?: string }).title === 'Not applied');
  });
});

describe('electron main: quitting', PROCESS_TEST, () => {
  it('Quit in the tray menu closes the core (lock released, port closed) and exits 0', async () => {
    const m = await startElectronMain();
    const port = Number(new URL(await m.agentApiUrl()).port);
    await m.waitForState((s) => s.tray !== undefined, 'the tray');
    await m.send({ cmd: 'click-menu', label: 'Quit Cowork Companion' });
    expect(await m.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(join(m.dataDir, INSTANCE_LOCK_FILE))).toBe(false);
    expect(await refused(port)).toBe(true);
  });

  it('SIGTERM quits the same way', async () => {
    const m = await startElectronMain();
    await m.agentApiUrl();
    m.child.kill('SIGTERM');
    expect(await m.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(join(m.dataDir, INSTANCE_LOCK_FILE))).toBe(false);
  });
});

describe('electron main: start at login', PROCESS_TEST, () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const eventually = <T>(probe: () => T) => expect.poll(probe, { timeout: 15_000 });
  const entry = (m: ElectronMainProcess) => join(m.home, '.config', 'autostart', 'cowork-companion.desktop');

  it('Linux, packaged: writes the XDG autostart entry at start (to the tray), removes and restores it as the person chooses', async () => {
    const m = await startElectronMain({ env: { FAKE_ELECTRON_PACKAGED: '1' } });
    await m.waitForState((s) => s.windows[0]?.url !== undefined, 'the window page');
    expect((await snapshotOf(m)).settings.startAtLogin).toEqual({ value: true, source: 'default', available: true });
    await eventually(() => existsSync(entry(m))).toBe(true);
    expect(readFileSync(entry(m), 'utf8')).toMatch(new RegExp(`^Exec=${process.execPath.replace(/[/.]/g, '\\$&')} --hidden$`, 'm'));
    expect(await invoke(m, 'setStartAtLogin', { enabled: false })).toEqual({ ok: true, value: { ok: true } });
    await eventually(() => existsSync(entry(m))).toBe(false);
    expect((await snapshotOf(m)).settings.startAtLogin).toEqual({ value: false, source: 'settings', available: true });
    // A wrong sender cannot turn it back on.
    expect(await invoke(m, 'setStartAtLogin', { enabled: true }, 'subframe')).toMatchObject({ ok: false });
    expect(existsSync(entry(m))).toBe(false);
    expect(await invoke(m, 'setStartAtLogin', { enabled: true })).toEqual({ ok: true, value: { ok: true } });
    await eventually(() => existsSync(entry(m))).toBe(true);
    expect(m.events.some((e) => e.name === 'app.setLoginItemSettings')).toBe(false);
  });

  it('the person\'s choice survives a restart: off stays off', async () => {
    const first = await startElectronMain({ env: { FAKE_ELECTRON_PACKAGED: '1' } });
    await eventually(() => existsSync(entry(first))).toBe(true);
    await first.waitForState((s) => s.windows[0]?.url !== undefined, 'the window page');
    await invoke(first, 'setStartAtLogin', { enabled: false });
    await first.send({ cmd: 'quit' });
    expect((await first.exited).code).toBe(0);
    const again = await startElectronMain({ env: { FAKE_ELECTRON_PACKAGED: '1' }, dataDir: first.dataDir, home: first.home });
    await again.waitForState((s) => s.windows[0]?.url !== undefined, 'the window page');
    expect((await snapshotOf(again)).settings.startAtLogin).toMatchObject({ value: false, source: 'settings' });
    expect(existsSync(entry(again))).toBe(false);
  });

  it("IT's policy decides it, live: autostart false removes the entry and locks the setting", async () => {
    const home = mkdtempSync(join(tmpdir(), 'cc-electron-policy-'));
    dirs.push(home);
    const policyFile = join(home, 'policy.json');
    writeFileSync(policyFile, JSON.stringify({ organization: { name: 'Example Corp' } }));
    const m = await startElectronMain({ home, args: [`--policy=${policyFile}`], env: { FAKE_ELECTRON_PACKAGED: '1' } });
    await m.waitForState((s) => s.windows[0]?.url !== undefined, 'the window page');
    // A managed policy in force: on, and IT's.
    expect((await snapshotOf(m)).settings.startAtLogin).toEqual({ value: true, source: 'policy', available: true });
    await eventually(() => existsSync(entry(m))).toBe(true);
    expect(await invoke(m, 'setStartAtLogin', { enabled: false })).toEqual({ ok: false, message: 'Your organisation sets whether Cowork Companion starts at login.' });
    writeFileSync(policyFile, JSON.stringify({ autostart: false, organization: { name: 'Example Corp' } }));
    await eventually(() => existsSync(entry(m))).toBe(false);
    expect((await snapshotOf(m)).settings.startAtLogin).toEqual({ value: false, source: 'policy', available: true });
  });

  it('a development build registers nothing and says so', async () => {
    const m = await startElectronMain();
    await m.waitForState((s) => s.windows[0]?.url !== undefined, 'the window page');
    expect((await snapshotOf(m)).settings.startAtLogin).toEqual({ value: true, source: 'default', available: false });
    expect(await invoke(m, 'setStartAtLogin', { enabled: false })).toEqual({ ok: false, message: 'Starting at login is set in the desktop app.' });
    expect(existsSync(entry(m))).toBe(false);
    expect((await m.state()).loginItemCalls).toEqual([]);
  });

  it('macOS, packaged: a login item; started by it, the app stays in the tray', async () => {
    const m = await startElectronMain({ env: { FAKE_ELECTRON_PACKAGED: '1', FAKE_ELECTRON_PLATFORM: 'darwin', FAKE_ELECTRON_OPENED_AT_LOGIN: '1' } });
    const s = await m.waitForState((s) => s.loginItemCalls.length > 0 && s.windows[0]?.url !== undefined, 'the login item');
    expect(s.loginItemCalls).toEqual([{ openAtLogin: true }]);
    expect(s.windows[0]!.visible).toBe(false);
    expect(await invoke(m, 'setStartAtLogin', { enabled: false })).toMatchObject({ ok: true });
    await m.waitForState((s) => s.loginItemCalls.length === 2, 'the login item removed');
    expect((await m.state()).loginItemCalls[1]).toEqual({ openAtLogin: false });
  });

  it('Windows, packaged: a Run-key login item for the executable with --hidden', async () => {
    const m = await startElectronMain({ env: { FAKE_ELECTRON_PACKAGED: '1', FAKE_ELECTRON_PLATFORM: 'win32' } });
    const s = await m.waitForState((s) => s.loginItemCalls.length > 0, 'the login item');
    expect(s.loginItemCalls).toEqual([{ openAtLogin: true, path: process.execPath, args: ['--hidden'] }]);
  });
});
