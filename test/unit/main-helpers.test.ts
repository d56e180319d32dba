// Pure helpers of the Electron shell: tray text, notifications, launch options, settings store options.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApprovalItem, EvidenceStatus, Snapshot } from '../../shared/ui-contract.js';
import { cleanIntegrity, makeItem, makeSnapshot } from '../../renderer/src/testing/snapshot-fixtures.js';
import { openConfStore, SETTINGS_STORE_OPTIONS } from '../../electron/core/settings/settings-repository.js';
import { CLI_COMMANDS } from '../../electron/cli/cli-commands.js';
import { appCliArgs, parseLaunchOptions, refusedSwitches } from '../../electron/main/launch-options.js';
import { electronStoreOptions } from '../../electron/main/settings-store-options.js';
import { TOOLTIP_MAX, evidenceTrayText, integrityNotificationFor, newlyPending, newlySeenIntegrityAlerts, notificationFor, plainNotificationText, trayMenuEntries, trayTitle, trayTooltip } from '../../electron/main/tray-state.js';
import { keyProtectorFor } from '../../electron/main/key-protector.js';

// The renderer's builders, with this file's defaults: a Bash item that removes build output.
const item = (id: string, over: Partial<ApprovalItem> = {}): ApprovalItem => makeItem(id, 'Bash', { targets: { paths: [], command: 'rm -rf build' }, contentHash: 'h', ...over });
const snap = (...pending: ApprovalItem[]): Snapshot => makeSnapshot(1, pending);

describe('tray text', () => {
  it('counts what is waiting', () => {
    expect(trayTooltip(0)).toMatch(/nothing waiting/);
    expect(trayTooltip(1)).toMatch(/1 action waiting/);
    expect(trayTooltip(3)).toMatch(/3 actions waiting/);
    expect(trayTooltip(3, undefined, 1)).toBe('Cowork Companion — 3 actions waiting for you (1 on hold)');
    expect(trayTitle(0)).toBe('');
    expect(trayTitle(12)).toBe('12');
  });
});

describe('tray tooltip: evidence', () => {
  const MB = 1024 * 1024;
  const ev = (over: Partial<EvidenceStatus> = {}): EvidenceStatus => ({
    endpoint: 'https://otel.example.com/v1/logs',
    protocol: 'http/json',
    configSource: 'policy',
    collectorReachable: true,
    queued: 0,
    rejected: 0,
    lost: 0,
    journalBytes: MB,
    journalLimitBytes: 256 * MB,
    ...over,
  });

  it('says nothing before the first attempt with nothing waiting', () => {
    expect(evidenceTrayText(ev({ collectorReachable: null }))).toBeUndefined();
    expect(trayTooltip(0, ev({ collectorReachable: null }))).toBe('Cowork Companion — nothing waiting');
  });

  it('names each state', () => {
    expect(evidenceTrayText(ev())).toBe('delivered');
    expect(evidenceTrayText(ev({ collectorReachable: null, queued: 2 }))).toBe('2 queued');
    expect(evidenceTrayText(ev({ queued: 40 }))).toBe('40 queued');
    expect(evidenceTrayText(ev({ collectorReachable: false, queued: 12 }))).toBe('12 queued, collector unreachable');
    expect(evidenceTrayText(ev({ queued: 5, nextAttemptAt: '2026-01-01T00:00:30Z' }))).toBe('5 queued, retrying');
    expect(evidenceTrayText(ev({ rejected: 2 }))).toBe('2 rejected');
    expect(evidenceTrayText(ev({ collectorReachable: false, queued: 9000, lost: 3 }))).toBe('3 lost, 9000 queued, collector unreachable');
    expect(evidenceTrayText(ev({ collectorReachable: false, queued: 700, journalBytes: 210 * MB }))).toBe('700 queued, collector unreachable, journal 82% full');
  });

  it('joins the queue and the evidence in one short line', () => {
    expect(trayTooltip(2, ev({ collectorReachable: false, queued: 12 }))).toBe(
      'Cowork Companion — 2 actions waiting for you · evidence: 12 queued, collector unreachable',
    );
    expect(trayTooltip(0, ev())).toBe('Cowork Companion — nothing waiting · evidence: delivered');
  });

  it('stays within the 127 characters Windows shows, even in the worst case', () => {
    const worst = trayTooltip(
      12_345,
      ev({ collectorReachable: false, queued: 123_456_789, rejected: 123_456, lost: 1_234_567, journalBytes: 256 * MB }),
    );
    expect(Array.from(worst).length).toBeLessThanOrEqual(TOOLTIP_MAX);
    expect(worst.endsWith('…')).toBe(true);
    expect(worst).toMatch(/^Cowork Companion — 12345 actions waiting for you · evidence: 1234567 lost/);
  });
});

describe('notifications', () => {
  it('reports each item once, and forgets items that left the queue', () => {
    let state = newlyPending(new Set(), snap(item('a')));
    expect(state.fresh.map((i) => i.id)).toEqual(['a']);
    state = newlyPending(state.seen, snap(item('a'), item('b')));
    expect(state.fresh.map((i) => i.id)).toEqual(['b']);
    state = newlyPending(state.seen, snap());
    expect([...state.seen]).toEqual([]);
  });

  it('names the tool and its main target', () => {
    expect(notificationFor(item('a'))).toEqual({ title: 'An agent is waiting for your approval', body: 'Bash: rm -rf build' });
    expect(notificationFor(item('b', { toolName: 'Write', targets: { paths: ['/w/a.txt'] } })).body).toBe('Write: /w/a.txt');
    expect(notificationFor(item('c', { toolName: 'mcp__gh__issue', targets: { paths: [], mcp: { server: 'gh', tool: 'issue' } } })).body).toBe('mcp__gh__issue: gh / issue');
  });

  it('makes agent text inert: control and bidi characters visible, markup dropped, length capped', () => {
    expect(plainNotificationText('rm -rf /\u202Egnp.txt')).toBe('rm -rf /\ufffdgnp.txt');
    expect(plainNotificationText('echo a\nrm b\r')).toBe('echo a\u2423rm b\u2423');
    expect(plainNotificationText('<b>bold</b> & more')).toBe('bbold/b  more');
    const long = plainNotificationText('x'.repeat(500));
    expect(Array.from(long)).toHaveLength(140);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('appCliArgs: CLI commands through the packaged binary', () => {
  const own = '/opt/Cowork Companion/resources/app.asar/dist/electron/main/main.js';
  it('takes the packaged binary\'s arguments from argv[1]', () => {
    expect(appCliArgs(['/opt/Cowork Companion/cowork-companion', 'policy', 'show', '--json'], { defaultApp: false, ownFile: own })).toEqual(['policy', 'show', '--json']);
    expect(appCliArgs(['/usr/bin/cowork-companion', '--version'], { defaultApp: false, ownFile: own })).toEqual(['--version']);
  });
  it('skips the app entry in development (electron <app>) and under Node (node main.js)', () => {
    expect(appCliArgs(['/usr/lib/electron', '.', 'doctor', '--json'], { defaultApp: true, ownFile: own })).toEqual(['doctor', '--json']);
    expect(appCliArgs(['/usr/bin/node', own, 'scope', 'list'], { defaultApp: false, ownFile: own })).toEqual(['scope', 'list']);
  });
  it('runs every CLI command but serve and start (the list cli-program dispatches)', () => {
    const run = CLI_COMMANDS.filter((c) => appCliArgs(['/opt/app/cowork-companion', c], { defaultApp: false, ownFile: own }) !== undefined);
    expect(run).toEqual(['hook', 'scope', 'connect', 'disconnect', 'policy', 'doctor', 'timeline']);
  });
  it('starts the app for anything else: no arguments, its own options, serve/start, unknown words', () => {
    for (const args of [[], ['--hidden'], ['--data-dir=/d', 'policy'], ['serve'], ['start'], ['policies']]) {
      expect(appCliArgs(['/opt/app/cowork-companion', ...args], { defaultApp: false, ownFile: own }), args.join(' ')).toBeUndefined();
    }
  });
});

describe('refusedSwitches', () => {
  it('finds the switches that hand the app to another program, in every spelling Chromium takes', () => {
    expect(refusedSwitches(['--remote-debugging-port=9222', '-remote-debugging-pipe', '--JS-FLAGS=--allow-natives-syntax', '--renderer-cmd-prefix', 'gdb', '--remote-debugging-port=1'])).toEqual(['remote-debugging-port', 'remote-debugging-pipe', 'js-flags', 'renderer-cmd-prefix']);
  });
  it('lets the app\'s own options and harmless Chromium switches through', () => {
    expect(refusedSwitches(['/app/main.js', '--hidden', '--data-dir=/tmp/remote-debugging-port', '--no-sandbox', '--enable-logging', 'remote-debugging-port'])).toEqual([]);
  });
});

describe('parseLaunchOptions', () => {
  it('reads --data-dir, --port, --hidden, --no-watch and --policy among Chromium switches', () => {
    expect(parseLaunchOptions(['/app/main.js', '--no-sandbox', '--data-dir=/tmp/d', '--port', '0', '--hidden', '--no-watch', '--policy=/etc/p.json'])).toEqual({
      dataDir: '/tmp/d',
      port: 0,
      hidden: true,
      watch: false,
      policyFile: '/etc/p.json',
    });
    expect(parseLaunchOptions([])).toEqual({ dataDir: undefined, port: undefined, hidden: false, watch: true, policyFile: undefined });
  });

  it('rejects a bad port', () => {
    expect(() => parseLaunchOptions(['--port=70000'])).toThrow(/--port/);
    expect(() => parseLaunchOptions(['--port=abc'])).toThrow(/--port/);
  });
});

describe('electronStoreOptions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'settings-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the same file the headless conf store uses (electron-store ignores configName)', () => {
    const options = electronStoreOptions(dir);
    expect(options).not.toHaveProperty('configName');
    expect(options.name).toBe(SETTINGS_STORE_OPTIONS.configName);
    expect(options.cwd).toBe(dir);
    expect(options.schema).toBe(SETTINGS_STORE_OPTIONS.schema);
    // electron-store writes <cwd>/<name>.json; the headless store must be that same file.
    expect(openConfStore(dir).path).toBe(join(options.cwd, `${options.name}.json`));
  });
});

describe('tray menu of waiting actions', () => {
  it('lists what each waiting action does, oldest first, bounded, and counts the rest', () => {
    const pending = Array.from({ length: 10 }, (_, i) => item(`a${i}`, { sessionId: `session-${i}-xyz`, targets: { paths: [], command: `npm run job${i}` } }));
    const { entries, more } = trayMenuEntries(pending);
    expect(entries).toHaveLength(8);
    expect(more).toBe(2);
    expect(entries[0]).toEqual({ id: 'a0', label: 'Bash: npm run job0 · run session-' });
  });
  it('keeps untrusted text plain and short, and marks held items', () => {
    const [e] = trayMenuEntries([item('h', { held: true, targets: { paths: [], command: `rm -rf x\u202e<b>${'y'.repeat(200)}` } })]).entries;
    expect(e!.label).not.toMatch(/[\u202e<>]/);
    expect(e!.label).toContain('(on hold)');
    expect(e!.label.length).toBeLessThan(100);
  });
});

describe("changes to the companion's own files", () => {
  const withAlerts = (version: number, ids: string[]) =>
    makeSnapshot(version, [], { integrity: { ...cleanIntegrity, alerts: ids.map((id) => ({ id, file: 'settings.json', reason: 'it was deleted; the companion\'s last version was put back', at: '2026-12-02T10:00:00.000Z' })) } });

  it('notifies each new finding once, never the backlog at start', () => {
    const first = newlySeenIntegrityAlerts(undefined, withAlerts(1, ['a']));
    expect(first.fresh).toEqual([]);
    const next = newlySeenIntegrityAlerts(first.seen, withAlerts(2, ['b', 'a']));
    expect(next.fresh.map((a) => a.id)).toEqual(['b']);
    expect(newlySeenIntegrityAlerts(next.seen, withAlerts(3, ['b', 'a'])).fresh).toEqual([]);
    const note = integrityNotificationFor(withAlerts(4, ['c', 'b']).integrity.alerts);
    expect(note.title).toMatch(/own files were changed/);
    expect(note.body).toMatch(/^settings\.json: it was deleted.*\(2 changes\)$/);
  });
});

describe('keyProtectorFor', () => {
  const storage = (available: boolean, backend: 'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown' = 'gnome_libsecret') => ({
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (plain: string) => Buffer.from(plain.split('').reverse().join('')),
    decryptString: (data: Buffer) => data.toString().split('').reverse().join(''),
  });

  it('uses the OS keystore where it really is one, never Linux\'s hard-coded fallback password', () => {
    expect(keyProtectorFor(storage(false), 'darwin')).toBeUndefined();
    expect(keyProtectorFor(storage(true, 'basic_text'), 'linux')).toBeUndefined();
    expect(keyProtectorFor(storage(true, 'unknown'), 'linux')).toBeUndefined();
    const p = keyProtectorFor(storage(true), 'linux')!;
    expect(p.decryptString(p.encryptString('k'))).toBe('k');
    expect(keyProtectorFor(storage(true, 'basic_text'), 'darwin')).toBeDefined();
  });
});
