// Snapshot deltas (shared/snapshot-delta.ts): what the receiver makes of a delta is what it would have
// made of the whole snapshot, what did not change keeps its identity, and a delta that is not the
// contract's or does not fit the snapshot held is refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applySnapshotDelta, readSnapshotDelta, snapshotDelta, snapshotJson, type SnapshotDelta } from '../../shared/snapshot-delta.js';
import { SnapshotSchema, type ApprovalItem, type Snapshot } from '../../shared/ui-contract.js';
import { makeItem, makeSnapshot } from '../../renderer/src/testing/snapshot-fixtures.js';

/** An item of one of the kinds the Inbox shows: a sandboxed Bash call, a Write with a preview and a rule, an MCP call. */
function realisticItem(n: number): ApprovalItem {
  const session = `session-${n % 7}`;
  if (n % 3 === 0) return makeItem(`bash-${n}`, 'Bash', { sessionId: session, targets: { paths: [], command: `npm test -- --grep case-${n}` }, sandbox: { sandboxed: true, writable: ['/w/project'] }, preview: { kind: 'bash', revision: `r${n}` }, noRuleReason: 'shell-syntax' });
  if (n % 3 === 1) {
    return makeItem(`write-${n}`, 'Write', {
      sessionId: session,
      targets: { paths: [`/w/project/src/module-${n}.ts`] },
      proposedRule: { toolName: 'Write', match: { kind: 'path-prefix', path: '/w/project/src' }, effect: 'allow' },
      preview: { kind: 'file-change', revision: `sha-${n}` },
      note: 'A write into a read-only shared folder.',
    });
  }
  return makeItem(`mcp-${n}`, 'mcp__github__create_issue', { sessionId: session, targets: { paths: [], mcp: { server: 'github', tool: 'create_issue' } }, preview: { kind: 'mcp', revision: `m${n}` } });
}

function realisticSnapshot(count = 60): Snapshot {
  const pending = Array.from({ length: count }, (_, i) => realisticItem(i));
  return makeSnapshot(1, pending, {
    recent: [{ approvalId: 'old-1', toolName: 'Read', sessionId: 'session-1', decision: 'allow', source: 'rule', decidedAt: '2026-11-25T09:00:00.000Z', rule: 'rule:r1' }],
    rules: [{ id: 'r1', toolName: 'Read', match: { kind: 'path-prefix', path: '/w/project' }, effect: 'allow', origin: 'person', lifetime: 'always', createdAt: '2026-11-25T08:00:00.000Z', description: 'Allows reading in /w/project.', hits: 3, locked: false }],
    pausedRuns: [{ sessionId: 'session-3', since: '2026-11-25T09:30:00.000Z', reason: 'too many requests' }],
  });
}

/** What a receiver holds after a whole snapshot went over the wire and was checked. */
const overTheWire = (s: Snapshot): Snapshot => SnapshotSchema.parse(JSON.parse(snapshotJson(s)));
/** A delta as it arrives over SSE: JSON text, then checked. */
function received(delta: SnapshotDelta): SnapshotDelta {
  const read = readSnapshotDelta(JSON.parse(JSON.stringify(delta)));
  if (!read.ok) throw new Error(read.reason);
  return read.delta;
}

type Mutation =
  | { kind: 'remove'; at: number }
  | { kind: 'add'; at: number }
  | { kind: 'change-item'; at: number; held: boolean; duplicates: number }
  | { kind: 'move'; from: number; to: number }
  | { kind: 'evidence'; queued: number }
  | { kind: 'recent'; n: number }
  | { kind: 'language'; language: 'en' | 'id' | 'ja' }
  | { kind: 'clear-paused' }
  | { kind: 'tick' };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('add' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('change-item' as const), at: fc.nat(), held: fc.boolean(), duplicates: fc.nat({ max: 5 }) }),
  fc.record({ kind: fc.constant('move' as const), from: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('evidence' as const), queued: fc.nat({ max: 1000 }) }),
  fc.record({ kind: fc.constant('recent' as const), n: fc.nat({ max: 1_000_000 }) }),
  fc.record({ kind: fc.constant('language' as const), language: fc.constantFrom('en' as const, 'id' as const, 'ja' as const) }),
  fc.constant({ kind: 'clear-paused' as const }),
  fc.constant({ kind: 'tick' as const }),
);

let added = 10_000;
/** The next snapshot the core would make: new objects throughout (as getSnapshot builds them), with the mutations applied. */
function mutate(previous: Snapshot, mutations: Mutation[]): Snapshot {
  const next = structuredClone(previous);
  next.version += 1;
  next.serverTime = new Date(Date.parse(previous.serverTime) + 1000).toISOString();
  for (const m of mutations) {
    const at = (i: number) => (next.pending.length === 0 ? 0 : i % next.pending.length);
    if (m.kind === 'remove' && next.pending.length > 0) next.pending.splice(at(m.at), 1);
    else if (m.kind === 'add') next.pending.splice(m.at % (next.pending.length + 1), 0, realisticItem(added++));
    else if (m.kind === 'change-item' && next.pending.length > 0) Object.assign(next.pending[at(m.at)]!, { held: m.held, duplicates: m.duplicates });
    else if (m.kind === 'move' && next.pending.length > 0) next.pending.splice(at(m.to), 0, ...next.pending.splice(at(m.from), 1));
    else if (m.kind === 'evidence') next.evidence = { ...next.evidence, queued: m.queued };
    else if (m.kind === 'recent') next.recent = [{ approvalId: `a-${m.n}`, toolName: 'Bash', sessionId: 's', decision: 'deny' as const, source: 'user' as const, decidedAt: next.serverTime }, ...next.recent].slice(0, 20);
    else if (m.kind === 'language') next.settings = { ...next.settings, language: m.language };
    else if (m.kind === 'clear-paused') next.pausedRuns = [];
  }
  return next;
}

describe('snapshotDelta and applySnapshotDelta', () => {
  it('over many random changes, applying each delta to what the receiver holds gives what the whole snapshot would', () => {
    fc.assert(
      fc.property(fc.array(fc.array(mutationArb, { maxLength: 6 }), { minLength: 1, maxLength: 12 }), (steps) => {
        let sent = realisticSnapshot();
        let held = overTheWire(sent);
        let seq = 1;
        for (const mutations of steps) {
          const next = mutate(sent, mutations);
          const delta = received(snapshotDelta(sent, next, { base: seq, seq: seq + 1 }));
          const applied = applySnapshotDelta(held, delta);
          if (!applied.ok) throw new Error(applied.reason);
          expect(applied.snapshot).toEqual(overTheWire(next));
          // The items that did not change are the very objects the receiver held.
          const before = new Map(held.pending.map((item) => [item.id, item]));
          const changed = new Set(delta.pending?.upsert.map((item) => item.id) ?? []);
          for (const item of applied.snapshot.pending) if (!changed.has(item.id)) expect(item).toBe(before.get(item.id));
          [sent, held, seq] = [next, applied.snapshot, seq + 1];
        }
      }),
      { numRuns: 150 },
    );
  });

  it('also applies as it is made, without the wire in between', () => {
    fc.assert(
      fc.property(fc.array(mutationArb, { maxLength: 6 }), (mutations) => {
        const previous = realisticSnapshot(20);
        const next = mutate(previous, mutations);
        const applied = applySnapshotDelta(previous, snapshotDelta(previous, next, { base: 1, seq: 2 }));
        expect(applied.ok && applied.snapshot).toEqual(next);
      }),
    );
  });

  it('a push that changes one item carries that item and the keys that changed, and keeps everything else', () => {
    const previous = realisticSnapshot(200);
    const next = mutate(previous, [{ kind: 'change-item', at: 5, held: true, duplicates: 0 }]);
    const delta = snapshotDelta(previous, next, { base: 7, seq: 8 });
    expect(Object.keys(delta.set).sort()).toEqual(['serverTime', 'version']);
    expect(delta.pending).toEqual({ upsert: [next.pending[5]], remove: [] });
    expect(JSON.stringify(delta).length).toBeLessThan(snapshotJson(next).length / 50);
    const applied = applySnapshotDelta(previous, delta);
    if (!applied.ok) throw new Error(applied.reason);
    for (const key of ['recent', 'scope', 'evidence', 'rules', 'settings', 'policy'] as const) expect(applied.snapshot[key]).toBe(previous[key]);
    expect(applied.snapshot.pending[5]).toBe(next.pending[5]);
    expect(applied.snapshot.pending[4]).toBe(previous.pending[4]);
  });

  it('a push that changes no item keeps the pending list itself', () => {
    const previous = realisticSnapshot();
    const next = mutate(previous, [{ kind: 'evidence', queued: 3 }]);
    const delta = snapshotDelta(previous, next, { base: 1, seq: 2 });
    expect(delta.pending).toBeUndefined();
    expect(Object.keys(delta.set).sort()).toEqual(['evidence', 'serverTime', 'version']);
    const applied = applySnapshotDelta(previous, received(delta));
    expect(applied.ok && applied.snapshot.pending).toBe(previous.pending);
  });

  it('sends the order only when it is not the one removing and appending give', () => {
    const previous = realisticSnapshot(10);
    const appended = mutate(previous, [{ kind: 'remove', at: 2 }, { kind: 'add', at: 9 }]);
    const d1 = snapshotDelta(previous, appended, { base: 1, seq: 2 });
    expect(d1.pending?.order).toBeUndefined();
    expect(d1.pending?.remove).toEqual([previous.pending[2]!.id]);
    const moved = mutate(previous, [{ kind: 'move', from: 0, to: 5 }]);
    const d2 = snapshotDelta(previous, moved, { base: 1, seq: 2 });
    expect(d2.pending).toEqual({ upsert: [], remove: [], order: moved.pending.map((item) => item.id) });
  });

  it('compares what was sent: an object the core changes in place after sending still shows as changed', () => {
    const first = realisticSnapshot(5);
    const second = { ...first, version: 2 };
    snapshotDelta(first, second, { base: 1, seq: 2 });
    // The same item object, changed in place, in the next snapshot.
    second.pending[1]!.held = true;
    const third = { ...second, version: 3 };
    const delta = snapshotDelta(second, third, { base: 2, seq: 3 });
    expect(delta.pending?.upsert.map((item) => item.id)).toEqual([second.pending[1]!.id]);
  });

  it('snapshotJson is the snapshot as JSON', () => {
    const s = realisticSnapshot();
    expect(JSON.parse(snapshotJson(s))).toEqual(JSON.parse(JSON.stringify(s)));
    expect(snapshotJson(s)).toBe(JSON.stringify(s));
  });
});

describe('hostile deltas', () => {
  const base = realisticSnapshot(5);
  const good = (): Record<string, unknown> => JSON.parse(JSON.stringify(snapshotDelta(base, mutate(base, [{ kind: 'remove', at: 0 }, { kind: 'add', at: 9 }]), { base: 1, seq: 2 }))) as Record<string, unknown>;

  it('the unchanged good one reads', () => {
    expect(readSnapshotDelta(good()).ok).toBe(true);
  });

  it.each<[string, (d: Record<string, unknown>) => unknown]>([
    ['not an object', () => 'delta'],
    ['a key the contract lacks', (d) => ({ ...d, extra: 1 })],
    ['a top-level key the snapshot lacks', (d) => ({ ...d, set: { ...(d.set as object), admin: true } })],
    ['__proto__ as a key to set', (d) => JSON.parse(`{"base":1,"seq":2,"set":{"__proto__":{"polluted":true}}}`) ?? d],
    ['pending as a key to set', (d) => ({ ...d, set: { pending: [] } })],
    ['a changed key of the wrong shape', (d) => ({ ...d, set: { version: 'seven' } })],
    ['a settings value the contract refuses', (d) => ({ ...d, set: { settings: { language: 'xx' } } })],
    ['an upserted item missing a field', (d) => ({ ...d, pending: { upsert: [{ id: 'x' }], remove: [] } })],
    ['an id that is not a string', (d) => ({ ...d, pending: { upsert: [], remove: [42] } })],
    ['seq not after base', (d) => ({ ...d, seq: 1 })],
    ['a negative base', (d) => ({ ...d, base: -1 })],
    ['a fractional seq', (d) => ({ ...d, seq: 2.5 })],
    ['an unsafe seq', (d) => ({ ...d, seq: 2 ** 60 })],
  ])('refuses %s', (_what, make) => {
    const read = readSnapshotDelta(make(good()));
    expect(read.ok).toBe(false);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it.each<[string, (d: SnapshotDelta) => SnapshotDelta, RegExp]>([
    ['removes an item not pending', (d) => ({ ...d, pending: { upsert: [], remove: ['nobody'] } }), /not pending/],
    ['removes an item twice', (d) => ({ ...d, pending: { upsert: [], remove: [base.pending[0]!.id, base.pending[0]!.id] } }), /twice/],
    ['sends an item twice', (d) => ({ ...d, pending: { upsert: [makeItem('n'), makeItem('n')], remove: [] } }), /twice/],
    ['both removes and sends an item', (d) => ({ ...d, pending: { upsert: [base.pending[1]!], remove: [base.pending[1]!.id] } }), /both/],
    ['an order missing an item', (d) => ({ ...d, pending: { upsert: [], remove: [], order: base.pending.slice(1).map((i) => i.id) } }), /every pending item/],
    ['an order naming an item twice', (d) => ({ ...d, pending: { upsert: [], remove: [], order: [...base.pending.slice(1).map((i) => i.id), base.pending[1]!.id] } }), /every pending item/],
    ['an order naming an unknown item', (d) => ({ ...d, pending: { upsert: [], remove: [], order: [...base.pending.slice(1).map((i) => i.id), 'ghost'] } }), /not pending/],
  ])('refuses a delta that %s and leaves the snapshot as it was', (_what, make, why) => {
    const held = overTheWire(base);
    const copy = structuredClone(held);
    const delta = make(received(good() as unknown as SnapshotDelta));
    const applied = applySnapshotDelta(held, delta);
    expect(applied).toMatchObject({ ok: false, reason: expect.stringMatching(why) });
    expect(held).toEqual(copy);
  });
});
