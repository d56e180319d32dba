// Chosen once at start: the Electron preload's bridge if present, else the web transport with
// the credential from the URL fragment, else nothing (the UI explains how to get a credential).
import type { PreloadBridge } from '../../../shared/ui-contract.js';
import { wrapElectronBridge } from './electron-bridge.js';
import { takeFragmentToken } from './read-credential.js';
import type { RendererBridge } from './renderer-bridge.js';
import { createWebBridge } from './web-bridge.js';

declare global {
  interface Window {
    companion?: PreloadBridge;
  }
}

export type BridgeChoice =
  | { kind: 'electron' | 'web'; bridge: RendererBridge }
  | { kind: 'no-credential' };

export function pickBridge(win: Window): BridgeChoice {
  if (win.companion) return { kind: 'electron', bridge: wrapElectronBridge(win.companion) };
  const token = takeFragmentToken(win.location, win.history);
  if (!token) return { kind: 'no-credential' };
  return { kind: 'web', bridge: createWebBridge(token) };
}
