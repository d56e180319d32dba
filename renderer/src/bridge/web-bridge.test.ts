import { describe, it, expect, vi } from 'vitest';
import { snapshotDelta, snapshotJson } from '../../../shared/snapshot-delta.js';
import type { Snapshot } from '../../../shared/ui-contract.js';
import { makeItem, makeSnapshot } from '../testing/snapshot-fixtures.js';
import type { ConnectionState } from './renderer-bridge.js';
import { createWebBridge } from './web-bridge.js';

const snapshot = (version: number) => makeSnapshot(version);
const sse = (...events: string[]) => events.map((e) => `event: snapshot\ndata: ${e}\n\n`).join('');
/** The server's events: a whole snapshot numbered `seq`, and a delta from one numbered snapshot to the next. */
const whole = (s: Snapshot, seq: number) => `event: snapshot\nid: ${seq}\ndata: ${snapshotJson(s)}\n\n`;
const delta = (from: Snapshot, to: Snapshot, base: number, seq: number) => `event: delta\ndata: ${JSON.stringify(snapshotDelta(from, to, { base, seq }))}\n\n`;
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const stream = (text: string) => new Response(text, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
/** A stream that sends `text` and then stays open. */
const openStream = (text: string) =>
  new Response(new ReadableStream<Uint8Array>({ start: (c) => c.enqueue(new TextEncoder().encode(text)) }), { status: 200, headers: { 'Content-Type': 'text/event-stream' } });

/** The server side of pairing: the link token 'pair' is traded once for the session token 'tok'. */
function paired(inner: (input: string, init?: RequestInit) => Promise<Response>): typeof fetch {
  let used = false;
  return (async (input: string, init?: RequestInit) => {
    if (input !== '/ui/session') return inner(input, init);
    const auth = (init?.headers as Record<string, string>).Authorization;
    if (used || auth !== 'Bearer pair') return json(401, { error: { code: 'link_used', message: 'This address was already used.' } });
    used = true;
    return json(200, { sessionToken: 'tok' });
  }) as typeof fetch;
}

function waitFor(check: () => boolean): Promise<void> {
  return vi.waitFor(() => {
    if (!check()) throw new Error('not yet');
  });
}

describe('createWebBridge calls', () => {
  it('POSTs the request with the bearer token and returns the parsed answer', async () => {
    const fetch = vi.fn(async () => json(200, { ok: true }));
    const bridge = createWebBridge('pair', { fetch: paired(fetch) });
    await expect(bridge.approve({ id: 'a1', contentHash: 'h' })).resolves.toEqual({ ok: true });
    expect(fetch).toHaveBeenCalledWith('/ui/api/approve', expect.objectContaining({ method: 'POST', body: '{"id":"a1","contentHash":"h"}' }));
    const init = (fetch.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect(init.headers).toMatchObject({ Authorization: 'Bearer tok', 'Content-Type': 'application/json' });
  });

  it('surfaces the core error message', async () => {
    const fetch = vi.fn(async () => json(409, { error: { code: 'not_pending', message: 'This request is no longer pending.' } }));
    const bridge = createWebBridge('pair', { fetch: paired(fetch) });
    await expect(bridge.deny({ id: 'a1', contentHash: 'h', reason: 'no' })).rejects.toMatchObject({
      code: 'not_pending',
      message: 'This request is no longer pending.',
    });
  });

  it('reports an unreachable companion and a malformed answer', async () => {
    const down = createWebBridge('pair', { fetch: vi.fn(async () => Promise.reject(new TypeError('fetch failed'))) });
    await expect(down.hold({ id: 'a', contentHash: 'h' })).rejects.toMatchObject({ code: 'unreachable' });
    const odd = createWebBridge('pair', { fetch: paired(vi.fn(async () => json(200, { ok: 'yes' }))) });
    await expect(odd.hold({ id: 'a', contentHash: 'h' })).rejects.toMatchObject({ code: 'bad_response' });
  });
});

describe('createWebBridge pairing', () => {
  it('trades the link token once and then uses only the session token', async () => {
    const fetch = vi.fn(async () => json(200, { ok: true }));
    const bridge = createWebBridge('pair', { fetch: paired(fetch) });
    await bridge.approve({ id: 'a', contentHash: 'h' });
    await bridge.hold({ id: 'a', contentHash: 'h' });
    for (const call of fetch.mock.calls as unknown as [string, RequestInit][]) {
      expect(call[1].headers).toMatchObject({ Authorization: 'Bearer tok' });
    }
  });

  it('explains a used link and stops the stream', async () => {
    const bridge = createWebBridge('stale', { fetch: paired(vi.fn(async () => json(200, { ok: true }))) });
    await expect(bridge.approve({ id: 'a', contentHash: 'h' })).rejects.toMatchObject({ code: 'link_used' });
    const states: ConnectionState[] = [];
    bridge.onConnection?.((s) => states.push(s));
    bridge.onSnapshot(() => undefined);
    await waitFor(() => states.includes('rejected'));
  });
});

describe('createWebBridge live snapshots', () => {
  it('delivers valid snapshots, skips invalid ones and reconnects when the stream ends', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const responses = [stream(sse(JSON.stringify(snapshot(1)), '{"version":"x"}')), stream(sse(JSON.stringify(snapshot(2))))];
    const fetch = vi.fn(async () => responses.shift() ?? new Promise<Response>(() => {}));
    const bridge = createWebBridge('pair', { fetch: paired(fetch), backoffMs: () => 1 });
    const states: ConnectionState[] = [];
    bridge.onConnection?.((s) => states.push(s));
    const seen: number[] = [];
    const off = bridge.onSnapshot((s) => seen.push(s.version));
    await waitFor(() => seen.length === 2);
    expect(seen).toEqual([1, 2]);
    expect(states.slice(0, 4)).toEqual(['connecting', 'live', 'reconnecting', 'live']);
    expect(fetch).toHaveBeenCalledWith('/ui/events', expect.objectContaining({ headers: expect.objectContaining({ Authorization: 'Bearer tok' }) }));
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
    off();
  });

  it('stops and reports a rejected credential on 401', async () => {
    const fetch = vi.fn(async () => json(401, { error: { code: 'credential_invalid', message: 'no' } }));
    const bridge = createWebBridge('pair', { fetch: paired(fetch), backoffMs: () => 1 });
    const states: ConnectionState[] = [];
    bridge.onConnection?.((s) => states.push(s));
    bridge.onSnapshot(() => {});
    await waitFor(() => states.includes('rejected'));
    await new Promise((r) => setTimeout(r, 20));
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('reconnects when the stream goes silent', async () => {
    const silent = (_url: RequestInfo | URL, init?: RequestInit) => {
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(sse(JSON.stringify(snapshot(1)))));
          init?.signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
        },
      });
      return Promise.resolve(new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }));
    };
    const fetch = vi.fn(silent);
    const bridge = createWebBridge('pair', { fetch: paired(fetch), backoffMs: () => 1, idleTimeoutMs: 20 });
    const off = bridge.onSnapshot(() => {});
    await waitFor(() => fetch.mock.calls.length >= 2);
    off();
  });

  it('backs off while the companion is unreachable', async () => {
    let calls = 0;
    const fetch = vi.fn(async () => {
      calls += 1;
      throw new TypeError('fetch failed');
    });
    const backoffMs = vi.fn(() => 1);
    const bridge = createWebBridge('pair', { fetch: paired(fetch), backoffMs });
    const off = bridge.onSnapshot(() => {});
    await waitFor(() => calls >= 3);
    off();
    expect(backoffMs.mock.calls.slice(0, 3)).toEqual([[0], [1], [2]]);
  });

  const items = Array.from({ length: 50 }, (_, i) => makeItem(`a${i}`));
  const v1 = makeSnapshot(1, items);
  const v2 = makeSnapshot(2, items.filter((i) => i.id !== 'a3'));
  const v3 = makeSnapshot(3, [...v2.pending, makeItem('new')], { evidence: { ...v1.evidence, queued: 4 } });

  it('turns the deltas after the whole snapshot back into whole snapshots, keeping unchanged items', async () => {
    const fetch = vi.fn(async () => (fetch.mock.calls.length === 1 ? stream(whole(v1, 5) + delta(v1, v2, 5, 6) + delta(v2, v3, 6, 9)) : new Promise<Response>(() => {})));
    const bridge = createWebBridge('pair', { fetch: paired(fetch), backoffMs: () => 1 });
    const seen: Snapshot[] = [];
    const off = bridge.onSnapshot((s) => seen.push(s));
    await waitFor(() => seen.length === 3);
    const wire = (s: Snapshot) => JSON.parse(JSON.stringify(s)) as unknown;
    expect(seen.map(wire)).toEqual([v1, v2, v3].map(wire));
    expect(seen[2]!.pending[0]).toBe(seen[0]!.pending[0]);
    expect(seen[2]!.scope).toBe(seen[0]!.scope);
    off();
  });

  it('a delta for another snapshot than the one held: says so and starts the stream again at once, staying live', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const v9 = makeSnapshot(9, v3.pending);
    const responses = [openStream(whole(v1, 5) + delta(v1, v2, 5, 6) + delta(v2, v3, 7, 8)), openStream(whole(v9, 10))];
    const fetch = vi.fn(async () => responses.shift() ?? new Promise<Response>(() => {}));
    const backoffMs = vi.fn(() => 1);
    const bridge = createWebBridge('pair', { fetch: paired(fetch), backoffMs });
    const states: ConnectionState[] = [];
    bridge.onConnection?.((s) => states.push(s));
    const seen: number[] = [];
    const off = bridge.onSnapshot((s) => seen.push(s.version));
    await waitFor(() => seen.length === 3);
    expect(seen).toEqual([1, 2, 9]);
    expect(warn).toHaveBeenCalledWith('Asked the companion for a whole snapshot:', expect.stringMatching(/applies to snapshot 7, this window holds 6/));
    expect(states).toEqual(['connecting', 'live']);
    expect(backoffMs).not.toHaveBeenCalled();
    warn.mockRestore();
    off();
  });

  it('a delta that fails right after every whole snapshot backs off, further each time', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const broken = `event: delta\ndata: {"base":5,"seq":6,"set":{"version":"x"}}\n\n`;
    const fetch = vi.fn(async () => stream(whole(v1, 5) + broken));
    const backoffMs = vi.fn(() => 1);
    const bridge = createWebBridge('pair', { fetch: paired(fetch), backoffMs });
    const off = bridge.onSnapshot(() => {});
    await waitFor(() => backoffMs.mock.calls.length >= 3);
    off();
    expect(backoffMs.mock.calls.slice(0, 3)).toEqual([[0], [1], [2]]);
    expect(warn).toHaveBeenCalledWith('Asked the companion for a whole snapshot:', expect.stringMatching(/contract/));
    warn.mockRestore();
  });
});
