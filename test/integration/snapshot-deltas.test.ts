// The web transport's push channel on a real core and loopback server: a whole snapshot when a stream
// opens, then deltas; one decision among many pending requests costs a delta far smaller than the
// snapshot, made once for every stream that holds the same snapshot.
import { request, type ClientRequest } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SnapshotSchema, UI_EVENTS_PATH, type Snapshot } from '../../shared/ui-contract.js';
import { SnapshotStream } from '../../renderer/src/bridge/snapshot-stream.js';
import { SseParser, type SseEvent } from '../../renderer/src/bridge/sse-parser.js';
import { fixtureIn } from '../support/fixtures.js';
import { startTestCore, type TestCore } from '../support/start-core.js';

const N = 200;
let t: TestCore | undefined;
const open: ClientRequest[] = [];
afterEach(async () => {
  for (const req of open.splice(0)) req.destroy();
  await t?.dispose();
  t = undefined;
});

/** A Write into the read-only shared folder (a person decides it), of one of 20 runs. */
function writeRequest(projectDir: string, n: number): Record<string, unknown> {
  const payload = fixtureIn<Record<string, unknown> & { tool_input: Record<string, unknown> }>('input/pretooluse-write.json', projectDir);
  return { ...payload, session_id: `run-${n % 20}`, tool_use_id: `toolu_delta_${n}`, tool_input: { ...payload.tool_input, file_path: join(projectDir, 'src', 'refunds', `file${n}.ts`) } };
}

/** An open /ui/events stream: its events as they come. */
function events(core: TestCore): { until(check: (e: SseEvent) => boolean, what: string): Promise<SseEvent>; all: SseEvent[] } {
  const all: SseEvent[] = [];
  const waiters = new Set<() => void>();
  const parser = new SseParser();
  const req = request(`${core.core.agentApiUrl}${UI_EVENTS_PATH}`, { headers: { Authorization: `Bearer ${core.uiToken}`, Accept: 'text/event-stream' } }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      all.push(...parser.push(chunk));
      for (const w of waiters) w();
    });
  });
  req.end();
  open.push(req);
  let seen = 0;
  return {
    all,
    until: (check, what) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no event: ${what}`)), 10_000);
        const look = (): void => {
          for (; seen < all.length; seen++) {
            if (check(all[seen]!)) {
              clearTimeout(timer);
              waiters.delete(look);
              resolve(all[seen++]!);
              return;
            }
          }
        };
        waiters.add(look);
        look();
      }),
  };
}

describe('snapshot deltas over SSE', () => {
  it(`with ${N} pending, a decision sends a delta far smaller than the snapshot, the same text to every stream, and the receiver rebuilds the snapshot`, async () => {
    const core = (t = await startTestCore({ share: 'read', budgetMs: 120_000 }));
    const answers = Array.from({ length: N }, (_, n) => core.hook(writeRequest(core.projectDir, n)));
    for (const a of answers) a.catch(() => undefined); // answered at dispose
    await core.waitForPending(N, 30_000);

    const a = events(core);
    const b = events(core);
    const wholeA = await a.until(() => true, 'the first event of stream a');
    const wholeB = await b.until(() => true, 'the first event of stream b');
    expect(wholeA).toMatchObject({ event: 'snapshot', id: expect.stringMatching(/^\d+$/) });
    expect(wholeB).toMatchObject({ event: 'snapshot', id: expect.stringMatching(/^\d+$/) });
    expect(SnapshotSchema.parse(JSON.parse(wholeA.data)).pending).toHaveLength(N);

    const received = new SnapshotStream();
    const first = received.whole(JSON.parse(wholeA.data), Number(wholeA.id));
    if (!first.ok) throw new Error(first.reason);

    // Both streams hold the same snapshot once a push went to both; then a decision.
    await core.ui('setSandboxedBash', { mode: 'allow' });
    await a.until((e) => e.event === 'delta' && (JSON.parse(e.data) as { set: Record<string, unknown> }).set['settings'] !== undefined, 'the setting on stream a');
    await b.until((e) => e.event === 'delta' && (JSON.parse(e.data) as { set: Record<string, unknown> }).set['settings'] !== undefined, 'the setting on stream b');
    const item = first.snapshot.pending[17]!;
    expect((await core.ui('deny', { id: item.id, contentHash: item.contentHash, reason: 'not this one' })).status).toBe(200);
    const removes = (e: SseEvent): boolean => e.event === 'delta' && ((JSON.parse(e.data) as { pending?: { remove: string[] } }).pending?.remove ?? []).includes(item.id);
    const decidedA = await a.until(removes, 'the decision on stream a');
    const decidedB = await b.until(removes, 'the decision on stream b');

    expect(decidedA.data).toBe(decidedB.data);
    const delta = JSON.parse(decidedA.data) as { base: number; seq: number; set: Record<string, unknown>; pending: { upsert: unknown[]; remove: string[]; order?: string[] } };
    expect(delta.pending).toEqual({ upsert: [], remove: [item.id] });
    expect(Object.keys(delta.set)).toContain('recent');
    expect(Object.keys(delta.set)).not.toContain('scope');
    const snapshotBytes = Buffer.byteLength(wholeA.data);
    const deltaBytes = Buffer.byteLength(decidedA.data);
    expect(snapshotBytes).toBeGreaterThan(100_000);
    expect(deltaBytes * 20).toBeLessThan(snapshotBytes);

    // The receiver, fed every delta of stream a in turn, holds what a new stream's whole snapshot says.
    let held: Snapshot = first.snapshot;
    for (const e of a.all.slice(1)) {
      if (e.event !== 'delta') continue;
      const got = received.delta(JSON.parse(e.data));
      if (!got.ok) throw new Error(got.reason);
      held = got.snapshot;
      if (e === decidedA) break;
    }
    expect(held.pending.map((p) => p.id)).toEqual(first.snapshot.pending.filter((p) => p.id !== item.id).map((p) => p.id));
    expect(held.pending[0]).toBe(first.snapshot.pending[0]);
    expect(held.settings.sandboxedBash.mode).toBe('allow');

    // A new connection (a reconnect) starts again with a whole snapshot, the decision in it.
    const c = events(core);
    const wholeC = await c.until(() => true, 'the first event of stream c');
    expect(wholeC.event).toBe('snapshot');
    const fresh = SnapshotSchema.parse(JSON.parse(wholeC.data));
    expect(fresh.pending).toEqual(held.pending);
    expect(fresh.recent).toEqual(held.recent);
  }, 60_000);
});
