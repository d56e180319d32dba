// A scripted stand-in for Anthropic's Messages API, for driving the real Claude Code client in tests:
// a loopback HTTP server that answers `POST /v1/messages` (Claude Code adds `?beta=true`) with the
// streamed SSE events the real API sends (message_start, content_block_start / content_block_delta /
// content_block_stop, message_delta, message_stop). A script decides each answer from the request, and
// every request body is recorded so a test can read what reached the model (e.g. a tool_result).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ContentBlock {
  type: string;
  text?: string;
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  content?: string | ContentBlock[];
  is_error?: boolean;
}

export interface MessagesRequest {
  model: string;
  messages: { role: 'user' | 'assistant'; content: string | ContentBlock[] }[];
  tools?: { name: string }[];
  stream?: boolean;
  system?: unknown;
}

/** What the stand-in answers: plain text, or one tool call (the model asking to use a tool). */
export type ScriptedReply = { text: string } | { toolUse: { name: string; input: Record<string, unknown>; id?: string } };

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: MessagesRequest;
}

export interface MessagesApiStandin {
  /** The base URL for ANTHROPIC_BASE_URL. */
  url: string;
  requests: RecordedRequest[];
  /** The tool_result blocks the client sent back, in order, by tool_use id. */
  toolResults(): Map<string, ContentBlock>;
  close(): Promise<void>;
}

/** The text of a tool_result (a string, or text blocks). */
export function toolResultText(block: ContentBlock | undefined): string {
  if (!block) return '';
  if (typeof block.content === 'string') return block.content;
  return (block.content ?? []).map((b) => b.text ?? '').join('');
}

const sse = (res: ServerResponse, event: string, data: unknown): void => {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
};

function streamReply(res: ServerResponse, model: string, reply: ScriptedReply): void {
  const id = `msg_standin_${randomBytes(8).toString('hex')}`;
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'request-id': `req_${id}` });
  const usage = { input_tokens: 12, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 };
  sse(res, 'message_start', { type: 'message_start', message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage } });
  if ('text' in reply) {
    sse(res, 'content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    sse(res, 'content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: reply.text } });
    sse(res, 'content_block_stop', { type: 'content_block_stop', index: 0 });
    sse(res, 'message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 5 } });
  } else {
    const toolId = reply.toolUse.id ?? `toolu_standin_${randomBytes(8).toString('hex')}`;
    const json = JSON.stringify(reply.toolUse.input);
    sse(res, 'content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: toolId, name: reply.toolUse.name, input: {} } });
    // The real API streams the input as partial JSON in pieces.
    const mid = Math.floor(json.length / 2);
    for (const part of [json.slice(0, mid), json.slice(mid)]) {
      sse(res, 'content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: part } });
    }
    sse(res, 'content_block_stop', { type: 'content_block_stop', index: 0 });
    sse(res, 'message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 20 } });
  }
  sse(res, 'message_stop', { type: 'message_stop' });
  res.end();
}

/** Starts the stand-in on 127.0.0.1 (any free port). `script` answers each request. */
export async function startMessagesApiStandin(script: (request: MessagesRequest, index: number) => ScriptedReply): Promise<MessagesApiStandin> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (req.method !== 'POST' || !path.startsWith('/v1/messages') || path.startsWith('/v1/messages/')) {
        res.writeHead(404, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: `stand-in: no ${req.method} ${path}` } }));
        return;
      }
      let body: MessagesRequest;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as MessagesRequest;
      } catch {
        res.writeHead(400, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'stand-in: body is not JSON' } }));
        return;
      }
      requests.push({ path, headers: req.headers, body });
      let reply: ScriptedReply;
      try {
        reply = script(body, requests.length - 1);
      } catch (error) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: `stand-in script: ${(error as Error).message}` } }));
        return;
      }
      if (body.stream === false) {
        // Not what Claude Code sends for a turn, but answer in kind.
        const content = 'text' in reply ? [{ type: 'text', text: reply.text }] : [{ type: 'tool_use', id: reply.toolUse.id ?? 'toolu_standin', name: reply.toolUse.name, input: reply.toolUse.input }];
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id: 'msg_standin', type: 'message', role: 'assistant', model: body.model, content, stop_reason: 'text' in reply ? 'end_turn' : 'tool_use', stop_sequence: null, usage: { input_tokens: 12, output_tokens: 5 } }));
        return;
      }
      streamReply(res, body.model, reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    toolResults() {
      const out = new Map<string, ContentBlock>();
      for (const r of requests) {
        for (const m of r.body.messages) {
          if (m.role !== 'user' || typeof m.content === 'string') continue;
          for (const b of m.content) if (b.type === 'tool_result' && b.tool_use_id) out.set(b.tool_use_id, b);
        }
      }
      return out;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
