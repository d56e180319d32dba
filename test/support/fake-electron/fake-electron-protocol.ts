// What the test (parent process) and the fake `electron` module (inside the child running the real
// built main.js) say to each other over the child's IPC channel. Types only.

/** Who sends an `invoke`: the main window's top frame on the app page, or an impostor. */
export type FakeSender = 'window' | 'subframe' | 'other-contents' | 'navigated' | 'detached';

export type DriverCommand =
  | { cmd: 'state' }
  | { cmd: 'emit-app'; event: 'second-instance' | 'activate' | 'window-all-closed'; argv?: string[] }
  | { cmd: 'quit' }
  | { cmd: 'signal'; signal: 'SIGTERM' | 'SIGINT' }
  | { cmd: 'tray-event'; event: 'click' | 'right-click' }
  | { cmd: 'click-menu'; label: string | RegExp | { regex: string } }
  | { cmd: 'invoke'; channel: string; request?: unknown; sender: FakeSender }
  | { cmd: 'notification-action'; index: number; actionIndex: number }
  | { cmd: 'close-window' }
  /** The page reloads (did-start-loading, then did-finish-load). */
  | { cmd: 'reload' }
  /** The page tries to navigate (will-frame-navigate, then will-navigate); answers whether it was prevented. */
  | { cmd: 'navigate'; url: string; isMainFrame?: boolean }
  /** The page calls window.open; answers the app's window-open handler's verdict. */
  | { cmd: 'window-open'; url: string };

export interface FakeWindowState {
  id: number;
  visible: boolean;
  focused: boolean;
  destroyed: boolean;
  url: string | undefined;
  preload: string | undefined;
  sandbox: boolean | undefined;
  contextIsolation: boolean | undefined;
  nodeIntegration: boolean | undefined;
  /** What was sent to the page, in order. */
  sent: SentToPage[];
}

/** One message to the page: its channel; for a whole snapshot its pending count and number, for a delta
 *  the numbers it goes from and to and how many pending items it sends and removes; its JSON size. */
export interface SentToPage {
  channel: string;
  pending?: number;
  seq?: number;
  base?: number;
  upserted?: number;
  removed?: number;
  bytes: number;
}

export interface FakeNotificationState {
  title: string;
  body: string;
  actions: { type: string; text: string }[];
  shown: boolean;
}

export interface FakeElectronState {
  ready: boolean;
  name: string | undefined;
  paths: Record<string, string>;
  sandboxEnabled: boolean;
  singleInstanceLockRequested: boolean;
  loginItem: Record<string, unknown> | undefined;
  loginItemCalls: Record<string, unknown>[];
  tray: { tooltip: string | undefined; title: string | undefined; menu: string[]; destroyed: boolean; contextMenuSet: boolean } | undefined;
  windows: FakeWindowState[];
  notifications: FakeNotificationState[];
  ipcHandlers: string[];
  ipcListeners: string[];
  permissionHandlersSet: string[];
  errorBoxes: { title: string; content: string }[];
}

export type ChildMessage =
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; message: string }
  | { type: 'event'; name: string; detail?: unknown };
