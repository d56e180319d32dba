import { describe, expect, it } from 'vitest';
import { buildWindowOptions, isAllowedNavigation, isAppEntryUrl, isSafeExternalUrl } from '../../electron/main/window-options.js';

const ENTRY = 'file:///opt/Cowork%20Companion/resources/app.asar/dist/renderer/index.html';

describe('buildWindowOptions', () => {
  const options = buildWindowOptions({ preloadPath: '/app/dist/electron/preload/preload.cjs', devTools: false, platform: 'linux' });

  it('isolates and sandboxes the renderer', () => {
    expect(options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: false,
      preload: '/app/dist/electron/preload/preload.cjs',
    });
  });

  it('is a small tray window, created hidden', () => {
    expect(options.show).toBe(false);
    expect(options.width).toBeGreaterThanOrEqual(380);
    expect(options.width).toBeLessThanOrEqual(460);
    expect(options.height).toBeGreaterThanOrEqual(560);
    expect(options.height).toBeLessThanOrEqual(720);
    expect(options.maximizable).toBe(false);
  });

  it('hides the title bar on macOS only', () => {
    expect(options.titleBarStyle).toBeUndefined();
    expect(buildWindowOptions({ preloadPath: '/p.cjs', devTools: true, platform: 'darwin' }).titleBarStyle).toBe('hiddenInset');
  });
});

describe('isAllowedNavigation', () => {
  it('allows only the app entry page (any fragment)', () => {
    expect(isAllowedNavigation(ENTRY, ENTRY)).toBe(true);
    expect(isAllowedNavigation(`${ENTRY}#/pending`, ENTRY)).toBe(true);
  });

  it.each([
    'https://example.com/',
    'http://127.0.0.1:47615/',
    'file:///etc/passwd',
    'file:///opt/Cowork%20Companion/resources/app.asar/dist/renderer/other.html',
    `${ENTRY}?x=1`,
    'file://evil.example/opt/Cowork%20Companion/resources/app.asar/dist/renderer/index.html',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'about:blank',
    'not a url',
    '',
  ])('denies %s', (url) => {
    expect(isAllowedNavigation(url, ENTRY)).toBe(false);
  });

  it('compares paths case-insensitively only when asked (Windows/macOS volumes)', () => {
    const upper = ENTRY.replace('renderer', 'RENDERER');
    expect(isAppEntryUrl(upper, ENTRY, true)).toBe(true);
    expect(isAppEntryUrl(upper, ENTRY, false)).toBe(false);
  });
});

describe('isSafeExternalUrl', () => {
  it.each(['https://docs.anthropic.com/en/docs/claude-code/hooks', 'https://example.com:8443/a?b=c#d'])('accepts %s', (url) => {
    expect(isSafeExternalUrl(url)).toBe(true);
  });

  it.each([
    'http://example.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://server/share',
    'ms-settings:',
    'https://user:pass@example.com/',
    'https://user@example.com/',
    'https://example.com/\n',
    ' https://example.com/',
    'https:\\\\example.com\\',
    'https://exa\u0000mple.com/',
    `https://example.com/${'a'.repeat(3000)}`,
    '',
    'https://',
  ])('rejects %j', (url) => {
    expect(isSafeExternalUrl(url)).toBe(false);
  });
});
