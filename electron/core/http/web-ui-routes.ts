// Headless mode: the same UI served to a browser on loopback, with a credential the agent never sees
// (kept in memory, handed over in the URL fragment printed by `serve`).
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { PassphraseRequestSchema, UI_API_PREFIX, UI_EVENTS_PATH, UI_METHODS, UI_PASSPHRASE_PATH, UI_SESSION_PATH, UI_SIGN_IN_PATH, type Snapshot, type UiErrorCode, type UiMethod } from '../../../shared/ui-contract.js';
import { snapshotDelta, snapshotJson } from '../../../shared/snapshot-delta.js';
import { HttpError, bearerToken, readJsonBody, requireJsonContentType, sendJson } from './http-guards.js';
import { CoreError, secretsEqual } from '../base/index.js';
import type { SignInOutcome } from './sign-in-passphrase-service.js';
import type { UiSessions } from './ui-sessions.js';

export interface WebUiContext {
  sessions: UiSessions;
  agentToken: string;
  staticDir: string;
  origin: () => string;
  callUi: (method: UiMethod, request: unknown) => Promise<unknown>;
  getSnapshot: () => Snapshot;
  onSnapshot: (listener: (s: Snapshot) => void) => () => void;
  /** The sign-in passphrase (serve as a service): set from a session, traded for one. */
  passphrase: { set(passphrase: string): Promise<void>; signIn(passphrase: string): Promise<SignInOutcome> };
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

function presentedToken(req: IncomingMessage, ctx: WebUiContext): string {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== ctx.origin()) throw new HttpError(403, 'origin_refused', 'Cross-origin requests are refused.');
  const token = bearerToken(req);
  if (!token) throw new HttpError(401, 'credential_missing', 'Open the address printed by `cowork-companion serve`; it carries the UI credential.');
  if (secretsEqual(token, ctx.agentToken)) throw new HttpError(403, 'agent_token_cannot_decide', 'The agent token can submit requests, never decide them.');
  return token;
}

function authorize(req: IncomingMessage, ctx: WebUiContext): void {
  if (!ctx.sessions.isSession(presentedToken(req, ctx))) {
    throw new HttpError(401, 'credential_invalid', 'This window is not signed in (the companion may have restarted). Open a new address from `cowork-companion serve`.');
  }
}

/** The web transport's terms for the core's refusals. */
const HTTP_STATUS: Record<UiErrorCode, number> = {
  invalid_request: 400,
  invalid_rule: 400,
  scope_refused: 400,
  rule_locked: 403,
  scope_locked: 403,
  setting_locked: 403,
  personal_rules_off: 403,
  unknown_method: 404,
  not_found: 404,
  not_shared: 404,
  not_paused: 404,
  unknown_run: 404,
  not_pending: 409,
  scope_confirm_broad: 428,
  content_changed: 409,
  journal_failed: 500,
  unsupported: 501,
  timeline_unavailable: 503,
  timeline_indexing: 503,
};

export async function handleWebUiRoute(req: IncomingMessage, res: ServerResponse, pathname: string, ctx: WebUiContext): Promise<void> {
  if (pathname.startsWith(UI_API_PREFIX)) {
    authorize(req, ctx);
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST.');
    const method = pathname.slice(UI_API_PREFIX.length) as UiMethod;
    if (!UI_METHODS.includes(method)) throw new HttpError(404, 'not_found', `No UI method ${method}.`);
    requireJsonContentType(req);
    const body = await readJsonBody(req, 64 * 1024);
    try {
      return sendJson(res, 200, await ctx.callUi(method, body));
    } catch (error) {
      if (error instanceof CoreError) throw new HttpError(HTTP_STATUS[error.code], error.code, error.message);
      throw error;
    }
  }
  if (pathname === UI_SESSION_PATH) {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST.');
    const session = ctx.sessions.exchange(presentedToken(req, ctx));
    if (!session) {
      throw new HttpError(401, 'link_used', 'This address was already used or has expired (each address works once). Press Enter in the terminal running `cowork-companion serve` for a new one.');
    }
    return sendJson(res, 200, { sessionToken: session });
  }
  if (pathname === UI_PASSPHRASE_PATH) {
    authorize(req, ctx);
    const { passphrase } = await passphraseBody(req);
    try {
      await ctx.passphrase.set(passphrase);
    } catch (error) {
      if (error instanceof CoreError) throw new HttpError(HTTP_STATUS[error.code], error.code, error.message);
      throw error;
    }
    return sendJson(res, 200, { ok: true });
  }
  if (pathname === UI_SIGN_IN_PATH) return signIn(req, res, ctx);
  if (pathname === UI_EVENTS_PATH) {
    authorize(req, ctx);
    return streamSnapshots(req, res, ctx);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'method_not_allowed', 'Use GET.');
  return serveStatic(res, pathname, ctx.staticDir);
}

async function passphraseBody(req: IncomingMessage): Promise<{ passphrase: string }> {
  if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST.');
  requireJsonContentType(req);
  const parsed = PassphraseRequestSchema.safeParse(await readJsonBody(req, 16 * 1024));
  if (!parsed.success) throw new HttpError(400, 'invalid_request', 'Send {"passphrase": "…"}.');
  return parsed.data;
}

/** The passphrase for a session. No bearer token; a page of another origin is refused like everywhere. */
async function signIn(req: IncomingMessage, res: ServerResponse, ctx: WebUiContext): Promise<void> {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== ctx.origin()) throw new HttpError(403, 'origin_refused', 'Cross-origin requests are refused.');
  const { passphrase } = await passphraseBody(req);
  const outcome = await ctx.passphrase.signIn(passphrase);
  if (outcome.ok) return sendJson(res, 200, { sessionToken: ctx.sessions.newSession() });
  if (outcome.reason === 'unavailable') {
    const why = {
      tampered: 'The sign-in passphrase file was changed outside the companion, so passphrase sign-in is refused. Set the passphrase again from a window that is signed in, or restart serve.',
      unsaved: 'The companion cannot save the count of failed tries (is its data folder writable?), so passphrase sign-in is refused until it can.',
    } as const;
    return sendJson(res, 503, { error: { code: 'sign_in_unavailable', message: why[outcome.problem] } });
  }
  const retry: Record<string, string> = outcome.retryAfterMs !== undefined ? { 'Retry-After': String(Math.ceil(outcome.retryAfterMs / 1000)) } : {};
  const answer = {
    not_set: [409, 'No sign-in passphrase is set. Set one in Settings from a window that is signed in.'],
    wrong: [401, 'Wrong passphrase. Each failure makes the next try wait longer; every try is recorded as evidence.'],
    wait: [429, 'Too soon after a failed try; wait and try again.'],
  } as const;
  const [status, message] = answer[outcome.reason];
  return sendJson(res, status, { error: { code: `sign_in_${outcome.reason}`, message }, ...(outcome.retryAfterMs !== undefined ? { retryAfterMs: outcome.retryAfterMs } : {}) }, retry);
}

/** The SSE streams' shared side: numbers for the snapshots sent, and each push's delta text made once
 *  per distinct previous snapshot (all streams normally hold the same one), not once per stream. */
class SnapshotFeed {
  private readonly numbers = new WeakMap<Snapshot, number>();
  private nextNumber = 1;
  private made: { next: Snapshot; byPrevious: Map<Snapshot, string> } | undefined;

  seqOf(snapshot: Snapshot): number {
    let seq = this.numbers.get(snapshot);
    if (seq === undefined) this.numbers.set(snapshot, (seq = this.nextNumber++));
    return seq;
  }

  wholeEvent(snapshot: Snapshot): string {
    return `event: snapshot\nid: ${this.seqOf(snapshot)}\ndata: ${snapshotJson(snapshot)}\n\n`;
  }

  deltaEvent(previous: Snapshot, next: Snapshot): string {
    if (this.made?.next !== next) this.made = { next, byPrevious: new Map() };
    let text = this.made.byPrevious.get(previous);
    if (text === undefined) {
      const delta = snapshotDelta(previous, next, { base: this.seqOf(previous), seq: this.seqOf(next) });
      text = `event: delta\ndata: ${JSON.stringify(delta)}\n\n`;
      this.made.byPrevious.set(previous, text);
    }
    return text;
  }
}
const feeds = new WeakMap<WebUiContext, SnapshotFeed>();

/** A whole snapshot first (every connection, reconnects too), then one delta per change against the
 *  last snapshot this stream sent. */
function streamSnapshots(req: IncomingMessage, res: ServerResponse, ctx: WebUiContext): void {
  let feed = feeds.get(ctx);
  if (!feed) feeds.set(ctx, (feed = new SnapshotFeed()));
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  let sent = ctx.getSnapshot();
  res.write(feed.wholeEvent(sent));
  const unsubscribe = ctx.onSnapshot((next) => {
    if (next === sent) return;
    res.write(feed.deltaEvent(sent, next));
    sent = next;
  });
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  req.on('close', () => {
    clearInterval(keepAlive);
    unsubscribe();
  });
}

async function serveStatic(res: ServerResponse, pathname: string, root: string): Promise<void> {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname === '/' ? '/index.html' : pathname);
  } catch {
    throw new HttpError(400, 'bad_path', 'Malformed path.');
  }
  const file = normalize(join(root, rel));
  if (rel.includes('\0') || !(file === root || file.startsWith(root.endsWith(sep) ? root : root + sep))) {
    throw new HttpError(404, 'not_found', 'Not found.');
  }
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch {
    throw new HttpError(404, 'not_found', 'Not found.');
  }
  res.writeHead(200, {
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': data.length,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  res.end(data);
}
