// Pure window and navigation policy: type-only Electron import, so it is unit-tested under plain Node.
import type { BrowserWindowConstructorOptions } from 'electron';

export interface WindowOptionsInput {
  /** Absolute path of the bundled preload (CommonJS: sandboxed preloads cannot load ESM). */
  preloadPath: string;
  /** DevTools only in development; a packaged app gives none. */
  devTools: boolean;
  platform?: NodeJS.Platform;
}

export const WINDOW_SIZE = { width: 420, height: 640 } as const;

export function buildWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  const mac = (input.platform ?? process.platform) === 'darwin';
  return {
    ...WINDOW_SIZE,
    minWidth: 360,
    minHeight: 480,
    show: false,
    title: 'Cowork Companion',
    autoHideMenuBar: true,
    maximizable: false,
    fullscreenable: false,
    // macOS: a compact popover-like window without a title bar; elsewhere keep the frame so the
    // window can still be moved and closed where the tray is missing (e.g. GNOME without extension).
    ...(mac ? { titleBarStyle: 'hiddenInset' as const } : {}),
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      devTools: input.devTools,
    },
  };
}

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * Same document as the app entry: protocol, host, path and query equal; the fragment is ignored (the
 * UI may keep state there). Windows and macOS volumes compare paths case-insensitively.
 */
export function isAppEntryUrl(url: string, appEntryUrl: string, caseInsensitivePath = process.platform !== 'linux'): boolean {
  const a = parseUrl(url);
  const b = parseUrl(appEntryUrl);
  if (!a || !b || a.protocol !== b.protocol || a.host !== b.host || a.username || a.password) return false;
  if (a.search !== b.search) return false;
  return caseInsensitivePath ? a.pathname.toLowerCase() === b.pathname.toLowerCase() : a.pathname === b.pathname;
}

/** The window never navigates away: the only allowed target is the app's own entry page. */
export function isAllowedNavigation(url: string, appEntryUrl: string): boolean {
  return isAppEntryUrl(url, appEntryUrl);
}

/** Links handed to the OS browser: https only, no credentials, nothing the URL parser had to repair. */
export function isSafeExternalUrl(url: string): boolean {
  // Whitespace or control characters mean the string is not what it looks like once parsed.
  if (url.length === 0 || url.length > 2048 || /[\s\u0000-\u001f\u007f-\u009f\\]/.test(url)) return false;
  const parsed = parseUrl(url);
  if (!parsed || parsed.protocol !== 'https:' || !parsed.hostname) return false;
  return parsed.username === '' && parsed.password === '';
}
