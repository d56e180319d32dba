// Agent runs, the file watcher and what it saw: the shapes the core pushes in each snapshot and the
// run manifest a person exports. The watcher sees changes (created, modified, deleted, renamed), not
// reads and not which program made them; these shapes say so rather than imply more.
import { z } from 'zod';

const count = z.number().int().nonnegative();

export const ChangeKindSchema = z.enum(['created', 'modified', 'deleted', 'renamed']);
export type ChangeKind = z.infer<typeof ChangeKindSchema>;
export const EntryTypeSchema = z.enum(['file', 'directory']);
export type EntryType = z.infer<typeof EntryTypeSchema>;
/** Outside the scope, in a read-only shared folder, or in a protected location. */
export const ViolationSchema = z.enum(['outside', 'read_only', 'forbidden']);
export type Violation = z.infer<typeof ViolationSchema>;
/** A change in a protected location is high severity; anything else out of scope is medium. */
export const SeveritySchema = z.enum(['high', 'medium']);
export type Severity = z.infer<typeof SeveritySchema>;
/** A file's net effect over a run: `transient` = created and deleted again during the run. */
export const EntryStatusSchema = z.enum(['created', 'modified', 'deleted', 'transient']);
export type EntryStatus = z.infer<typeof EntryStatusSchema>;
/** Why a run ended: Claude Code closed the session (SessionEnd), no hook event for the idle timeout
 *  (Claude Code killed, or never told), or the companion stopped; `unknown`: a run from before a
 *  restart whose end the journal does not record (the companion stopped without closing it). */
export const RunEndReasonSchema = z.enum(['session-end', 'idle', 'shutdown', 'unknown']);
export type RunEndReason = z.infer<typeof RunEndReasonSchema>;
/** `active`: the agent is working (charged for file changes); `waiting`: its turn ended (Stop) and the
 *  session waits for the next prompt (charged for nothing); `ended`: the session closed. */
export const RunStatusSchema = z.enum(['active', 'waiting', 'ended']);
export type RunStatus = z.infer<typeof RunStatusSchema>;
export const NotWatchedSchema = z.object({ path: z.string(), reason: z.string() });
export type NotWatched = z.infer<typeof NotWatchedSchema>;

export const RunViewSchema = z.object({
  sessionId: z.string(),
  cwd: z.string().optional(),
  /** `status === 'active'`. */
  active: z.boolean(),
  status: RunStatusSchema,
  startedAt: z.string(),
  lastEventAt: z.string(),
  endedAt: z.string().optional(),
  endReason: RunEndReasonSchema.optional(),
  toolEvents: count,
  /** Files touched inside the scope during the run (net effect per path). */
  files: z.object({ total: count, created: count, modified: count, deleted: count, transient: count, unexplained: count }),
  /** Changes outside the scope (or in read-only / protected places) attributed to the run. */
  outOfScope: count,
});
export type RunView = z.infer<typeof RunViewSchema>;

/** One change outside the scope, as the manifest keeps it. */
export const OutOfScopeRecordSchema = z.object({
  path: z.string(),
  previousPath: z.string().optional(),
  change: ChangeKindSchema,
  type: EntryTypeSchema,
  violation: ViolationSchema,
  severity: SeveritySchema,
  /** The tool call that announced the path; absent: unexplained (a script, another program…). */
  toolUseId: z.string().optional(),
  at: z.string(),
});

export type OutOfScopeRecord = z.infer<typeof OutOfScopeRecordSchema>;

export const OutOfScopeAlertSchema = OutOfScopeRecordSchema.extend({
  /** `event.id` of the `file.out_of_scope` evidence record. */
  eventId: z.string(),
  sessionId: z.string(),
  forbiddenReason: z.string().optional(),
  toolName: z.string().optional(),
  /** Further changes of the same path folded into this alert. */
  repeats: count.optional(),
  /** The evidence is durably in the journal. */
  recorded: z.boolean(),
});
export type OutOfScopeAlert = z.infer<typeof OutOfScopeAlertSchema>;

export const WatchViewSchema = z.object({
  /** Off by managed policy (`watch.enabled: false`) or by the command line. */
  enabled: z.boolean(),
  /** Set when managed policy turns it off (`watch.enabled: false`): the window says whose setting it is. */
  offByPolicy: z.boolean().optional(),
  state: z.enum(['idle', 'starting', 'watching', 'stopping']),
  watching: z.array(z.string()),
  notWatching: z.array(NotWatchedSchema),
  /** Entries of `notWatching` left out of the snapshot (there is a bound). */
  notWatchingMore: count,
  excluded: z.array(z.string()),
  problem: z.string().optional(),
  /** How to fix the most important problem (e.g. the sysctl that raises the limit). */
  hint: z.string().optional(),
  limits: z.object({ maxUserWatches: count.optional(), maxUserInstances: count.optional(), watchesInUse: count.optional() }),
  changesSeen: count,
  outOfScopeSeen: count,
  semantics: z.string(),
});
export type WatchView = z.infer<typeof WatchViewSchema>;

const iso = z.string();

/** One file touched inside the scope during a run (net effect per path). */
export const ManifestFileSchema = z.object({
  path: z.string(),
  type: EntryTypeSchema,
  status: EntryStatusSchema,
  /** The shared folder it is in. */
  folder: z.string(),
  counts: z.object({ created: count, modified: count, deleted: count, renamed: count }),
  /** All changes seen for this path. */
  changes: count,
  /** Changes not linked to a tool call of the run. */
  unexplained: count,
  /** Tool calls that announced it (latest last, at most 10). */
  toolUseIds: z.array(z.string()),
  renamedFrom: z.string().optional(),
  renamedTo: z.string().optional(),
  firstAt: iso,
  lastAt: iso,
});

/** The manifest as exported (JSON-ready; times as ISO 8601). */
export const RunManifestSchema = z.object({
  sessionId: z.string(),
  cwd: z.string().optional(),
  active: z.boolean(),
  startedAt: iso,
  endedAt: iso.optional(),
  endReason: z.string().optional(),
  totals: z.object({
    files: count, created: count, modified: count, deleted: count, transient: count, changes: count, unexplained: count, outOfScope: count, dropped: count,
    /** Changes to Claude Code's own bookkeeping (transcripts, session registry, caches, ~/.claude.json)
     *  seen while the run was active: the client's housekeeping, not the agent's actions, so not listed. */
    clientBookkeeping: count,
  }),
  files: z.array(ManifestFileSchema),
  outOfScope: z.array(OutOfScopeRecordSchema),
  coverage: z.object({ watched: z.array(z.string()), notWatched: z.array(NotWatchedSchema), excluded: z.array(z.string()) }),
  /** What the manifest can and cannot show. */
  note: z.string(),
});
export type RunManifest = z.infer<typeof RunManifestSchema>;

/** The watcher with no run active (fixtures, and the first snapshot before anything happened). */
export const IDLE_WATCH_VIEW: WatchView = {
  enabled: true,
  state: 'idle',
  watching: [],
  notWatching: [],
  notWatchingMore: 0,
  excluded: [],
  limits: {},
  changesSeen: 0,
  outOfScopeSeen: 0,
  semantics: '',
};
