// The typed evidence schema: for every event name, the attributes its log record carries (required
// or optional, and their types). Names follow OTel semantic conventions and Claude Code's own
// telemetry where they overlap (session.id, prompt.id, tool_use_id, tool_name, decision, user.*), so
// a backend can join a companion record with Claude Code's `claude_code.tool_decision` event.
// docs/telemetry.md documents the same schema for observability teams (a unit test keeps them in step).
//
// Objects are strict: an attribute that is not listed here is a schema change, made here first.
import { z } from 'zod';
import { DECIDING_EVENTS, VERDICTS } from './hook-answer.js';
import { RunEndReasonSchema } from './run-watch-contract.js';
import { BROAD_SHARE_KINDS, ScopeModeSchema } from './scope-contract.js';
import { ATTR, CLAUDE_CODE_DECISIONS, CLAUDE_CODE_HOOK_SOURCE, DECISION_SOURCES, EVENT_NAMES, type EventName } from './telemetry-events.js';

export { DECISION_SOURCES };
export const DECISIONS = VERDICTS;
export const SCOPE_ACTIONS = ['add', 'remove', 'set-mode'] as const;
export const FILE_CHANGES = ['created', 'modified', 'deleted', 'renamed'] as const;
export const SCOPE_VIOLATIONS = ['outside', 'read_only', 'forbidden'] as const;
export const SCOPE_SEVERITIES = ['high', 'medium'] as const;
export const FILE_TYPES = ['file', 'directory'] as const;
export const FILE_ATTRIBUTIONS = ['tool_call', 'unexplained'] as const;

const id = z.string().min(1).max(256);
const text = z.string().max(16_384);
const path = z.string().min(1).max(4096);
const count = z.number().int().min(0);
const isoTime = z.iso.datetime({ offset: true });

/** On every event. `user.*` are identity attributes: kept, HMAC'd or dropped per policy. */
const common = {
  [ATTR.eventId]: z.string().min(1).max(128),
  [ATTR.redactionPolicy]: z.string().max(256).optional(),
  /** The person's login (OS account), per OTel semantic conventions. */
  [ATTR.userName]: z.string().max(1024).optional(),
  [ATTR.userEmail]: z.string().max(1024).optional(),
  /** No longer emitted: journal lines written before the OS account moved to `user.name` carry it
   *  here, and they are still valid evidence to ship. */
  [ATTR.userId]: z.string().max(1024).optional(),
};

/** One tool request of one run (what the broker's `correlation()` puts on every approval event). */
const request = {
  ...common,
  [ATTR.sessionId]: z.string().min(1).max(4096),
  [ATTR.promptId]: z.string().max(256).optional(),
  /** A PermissionRequest carries none from Claude Code: there it is the id of the PreToolUse of the
   *  same call, when the companion saw one (absent otherwise, never made up). */
  [ATTR.toolUseId]: id.optional(),
  [ATTR.toolName]: id,
  [ATTR.hookEvent]: z.enum(DECIDING_EVENTS),
  [ATTR.cwd]: path,
  [ATTR.approvalId]: id,
};

export const ApprovalRequestedAttributesSchema = z.strictObject({
  ...request,
  /** JSON of the tool input; only when the policy exports tool input, and then truncated. */
  [ATTR.toolInput]: text.optional(),
});

export const ApprovalDecidedAttributesSchema = z.strictObject({
  ...request,
  [ATTR.decision]: z.enum(DECISIONS),
  [ATTR.decisionSource]: z.enum(DECISION_SOURCES),
  [ATTR.decisionLatencyMs]: count,
  [ATTR.decisionReason]: text,
  /** The policy rule that decided (policy/rule decisions), e.g. `scope.outside`. */
  [ATTR.decisionRule]: text.optional(),
  /** Decided the moment it arrived: this record is the request's only one (no approval.requested). */
  [ATTR.decisionImmediate]: z.literal(true).optional(),
  /** What Claude Code logs for this answer in its `claude_code.tool_decision` (absent on lines written
   *  before these were added, and for an answer Claude Code has no value for). */
  [ATTR.claudeCodeDecision]: z.enum(CLAUDE_CODE_DECISIONS).optional(),
  [ATTR.claudeCodeSource]: z.literal(CLAUDE_CODE_HOOK_SOURCE).optional(),
  /** Bash only: the command runs inside the OS sandbox made from the scope (Claude Code's, kept in step
   *  by the companion), so whatever it runs can write only in the read-write shared folders. */
  [ATTR.sandboxed]: z.boolean().optional(),
});

export const ApprovalWithdrawnAttributesSchema = z.strictObject({
  ...request,
  /** Why it left the inbox undecided, when it was not the agent's connection closing (a hold expired). */
  [ATTR.withdrawnReason]: text.optional(),
});

/** Put on hold: the agent got a deny for this call now, with `decision.reason` as its message; the
 *  item stays for the person until `hold.expires_at`. Recorded before the agent is answered. */
export const ApprovalHeldAttributesSchema = z.strictObject({
  ...request,
  [ATTR.decision]: z.literal('hold'),
  /** A person held it, the time budget did (`approvals.onTimeout: hold`), or the existing hold answered a retry (`policy`). */
  [ATTR.decisionSource]: z.enum(['user', 'timeout', 'policy']),
  [ATTR.decisionLatencyMs]: count,
  [ATTR.decisionReason]: text,
  [ATTR.decisionRule]: text.optional(),
  [ATTR.holdExpiresAt]: isoTime,
  /** The call in front of Claude Code was answered with a deny: it logs a reject from the hook. */
  [ATTR.claudeCodeDecision]: z.literal('reject'),
  [ATTR.claudeCodeSource]: z.literal(CLAUDE_CODE_HOOK_SOURCE),
});

export const ScopeChangedAttributesSchema = z.strictObject({
  ...common,
  [ATTR.scopeAction]: z.enum(SCOPE_ACTIONS),
  [ATTR.scopePath]: path,
  [ATTR.scopeMode]: ScopeModeSchema,
  [ATTR.scopeFolderCount]: count,
  /** The person confirmed a broad share (what made it broad; see BROAD_SHARE_KINDS). */
  [ATTR.scopeBroad]: z.enum(BROAD_SHARE_KINDS).optional(),
});

export const PolicyChangedAttributesSchema = z.strictObject({
  ...common,
  /** The policy sources in force (winning first, `; ` between), the one with the error, or `(none)`. */
  [ATTR.policySource]: z.string().min(1).max(4096),
  [ATTR.policyError]: text.optional(),
  [ATTR.policyFailClosed]: z.boolean(),
});

export const FileOutOfScopeAttributesSchema = z.strictObject({
  ...common,
  [ATTR.filePath]: path,
  [ATTR.fileChange]: z.enum(FILE_CHANGES),
  [ATTR.scopeViolation]: z.enum(SCOPE_VIOLATIONS).optional(),
  /** The run that was active when the change happened, when known. */
  [ATTR.sessionId]: z.string().min(1).max(4096).optional(),
  [ATTR.promptId]: z.string().max(256).optional(),
  [ATTR.cwd]: path.optional(),
  /** For `renamed`: where it was before. */
  [ATTR.filePreviousPath]: path.optional(),
  [ATTR.fileType]: z.enum(FILE_TYPES).optional(),
  /** `high` for a protected location (forbidden), `medium` otherwise. */
  [ATTR.scopeSeverity]: z.enum(SCOPE_SEVERITIES).optional(),
  /** The tool call of the run that announced this path (PreToolUse/PostToolUse), when one did. */
  [ATTR.toolUseId]: id.optional(),
  [ATTR.toolName]: id.optional(),
  /** `tool_call` when linked to an announcing call, else `unexplained`. */
  [ATTR.fileAttribution]: z.enum(FILE_ATTRIBUTIONS).optional(),
  /** The same for the records of one change attributed to several runs. */
  [ATTR.fileChangeId]: id.optional(),
  /** Runs active when the change was seen (more than 1: it may belong to any of them). */
  [ATTR.fileActiveRuns]: z.number().int().min(1).optional(),
  /** A follow-up record: this many further changes of the path, folded into one. */
  [ATTR.fileRepeats]: z.number().int().min(1).optional(),
});

export const ESCALATION_SEVERITY_TEXTS = ['WARN', 'ERROR'] as const;
export const ESCALATION_ACTION_NAMES = ['notify', 'hold', 'stop'] as const;
export const ESCALATION_RESOLUTION_NAMES = ['resume', 'stop'] as const;
/** A comma-separated list of ids (attribute values are scalars). */
const idList = z.string().max(16_384);

export const EscalationRaisedAttributesSchema = z.strictObject({
  ...common,
  [ATTR.escalationId]: id,
  /** What the rule counts (`toolErrors`, `denials`, `outOfScope`, `gated`, `repeated`). */
  [ATTR.escalationKind]: z.string().min(1).max(128),
  [ATTR.escalationReason]: text.min(1),
  /** The `event.id` of the evidence that completed the count (the last one). */
  [ATTR.escalationCauseEventId]: z.string().min(1).max(128).optional(),
  /** The rule (policy `escalation.rules[].id`), what it does, and how it was met. */
  [ATTR.escalationRule]: id.optional(),
  [ATTR.escalationAction]: z.enum(ESCALATION_ACTION_NAMES).optional(),
  [ATTR.escalationSeverity]: z.enum(ESCALATION_SEVERITY_TEXTS).optional(),
  [ATTR.escalationCount]: z.number().int().min(1).optional(),
  [ATTR.escalationThreshold]: z.number().int().min(1).optional(),
  [ATTR.escalationWindowMinutes]: z.number().int().min(1).optional(),
  [ATTR.escalationHighOnly]: z.literal(true).optional(),
  [ATTR.escalationEvidenceIds]: idList.optional(),
  [ATTR.escalationToolUseIds]: idList.optional(),
  /** The policy's `escalation.contact`, for the organisation's pipeline to route it. */
  [ATTR.escalationContactName]: z.string().max(200).optional(),
  [ATTR.escalationContactEmail]: z.string().max(320).optional(),
  [ATTR.escalationContactUrl]: z.string().max(2048).optional(),
  [ATTR.sessionId]: z.string().min(1).max(4096).optional(),
  [ATTR.promptId]: z.string().max(256).optional(),
  [ATTR.toolUseId]: id.optional(),
  [ATTR.approvalId]: id.optional(),
  [ATTR.filePath]: path.optional(),
});

export const EscalationResolvedAttributesSchema = z.strictObject({
  ...common,
  [ATTR.escalationId]: id,
  [ATTR.escalationRule]: id,
  [ATTR.escalationAction]: z.enum(ESCALATION_ACTION_NAMES),
  [ATTR.escalationResolution]: z.enum(ESCALATION_RESOLUTION_NAMES),
  [ATTR.sessionId]: z.string().min(1).max(4096),
});

export const TelemetryLossAttributesSchema = z.strictObject({
  ...common,
  /** How many events were lost (never delivered and no longer in the journal). */
  [ATTR.lossCount]: z.number().int().min(1),
  /** Events lost since the journal began, this loss included (the newest loss record tells the whole story). */
  [ATTR.lossTotal]: z.number().int().min(1).optional(),
  /** Why, in words (e.g. the disk budget was exceeded while the collector was unreachable). */
  [ATTR.lossReason]: z.string().min(1).max(1024),
  /** Time span of the lost events (ISO 8601), when known. */
  [ATTR.lossFirstEventTime]: isoTime.optional(),
  [ATTR.lossLastEventTime]: isoTime.optional(),
});

export const StateTamperedAttributesSchema = z.strictObject({
  ...common,
  /** The file, relative to the companion's data folder (e.g. `pending.json`, `settings.json`). */
  [ATTR.stateFile]: z.string().min(1).max(256),
  /** What was found and what the companion did instead (the change is never taken). */
  [ATTR.stateReason]: text.min(1),
  [ATTR.approvalId]: id.optional(),
  [ATTR.sessionId]: z.string().min(1).max(4096).optional(),
});

export const RunStartedAttributesSchema = z.strictObject({
  ...common,
  [ATTR.sessionId]: z.string().min(1).max(4096),
  [ATTR.promptId]: z.string().max(256).optional(),
  [ATTR.cwd]: path.optional(),
});

export const RunEndedAttributesSchema = z.strictObject({
  ...common,
  [ATTR.sessionId]: z.string().min(1).max(4096),
  [ATTR.promptId]: z.string().max(256).optional(),
  [ATTR.cwd]: path.optional(),
  [ATTR.runStartedAt]: isoTime,
  [ATTR.runEndReason]: RunEndReasonSchema.exclude(['unknown']),
  [ATTR.runToolEvents]: count,
  /** The manifest's totals (RunManifest.totals): counts only, never the paths. */
  [ATTR.runFiles]: count,
  [ATTR.runFilesCreated]: count,
  [ATTR.runFilesModified]: count,
  [ATTR.runFilesDeleted]: count,
  [ATTR.runFilesTransient]: count,
  [ATTR.runChanges]: count,
  [ATTR.runUnexplained]: count,
  [ATTR.runOutOfScope]: count,
  [ATTR.runDropped]: count,
  [ATTR.runClientBookkeeping]: count,
});

export const UiSignInAttributesSchema = z.strictObject({
  ...common,
  /** `set`: the passphrase was set from a signed-in Inbox; `success`; `wrong`; `wait`: refused unchecked,
   *  too soon after a failure; `not_set`: no passphrase was ever set; `unavailable`: refused unchecked,
   *  the passphrase file was changed outside the companion or the failure count cannot be saved. */
  [ATTR.signInOutcome]: z.enum(['set', 'success', 'wrong', 'wait', 'not_set', 'unavailable']),
  /** Consecutive failures so far (after a `wrong`). */
  [ATTR.signInFailures]: z.number().int().min(0).optional(),
});

/** The agent's attributes are kept as it sent them (Claude Code adds some over time): only the
 *  relay's own are checked. */
export const AgentLogAttributesSchema = z.looseObject({
  ...common,
  [ATTR.relaySource]: id,
  [ATTR.agentEventName]: z.string().max(256).optional(),
  [ATTR.sessionId]: z.string().max(4096).optional(),
  [ATTR.promptId]: z.string().max(256).optional(),
  [ATTR.toolUseId]: z.string().max(256).optional(),
});

export const EVIDENCE_EVENT_SCHEMAS = {
  [EVENT_NAMES.approvalRequested]: ApprovalRequestedAttributesSchema,
  [EVENT_NAMES.approvalDecided]: ApprovalDecidedAttributesSchema,
  [EVENT_NAMES.approvalWithdrawn]: ApprovalWithdrawnAttributesSchema,
  [EVENT_NAMES.approvalHeld]: ApprovalHeldAttributesSchema,
  [EVENT_NAMES.scopeChanged]: ScopeChangedAttributesSchema,
  [EVENT_NAMES.policyChanged]: PolicyChangedAttributesSchema,
  [EVENT_NAMES.fileOutOfScope]: FileOutOfScopeAttributesSchema,
  [EVENT_NAMES.escalationRaised]: EscalationRaisedAttributesSchema,
  [EVENT_NAMES.escalationResolved]: EscalationResolvedAttributesSchema,
  [EVENT_NAMES.telemetryLoss]: TelemetryLossAttributesSchema,
  [EVENT_NAMES.stateTampered]: StateTamperedAttributesSchema,
  [EVENT_NAMES.runStarted]: RunStartedAttributesSchema,
  [EVENT_NAMES.runEnded]: RunEndedAttributesSchema,
  [EVENT_NAMES.uiSignIn]: UiSignInAttributesSchema,
  [EVENT_NAMES.agentLog]: AgentLogAttributesSchema,
} as const satisfies Record<EventName, z.ZodType>;

export type EvidenceAttributes<N extends EventName> = z.output<(typeof EVIDENCE_EVENT_SCHEMAS)[N]>;

/** What a producer passes for event N: its schema's attributes, less `event.id` (added when built). */
export type EvidenceAttributeInput<N extends EventName> = Omit<z.input<(typeof EVIDENCE_EVENT_SCHEMAS)[N]>, typeof ATTR.eventId>;

export type EvidenceValidation<N extends EventName = EventName> =
  | { ok: true; attributes: EvidenceAttributes<N> }
  | { ok: false; message: string };

export function isEvidenceEventName(name: string): name is EventName {
  return Object.hasOwn(EVIDENCE_EVENT_SCHEMAS, name);
}

/** Checks the attributes of one event against its schema; the message names the first few problems. */
export function validateEvidenceAttributes<N extends EventName>(name: N, attributes: unknown): EvidenceValidation<N>;
export function validateEvidenceAttributes(name: string, attributes: unknown): EvidenceValidation;
export function validateEvidenceAttributes(name: string, attributes: unknown): EvidenceValidation {
  if (!isEvidenceEventName(name)) return { ok: false, message: `unknown evidence event ${JSON.stringify(name)}` };
  const parsed = EVIDENCE_EVENT_SCHEMAS[name].safeParse(attributes);
  if (parsed.success) return { ok: true, attributes: parsed.data };
  const message = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(attributes)'}: ${i.message}`)
    .join('; ');
  return { ok: false, message: `${name}: ${message}` };
}
