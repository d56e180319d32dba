// App-wide web hardening: no navigation away from the app page, no new windows, no webviews, no
// permissions. Applied to every webContents ever created, not just the main window's.
import { app, shell, type Session } from 'electron';
import { isAllowedNavigation, isSafeExternalUrl } from './window-options.js';

export function installNavigationGuards(appEntryUrl: string, log: (line: string) => void): void {
  app.on('web-contents-created', (_event, contents) => {
    // will-frame-navigate covers sub-frames too; there are none legitimately, so any is refused.
    contents.on('will-frame-navigate', (event) => {
      if (event.isMainFrame && isAllowedNavigation(event.url, appEntryUrl)) return;
      event.preventDefault();
      log(`cowork-companion: blocked navigation to ${event.url}`);
    });
    // Also the main-frame-only event, in case a navigation is reported there alone.
    contents.on('will-navigate', (event) => {
      if (!isAllowedNavigation(event.url, appEntryUrl)) event.preventDefault();
    });
    contents.on('will-redirect', (event) => {
      if (!isAllowedNavigation(event.url, appEntryUrl)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (isSafeExternalUrl(url)) void shell.openExternal(url).catch((error: unknown) => log(`cowork-companion: openExternal failed: ${String(error)}`));
      return { action: 'deny' };
    });
  });
}

/** The UI needs no camera, notifications-from-web, clipboard-read, USB, HID, serial, etc. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
