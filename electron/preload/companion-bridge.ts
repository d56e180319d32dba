// The object the preload exposes as `window.companion`: one method per UI contract entry plus
// onSnapshot and onSnapshotDelta. Takes ipcRenderer as a parameter, so it is unit-tested without Electron.
//
// Channel names are spelled here instead of imported from shared/ui-contract.ts, because importing
// any value from that module would bundle zod into the preload. Only types are imported; the
// compile-time check below and test/unit/preload-bridge.test.ts keep the two in step.
import type { PreloadBridge, Snapshot, UiMethod } from '../../shared/ui-contract.js';

export const BRIDGE_METHODS = [
  'getSnapshot',
  'approve',
  'deny',
  'hold',
  'previewSharedFolder',
  'addSharedFolder',
  'removeSharedFolder',
  'setSharedFolderMode',
  'pickFolder',
  'decideRunReads',
  'revokeRule',
  'resumeRun',
  'resolveEscalation',
  'setEscalationRules',
  'setLanguage',
  'setSandboxedBash',
  'setStartAtLogin',
  'exportManifest',
  'changePreview',
  // Timeline
  'timelineQuery',
  'timelineRun',
  'timelineExport',
] as const satisfies readonly UiMethod[];
export const SNAPSHOT_CHANNEL_NAME = 'companion:snapshot';
export const SNAPSHOT_DELTA_CHANNEL_NAME = 'companion:snapshot-delta';
export const channelFor = (method: UiMethod): string => `companion:${method}`;

// Fails to compile when the contract gains a method the bridge does not expose.
type MissingMethod = Exclude<UiMethod, (typeof BRIDGE_METHODS)[number]>;
const everyMethodBridged: [MissingMethod] extends [never] ? true : MissingMethod = true;
void everyMethodBridged;

/** The slice of ipcRenderer the bridge uses. */
export interface PreloadIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createCompanionBridge(ipc: PreloadIpc): PreloadBridge {
  const bridge: Record<string, unknown> = {
    // The listeners get what was sent only, never the IPC event (its `sender` is ipcRenderer itself).
    onSnapshot(listener: (snapshot: Snapshot, seq: number | undefined) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('onSnapshot needs a function');
      const forward = (_event: unknown, snapshot: unknown, seq: unknown): void => listener(snapshot as Snapshot, typeof seq === 'number' ? seq : undefined);
      ipc.on(SNAPSHOT_CHANNEL_NAME, forward);
      return () => void ipc.removeListener(SNAPSHOT_CHANNEL_NAME, forward);
    },
    onSnapshotDelta(listener: (delta: unknown) => void): () => void {
      if (typeof listener !== 'function') throw new TypeError('onSnapshotDelta needs a function');
      const forward = (_event: unknown, delta: unknown): void => listener(delta);
      ipc.on(SNAPSHOT_DELTA_CHANNEL_NAME, forward);
      return () => void ipc.removeListener(SNAPSHOT_DELTA_CHANNEL_NAME, forward);
    },
  };
  for (const method of BRIDGE_METHODS) {
    // Exactly one argument crosses; the main process parses it against the contract.
    bridge[method] = (request: unknown) => ipc.invoke(channelFor(method), request);
  }
  return Object.freeze(bridge) as PreloadBridge;
}
