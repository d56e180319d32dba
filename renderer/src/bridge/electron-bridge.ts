// Electron transport: the preload exposes a CompanionBridge on `window.companion`. The renderer
// still checks what crosses the boundary against the contract, as the web transport does.
import { SnapshotSchema, uiContract, type CompanionBridge, type UiMethod, type UiRequest, type UiResponse } from '../../../shared/ui-contract.js';
import { BridgeError, contractMethods, describeError, type RendererBridge } from './renderer-bridge.js';

export function wrapElectronBridge(raw: CompanionBridge): RendererBridge {
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
    onSnapshot: (listener) =>
      raw.onSnapshot((snapshot) => {
        const parsed = SnapshotSchema.safeParse(snapshot);
        if (parsed.success) listener(parsed.data);
        else console.warn('Ignored a snapshot that does not match the contract');
      }),
  };
}
