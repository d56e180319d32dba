// Agent runs, the file watcher and what it saw: the shapes the core pushes in each snapshot and the
// run manifest a person exports. The watcher sees changes (created, modified, deleted, renamed), not
// reads and not which program made them; these shapes say so rather than imply more.
import { z } from 'zod';

const count = z.number().int().nonnegative();
const ChangeKindSchema = z.enum(['created', 'modified', 'deleted', 'renamed']);
const EntryTypeSchema = z.enum(['file', 'directory']);
const ViolationSchema = z.enum(['outside', 'read_only', 'forbidden']);
const NotWatchedSchema = z.object({ path: z.string(), reason: z.string() });

export const RunViewSchema = z.object({
  sessionId: z.string(),
  cwd: z.string().optional(),
  active: z.boolean(),
  startedAt: z.string(),
  lastEventAt: z.string(),
  endedAt: z.string().optional(),
  endReason: z.enum(['session-end', 'stop', 'idle', 'shutdown']).optional(),
  toolEvents: count,
  /** Files touched inside the scope during the run (net effect per path). */
  files: z.object({ total: count, created: count, modified: count, deleted: count, transient: count, unexplained: count }),
  /** Changes outside the scope (or in read-only / protected places) attributed to the run. */
  outOfScope: count,
});
export type RunView = z.infer<typeof RunViewSchema>;

/** One change outside the scope, as the manifest keeps it. */
const OutOfScopeRecordSchema = z.object({
  path: z.string(),
  previousPath: z.string().optional(),
  change: ChangeKindSchema,
  type: EntryTypeSchema,
  violation: ViolationSchema,
  severity: z.enum(['high', 'medium']),
  /** The tool call that announced the path; absent: unexplained (a script, another program…). */
  toolUseId: z.string().optional(),
  at: z.string(),
});

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
export const RunManifestSchema = z.object({
  sessionId: z.string(),
  cwd: z.string().optional(),
  active: z.boolean(),
  startedAt: iso,
  endedAt: iso.optional(),
  endReason: z.string().optional(),
  totals: z.object({ files: count, created: count, modified: count, deleted: count, transient: count, changes: count, unexplained: count, outOfScope: count, dropped: count }),
  files: z.array(
    z.object({
      path: z.string(),
      type: EntryTypeSchema,
      status: z.enum(['created', 'modified', 'deleted', 'transient']),
      folder: z.string(),
      counts: z.object({ created: count, modified: count, deleted: count, renamed: count }),
      changes: count,
      unexplained: count,
      toolUseIds: z.array(z.string()),
      renamedFrom: z.string().optional(),
      renamedTo: z.string().optional(),
      firstAt: iso,
      lastAt: iso,
    }),
  ),
  outOfScope: z.array(OutOfScopeRecordSchema),
  coverage: z.object({ watched: z.array(z.string()), notWatched: z.array(NotWatchedSchema), excluded: z.array(z.string()) }),
  note: z.string(),
});
export type RunManifestExport = z.infer<typeof RunManifestSchema>;

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
