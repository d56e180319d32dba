// An error a person may see: a stable code from the contract and a message in words. Transports map
// codes to their own terms at the edge (HTTP statuses in http/web-ui-routes.ts; IPC passes the message).
import type { UiErrorCode } from '../../../shared/ui-contract.js';

export class CoreError extends Error {
  constructor(
    readonly code: UiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CoreError';
  }
}
