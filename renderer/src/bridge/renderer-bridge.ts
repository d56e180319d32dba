// What the store talks to: the contract's bridge plus an optional connection signal (the web
// transport can drop; Electron IPC cannot).
import { UI_METHODS, type CompanionBridge, type UiMethod, type UiRequest, type UiResponse } from '../../../shared/ui-contract.js';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'rejected';

export interface RendererBridge extends CompanionBridge {
  onConnection?(listener: (state: ConnectionState) => void): () => void;
  /** Headless only: sets the passphrase that signs a browser in without a terminal. */
  setSignInPassphrase?(passphrase: string): Promise<void>;
}

/** A failed call, with the core's error code and a message fit to show the person. */
export class BridgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BridgeError';
  }
}

/** A message for the person, whatever was thrown (Electron prefixes IPC errors with plumbing). */
export function describeError(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.replace(/^Error invoking remote method '[^']*': (?:\w*Error: )?/, '').trim();
  return message || 'Something went wrong.';
}

type Call = <M extends UiMethod>(method: M, request: UiRequest<M>) => Promise<UiResponse<M>>;

/** One bridge method per contract entry, all routed through `call` (new entries need no code here). */
export function contractMethods(call: Call): Omit<CompanionBridge, 'onSnapshot'> {
  return Object.fromEntries(
    UI_METHODS.map((method) => [method, (request: UiRequest<typeof method>) => call(method, request)]),
  ) as Omit<CompanionBridge, 'onSnapshot'>;
}
