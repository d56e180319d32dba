// The one typed contract between the UI and the core. Every entry is a schema; the preload exposes
// one method per entry; main (IPC) and the web transport both parse payloads against it.
import { z } from 'zod';
import type { ActionTargets } from './action-targets.js';
import { ScopeModeSchema, ScopeViewSchema, SharedFolderSchema } from './scope-contract.js';

const Targets: z.ZodType<ActionTargets> = z.object({
  paths: z.array(z.string()),
  command: z.string().optional(),
  url: z.string().optional(),
  query: z.string().optional(),
  pattern: z.string().optional(),
  mcp: z.object({ server: z.string(), tool: z.string() }).optional(),
});

export const ApprovalItemSchema = z.object({
  id: z.string(),
  hookEvent: z.enum(['PreToolUse', 'PermissionRequest']),
  sessionId: z.string(),
  promptId: z.string().optional(),
  toolUseId: z.string().optional(),
  toolName: z.string(),
  cwd: z.string(),
  targets: Targets,
  /** ISO time the request arrived. */
  receivedAt: z.string(),
  /** ISO time the agent stops waiting (its hook budget). */
  expiresAt: z.string(),
  held: z.boolean(),
  /** Why the policy asks a person (e.g. a write into a read-only folder). */
  note: z.string().optional(),
  /** Short hash of what was shown; a decision names it so it cannot land on changed content. */
  contentHash: z.string(),
});
export type ApprovalItem = z.infer<typeof ApprovalItemSchema>;

export const DecisionRecordSchema = z.object({
  approvalId: z.string(),
  toolName: z.string(),
  sessionId: z.string(),
  decision: z.enum(['allow', 'deny']),
  source: z.enum(['user', 'policy', 'timeout', 'rule']),
  reason: z.string().optional(),
  decidedAt: z.string(),
});
export type DecisionRecord = z.infer<typeof DecisionRecordSchema>;

/** Where evidence goes and whether it gets there: for the tray tooltip and the Evidence panel. */
export const EvidenceStatusSchema = z.object({
  /** Collector URL without credentials (headers are never shown). */
  endpoint: z.string(),
  protocol: z.enum(['http/json', 'http/protobuf']),
  /** Where the endpoint setting came from. */
  configSource: z.enum(['default', 'environment', 'policy']),
  /** null until the first attempt. */
  collectorReachable: z.boolean().nullable(),
  lastError: z.string().optional(),
  /** Events in the journal the collector has not accepted yet. */
  queued: z.number().int().nonnegative(),
  lastExportAt: z.string().optional(),
  nextAttemptAt: z.string().optional(),
  /** Records the collector refused as invalid (kept on disk for inspection). */
  rejected: z.number().int().nonnegative(),
  /** Events dropped because the journal hit its disk budget (each loss is itself reported). */
  lost: z.number().int().nonnegative(),
  journalBytes: z.number().int().nonnegative(),
  journalLimitBytes: z.number().int().positive(),
});
export type EvidenceStatus = z.infer<typeof EvidenceStatusSchema>;

export const SnapshotSchema = z.object({
  version: z.number().int(),
  pending: z.array(ApprovalItemSchema),
  recent: z.array(DecisionRecordSchema),
  scope: ScopeViewSchema,
  evidence: EvidenceStatusSchema,
  serverTime: z.string(),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

const Ok = z.object({ ok: z.literal(true) });
const ApprovalRef = z.object({ id: z.string().min(1).max(128), contentHash: z.string().min(1).max(128) });

/** Request/response schema of every UI → core call. */
export const uiContract = {
  getSnapshot: { request: z.object({}), response: SnapshotSchema },
  approve: { request: ApprovalRef, response: Ok },
  deny: { request: ApprovalRef.extend({ reason: z.string().max(2000).optional() }), response: Ok },
  hold: { request: ApprovalRef, response: Ok },
  /** Check a folder before sharing it: the canonical path, or why it cannot be shared. */
  previewSharedFolder: {
    request: z.object({ path: z.string().min(1).max(4096) }),
    response: z.union([z.object({ ok: z.literal(true), path: z.string() }), z.object({ ok: z.literal(false), error: z.string() })]),
  },
  addSharedFolder: {
    request: z.object({ path: z.string().min(1).max(4096), mode: ScopeModeSchema, label: z.string().max(200).optional(), expiresAt: z.string().max(64).optional() }),
    response: z.object({ ok: z.literal(true), folder: SharedFolderSchema }),
  },
  removeSharedFolder: { request: z.object({ path: z.string().min(1).max(4096) }), response: Ok },
  setSharedFolderMode: { request: z.object({ path: z.string().min(1).max(4096), mode: ScopeModeSchema }), response: Ok },
  /** Native folder picker (Electron only); the web UI uses a path field instead. */
  pickFolder: { request: z.object({}), response: z.object({ path: z.string().optional() }) },
} as const;

export type UiContract = typeof uiContract;
export type UiMethod = keyof UiContract;
export const UI_METHODS = Object.keys(uiContract) as UiMethod[];
export type UiRequest<M extends UiMethod> = z.input<UiContract[M]['request']>;
export type UiResponse<M extends UiMethod> = z.infer<UiContract[M]['response']>;

/** Push channel: the core sends a full snapshot whenever state changes. */
export const SNAPSHOT_CHANNEL = 'companion:snapshot';
export const ipcChannel = (method: UiMethod): string => `companion:${method}`;

/** What the renderer sees, whichever transport is underneath (Electron IPC or the web transport). */
export type CompanionBridge = {
  [M in UiMethod]: (request: UiRequest<M>) => Promise<UiResponse<M>>;
} & {
  onSnapshot(listener: (snapshot: Snapshot) => void): () => void;
};

/** Errors the core returns to the UI, in both transports. */
export const UiErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const UI_API_PREFIX = '/ui/api/';
export const UI_EVENTS_PATH = '/ui/events';
/** Trades the one-time pairing token from the link for a session token (headless mode only). */
export const UI_SESSION_PATH = '/ui/session';
export const UiSessionResponseSchema = z.object({ sessionToken: z.string() });
