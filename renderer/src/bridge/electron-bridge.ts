// Electron transport: the preload exposes a PreloadBridge on `window.companion`. The renderer
// still checks what crosses the boundary against the contract, as the web transport does. Main sends
// a whole snapshot when the page loads, then deltas; listeners get whole snapshots either way.
import { uiContract, type PreloadBridge, type UiMethod, type UiRequest, type UiResponse } from '../../../shared/ui-contract.js';
import { BridgeError, contractMethods, describeError, type RendererBridge } from './renderer-bridge.js';
import { SnapshotStream } from './snapshot-stream.js';

export function wrapElectronBridge(raw: PreloadBridge): RendererBridge {
  async function call<M extends UiMethod>(method: M, request: UiRequest<M>): Promise<UiResponse<M>> {
    let result: unknown;
    try {
      result = await (raw[method] as (r: UiRequest<M>) => Promise<unknown>)(request);
    } catch (error) {
      throw new BridgeError('ipc', describeError(error));
    }
    const parsed = uiContract[method].response.safeParse(result);
    if (!parsed.success) throw new BridgeError('bad_response', 'The companion sent an answer this window does not understand.');
    return parsed.data as UiResponse<M>;
  }
  return {
    ...contractMethods(call),
    onSnapshot: (listener) => {
      const received = new SnapshotStream();
      let asking = false;
      // A delta this window cannot apply: ask for the whole state. Main answers it and sends the
      // next change whole (electron/main/main.ts), so the sequence starts again from that.
      const askForWhole = (reason: string): void => {
        console.warn('Asked the companion for a whole snapshot:', reason);
        if (asking) return;
        asking = true;
        call('getSnapshot', {})
          .then((snapshot) => listener(snapshot))
          .catch((error: unknown) => console.warn('getSnapshot failed:', describeError(error)))
          .finally(() => (asking = false));
      };
      const offWhole = raw.onSnapshot((snapshot, seq) => {
        const got = received.whole(snapshot, seq);
        if (got.ok) listener(got.snapshot);
        else console.warn('Ignored a snapshot that does not match the contract:', got.reason);
      });
      const offDelta = raw.onSnapshotDelta((delta) => {
        const got = received.delta(delta);
        if (got.ok) listener(got.snapshot);
        else askForWhole(got.reason);
      });
      return () => {
        offWhole();
        offDelta();
      };
    },
  };
}
