/** An error the UI may show: a stable code, a human message and the HTTP status of the web transport. */
export class UiCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
  ) {
    super(message);
    this.name = 'UiCallError';
  }
}
