// What changed between two snapshots, so a push carries one decision's worth of change instead of every
// pending request again (a thousand of them are ~740 KiB). The core keeps, per receiver (an SSE stream,
// the Electron window), the last snapshot it sent and its sequence number; each delta names the one it
// applies to. A receiver holding another asks for a whole snapshot instead of guessing.
//
// Top-level keys are sent whole when their JSON differs; `pending` item by item (upserted items, removed
// ids, and the order only when it is not the one applying the rest gives). A receiver validates only
// what a delta carries: a changed key against its own schema, an upserted item against the item schema.
import { z } from 'zod';
import { ApprovalItemSchema, SnapshotSchema, type ApprovalItem, type Snapshot } from './ui-contract.js';

/** Every top-level key but `pending`, each sent whole when it changed. */
const WholeKeysSchema = SnapshotSchema.omit({ pending: true });
type WholeKey = keyof z.infer<typeof WholeKeysSchema>;
const WHOLE_KEYS = Object.keys(WholeKeysSchema.shape) as WholeKey[];
const SNAPSHOT_KEYS = Object.keys(SnapshotSchema.shape) as (keyof Snapshot)[];

const SeqSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const IdSchema = ApprovalItemSchema.shape.id;

export const SnapshotDeltaSchema = z
  .object({
    /** The sequence number of the snapshot this delta applies to. */
    base: SeqSchema,
    /** The sequence number of the snapshot it makes. */
    seq: SeqSchema,
    /** The top-level keys that changed, whole. `partial` validates only the keys present; `strict`
     *  refuses any other (`__proto__` included). */
    set: WholeKeysSchema.partial().strict(),
    /** Absent when no pending request changed. */
    pending: z
      .object({
        /** Items new or changed since the base. */
        upsert: z.array(ApprovalItemSchema),
        /** Ids of the base's items that left. */
        remove: z.array(IdSchema),
        /** Every id in order, only when that is not the base's order with the removed ones dropped
         *  and the new ones appended. */
        order: z.array(IdSchema).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((d) => d.seq > d.base, { message: 'seq must follow base', path: ['seq'] });
export type SnapshotDelta = z.infer<typeof SnapshotDeltaSchema>;
type PendingDelta = NonNullable<SnapshotDelta['pending']>;

// ---- sender side ----

interface SnapshotTexts {
  keys: Map<keyof Snapshot, string | undefined>;
  items: Map<string, string>;
}

// The JSON of each snapshot, taken once (the first time it is sent or diffed) and kept while the
// snapshot lives. Taken then, not later: a core object that changes in place afterwards must not make
// what was sent look changed, or unchanged.
const textsOf = new WeakMap<Snapshot, SnapshotTexts>();
function texts(snapshot: Snapshot): SnapshotTexts {
  let t = textsOf.get(snapshot);
  if (t) return t;
  const items = new Map<string, string>();
  const itemTexts = snapshot.pending.map((item) => {
    const text = JSON.stringify(item);
    items.set(item.id, text);
    return text;
  });
  const keys = new Map<keyof Snapshot, string | undefined>();
  for (const key of SNAPSHOT_KEYS) keys.set(key, key === 'pending' ? `[${itemTexts.join(',')}]` : (JSON.stringify(snapshot[key]) as string | undefined));
  t = { keys, items };
  textsOf.set(snapshot, t);
  return t;
}

/** The snapshot's JSON (as JSON.stringify would write it, keys in the schema's order), from the texts
 *  its deltas are compared by: sending it pins them. */
export function snapshotJson(snapshot: Snapshot): string {
  const { keys } = texts(snapshot);
  const parts: string[] = [];
  for (const key of SNAPSHOT_KEYS) {
    const text = keys.get(key);
    if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

/** What turns `previous` (sent as `base`) into `next` (numbered `seq`). */
export function snapshotDelta(previous: Snapshot, next: Snapshot, numbers: { base: number; seq: number }): SnapshotDelta {
  const before = texts(previous);
  const after = texts(next);
  const set: Partial<Pick<Snapshot, WholeKey>> = {};
  for (const key of WHOLE_KEYS) {
    if (before.keys.get(key) !== after.keys.get(key)) (set as Record<WholeKey, unknown>)[key] = next[key];
  }
  const delta: SnapshotDelta = { base: numbers.base, seq: numbers.seq, set };
  if (before.keys.get('pending') === after.keys.get('pending')) return delta;
  const upsert = next.pending.filter((item) => before.items.get(item.id) !== after.items.get(item.id));
  const remove = previous.pending.filter((item) => !after.items.has(item.id)).map((item) => item.id);
  const pending: PendingDelta = { upsert, remove };
  const ids = next.pending.map((item) => item.id);
  if (!sameIds(naturalOrder(previous.pending.map((item) => item.id), upsert.map((item) => item.id), new Set(remove)), ids)) pending.order = ids;
  delta.pending = pending;
  return delta;
}

// ---- receiver side ----

export type DeltaRead = { ok: true; delta: SnapshotDelta } | { ok: false; reason: string };

/** A delta as it arrived (parsed JSON, or what IPC cloned), checked against the schema. */
export function readSnapshotDelta(raw: unknown): DeltaRead {
  const parsed = SnapshotDeltaSchema.safeParse(raw);
  if (parsed.success) return { ok: true, delta: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, reason: `the delta does not match the contract (${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'unknown'})` };
}

export type DeltaApplied = { ok: true; snapshot: Snapshot } | { ok: false; reason: string };

/**
 * `previous` with the delta applied (the caller has checked that `delta.base` names it). What the delta
 * does not touch keeps its identity: unchanged keys, unchanged items, and the pending array itself when
 * no item changed. A delta that does not fit `previous` (removes an item it lacks, names an item twice,
 * an order that is not exactly its items) is refused: `previous` is not what the sender thinks it is.
 */
export function applySnapshotDelta(previous: Snapshot, delta: SnapshotDelta): DeltaApplied {
  const pending = delta.pending ? applyPending(previous.pending, delta.pending) : previous.pending;
  if (typeof pending === 'string') return { ok: false, reason: pending };
  // Only the schema's keys are copied: `set` passed a strict schema, so it holds no others.
  const snapshot = { ...previous, pending } as Snapshot;
  for (const key of WHOLE_KEYS) if (Object.hasOwn(delta.set, key)) (snapshot as Record<WholeKey, unknown>)[key] = delta.set[key];
  return { ok: true, snapshot };
}

/** The new pending list, or why the delta cannot apply. */
function applyPending(previous: ApprovalItem[], delta: PendingDelta): ApprovalItem[] | string {
  const byId = new Map<string, ApprovalItem>();
  for (const item of previous) byId.set(item.id, item);
  if (byId.size !== previous.length) return 'the pending list it applies to names an item twice';
  const removed = new Set<string>();
  for (const id of delta.remove) {
    if (!byId.has(id)) return `it removes an item that is not pending (${id})`;
    if (removed.has(id)) return `it removes an item twice (${id})`;
    removed.add(id);
  }
  const upserted = new Map<string, ApprovalItem>();
  for (const item of delta.upsert) {
    if (upserted.has(item.id)) return `it sends an item twice (${item.id})`;
    if (removed.has(item.id)) return `it both removes and sends an item (${item.id})`;
    upserted.set(item.id, item);
  }
  const order = naturalOrder(previous.map((item) => item.id), delta.upsert.map((item) => item.id), removed);
  let ids = order;
  if (delta.order) {
    if (delta.order.length !== order.length || new Set(delta.order).size !== order.length) return 'its order does not list every pending item once';
    const known = new Set(order);
    if (!delta.order.every((id) => known.has(id))) return 'its order names an item that is not pending';
    ids = delta.order;
  }
  if (upserted.size === 0 && removed.size === 0 && sameIds(ids, order) && ids.length === previous.length) return previous;
  return ids.map((id) => upserted.get(id) ?? (byId.get(id) as ApprovalItem));
}

/** The base's ids without the removed ones, then the new ids in the order they were sent. */
function naturalOrder(before: string[], upserted: string[], removed: ReadonlySet<string>): string[] {
  const had = new Set(before);
  return [...before.filter((id) => !removed.has(id)), ...upserted.filter((id) => !had.has(id))];
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
