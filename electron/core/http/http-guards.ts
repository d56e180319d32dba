// Small, strict helpers shared by the agent API and the web UI routes on the loopback server.
import type { IncomingMessage, ServerResponse } from 'node:http';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Close the connection after answering (the rest of the body is not read). */
    readonly closeConnection = false,
  ) {
    super(message);
  }
}

/** Headers that vouch for an answer (its status and exact body), added by sendJson. */
export type AnswerProver = (status: number, text: string) => Record<string, string>;
const provers = new WeakMap<ServerResponse, AnswerProver>();

/** From now on every answer sent on `res` — decisions and errors alike — carries `prover`'s headers. */
export function proveAnswers(res: ServerResponse, prover: AnswerProver): void {
  provers.set(res, prover);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...extra,
    ...provers.get(res)?.(status, text),
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, { error: { code: error.code, message: error.message } }, error.closeConnection ? { Connection: 'close' } : {});
}

/** Exact Host allow-list: defeats DNS rebinding (a foreign name resolving to 127.0.0.1). */
export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function checkHost(req: IncomingMessage, hosts: Set<string>): void {
  const host = req.headers.host?.toLowerCase();
  if (!host || !hosts.has(host)) throw new HttpError(421, 'host_not_allowed', 'This Host is not served here.');
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  const m = auth ? /^Bearer\s+(\S+)\s*$/i.exec(auth) : null;
  return m?.[1];
}

export function requireJsonContentType(req: IncomingMessage): void {
  const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HttpError(415, 'unsupported_media_type', 'Send the body as application/json.');
  }
}

/** The body as read: its text (UTF-8) and its bytes (a binary body such as protobuf needs them). */
export type BodyText = { ok: true; text: string; bytes: Buffer } | { ok: false; prefix: string };

/** Reads the body up to `limit` bytes; past that, stops reading and keeps only its first bytes. */
export async function readBodyText(req: IncomingMessage, limit: number, prefixBytes = 64 * 1024): Promise<BodyText> {
  const declared = Number(req.headers['content-length']);
  const chunks: Buffer[] = [];
  let size = 0;
  const tooLarge = (): BodyText => ({ ok: false, prefix: Buffer.concat(chunks).subarray(0, prefixBytes).toString('utf8') });
  if (Number.isFinite(declared) && declared > limit) {
    // Too large by its own account: read only as much as the caller wants to see of it.
    if (prefixBytes > 0) {
      for await (const chunk of req as AsyncIterable<Buffer>) {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= prefixBytes) break;
      }
    }
    return tooLarge();
  }
  // Within the limit by its own account (the HTTP parser holds a body to its Content-Length): read
  // with plain events — a hook's answer waits on this, and an async iterator costs more than the body.
  if (Number.isFinite(declared)) return readDeclared(req);
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    chunks.push(chunk);
    if (size > limit) return tooLarge();
  }
  const bytes = Buffer.concat(chunks);
  return { ok: true, text: bytes.toString('utf8'), bytes };
}

function readDeclared(req: IncomingMessage): Promise<BodyText> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer): void => void chunks.push(chunk);
    const onEnd = (): void => {
      done();
      const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      resolve({ ok: true, text: bytes.toString('utf8'), bytes });
    };
    // Closed before its end (the client went away mid-body): as the iterator would, fail.
    const onClose = (): void => {
      done();
      reject(Object.assign(new Error('The request closed before its body ended.'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    };
    const onError = (error: Error): void => {
      done();
      reject(error);
    };
    const done = (): void => {
      req.off('data', onData).off('end', onEnd).off('close', onClose).off('error', onError);
    };
    req.on('data', onData).once('end', onEnd).once('close', onClose).once('error', onError);
  });
}

/** Reads the whole body up to `limit` bytes and parses it as JSON. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const body = await readBodyText(req, limit, 0);
  if (!body.ok) throw new HttpError(413, 'body_too_large', `The body is larger than ${limit} bytes.`, true);
  return parseJsonText(body.text);
}

export function parseJsonText(text: string): unknown {
  if (text.trim() === '') throw new HttpError(400, 'empty_body', 'The body is empty; send a JSON object.');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpError(400, 'malformed_json', `The body is not valid JSON: ${(error as Error).message}`);
  }
}
