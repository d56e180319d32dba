import { describe, expect, it } from 'vitest';
import { snapshotDelta } from '../../../shared/snapshot-delta.js';
import { makeItem, makeSnapshot } from '../testing/snapshot-fixtures.js';
import { SnapshotStream } from './snapshot-stream.js';

const s1 = makeSnapshot(1, [makeItem('a'), makeItem('b')]);
const s2 = makeSnapshot(2, [makeItem('a'), makeItem('b', 'Bash', { held: true }), makeItem('c')]);
const s3 = makeSnapshot(3, [makeItem('b', 'Bash', { held: true }), makeItem('c')]);
const wire = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('SnapshotStream', () => {
  it('applies deltas in sequence after a whole snapshot, keeping unchanged items', () => {
    const stream = new SnapshotStream();
    const first = stream.whole(wire(s1), 10);
    if (!first.ok) throw new Error(first.reason);
    const second = stream.delta(wire(snapshotDelta(s1, s2, { base: 10, seq: 11 })));
    if (!second.ok) throw new Error(second.reason);
    expect(second.snapshot).toEqual(wire(s2));
    expect(second.snapshot.pending[0]).toBe(first.snapshot.pending[0]);
    const third = stream.delta(wire(snapshotDelta(s2, s3, { base: 11, seq: 15 })));
    expect(third.ok && third.snapshot).toEqual(wire(s3));
    expect(stream.synced).toBe(true);
  });

  it('refuses a delta for another snapshot than the one held, and every delta after it until a whole one', () => {
    const stream = new SnapshotStream();
    stream.whole(wire(s1), 10);
    // Skipped one (11 → 12 arrives while 10 is held).
    expect(stream.delta(wire(snapshotDelta(s2, s3, { base: 11, seq: 12 })))).toMatchObject({ ok: false, reason: expect.stringMatching(/applies to snapshot 11, this window holds 10/) });
    expect(stream.synced).toBe(false);
    // Even the one that would have fitted: nothing is guessed.
    expect(stream.delta(wire(snapshotDelta(s1, s2, { base: 10, seq: 11 })))).toMatchObject({ ok: false, reason: expect.stringMatching(/no whole snapshot/) });
    stream.whole(wire(s2), 20);
    expect(stream.delta(wire(snapshotDelta(s2, s3, { base: 20, seq: 21 }))).ok).toBe(true);
  });

  it('refuses an old delta arriving again (out of order)', () => {
    const stream = new SnapshotStream();
    stream.whole(wire(s1), 1);
    const d = wire(snapshotDelta(s1, s2, { base: 1, seq: 2 }));
    expect(stream.delta(d).ok).toBe(true);
    expect(stream.delta(d).ok).toBe(false);
  });

  it('refuses a delta before any whole snapshot, or after one that came without a number or failed its check', () => {
    const d = wire(snapshotDelta(s1, s2, { base: 1, seq: 2 }));
    expect(new SnapshotStream().delta(d).ok).toBe(false);
    const unnumbered = new SnapshotStream();
    expect(unnumbered.whole(wire(s1), undefined).ok).toBe(true);
    expect(unnumbered.delta(d).ok).toBe(false);
    const bad = new SnapshotStream();
    bad.whole(wire(s1), 1);
    expect(bad.whole({ ...s1, version: 'x' }, 1)).toMatchObject({ ok: false, reason: expect.stringMatching(/version/) });
    expect(bad.delta(d).ok).toBe(false);
  });

  it('refuses a delta that does not match the contract or does not fit, and holds nothing after', () => {
    const stream = new SnapshotStream();
    stream.whole(wire(s1), 1);
    expect(stream.delta({ base: 1, seq: 2, set: { version: -0.5 } })).toMatchObject({ ok: false, reason: expect.stringMatching(/contract/) });
    stream.whole(wire(s1), 1);
    expect(stream.delta({ base: 1, seq: 2, set: {}, pending: { upsert: [], remove: ['zzz'] } })).toMatchObject({ ok: false, reason: expect.stringMatching(/does not fit/) });
    expect(stream.synced).toBe(false);
  });
});
