// Sandboxed preload (bundled to one CommonJS file by scripts/build-preload.mjs): exposes the bridge,
// never ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron';
import { createCompanionBridge } from './companion-bridge.js';

contextBridge.exposeInMainWorld('companion', createCompanionBridge(ipcRenderer));
