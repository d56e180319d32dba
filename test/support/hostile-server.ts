// A server on loopback that is not the companion: it keeps every request's raw bytes (to show what the
// hook client gave away) and answers whatever the test says — its own answer, or the real companion's,
// passed on or changed.
import { request } from 'node:http';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface CapturedRequest {
  /** Every byte the client sent: request line, headers, body. */
  raw: Buffer;
  method: string;
  target: string;
  /** Header names lower-cased. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: string | Buffer;
}

export interface HostileServer {
  url: string;
  requests: CapturedRequest[];
  close(): Promise<void>;
}

function parse(raw: Buffer, headEnd: number): Omit<CapturedRequest, 'raw' | 'body'> {
  const [line = '', ...lines] = raw.subarray(0, headEnd).toString('latin1').split('\r\n');
  const [method = '', target = ''] = line.split(' ');
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  return { method, target, headers };
}

/** Framing headers this server sets itself (a passed-on answer's own would clash). */
const HOP = ['content-type', 'content-length', 'connection', 'keep-alive', 'transfer-encoding'];

export async function startHostileServer(answer: (req: CapturedRequest) => Reply | Promise<Reply>): Promise<HostileServer> {
  const requests: CapturedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buf = Buffer.alloc(0);
    let done = false;
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const headEnd = buf.indexOf('\r\n\r\n');
      if (done || headEnd < 0) return;
      const head = parse(buf, headEnd);
      const length = Number(head.headers['content-length'] ?? 0);
      if (buf.length < headEnd + 4 + length) return;
      done = true;
      const captured: CapturedRequest = { raw: buf, ...head, body: buf.subarray(headEnd + 4, headEnd + 4 + length) };
      requests.push(captured);
      void Promise.resolve(answer(captured)).then((reply) => {
        const body = Buffer.from(reply.body);
        const passed = Object.entries(reply.headers ?? {}).filter(([k]) => !HOP.includes(k.toLowerCase()));
        const type = Object.entries(reply.headers ?? {}).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? 'application/json';
        const headers = { 'Content-Type': type, ...Object.fromEntries(passed), 'Content-Length': String(body.length), Connection: 'close' };
        const head = `HTTP/1.1 ${reply.status} X\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
        socket.end(Buffer.concat([Buffer.from(head, 'latin1'), body]));
      }, (error: unknown) => socket.destroy(error as Error));
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Sends a captured request on to `base` (the real companion) as it came, apart from Host. */
export function forward(captured: CapturedRequest, base: string, change: { body?: string | Buffer } = {}): Promise<Reply & { headers: Record<string, string> }> {
  const body = change.body === undefined ? captured.body : Buffer.from(change.body);
  const { host: _host, connection: _c, 'content-length': _l, ...headers } = captured.headers;
  return new Promise((resolve, reject) => {
    const req = request(new URL(captured.target, base), { method: captured.method, headers: { ...headers, 'Content-Length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') out[k] = v;
        resolve({ status: res.statusCode ?? 0, headers: out, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
