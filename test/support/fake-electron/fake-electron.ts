// A small stand-in for the `electron` module, loaded in place of it (see register-fake-electron.ts) in a
// child Node process that runs the real built main.js. It holds only what electron/main and
// electron-store use, records what the app did, and lets the test (the parent process) drive it over
// the IPC channel: app events, tray and menu clicks, IPC invokes from a right or wrong sender,
// notification buttons. Signatures follow the real electron.d.ts where that is cheap.
import { EventEmitter } from 'node:events';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import type * as Electron from 'electron';
import type { ChildMessage, DriverCommand, FakeElectronState, FakeSender, FakeWindowState, SentToPage } from './fake-electron-protocol.js';

const env = process.env;
const report = (name: string, detail?: unknown): void => {
  if (process.send) process.send({ type: 'event', name, detail } satisfies ChildMessage);
};

/** An event object whose default the app may prevent, as Electron passes to its handlers. */
function preventable<T extends object>(extra?: T): { defaultPrevented: boolean; preventDefault(): void } & T {
  const event = { defaultPrevented: false, preventDefault: () => void (event.defaultPrevented = true), ...extra };
  return event as { defaultPrevented: boolean; preventDefault(): void } & T;
}

// ---- app ---------------------------------------------------------------------------------------------

class FakeApp extends EventEmitter {
  readonly isPackaged = env['FAKE_ELECTRON_PACKAGED'] === '1';
  name: string | undefined;
  paths: Record<string, string> = { home: env['HOME'] ?? tmpdir(), temp: tmpdir(), exe: process.execPath };
  sandboxEnabled = false;
  lockRequested = false;
  loginItem: Electron.Settings | undefined;
  loginItemCalls: Electron.Settings[] = [];
  private readyFlag = false;
  private readonly readyPromise: Promise<void>;
  private quitting = false;

  constructor() {
    super();
    this.readyPromise = new Promise((resolve) => this.once('ready', () => resolve()));
    // Electron is ready after the main script's first turn; so is the fake.
    setTimeout(() => {
      this.readyFlag = true;
      report('app.ready');
      this.emit('ready', preventable(), {});
    }, 10);
  }

  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  isReady(): boolean {
    return this.readyFlag;
  }
  setName(name: string): void {
    this.name = name;
  }
  getName(): string {
    return this.name ?? 'Electron';
  }
  getVersion(): string {
    return '0.0.0-fake';
  }
  getAppPath(): string {
    return process.cwd();
  }
  setPath(name: string, path: string): void {
    this.paths[name] = path;
  }
  getPath(name: string): string {
    const path = this.paths[name];
    if (path === undefined) throw new Error(`fake electron: no path "${name}"`);
    return path;
  }
  setAppUserModelId(_id: string): void {}
  enableSandbox(): void {
    if (this.readyFlag) throw new Error('app.enableSandbox() must be called before the app is ready');
    this.sandboxEnabled = true;
  }
  requestSingleInstanceLock(): boolean {
    this.lockRequested = true;
    return env['FAKE_ELECTRON_LOCK'] !== 'refused';
  }
  setLoginItemSettings(settings: Electron.Settings): void {
    this.loginItemCalls.push(settings);
    this.loginItem = { ...settings };
    report('app.setLoginItemSettings', settings);
  }
  getLoginItemSettings(_options?: Electron.LoginItemSettingsOptions): Pick<Electron.LoginItemSettings, 'openAtLogin' | 'wasOpenedAtLogin'> {
    return { openAtLogin: this.loginItem?.openAtLogin ?? false, wasOpenedAtLogin: env['FAKE_ELECTRON_OPENED_AT_LOGIN'] === '1' };
  }
  /** As Electron: before-quit, windows close, will-quit, quit, exit; the app may stop it at each step. */
  quit(): void {
    if (this.quitting) return;
    this.quitting = true;
    setImmediate(() => {
      report('app.quit');
      const before = preventable();
      this.emit('before-quit', before);
      if (before.defaultPrevented) return void (this.quitting = false);
      for (const win of windows) if (!win.isDestroyed()) win.close();
      if (windows.some((w) => !w.isDestroyed())) return void (this.quitting = false);
      const will = preventable();
      this.emit('will-quit', will);
      if (will.defaultPrevented) return void (this.quitting = false);
      this.emit('quit', preventable(), 0);
      process.exit(0);
    });
  }
  exit(code = 0): void {
    report('app.exit', { code });
    process.exit(code);
  }
}

export const app = new FakeApp();

// ---- webContents and BrowserWindow --------------------------------------------------------------------

let nextContentsId = 1;
const windows: BrowserWindow[] = [];

class WebContents extends EventEmitter {
  readonly id = nextContentsId++;
  url = '';
  loading = false;
  destroyed = false;
  sent: SentToPage[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | undefined;

  getURL(): string {
    return this.url;
  }
  isLoading(): boolean {
    return this.loading;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]): void {
    const payload = args[0] as { pending?: unknown; base?: unknown; seq?: unknown } | undefined;
    const pending = payload?.pending as { upsert?: unknown[]; remove?: unknown[] } | unknown[] | undefined;
    const entry: SentToPage = {
      channel,
      ...(Array.isArray(pending) ? { pending: pending.length } : {}),
      // A whole snapshot's number is the second argument; a delta carries its own.
      ...(typeof args[1] === 'number' ? { seq: args[1] } : {}),
      ...(typeof payload?.base === 'number' && typeof payload.seq === 'number' ? { base: payload.base, seq: payload.seq } : {}),
      ...(pending && !Array.isArray(pending) ? { upserted: pending.upsert?.length ?? 0, removed: pending.remove?.length ?? 0 } : {}),
      bytes: JSON.stringify(payload ?? null).length,
    };
    this.sent.push(entry);
    report('webContents.send', entry);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler;
  }
}

export class BrowserWindow extends EventEmitter {
  readonly webContents = new WebContents();
  readonly options: Electron.BrowserWindowConstructorOptions;
  private visible = false;
  private focused = false;
  private destroyed = false;

  constructor(options: Electron.BrowserWindowConstructorOptions = {}) {
    super();
    this.options = options;
    windows.push(this);
    report('BrowserWindow.new', { id: this.webContents.id });
    app.emit('web-contents-created', preventable(), this.webContents);
  }

  async loadFile(file: string): Promise<void> {
    const url = pathToFileURL(file).href;
    const navigation = preventable({ url, isMainFrame: true });
    this.webContents.emit('will-frame-navigate', navigation);
    if (navigation.defaultPrevented) throw new Error(`navigation to ${url} was prevented`);
    this.webContents.loading = true;
    await new Promise((r) => setTimeout(r, 5));
    this.webContents.url = url;
    this.webContents.loading = false;
    this.webContents.emit('did-finish-load', preventable());
    this.emit('ready-to-show', preventable());
  }
  show(): void {
    this.visible = true;
    this.focused = true;
    report('BrowserWindow.show', { id: this.webContents.id });
  }
  hide(): void {
    this.visible = false;
    this.focused = false;
    report('BrowserWindow.hide', { id: this.webContents.id });
  }
  focus(): void {
    if (this.visible) this.focused = true;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isFocused(): boolean {
    return this.focused;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** As Electron: 'close' may be prevented; otherwise the window is destroyed. */
  close(): void {
    if (this.destroyed) return;
    const event = preventable();
    this.emit('close', event);
    if (!event.defaultPrevented) this.destroy();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.webContents.destroyed = true;
    this.emit('closed');
    report('BrowserWindow.destroyed', { id: this.webContents.id });
  }
  state(): FakeWindowState {
    const prefs = this.options.webPreferences ?? {};
    return {
      id: this.webContents.id,
      visible: this.visible,
      focused: this.focused,
      destroyed: this.destroyed,
      url: this.webContents.url || undefined,
      preload: prefs.preload,
      sandbox: prefs.sandbox,
      contextIsolation: prefs.contextIsolation,
      nodeIntegration: prefs.nodeIntegration,
      sent: this.webContents.sent,
    };
  }
}

// ---- Menu, Tray, nativeImage ---------------------------------------------------------------------------

type MenuTemplate = Electron.MenuItemConstructorOptions;

export class Menu {
  constructor(readonly items: MenuTemplate[]) {}
  static buildFromTemplate(template: MenuTemplate[]): Menu {
    return new Menu(template);
  }
  labels(): string[] {
    return this.items.map((i) => (i.type === 'separator' ? '---' : (i.label ?? '')));
  }
}

/** The app's one tray, as the driver finds it. */
const trays: Tray[] = [];

export class Tray extends EventEmitter {
  tooltip: string | undefined;
  title: string | undefined;
  contextMenu: Menu | undefined;
  /** The menu last popped up (macOS/Windows open it on right-click). */
  poppedUp: Menu | undefined;
  destroyed = false;

  constructor(readonly image: unknown) {
    super();
    trays.push(this);
    report('Tray.new');
  }
  setToolTip(text: string): void {
    this.tooltip = text;
    report('Tray.setToolTip', text);
  }
  setTitle(title: string): void {
    this.title = title;
  }
  setContextMenu(menu: Menu | null): void {
    this.contextMenu = menu ?? undefined;
  }
  popUpContextMenu(menu?: Menu): void {
    this.poppedUp = menu ?? this.contextMenu;
  }
  destroy(): void {
    this.destroyed = true;
    report('Tray.destroy');
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

class FakeImage {
  readonly representations: unknown[] = [];
  template = false;
  constructor(readonly dataUrl: string) {}
  addRepresentation(options: Electron.AddRepresentationOptions): void {
    this.representations.push(options);
  }
  setTemplateImage(option: boolean): void {
    this.template = option;
  }
  isEmpty(): boolean {
    return !this.dataUrl.startsWith('data:image/png;base64,');
  }
}

export const nativeImage = {
  createFromDataURL: (dataURL: string) => new FakeImage(dataURL),
  createEmpty: () => new FakeImage(''),
};

// ---- ipcMain ---------------------------------------------------------------------------------------------

type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown;

class FakeIpcMain extends EventEmitter {
  readonly handlers = new Map<string, InvokeHandler>();
  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

export const ipcMain = new FakeIpcMain();

/** The IPC event a given kind of sender produces, as ipc-handlers.ts reads it (sender.id, senderFrame). */
function invokeEvent(kind: FakeSender): unknown {
  const win = windows.find((w) => !w.isDestroyed());
  const contents = win?.webContents;
  const url = contents?.url ?? '';
  const mainFrame = { url, parent: null, detached: false };
  switch (kind) {
    case 'window':
      return { sender: contents ?? { id: -1 }, senderFrame: mainFrame };
    case 'subframe':
      return { sender: contents, senderFrame: { url, parent: mainFrame, detached: false } };
    case 'other-contents':
      return { sender: { id: 9999 }, senderFrame: mainFrame };
    case 'navigated':
      return { sender: contents, senderFrame: { url: 'https://attacker.example/', parent: null, detached: false } };
    case 'detached':
      return { sender: contents, senderFrame: { url, parent: null, detached: true } };
  }
}

// ---- Notification ----------------------------------------------------------------------------------------

const notifications: Notification[] = [];

export class Notification extends EventEmitter {
  shown = false;
  constructor(readonly options: Electron.NotificationConstructorOptions = {}) {
    super();
    notifications.push(this);
  }
  static isSupported(): boolean {
    return env['FAKE_ELECTRON_NOTIFICATIONS'] !== 'unsupported';
  }
  show(): void {
    this.shown = true;
    report('Notification.show', { title: this.options.title, body: this.options.body, actions: this.options.actions ?? [] });
  }
  close(): void {
    this.emit('close', preventable());
  }
}

// ---- safeStorage, session, dialog, shell --------------------------------------------------------------

/** No OS keystore by default (as on a Linux machine without a secret service). */
export const safeStorage = {
  isEncryptionAvailable: (): boolean => env['FAKE_ELECTRON_KEYSTORE'] === '1',
  getSelectedStorageBackend: (): ReturnType<Electron.SafeStorage['getSelectedStorageBackend']> => (env['FAKE_ELECTRON_KEYSTORE'] === '1' ? 'gnome_libsecret' : 'basic_text'),
  // Reversible and obviously fake: the test only checks that the core uses it.
  encryptString: (plain: string): Buffer => Buffer.from(`fake-keystore:${Buffer.from(plain).toString('base64')}`),
  decryptString: (encrypted: Buffer): string => {
    const text = encrypted.toString();
    if (!text.startsWith('fake-keystore:')) throw new Error('fake safeStorage: not encrypted by this keystore');
    return Buffer.from(text.slice('fake-keystore:'.length), 'base64').toString();
  },
} satisfies Pick<Electron.SafeStorage, 'isEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptString' | 'decryptString'>;

const permissionHandlersSet: string[] = [];
export const session = {
  defaultSession: {
    setPermissionRequestHandler: () => void permissionHandlersSet.push('request'),
    setPermissionCheckHandler: () => void permissionHandlersSet.push('check'),
    setDevicePermissionHandler: () => void permissionHandlersSet.push('device'),
  },
};

const errorBoxes: { title: string; content: string }[] = [];
export const dialog = {
  showErrorBox(title: string, content: string): void {
    errorBoxes.push({ title, content });
    report('dialog.showErrorBox', { title, content });
  },
  async showOpenDialog(): Promise<Electron.OpenDialogReturnValue> {
    report('dialog.showOpenDialog');
    return { canceled: true, filePaths: [] };
  },
};

export const shell = {
  openExternal: async (url: string): Promise<void> => report('shell.openExternal', url),
  openPath: async (path: string): Promise<string> => (report('shell.openPath', path), ''),
} satisfies Pick<Electron.Shell, 'openExternal' | 'openPath'>;

// ---- the driver: the test's commands over the IPC channel ------------------------------------------------

function state(): FakeElectronState {
  const tray = trays.at(-1);
  return {
    ready: app.isReady(),
    name: app.name,
    paths: { ...app.paths },
    sandboxEnabled: app.sandboxEnabled,
    singleInstanceLockRequested: app.lockRequested,
    loginItem: app.loginItem as Record<string, unknown> | undefined,
    loginItemCalls: app.loginItemCalls as Record<string, unknown>[],
    tray: tray && {
      tooltip: tray.tooltip,
      title: tray.title,
      menu: (tray.contextMenu ?? tray.poppedUp)?.labels() ?? [],
      destroyed: tray.destroyed,
      contextMenuSet: tray.contextMenu !== undefined,
    },
    windows: windows.map((w) => w.state()),
    notifications: notifications.map((n) => ({ title: n.options.title ?? '', body: n.options.body ?? '', actions: (n.options.actions ?? []).map((a) => ({ type: a.type, text: a.text ?? '' })), shown: n.shown })),
    ipcHandlers: [...ipcMain.handlers.keys()],
    ipcListeners: ipcMain.eventNames().map(String),
    permissionHandlersSet: [...permissionHandlersSet],
    errorBoxes: [...errorBoxes],
  };
}

function matches(label: string | undefined, want: string | RegExp | { regex: string }): boolean {
  if (label === undefined) return false;
  if (typeof want === 'string') return label === want;
  return (want instanceof RegExp ? want : new RegExp(want.regex)).test(label);
}

async function run(command: DriverCommand): Promise<unknown> {
  const tray = trays.at(-1);
  switch (command.cmd) {
    case 'state':
      return state();
    case 'emit-app':
      if (command.event === 'second-instance') app.emit('second-instance', preventable(), command.argv ?? [], process.cwd(), {});
      else app.emit(command.event, preventable(), false);
      return state();
    case 'quit':
      app.quit();
      return undefined;
    case 'signal':
      process.emit(command.signal, command.signal);
      return undefined;
    case 'tray-event':
      if (!tray) throw new Error('no tray');
      tray.emit(command.event, preventable(), {});
      return state();
    case 'click-menu': {
      const menu = tray?.contextMenu ?? tray?.poppedUp;
      const item = menu?.items.find((i) => matches(i.label, command.label));
      if (!item?.click) throw new Error(`no menu item ${String(command.label)} in ${JSON.stringify(menu?.labels())}`);
      (item.click as (...args: unknown[]) => void)(item, undefined, {});
      return state();
    }
    case 'invoke': {
      const handler = ipcMain.handlers.get(command.channel);
      if (!handler) throw new Error(`no handler for ${command.channel}`);
      // Electron passes only the error's message across IPC, so does the fake.
      try {
        return { ok: true, value: await handler(invokeEvent(command.sender), command.request) };
      } catch (error) {
        return { ok: false, message: error instanceof Error ? error.message : String(error) };
      }
    }
    case 'notification-action': {
      const note = notifications[command.index];
      if (!note) throw new Error(`no notification ${command.index}`);
      note.emit('action', { ...preventable(), actionIndex: command.actionIndex }, command.actionIndex);
      return undefined;
    }
    case 'navigate': {
      const contents = windows.find((w) => !w.isDestroyed())?.webContents;
      if (!contents) throw new Error('no window');
      const frame = preventable({ url: command.url, isMainFrame: command.isMainFrame ?? true });
      contents.emit('will-frame-navigate', frame);
      const main = preventable({ url: command.url });
      if (command.isMainFrame ?? true) contents.emit('will-navigate', main, command.url);
      return { prevented: frame.defaultPrevented || main.defaultPrevented };
    }
    case 'window-open': {
      const contents = windows.find((w) => !w.isDestroyed())?.webContents;
      if (!contents?.windowOpenHandler) throw new Error('no window-open handler');
      return contents.windowOpenHandler({ url: command.url });
    }
    case 'reload': {
      const contents = windows.find((w) => !w.isDestroyed())?.webContents;
      if (!contents) throw new Error('no window');
      contents.loading = true;
      contents.emit('did-start-loading', preventable());
      await new Promise((r) => setTimeout(r, 5));
      contents.loading = false;
      contents.emit('did-finish-load', preventable());
      return state();
    }
    case 'close-window': {
      const win = windows.find((w) => !w.isDestroyed());
      win?.close();
      return state();
    }
  }
}

process.on('message', (message: { id: number } & DriverCommand) => {
  run(message).then(
    (value) => process.send?.({ type: 'reply', id: message.id, ok: true, value: value ?? null } satisfies ChildMessage),
    (error: unknown) => process.send?.({ type: 'reply', id: message.id, ok: false, message: String((error as Error)?.message ?? error) } satisfies ChildMessage),
  );
});
// The IPC channel would keep a child alive whose app has nothing left to do; Electron's main process
// lives until app.exit/quit, so the fake keeps it too (the test ends it).

const electron = { app, BrowserWindow, Menu, Tray, nativeImage, ipcMain, Notification, safeStorage, session, dialog, shell };
export default electron;
