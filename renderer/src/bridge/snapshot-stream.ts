// One receiver's side of the push channel, whichever transport: a whole snapshot (checked whole) starts
// a sequence, each delta (checked for only what it carries) moves it on. Anything else — a delta for
// another snapshot than the one held, one that does not fit it, none held at all — leaves nothing held:
// the bridge then asks for a whole snapshot.
import { SnapshotSchema, type Snapshot } from '../../../shared/ui-contract.js';
import { applySnapshotDelta, readSnapshotDelta } from '../../../shared/snapshot-delta.js';

export type Received = { ok: true; snapshot: Snapshot } | { ok: false; reason: string };

export class SnapshotStream {
  private held: { snapshot: Snapshot; seq: number } | undefined;

  /** A whole snapshot, numbered `seq` by the sender (without a number it is shown, but no delta can follow it). */
  whole(raw: unknown, seq: number | undefined): Received {
    this.held = undefined;
    const parsed = SnapshotSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { ok: false, reason: `the snapshot does not match the contract (${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown'})` };
    }
    if (seq !== undefined && Number.isSafeInteger(seq) && seq >= 0) this.held = { snapshot: parsed.data, seq };
    return { ok: true, snapshot: parsed.data };
  }

  delta(raw: unknown): Received {
    const held = this.held;
    this.held = undefined;
    if (!held) return { ok: false, reason: 'a delta came with no whole snapshot to apply it to' };
    const read = readSnapshotDelta(raw);
    if (!read.ok) return read;
    if (read.delta.base !== held.seq) return { ok: false, reason: `the delta applies to snapshot ${read.delta.base}, this window holds ${held.seq}` };
    const applied = applySnapshotDelta(held.snapshot, read.delta);
    if (!applied.ok) return { ok: false, reason: `the delta does not fit this window's snapshot: ${applied.reason}` };
    this.held = { snapshot: applied.snapshot, seq: read.delta.seq };
    return applied;
  }

  /** What came was not a snapshot at all: hold nothing. */
  forget(): void {
    this.held = undefined;
  }

  /** Whether a delta can be applied now. */
  get synced(): boolean {
    return this.held !== undefined;
  }
}
