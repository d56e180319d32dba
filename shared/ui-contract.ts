// The one typed contract between the UI and the core. Every entry is a schema; the preload exposes
// one method per entry; main (IPC) and the web transport both parse payloads against it.
import { z } from 'zod';
import { ChangePreviewSchema, PreviewRefSchema } from './change-preview-contract.js';
import { ESCALATION_RESOLUTIONS, EscalationRuleSchema, EscalationRulesSchema, EscalationViewSchema } from './escalation-contract.js';
import { VERDICTS } from './hook-answer.js';
import { DECISION_SOURCES } from './telemetry-events.js';
import { OtlpConfigSourceSchema, OtlpProtocolSchema } from './telemetry-policy-contract.js';
import { OutOfScopeAlertSchema, RunManifestSchema, RunViewSchema, WatchViewSchema } from './run-watch-contract.js';
import { BroadShareSchema, ScopeModeSchema, ScopeViewSchema, SharedFolderSchema, ShareOutcomeSchema } from './scope-contract.js';

/** What an action names, as the agent wrote it (shown on the card; decisions use resolved paths). */
export const ActionTargetsSchema = z.object({
  /** File or folder paths the tool input names, as given. */
  paths: z.array(z.string()),
  command: z.string().optional(),
  url: z.string().optional(),
  query: z.string().optional(),
  pattern: z.string().optional(),
  mcp: z.object({ server: z.string(), tool: z.string() }).optional(),
});
export type ActionTargets = z.infer<typeof ActionTargetsSchema>;

/** What a remembered rule matches, besides the tool. */
export const RuleMatchSchema = z.discriminatedUnion('kind', [
  /** Files at or below a path (Read/Write/Edit/Glob/Grep/LS/NotebookEdit; MCP path arguments). */
  z.object({ kind: z.literal('path-prefix'), path: z.string().min(1).max(4096) }),
  /** Shell commands starting with these words (whole words: "git status" never matches "git statusx"). */
  z.object({ kind: z.literal('command-prefix'), prefix: z.string().min(1).max(2000) }),
  /** Web access to this host or its subdomains. */
  z.object({ kind: z.literal('domain'), domain: z.string().min(1).max(253) }),
  /** Any call of this tool (MCP tools, WebSearch, unknown tools). */
  z.object({ kind: z.literal('any') }),
]);
export type RuleMatch = z.infer<typeof RuleMatchSchema>;

/** What a rule does to the calls it covers. 'allow' lets them through without a person (what every rule did
 *  before deny and ask, hence the default); 'deny' refuses them, naming the rule; 'ask' always sends them to
 *  a person, even where an allow rule or the sandboxed-Bash mode would let them through. The order they are
 *  applied in is in electron/core/approvals/automatic-decision-policy.ts. */
export const RULE_EFFECTS = ['allow', 'deny', 'ask'] as const;
export const RuleEffectSchema = z.enum(RULE_EFFECTS);
export type RuleEffect = z.infer<typeof RuleEffectSchema>;

/** A tool name, or an MCP tool pattern: `mcp__<server>__<tool>` where the server may be `*` (any server) and
 *  the tool `*` (any tool) or end in `*` (`delete_*`: the tools whose name starts so). No other wildcard:
 *  a `*` inside a word, or in a built-in tool's name, would be easy to misread. */
export const TOOL_PATTERN = /^(?:[^*]+|mcp__(?:\*|[^_*](?:[^_*]|_(?!_))*)__[^*]*\*?)$/;

/** A rule as proposed on a card or edited by the person before saving. */
export const RuleDraftSchema = z.object({
  toolName: z.string().min(1).max(256).regex(TOOL_PATTERN, 'A tool name may hold * only as an MCP server (mcp__*__tool) or at the end of an MCP tool name (mcp__github__*, mcp__github__delete_*).'),
  /** Default any call of the tool (`{"toolName": "mcp__github__*", "effect": "deny"}`). */
  match: RuleMatchSchema.default({ kind: 'any' }),
  effect: RuleEffectSchema.default('allow'),
  /** Limit the rule to one shared folder (the request's cwd must be inside it). */
  folder: z.string().max(4096).optional(),
});
export type RuleDraft = z.infer<typeof RuleDraftSchema>;
/** A rule as matchers and describers read it: one written before rules had an effect allows. */
export type RuleShape = Omit<RuleDraft, 'effect'> & { effect?: RuleEffect };

export const RuleSchema = RuleDraftSchema.extend({
  id: z.string(),
  origin: z.enum(['person', 'policy']),
  /** 'run' rules end with their session; 'always' rules stay until revoked. */
  lifetime: z.enum(['run', 'always']),
  sessionId: z.string().optional(),
  createdAt: z.string(),
  /** One sentence: "Allows the agent to write in ~/proj/** until this run ends." */
  description: z.string(),
  hits: z.number().int().nonnegative(),
  lastMatchedAt: z.string().optional(),
  locked: z.boolean(),
  /** A person's rule while IT's policy turns person-made rules off (`allowPersonalRules: false`): kept,
   *  not applied, and applied again when the policy allows. */
  offByPolicy: z.boolean().optional(),
});
export type Rule = z.infer<typeof RuleSchema>;

/** A Bash call and the OS sandbox: whether it runs in it, and where it can then write. */
export const BashSandboxSchema = z.object({
  sandboxed: z.boolean(),
  /** Where whatever it runs can write (the read-write shared folders, and what the person added). */
  writable: z.array(z.string()),
  /** Its working folder, when that is not among them: Claude Code always lets Bash write there. */
  cwdWritable: z.string().optional(),
  /** Why it does not run sandboxed. */
  reason: z.string().optional(),
});
export type BashSandbox = z.infer<typeof BashSandboxSchema>;

/** Why a request gets no "allow for this run" / "always allow": no rule could match it (see ruleMatches). */
export const NO_RULE_REASONS = [
  /** The command chains, pipes, redirects or substitutes: a second command could ride on any rule. */
  'shell-syntax',
  /** A word's value is known only when it runs (a variable, a glob, `~user`, program text). */
  'unknowable',
  /** An MCP or unknown tool's arguments may name files outside the shared folders. */
  'arguments',
  /** Anything else: the rule it would propose does not cover this very request. */
  'not-covered',
] as const;
export type NoRuleReason = (typeof NO_RULE_REASONS)[number];

export const ApprovalItemSchema = z.object({
  id: z.string(),
  hookEvent: z.enum(['PreToolUse', 'PermissionRequest']),
  sessionId: z.string(),
  promptId: z.string().optional(),
  toolUseId: z.string().optional(),
  toolName: z.string(),
  cwd: z.string(),
  targets: ActionTargetsSchema,
  /** ISO time the request arrived. */
  receivedAt: z.string(),
  /** ISO time the agent stops waiting (its hook budget). */
  expiresAt: z.string(),
  held: z.boolean(),
  /** ISO time a held item leaves the inbox undecided (policy `approvals.holdHours`). */
  heldUntil: z.string().optional(),
  /** What the agent was last answered about this item, when it was answered without a decision (the
   *  hold message; the shutdown deny): the card says it, also after a restart. */
  told: z.object({ at: z.string(), message: z.string() }).optional(),
  /** What the item becomes when the budget ends with no decision (managed policy; absent = denied and
   *  removed; 'hold' = kept as held, the agent told it is on hold). */
  onTimeout: z.enum(['deny', 'hold']).optional(),
  /** Why the policy asks a person (e.g. a write into a read-only folder). */
  note: z.string().optional(),
  /** Short hash of what was shown; a decision names it so it cannot land on changed content. */
  contentHash: z.string(),
  /** The agent is still waiting for the answer (false once held — the agent was told at once — or
   *  after a restart: approving it then lets the same action through when the agent retries). */
  agentWaiting: z.boolean(),
  /** Identical requests merged into this item (each gets the same answer). */
  duplicates: z.number().int().nonnegative(),
  /** A read-only action (reads, searches): eligible for "approve all reads of this run". */
  isRead: z.boolean(),
  /** The rule "always allow" / "allow for this run" would create (editable before saving). */
  proposedRule: RuleDraftSchema.optional(),
  /** Set instead of `proposedRule` when no rule can cover this request: why (the card says it). */
  noRuleReason: z.enum(NO_RULE_REASONS).optional(),
  /** Bash: whether it runs in the OS sandbox, and where it could write there. */
  sandbox: BashSandboxSchema.optional(),
  /** There is a preview of the change it would make (a diff against the file now), or of what the agent
   *  said with it (Bash description, WebFetch prompt, MCP arguments): the card asks for it. */
  preview: PreviewRefSchema.optional(),
});
export type ApprovalItem = z.infer<typeof ApprovalItemSchema>;

export const DecisionRecordSchema = z.object({
  approvalId: z.string(),
  toolName: z.string(),
  sessionId: z.string(),
  decision: z.enum(VERDICTS),
  source: z.enum(DECISION_SOURCES),
  reason: z.string().optional(),
  decidedAt: z.string(),
  /** Where the call ran and what it named, as the agent wrote it: a person sees what was decided and
   *  can act on it ("share this folder…"). */
  cwd: z.string().optional(),
  targets: ActionTargetsSchema.optional(),
  /** What decided without a person: `scope.…`, `rule:<id>`, `sandbox.…`, `storm.pause`, `held-approval:<id>`. */
  rule: z.string().optional(),
});
export type DecisionRecord = z.infer<typeof DecisionRecordSchema>;

/** Where evidence goes and whether it gets there: for the tray tooltip and the Evidence panel. */
export const EvidenceStatusSchema = z.object({
  /** Collector URL without credentials (headers are never shown). */
  endpoint: z.string(),
  protocol: OtlpProtocolSchema,
  /** Where the endpoint setting came from. */
  configSource: OtlpConfigSourceSchema,
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

export const LanguageSchema = z.enum(['en', 'id', 'ja']);

/** Bash commands the OS sandbox confines to the shared folders: `ask` a person about each (default), or
 *  `allow` them without asking while they run sandboxed from a read-write shared folder (anything not
 *  sandboxed, or that names a file a person must decide, still asks). */
export const SandboxedBashModeSchema = z.enum(['ask', 'allow']);
export type SandboxedBashMode = z.infer<typeof SandboxedBashModeSchema>;
export type Language = z.infer<typeof LanguageSchema>;

/** The `approvals.*` keys of the managed policy that set the timing. Listed here, not derived from
 *  ManagedPolicySchema: managed-policy-contract.ts imports this module (SandboxedBashModeSchema,
 *  RuleDraftSchema), so importing it back would be a cycle; test/unit/ui-contract-keys.test.ts keeps
 *  the two in step. */
export const ApprovalTimingKeySchema = z.enum(['timeoutSeconds', 'onTimeout', 'holdHours']);

/** Whose a person-facing setting is: the built-in default, the person's settings, or IT's policy (which locks it). */
export const SettingSourceSchema = z.enum(['default', 'settings', 'policy']);
export type SettingSource = z.infer<typeof SettingSourceSchema>;

/** Whether the tray app starts at login (to the tray), and whose choice that is: IT's policy (`autostart`,
 *  or any managed policy in force) locks it; `available` is false where nothing can start at login (the
 *  headless companion, a development build). */
export const StartAtLoginSchema = z.object({
  value: z.boolean(),
  source: SettingSourceSchema,
  available: z.boolean(),
});
export type StartAtLogin = z.infer<typeof StartAtLoginSchema>;

/** How long a request waits for a person and what happens then, with where that came from (a person sees why a countdown is what it is). */
export const ApprovalTimingSchema = z.object({
  timeoutSeconds: z.number().positive(),
  onTimeout: z.enum(['deny', 'hold']),
  source: z.enum(['default', 'settings', 'command-line', 'policy']),
  /** How long a held request stays before it leaves the inbox (policy `approvals.holdHours`, else the default). */
  holdHours: z.number().positive(),
  /** Which of these IT's policy fixes (its `approvals.*` keys): the window locks and labels them. */
  fixedByPolicy: z.array(ApprovalTimingKeySchema),
});
export type ApprovalTiming = z.infer<typeof ApprovalTimingSchema>;

/** A change to one of the companion's own files that the companion did not make. */
export const IntegrityAlertSchema = z.object({
  /** The event.id of its state.tampered evidence record (the alert and the evidence are one finding). */
  id: z.string(),
  /** Relative to the data folder (`settings.json`, `pending.json`, `journal`, …). */
  file: z.string(),
  reason: z.string(),
  at: z.string(),
});
export type IntegrityAlert = z.infer<typeof IntegrityAlertSchema>;

/** Whether the companion's own state can be trusted: where its key is kept, what was found changed. */
export const IntegrityViewSchema = z.object({
  /** 'os-keystore': the key is encrypted by the OS (desktop app); 'user-file': a user-only file (headless). */
  keyProtection: z.enum(['os-keystore', 'user-file']),
  /** Newest first (bounded). Each one is also a state.tampered evidence event. */
  alerts: z.array(IntegrityAlertSchema),
  /** The check of the evidence journal at start. */
  journal: z.object({
    checked: z.number().int().nonnegative(),
    missing: z.number().int().nonnegative(),
    forged: z.number().int().nonnegative(),
    problems: z.array(z.string()),
  }),
});
export type IntegrityView = z.infer<typeof IntegrityViewSchema>;

/** Whether the operating system enforces the scope for the agent's Bash commands (Claude Code's sandbox). */
export const SandboxViewSchema = z.object({
  state: z.enum(['enforced', 'not-enforced', 'not-set-up']),
  /** `connect` has wired Claude Code to the companion (in any settings file), with or without its sandbox. */
  connected: z.boolean(),
  /** Why it is not enforced, and what fixes it. */
  reason: z.string().optional(),
  fix: z.string().optional(),
  /** The Claude Code settings files that hold the sandbox, each checked. */
  files: z.array(z.object({ file: z.string(), enforced: z.boolean(), reason: z.string().optional() })),
  /** Where Bash may write when it is enforced: the read-write shared folders, and what the person added. */
  writable: z.array(z.string()),
});
export type SandboxView = z.infer<typeof SandboxViewSchema>;

/** One problem in the managed policy file: where it is (1-based line and column, when known) and what. */
export const PolicyProblemSchema = z.object({
  /** Key path in the file, e.g. `approvals.timeoutSeconds`, `sharedFolders[0].mode`, `(root)`. */
  path: z.string(),
  line: z.number().int().positive().optional(),
  column: z.number().int().positive().optional(),
  message: z.string(),
  /** Which source it is in (a file, a registry key), when the policy comes from more than one. */
  source: z.string().optional(),
});
export type PolicyProblem = z.infer<typeof PolicyProblemSchema>;

/** Where managed policy comes from: a JSON file, a policy.d drop-in, macOS managed preferences, the registry. */
export const PolicySourceKindSchema = z.enum(['file', 'drop-in', 'managed-preferences', 'registry']);
export type PolicySourceKind = z.infer<typeof PolicySourceKindSchema>;
/** One source of the policy: its kind and where it is (a path, or a registry key such as `HKLM\Software\Policies\CoworkCompanion`). */
export const PolicySourceSchema = z.object({ kind: PolicySourceKindSchema, where: z.string() });
export type PolicySource = z.infer<typeof PolicySourceSchema>;

/** The managed policy as the core applies it (electron/core/policy/policy-status-policy.ts derives it). */
export const PolicyViewSchema = z.object({
  /** ok; warnings: valid, unknown keys ignored or rules that can never match; invalid: the file cannot be used; untrusted: the user could
   *  change it, so it is not IT's; none: no policy file. */
  state: z.enum(['ok', 'warnings', 'invalid', 'untrusted', 'none']),
  file: z.string().optional(),
  /** The errors (invalid, untrusted) or the warnings (warnings). */
  problems: z.array(PolicyProblemSchema),
  /** What the core does: the file's policy; IT's last valid policy; no policy (nothing from IT to
   *  apply); nothing allowed automatically (every request asks a person). */
  behaviour: z.enum(['policy', 'last-valid', 'defaults', 'nothing-automatic']),
  /** policy / last-valid: when that policy was read; nothing-automatic: since when. */
  since: z.string().optional(),
  /** Every source that set something, lowest precedence first (`file` is the one that wins, or the one with the problem). */
  sources: z.array(PolicySourceSchema).optional(),
  /** The settings a source of the policy in force sets (keys as in `policy show`, e.g.
   *  `telemetry.protocol`): each is locked, and the window says so beside it. */
  setKeys: z.array(z.string()).optional(),
});
export type PolicyView = z.infer<typeof PolicyViewSchema>;

export const SnapshotSchema = z.object({
  version: z.number().int(),
  pending: z.array(ApprovalItemSchema),
  recent: z.array(DecisionRecordSchema),
  scope: ScopeViewSchema,
  evidence: EvidenceStatusSchema,
  rules: z.array(RuleSchema),
  /** Runs paused because they sent requests too fast; the person resumes them. */
  pausedRuns: z.array(z.object({ sessionId: z.string(), since: z.string(), reason: z.string() })),
  /** Escalations in force (policy `escalation.rules`): notices, held and stopped runs, each with the
   *  policy's contact, until a person resolves them (`resolveEscalation`). */
  escalations: z.array(EscalationViewSchema),
  /** The escalation rules in force: IT's (policy `escalation.rules`, locked) and the person's own
   *  (Settings), which apply only while `personalAllowed` (policy `escalation.allowPersonalRules`). */
  escalationRules: z.object({ policy: z.array(EscalationRuleSchema), personal: z.array(EscalationRuleSchema), personalAllowed: z.boolean() }),
  settings: z.object({
    /** The language the person chose; absent until they choose, and the window follows the
     *  browser's (in Electron, the OS's) languages. */
    language: LanguageSchema.optional(),
    /** The mode in force, and whose it is (IT's policy wins, and locks it). */
    sandboxedBash: z.object({
      mode: SandboxedBashModeSchema,
      source: SettingSourceSchema,
      /** With source `policy`: the key that decides it (`approvals.sandboxedBash`, or `allowPersonalRules`
       *  when IT turned off what people decide for themselves). */
      policyKey: z.enum(['approvals.sandboxedBash', 'allowPersonalRules']).optional(),
    }),
    /** Whether a person may make rules ("Allow for this run", "Always allow"): false while IT's policy
     *  (`allowPersonalRules`) turns them off, as the core decides with. */
    personalRules: z.boolean(),
    startAtLogin: StartAtLoginSchema,
  }),
  approvalTiming: ApprovalTimingSchema,
  /** Agent runs the companion has seen (active first, then recently ended), with manifest counts. */
  runs: z.array(RunViewSchema),
  /** What the file watcher watches now, and what it cannot. */
  watch: WatchViewSchema,
  /** Recent out-of-scope changes, newest first (bounded). */
  alerts: z.array(OutOfScopeAlertSchema),
  integrity: IntegrityViewSchema,
  sandbox: SandboxViewSchema,
  policy: PolicyViewSchema,
  serverTime: z.string(),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

// ---- Timeline (the evidence journal's index): find a past run, read it as one story, export it ----

/** `ask`: the requests put to a person (whatever they decided); the others: the decision made. */
export const TIMELINE_DECISIONS = ['allow', 'deny', 'ask', 'hold'] as const;
/** Events per page of the list, and at most in one export (the CLI has no such cap). */
export const TIMELINE_PAGE_MAX = 500;
export const TIMELINE_EXPORT_MAX = 10_000;
/** Bytes of journaled events in one export: a relayed agent record can be ~1 MB (128 attributes of
 *  8192 characters), so a count alone could build a file of gigabytes. The file is at most about
 *  twice this (OTLP JSON wraps every value); `truncated` says when the budget cut it. */
export const TIMELINE_EXPORT_MAX_BYTES = 16 * 1024 * 1024;
/** Events of one run shown as its story (the oldest first; a longer run says it is cut). */
export const TIMELINE_RUN_MAX = 2_000;
/** Bytes of journaled events read for one story (the newest first), and the characters of one
 *  attribute value shown in it (the export keeps the whole value). */
export const TIMELINE_RUN_MAX_BYTES = 4 * 1024 * 1024;
export const TIMELINE_STORY_VALUE_MAX = 2_000;

export const TimelineFilterSchema = z.object({
  /** Epoch ms, inclusive. */
  since: z.number().int().nonnegative().optional(),
  /** Epoch ms, exclusive. */
  until: z.number().int().nonnegative().optional(),
  /** The run (Claude Code's session id). */
  sessionId: z.string().min(1).max(4096).optional(),
  toolName: z.string().min(1).max(256).optional(),
  decision: z.enum(TIMELINE_DECISIONS).optional(),
  /** Who decided: a person (`user`), the scope policy, a remembered rule, or the time budget. */
  decidedBy: z.enum(DECISION_SOURCES).optional(),
  /** Events whose working folder (cwd) is this folder or inside it, and file changes inside it. */
  folder: z.string().min(1).max(4096).optional(),
  /** Words that must all appear (each as a word prefix) somewhere in the event. */
  text: z.string().min(1).max(1000).optional(),
});
export type TimelineFilterView = z.infer<typeof TimelineFilterSchema>;

/** Where the next (older) page starts: opaque to the UI. */
const TimelineCursorSchema = z.string().regex(/^\d{1,16}:\d{1,16}$/);

/** What kind of step of a run's story an event is (the agent's prompt and tool results come from
 *  its own telemetry, relayed). */
export const TIMELINE_STEP_KINDS = ['run', 'prompt', 'request', 'decision', 'hold', 'withdrawn', 'tool-result', 'file-change', 'escalation', 'agent', 'other'] as const;

/** One event as a row of the list: what the list shows and filters by, not the whole record. */
export const TimelineRowSchema = z.object({
  eventId: z.string(),
  kind: z.enum(TIMELINE_STEP_KINDS),
  /** ISO time. */
  at: z.string(),
  /** The evidence event's name (`approval.decided`, `agent.log`, …). */
  name: z.string(),
  /** For `agent.log`: the agent's own name for it (`tool_result`, `user_prompt`, `api_error`, …). */
  agentEvent: z.string().optional(),
  sessionId: z.string().optional(),
  toolName: z.string().optional(),
  decision: z.string().optional(),
  decidedBy: z.string().optional(),
  cwd: z.string().optional(),
  /** What it was about: a file path, a shared folder, the rule that decided. */
  target: z.string().optional(),
  /** Why: the decision's reason, an escalation's, a policy error. */
  reason: z.string().optional(),
  /** A tool result's outcome (agent telemetry): false for a failure. */
  success: z.boolean().optional(),
});
export type TimelineRowView = z.infer<typeof TimelineRowSchema>;

/** One step of a run's story: the row, and every attribute (already redacted as journaled) for a
 *  closer look. */
export const TimelineStepSchema = TimelineRowSchema.extend({
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});
export type TimelineStep = z.infer<typeof TimelineStepSchema>;

export const TIMELINE_EXPORT_FORMATS = ['csv', 'json', 'otlp-json'] as const;
export type TimelineExportFormat = (typeof TIMELINE_EXPORT_FORMATS)[number];

export const timelineContract = {
  /** The newest events that match, newest first; `older` continues with the next page. Answers
   *  `available: false` (with why) when the store cannot be used (e.g. no node:sqlite). */
  timelineQuery: {
    request: z.object({ filter: TimelineFilterSchema, limit: z.number().int().min(1).max(TIMELINE_PAGE_MAX).default(100), before: TimelineCursorSchema.optional() }),
    response: z.discriminatedUnion('available', [
      // `indexing`: the store is still being built from the journal (missing, or of an earlier version):
      // the newest events may not be in it yet.
      z.object({ available: z.literal(true), rows: z.array(TimelineRowSchema), older: TimelineCursorSchema.optional(), indexing: z.literal(true).optional() }),
      z.object({ available: z.literal(false), reason: z.string() }),
    ]),
  },
  /** One run as a story, oldest first: prompt, requests, decisions, tool results, file changes. */
  timelineRun: {
    request: z.object({ sessionId: z.string().min(1).max(4096) }),
    response: z.object({ sessionId: z.string(), steps: z.array(TimelineStepSchema), truncated: z.boolean() }),
  },
  /** The filtered set as a file: CSV, JSON, or OTLP JSON (an ExportLogsServiceRequest, as the
   *  companion sends to the collector); the newest TIMELINE_EXPORT_MAX at most, and TIMELINE_EXPORT_MAX_BYTES of them (`truncated` says so). */
  timelineExport: {
    request: z.object({ filter: TimelineFilterSchema, format: z.enum(TIMELINE_EXPORT_FORMATS) }),
    response: z.object({ fileName: z.string(), mimeType: z.string(), content: z.string(), count: z.number().int().nonnegative(), truncated: z.boolean(), max: z.number().int().positive() }),
  },
} as const;
// ---- end Timeline ----

const Ok = z.object({ ok: z.literal(true) });
const ApprovalRef = z.object({ id: z.string().min(1).max(128), contentHash: z.string().min(1).max(128) });

/** Request/response schema of every UI → core call. */
export const uiContract = {
  getSnapshot: { request: z.object({}), response: SnapshotSchema },
  /** once (default) | for this run | always (saves `rule`, or the proposed rule). */
  approve: {
    request: ApprovalRef.extend({ grant: z.enum(['once', 'run', 'always']).optional(), rule: RuleDraftSchema.optional() }),
    response: Ok,
  },
  /** once (default) | for this run | always: "Always deny…" saves `rule` (effect deny or ask; default the
   *  proposed rule as a deny rule). */
  deny: {
    request: ApprovalRef.extend({ reason: z.string().max(2000).optional(), grant: z.enum(['once', 'run', 'always']).optional(), rule: RuleDraftSchema.optional() }),
    response: Ok,
  },
  hold: { request: ApprovalRef, response: Ok },
  /** A card's preview, against the file as it is now: a diff's first lines, or all of them (`whole`). */
  changePreview: { request: ApprovalRef.extend({ whole: z.boolean().optional() }), response: z.object({ preview: ChangePreviewSchema.optional() }) },
  /** Approve or deny the pending reads of one run that the person has on screen, at once (what policy
   *  allows in bulk). `items` names each card shown (id + content hash): a read that arrived after the
   *  person looked, or a card that changed, is not decided — it stays pending. */
  decideRunReads: {
    request: z.object({ sessionId: z.string().min(1).max(4096), verdict: z.enum(VERDICTS), items: z.array(ApprovalRef).min(1).max(1000) }),
    response: z.object({ ok: z.literal(true), count: z.number().int() }),
  },
  revokeRule: { request: z.object({ id: z.string().min(1).max(128) }), response: Ok },
  resumeRun: { request: z.object({ sessionId: z.string().min(1).max(4096) }), response: Ok },
  /** A person resolves an escalation: `resume` the run (or dismiss a notice), or keep it stopped
   *  (`stop`). UI channel only: the agent's token cannot reach it. */
  /** The person's own escalation rules, the whole list (refused while IT's policy turns them off, and
   *  for an id one of IT's rules uses). */
  setEscalationRules: { request: z.object({ rules: EscalationRulesSchema }), response: Ok },
  resolveEscalation: { request: z.object({ escalationId: z.string().min(1).max(256), how: z.enum(ESCALATION_RESOLUTIONS) }), response: Ok },
  setLanguage: { request: z.object({ language: LanguageSchema }), response: Ok },
  setSandboxedBash: { request: z.object({ mode: SandboxedBashModeSchema }), response: Ok },
  /** The person's choice to start the tray app at login (refused when IT's policy decides it). */
  setStartAtLogin: { request: z.object({ enabled: z.boolean() }), response: Ok },
  /** Check a folder before sharing it (`~` is the person's home): the canonical path, whether it is
   *  broad enough to confirm (`broad`), and whether it is already shared; or why it cannot be shared
   *  (with `broad` when the organisation refuses broad shares). */
  previewSharedFolder: {
    request: z.object({ path: z.string().min(1).max(4096) }),
    response: z.union([
      z.object({ ok: z.literal(true), path: z.string(), broad: BroadShareSchema.optional(), existing: SharedFolderSchema.optional() }),
      z.object({ ok: z.literal(false), error: z.string(), broad: BroadShareSchema.optional() }),
    ]),
  },
  /** Shares a folder, or updates one already shared (saying what changed, or that nothing did). A broad
   *  folder (see previewSharedFolder) needs `confirmBroad: true`, else `scope_confirm_broad`. */
  addSharedFolder: {
    request: z.object({
      path: z.string().min(1).max(4096),
      mode: ScopeModeSchema,
      label: z.string().max(200).optional(),
      expiresAt: z.string().max(64).optional(),
      confirmBroad: z.boolean().optional(),
    }),
    response: z.object({ ok: z.literal(true), folder: SharedFolderSchema }).extend(ShareOutcomeSchema.shape),
  },
  removeSharedFolder: { request: z.object({ path: z.string().min(1).max(4096) }), response: Ok },
  /** Widening a broad folder to read-write needs `confirmBroad: true` too. */
  setSharedFolderMode: { request: z.object({ path: z.string().min(1).max(4096), mode: ScopeModeSchema, confirmBroad: z.boolean().optional() }), response: Ok },
  /** The files a run touched inside the scope, with coverage and out-of-scope changes (JSON export). */
  exportManifest: { request: z.object({ sessionId: z.string().min(1).max(4096) }), response: RunManifestSchema },
  /** Native folder picker (Electron only); the web UI uses a path field instead. */
  pickFolder: { request: z.object({}), response: z.object({ path: z.string().optional() }) },
  ...timelineContract,
} as const;

export type UiContract = typeof uiContract;
export type UiMethod = keyof UiContract;
export const UI_METHODS = Object.keys(uiContract) as UiMethod[];
export type UiRequest<M extends UiMethod> = z.input<UiContract[M]['request']>;
export type UiResponse<M extends UiMethod> = z.infer<UiContract[M]['response']>;

/** Push channel: a whole snapshot (with its sequence number) when the window's page loads or asks again. */
export const SNAPSHOT_CHANNEL = 'companion:snapshot';
/** Push channel: after that, what each change changed (shared/snapshot-delta.ts). */
export const SNAPSHOT_DELTA_CHANNEL = 'companion:snapshot-delta';
export const ipcChannel = (method: UiMethod): string => `companion:${method}`;

/** What the renderer sees, whichever transport is underneath (Electron IPC or the web transport). */
export type CompanionBridge = {
  [M in UiMethod]: (request: UiRequest<M>) => Promise<UiResponse<M>>;
} & {
  onSnapshot(listener: (snapshot: Snapshot) => void): () => void;
};

/** What the Electron preload exposes as `window.companion`: the contract's methods, and the two push
 *  channels as they arrive (the renderer checks both and turns deltas back into snapshots). */
export type PreloadBridge = Omit<CompanionBridge, 'onSnapshot'> & {
  onSnapshot(listener: (snapshot: Snapshot, seq: number | undefined) => void): () => void;
  /** Unchecked: shared/snapshot-delta.ts reads it. */
  onSnapshotDelta(listener: (delta: unknown) => void): () => void;
};

/** Why the core refused a UI call (each transport maps these to its own terms at its edge). */
export const UI_ERROR_CODES = [
  'invalid_request', 'unknown_method', 'unsupported',
  'not_pending', 'content_changed', 'journal_failed', 'not_paused',
  'invalid_rule', 'not_found', 'rule_locked',
  'scope_refused', 'scope_locked', 'not_shared', 'scope_confirm_broad',
  'unknown_run', 'setting_locked', 'personal_rules_off',
  // Timeline
  'timeline_unavailable', 'timeline_indexing',
] as const;
export type UiErrorCode = (typeof UI_ERROR_CODES)[number];

/** Errors the core returns to the UI, in both transports (the web transport adds its own codes for
 *  credentials and HTTP-level problems). */
export const UiErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const UI_API_PREFIX = '/ui/api/';
export const UI_EVENTS_PATH = '/ui/events';
/** Trades the one-time pairing token from the link for a session token (headless mode only). */
export const UI_SESSION_PATH = '/ui/session';
export const UiSessionResponseSchema = z.object({ sessionToken: z.string() });
/** Headless mode as a service: the passphrase the person set from a signed-in Inbox, traded for a session. */
export const UI_SIGN_IN_PATH = '/ui/sign-in';
/** Sets the sign-in passphrase (needs a session: the person, not the agent). */
export const UI_PASSPHRASE_PATH = '/ui/passphrase';
export const PassphraseRequestSchema = z.object({ passphrase: z.string().min(1).max(4096) });
