// One loopback HTTP server: agent routes (/hooks/*) and, in headless mode, the web UI.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAgentRoute, isAgentRoute, type AgentApiContext } from './agent-api-routes.js';
import { HttpError, allowedHosts, checkHost, sendError } from './http-guards.js';
import { handleWebUiRoute, type WebUiContext } from './web-ui-routes.js';

export const LOOPBACK_HOST = '127.0.0.1';
/** How reading a request fails when its client goes away mid-body. */
const CLIENT_GONE = new Set(['ECONNRESET', 'ERR_STREAM_PREMATURE_CLOSE']);

export interface LoopbackServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startLoopbackServer(
  port: number,
  agent: AgentApiContext,
  webUi: WebUiContext | undefined,
  onError: (error: unknown) => void,
): Promise<LoopbackServer> {
  let hosts = new Set<string>();
  const server: Server = createServer((req, res) => {
    const run = async (): Promise<void> => {
      checkHost(req, hosts);
      const pathname = new URL(req.url ?? '/', 'http://x').pathname;
      if (isAgentRoute(pathname)) return handleAgentRoute(req, res, pathname, agent);
      if (webUi) return handleWebUiRoute(req, res, pathname, webUi);
      throw new HttpError(404, 'not_found', 'Not found.');
    };
    run().catch((error: unknown) => {
      if (error instanceof HttpError) return sendError(res, error);
      // The client left before its request was whole: no one to answer, and nothing went wrong here.
      if (req.destroyed && CLIENT_GONE.has((error as NodeJS.ErrnoException)?.code ?? '')) return;
      onError(error);
      sendError(res, new HttpError(500, 'internal_error', 'Internal error; the request was not decided.'));
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 0; // hooks long-poll for minutes; the broker's budget bounds the wait
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK_HOST, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  hosts = allowedHosts(actual);
  return {
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
