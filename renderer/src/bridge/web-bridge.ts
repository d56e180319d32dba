// Web transport for the headless mode: contract calls are authenticated POSTs, live snapshots come
// from a text/event-stream read with fetch (EventSource cannot send an Authorization header): a whole
// snapshot first (`event: snapshot`, numbered by its `id`), then deltas (`event: delta`).
import {
  UI_API_PREFIX,
  UI_EVENTS_PATH,
  UI_PASSPHRASE_PATH,
  UI_SESSION_PATH,
  UI_SIGN_IN_PATH,
  UiErrorSchema,
  UiSessionResponseSchema,
  uiContract,
  type Snapshot,
  type UiMethod,
  type UiRequest,
  type UiResponse,
} from '../../../shared/ui-contract.js';
import { BridgeError, contractMethods, type ConnectionState, type RendererBridge } from './renderer-bridge.js';
import { SnapshotStream, type Received } from './snapshot-stream.js';
import { SseParser } from './sse-parser.js';

export interface WebBridgeOptions {
  fetch?: typeof fetch;
  /** Delay before reconnect attempt `n` (0-based). */
  backoffMs?: (attempt: number) => number;
  /** Reconnect when the stream is silent this long (the server sends a keep-alive every 15 s). */
  idleTimeoutMs?: number;
  /** A session already obtained (signed in with the passphrase) instead of a pairing token. */
  sessionToken?: string;
}

const defaultBackoff = (attempt: number): number => {
  const base = Math.min(10_000, 500 * 2 ** attempt);
  return base * (0.8 + Math.random() * 0.4);
};

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

async function answerOf(res: Response): Promise<unknown> {
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const parsed = UiErrorSchema.safeParse(body);
    if (parsed.success) throw new BridgeError(parsed.data.error.code, parsed.data.error.message);
    throw new BridgeError(`http_${res.status}`, `The companion answered ${res.status} ${res.statusText}`.trim());
  }
  return body;
}

/** Signs in with the passphrase (serve as a service, no terminal): the session token, kept only in
 *  memory like one traded for a link; or a BridgeError with the companion's words (wrong, wait…). */
export async function signInWithPassphrase(passphrase: string, doFetch: typeof fetch = globalThis.fetch.bind(globalThis)): Promise<string> {
  let res: Response;
  try {
    res = await doFetch(UI_SIGN_IN_PATH, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ passphrase }),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch {
    throw new BridgeError('unreachable', 'Cannot reach the companion. Is it still running?');
  }
  const parsed = UiSessionResponseSchema.safeParse(await answerOf(res));
  if (!parsed.success) throw new BridgeError('bad_response', 'The companion sent an answer this window does not understand.');
  return parsed.data.sessionToken;
}

/** `pairingToken` comes from the link and works once: it is traded for a session token that lives
 *  only in this page's memory (the link itself stays in the browser's history file). */
export function createWebBridge(pairingToken: string, options: WebBridgeOptions = {}): RendererBridge {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const backoff = options.backoffMs ?? defaultBackoff;
  const idleTimeoutMs = options.idleTimeoutMs ?? 45_000;
  let session: Promise<string> | undefined = options.sessionToken !== undefined ? Promise.resolve(options.sessionToken) : undefined;

  async function exchange(): Promise<string> {
    let res: Response;
    try {
      res = await doFetch(UI_SESSION_PATH, {
        method: 'POST',
        headers: { Authorization: `Bearer ${pairingToken}`, Accept: 'application/json' },
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch {
      session = undefined; // a network error may pass; try again later
      throw new BridgeError('unreachable', 'Cannot reach the companion. Is it still running?');
    }
    const body: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      const parsed = UiErrorSchema.safeParse(body);
      throw new BridgeError(parsed.success ? parsed.data.error.code : 'credential_invalid', parsed.success ? parsed.data.error.message : 'This address is not valid.');
    }
    const parsed = UiSessionResponseSchema.safeParse(body);
    if (!parsed.success) throw new BridgeError('bad_response', 'The companion sent an answer this window does not understand.');
    return parsed.data.sessionToken;
  }

  const authHeader = async (): Promise<string> => `Bearer ${await (session ??= exchange())}`;
  const snapshotListeners = new Set<(s: Snapshot) => void>();
  const connectionListeners = new Set<(s: ConnectionState) => void>();
  let connection: ConnectionState = 'connecting';
  let stream: AbortController | undefined;

  const setConnection = (next: ConnectionState): void => {
    if (next === connection) return;
    connection = next;
    for (const l of connectionListeners) l(next);
  };

  /** An authenticated POST of JSON to the web transport; the parsed answer, or a BridgeError. */
  async function post(path: string, request: unknown): Promise<unknown> {
    const auth = await authHeader();
    let res: Response;
    try {
      res = await doFetch(path, {
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(request),
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch {
      throw new BridgeError('unreachable', 'Cannot reach the companion. Is it still running?');
    }
    return answerOf(res);
  }

  async function call<M extends UiMethod>(method: M, request: UiRequest<M>): Promise<UiResponse<M>> {
    const parsed = uiContract[method].response.safeParse(await post(UI_API_PREFIX + method, request));
    if (!parsed.success) throw new BridgeError('bad_response', 'The companion sent an answer this window does not understand.');
    return parsed.data as UiResponse<M>;
  }

  /** One connection: resolves when it ends; returns whether a snapshot arrived, whether to stop, and
   *  whether it ended to start again from a whole snapshot (a delta this window could not apply). */
  async function readOnce(outer: AbortSignal): Promise<{ gotSnapshot: boolean; stop: boolean; resync?: 'at-once' | 'after-backoff' }> {
    let gotSnapshot = false;
    // A half-open connection (sleep, network change) never ends by itself: abort it when silent.
    const connection = new AbortController();
    const abort = () => connection.abort();
    outer.addEventListener('abort', abort);
    let idle = setTimeout(abort, idleTimeoutMs);
    try {
      let auth: string;
      try {
        auth = await authHeader();
      } catch (error) {
        return { gotSnapshot, stop: error instanceof BridgeError && error.code !== 'unreachable' };
      }
      const res = await doFetch(UI_EVENTS_PATH, {
        headers: { Authorization: auth, Accept: 'text/event-stream' },
        cache: 'no-store',
        credentials: 'omit',
        signal: connection.signal,
      });
      if (res.status === 401 || res.status === 403) return { gotSnapshot, stop: true };
      if (!res.ok || !res.body) return { gotSnapshot, stop: false };
      const parser = new SseParser();
      // Each connection starts with a whole snapshot; the deltas after it apply to what it holds.
      const received = new SnapshotStream();
      let appliedDelta = false;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        clearTimeout(idle);
        idle = setTimeout(abort, idleTimeoutMs);
        for (const event of parser.push(value)) {
          let got: Received;
          if (event.event === 'snapshot') {
            const raw = parseJson(event.data);
            await nextTask();
            if (raw === undefined) {
              received.forget();
              continue;
            }
            got = received.whole(raw, seqOf(event.id));
            if (!got.ok) {
              console.warn('Ignored a snapshot that does not match the contract:', got.reason);
              continue;
            }
          } else if (event.event === 'delta') {
            const raw = parseJson(event.data);
            got = raw === undefined ? { ok: false, reason: 'the delta is not JSON' } : received.delta(raw);
            if (!got.ok) {
              // Reconnecting is how this transport asks: the server starts every stream with a whole
              // snapshot. At once after deltas worked; a stream that never managed one backs off.
              console.warn('Asked the companion for a whole snapshot:', got.reason);
              return { gotSnapshot, stop: false, resync: appliedDelta ? 'at-once' : 'after-backoff' };
            }
            appliedDelta = true;
          } else continue;
          gotSnapshot = true;
          setConnection('live');
          // Parsing a large snapshot and drawing it are each a task of their own: a frame can be drawn
          // between them, instead of one task spanning two frames (bench/INBOX-REPORT.md).
          await nextTask();
          for (const l of snapshotListeners) l(got.snapshot);
        }
      }
    } catch {
      // Network error or abort: the caller decides whether to retry.
    } finally {
      clearTimeout(idle);
      outer.removeEventListener('abort', abort);
      connection.abort();
    }
    return { gotSnapshot, stop: false };
  }

  async function run(controller: AbortController): Promise<void> {
    let attempt = 0;
    while (!controller.signal.aborted) {
      const { gotSnapshot, stop, resync } = await readOnce(controller.signal);
      if (controller.signal.aborted) return;
      if (stop) {
        setConnection('rejected');
        return;
      }
      // A stream whose first delta fails again and again backs off further each time.
      if (gotSnapshot && resync !== 'after-backoff') attempt = 0;
      // The window stays live: it shows what it has while the whole snapshot comes.
      if (resync === 'at-once') continue;
      setConnection('reconnecting');
      await sleep(backoff(attempt++), controller.signal);
    }
  }

  return {
    ...contractMethods(call),
    async setSignInPassphrase(passphrase) {
      await post(UI_PASSPHRASE_PATH, { passphrase });
    },
    onSnapshot(listener) {
      snapshotListeners.add(listener);
      if (!stream) {
        stream = new AbortController();
        void run(stream);
      }
      return () => {
        snapshotListeners.delete(listener);
        if (snapshotListeners.size === 0 && stream) {
          stream.abort();
          stream = undefined;
          setConnection('connecting');
        }
      };
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(connection);
      return () => connectionListeners.delete(listener);
    },
  };
}

const nextTask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    console.warn('Ignored a push that is not JSON');
    return undefined;
  }
}

/** The sequence number the server gave a whole snapshot (its SSE event id). */
function seqOf(id: string | undefined): number | undefined {
  return id !== undefined && /^\d{1,15}$/.test(id) ? Number(id) : undefined;
}
