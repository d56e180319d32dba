// Electron entry: a thin shell around the same core the headless CLI runs. It owns the tray, the
// window, notifications and the IPC bridge; every decision is made by the core.
import { app, dialog, ipcMain, safeStorage, session } from 'electron';
import ElectronStore from 'electron-store';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Snapshot } from '../../shared/ui-contract.js';
import { type CompanionCore, createCompanionCore } from '../core/app/index.js';
import { defaultDataDir, ensureDataDir, InstanceRunningError, refuseInspector } from '../core/base/index.js';
import { startsHidden } from './autostart-policy.js';
import { createAutostartRegistrar } from './autostart-registrar.js';
import { CompanionWindow } from './companion-window.js';
import { createCompanionTray, type CompanionTray } from './companion-tray.js';
import { pickFolder } from './folder-picker.js';
import { registerIpcHandlers } from './ipc-handlers.js';
import { appCliArgs, parseLaunchOptions, refusedSwitches, type LaunchOptions } from './launch-options.js';
import { keyProtectorFor } from './key-protector.js';
import { createPendingNotifier } from './pending-notifier.js';
import { electronStoreOptions } from './settings-store-options.js';
import { denyAllPermissions, installNavigationGuards } from './web-security.js';

const APP_ID = 'com.coworkcompanion.app';
const CLOSE_TIMEOUT_MS = 15_000;
const log = (line: string): void => void process.stderr.write(`${line}\n`);

const entryFile = fileURLToPath(new URL('../../renderer/index.html', import.meta.url));
const appEntryUrl = pathToFileURL(entryFile).href;
const preloadPath = fileURLToPath(new URL('../preload/preload.cjs', import.meta.url));

function fail(title: string, error: unknown, code: number): never {
  log(`cowork-companion: ${title}: ${String((error as Error)?.stack ?? error)}`);
  dialog.showErrorBox(title, (error as Error)?.message ?? String(error));
  // process.exit, not app.exit: callers rely on nothing after this running.
  process.exit(code);
}

let launch: LaunchOptions;
let dataDir: string;

// Before anything else: a command line that would let another program drive the installed app is
// refused. (A development build keeps them: Playwright's Electron tests drive it over a DevTools port.)
const refused = app.isPackaged ? refusedSwitches(process.argv.slice(1)) : [];
if (refused.length > 0) fail('Cowork Companion cannot start', new Error(`it was started with ${refused.map((s) => `--${s}`).join(', ')}, which would let another program control it`), 64);

// `cowork-companion policy show` and the other CLI commands, through the packaged binary (on PATH as
// cowork-companion on Linux): run them and exit, starting no window, tray or core of the app.
const cliArgs = appCliArgs(process.argv, { defaultApp: process.defaultApp === true, ownFile: fileURLToPath(import.meta.url) });
if (cliArgs) void runAppCli(cliArgs);
else startTrayApp();

async function runAppCli(args: string[]): Promise<void> {
  app.dock?.hide();
  const { cliFailure, runCli } = await import('../cli/cli-program.js');
  let code: number;
  try {
    code = await runCli(args);
  } catch (error) {
    const failure = cliFailure(error);
    process.stderr.write(failure.text);
    code = failure.code;
  }
  // Everything written reaches a pipe before the process ends.
  await new Promise<void>((done) => process.stdout.write('', () => done()));
  app.exit(Math.max(code, 0));
}

function startTrayApp(): void {
  try {
    launch = parseLaunchOptions(process.argv.slice(1));
    // Created user-only (0700) before Chromium or the single-instance lock can create it with defaults.
    dataDir = ensureDataDir(resolve(launch.dataDir ?? defaultDataDir()));
  } catch (error) {
    fail('Cowork Companion cannot start', error, 64);
  }

  app.setName('Cowork Companion');
  // One data folder for the desktop app and the headless CLI. Chromium's own caches go in a subfolder so
  // they stay apart from the token, journal and settings. The single-instance lock lives in userData,
  // so it is taken after this.
  app.setPath('userData', dataDir);
  app.setPath('sessionData', join(dataDir, 'chromium'));
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);
  app.enableSandbox();
  installNavigationGuards(appEntryUrl, log);

  if (!app.requestSingleInstanceLock()) {
    app.quit();
  } else {
    run().catch((error: unknown) => fail('Cowork Companion cannot start', error, 1));
  }
}

async function run(): Promise<void> {
  // No inspector by signal or flag (the fuses also drop --inspect from the command line when packaged).
  refuseInspector(log);
  // Filled in once ready; the quit handler registered below may run before that.
  const started: { core?: CompanionCore; tray?: CompanionTray } = {};
  const window = new CompanionWindow({ preloadPath, entryFile, appEntryUrl, devTools: !app.isPackaged, log });

  app.on('window-all-closed', () => {
    // Stay in the tray: the window is hidden, not closed, except when its renderer crashed.
  });
  app.on('before-quit', () => window.allowClose());
  let shutdown: 'running' | 'closing' = 'running';
  app.on('will-quit', (event) => {
    // Deny what is pending, close the journal and flush telemetry before the process goes.
    event.preventDefault();
    if (shutdown === 'closing') return;
    shutdown = 'closing';
    const timer = setTimeout(() => {
      log('cowork-companion: shutdown timed out');
      app.exit(1);
    }, CLOSE_TIMEOUT_MS);
    (started.core?.close() ?? Promise.resolve()).then(
      () => {
        clearTimeout(timer);
        started.tray?.destroy();
        app.exit(0);
      },
      (error: unknown) => {
        log(`cowork-companion: shutdown error: ${String(error)}`);
        app.exit(1);
      },
    );
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  await app.whenReady();
  denyAllPermissions(session.defaultSession);

  const settingsStore = new ElectronStore<Record<string, unknown>>(electronStoreOptions(dataDir));
  // electron-store answers a sync IPC channel for renderer-side stores; this app has none, and every
  // IPC channel it listens on must check its sender, so the channel is removed.
  ipcMain.removeAllListeners('electron-store-get-data');

  let core: CompanionCore;
  try {
    const keyProtector = keyProtectorFor(safeStorage, process.platform);
    // Only the packaged app registers itself to start at login (a development build would register
    // the bare Electron binary).
    core = await createCompanionCore({ dataDir, port: launch.port, webUi: false, settingsStore, watch: launch.watch, startAtLoginAvailable: app.isPackaged, ...(launch.policyFile ? { policyFile: resolve(launch.policyFile) } : {}), ...(keyProtector ? { keyProtector } : {}) });
  } catch (error) {
    if (error instanceof InstanceRunningError) fail('Cowork Companion is already running', error, 3);
    if ((error as NodeJS.ErrnoException)?.code !== 'EADDRINUSE') throw error;
    fail('Cowork Companion cannot start', new Error('Its loopback port is in use. Is the headless companion ("cowork-companion serve") already running?'), 1);
  }

  started.core = core;
  registerIpcHandlers(ipcMain, core, {
    expectedSender: () => ({ webContentsId: window.webContentsId, appEntryUrl }),
    shellMethods: {
      pickFolder: () => pickFolder(window.browserWindow),
      // The page asks for the whole state when it starts, and when it lost track of the deltas: the
      // next push to it starts their sequence again from a whole snapshot.
      getSnapshot: async () => {
        window.resendWhole();
        return core.getSnapshot();
      },
    },
    log,
  });
  const tray = createCompanionTray({ toggle: () => window.toggle(), show: () => window.show(), quit: () => app.quit() });
  started.tray = tray;
  const notify = createPendingNotifier({
    onClick: () => window.show(),
    isWindowFocused: () => window.isFocused(),
    // The same contract call as the window's buttons: bound to what the notification showed.
    decide: async (choice, item) => {
      const request = { id: item.id, contentHash: item.contentHash };
      if (choice === 'approve') await core.callUi('approve', request);
      else if (choice === 'deny') await core.callUi('deny', { ...request, reason: 'Denied from a notification.' });
      else await core.callUi('hold', request);
    },
    log,
  });
  // Start at login follows the snapshot: registered at start, and again whenever the policy or the
  // person's setting changes it.
  const autostart = createAutostartRegistrar(app, { platform: process.platform, execPath: process.execPath, env: process.env, home: homedir() }, log);
  const onSnapshot = (snapshot: Snapshot): void => {
    const { startAtLogin } = snapshot.settings;
    if (startAtLogin.available) autostart.apply(startAtLogin.value);
    window.sendSnapshot(snapshot);
    tray.setStatus(snapshot.pending, snapshot.evidence);
    notify(snapshot);
  };
  core.onSnapshot(onSnapshot);
  window.setSnapshotSource(() => core.getSnapshot());
  onSnapshot(core.getSnapshot());

  // Registered only now: a window cannot be created before the app is ready.
  app.on('second-instance', () => window.show());
  app.on('activate', () => window.show());
  if (startsHidden(launch.hidden, process.platform, () => app.getLoginItemSettings().wasOpenedAtLogin)) window.preload();
  else window.show();
}
