// Evidence event names and attribute keys. Attribute names follow Claude Code's own telemetry
// (session.id, prompt.id, tool_use_id, tool_name, decision) so records join with claude_code.* events.
export const EVENT_NAMES = {
  approvalRequested: 'approval.requested',
  approvalDecided: 'approval.decided',
  approvalWithdrawn: 'approval.withdrawn',
  /** A request was put on hold (by a person, or by the time budget under `approvals.onTimeout: hold`):
   *  the agent is answered at once that it waits for a person; the item stays until decided or expired. */
  approvalHeld: 'approval.held',
  scopeChanged: 'scope.changed',
  policyChanged: 'policy.changed',
  /** A file changed outside the scope while a run was active (raised by the watcher). */
  fileOutOfScope: 'file.out_of_scope',
  /** An escalation rule (policy `escalation.rules`) fired for a run: notify, hold or stop it. */
  escalationRaised: 'escalation.raised',
  /** A person resolved an escalation: resumed the run (or dismissed the notice), or kept it stopped. */
  escalationResolved: 'escalation.resolved',
  /** A state file of the companion was changed by something other than the companion (refused). */
  stateTampered: 'state.tampered',
  /** Evidence was lost (e.g. dropped by the journal's disk budget): how many, why, which time span. */
  telemetryLoss: 'telemetry.loss',
  /** An agent run started (its first hook event): a run the companion then stops in shows after a restart. */
  runStarted: 'run.started',
  /** An agent run ended: when and why, and its manifest's counts (the Runs view after a restart). */
  runEnded: 'run.ended',
  /** A try to sign in to the headless Inbox with the passphrase, or the passphrase set. */
  uiSignIn: 'ui.sign_in',
  /** A log record of the agent's own telemetry (Claude Code's OTel logs), relayed through POST /v1/logs:
   *  its attributes as sent (redacted), its own name in `event.name`, and `relay.source`. */
  agentLog: 'agent.log',
} as const;
export type EventName = (typeof EVENT_NAMES)[keyof typeof EVENT_NAMES];

export const ATTR = {
  eventId: 'event.id',
  sessionId: 'session.id',
  promptId: 'prompt.id',
  toolUseId: 'tool_use_id',
  toolName: 'tool_name',
  hookEvent: 'hook_event_name',
  approvalId: 'approval.id',
  decision: 'decision',
  decisionSource: 'decision.source',
  decisionLatencyMs: 'decision.latency_ms',
  decisionReason: 'decision.reason',
  decisionRule: 'decision.rule',
  // approval.decided of a request decided the moment it arrived (policy or rule, no person): this one
  // record carries the request too, and no approval.requested is written for it.
  decisionImmediate: 'decision.immediate',
  // approval.held: until when the item stays held (ISO 8601); then it is withdrawn.
  holdExpiresAt: 'hold.expires_at',
  // approval.withdrawn: why the item left the inbox undecided (absent: the agent stopped waiting).
  withdrawnReason: 'withdrawn.reason',
  // The same decision in Claude Code's own vocabulary (its `claude_code.tool_decision` event), where it has one.
  claudeCodeDecision: 'claude_code.decision',
  claudeCodeSource: 'claude_code.source',
  // A Bash decision: whether the command runs in the OS sandbox the companion keeps (Claude Code's).
  sandboxed: 'sandboxed',
  cwd: 'cwd',
  // Who (identity fields: redacted by the policy's `redaction.identity`). OTel semantic conventions:
  // `user.name` is the login (the OS account); `user.id` is not emitted any more (Claude Code's
  // `user.id` is an installation id, a different thing), but stays in the schema for older journal lines.
  userId: 'user.id',
  userEmail: 'user.email',
  userName: 'user.name',
  // Tool input content: never exported unless the policy's `redaction.exportToolInput` is on.
  toolInput: 'tool_input',
  // scope.changed
  scopeAction: 'scope.action',
  scopePath: 'scope.path',
  scopeMode: 'scope.mode',
  scopeFolderCount: 'scope.folder_count',
  scopeBroad: 'scope.broad',
  // policy.changed
  policySource: 'policy.source',
  policyError: 'policy.error',
  policyFailClosed: 'policy.fail_closed',
  // file.out_of_scope
  filePath: 'file.path',
  fileChange: 'file.change',
  scopeViolation: 'scope.violation',
  filePreviousPath: 'file.previous_path',
  fileType: 'file.type',
  scopeSeverity: 'scope.severity',
  fileAttribution: 'file.attribution',
  fileChangeId: 'file.change_id',
  fileActiveRuns: 'file.active_runs',
  fileRepeats: 'file.repeats',
  // escalation.raised
  escalationId: 'escalation.id',
  escalationKind: 'escalation.kind',
  escalationReason: 'escalation.reason',
  escalationCauseEventId: 'escalation.cause_event_id',
  escalationRule: 'escalation.rule',
  escalationAction: 'escalation.action',
  // WARN or ERROR (OTel severity text); the exported log record carries the same severity.
  escalationSeverity: 'escalation.severity',
  escalationCount: 'escalation.count',
  escalationThreshold: 'escalation.threshold',
  escalationWindowMinutes: 'escalation.window_minutes',
  // outOfScope rules with `severity: "high"`: only changes of protected places counted (true, or absent).
  escalationHighOnly: 'escalation.high_only',
  // The records that met the rule (`event.id`s) and the agent's tool calls among them, comma-separated.
  escalationEvidenceIds: 'escalation.evidence_ids',
  escalationToolUseIds: 'escalation.tool_use_ids',
  escalationContactName: 'escalation.contact.name',
  escalationContactEmail: 'escalation.contact.email',
  escalationContactUrl: 'escalation.contact.url',
  // escalation.resolved: resume (the run goes on; a notice dismissed) or stop (kept stopped).
  escalationResolution: 'escalation.resolution',
  // telemetry.loss
  lossCount: 'loss.count',
  lossTotal: 'loss.total',
  lossReason: 'loss.reason',
  lossFirstEventTime: 'loss.first_event_time',
  lossLastEventTime: 'loss.last_event_time',
  // state.tampered
  stateFile: 'state.file',
  stateReason: 'state.reason',
  // run.ended: the run's start, why it ended, and its manifest's counts (never its file list)
  runStartedAt: 'run.started_at',
  runEndReason: 'run.end_reason',
  runToolEvents: 'run.tool_events',
  runFiles: 'run.files',
  runFilesCreated: 'run.files_created',
  runFilesModified: 'run.files_modified',
  runFilesDeleted: 'run.files_deleted',
  runFilesTransient: 'run.files_transient',
  runChanges: 'run.changes',
  runUnexplained: 'run.unexplained',
  runOutOfScope: 'run.out_of_scope',
  runDropped: 'run.dropped',
  runClientBookkeeping: 'run.client_bookkeeping',
  signInOutcome: 'sign_in.outcome',
  signInFailures: 'sign_in.failures',
  // agent.log: which agent's telemetry was relayed (e.g. `claude-code`), and the name the agent gave it.
  relaySource: 'relay.source',
  agentEventName: 'event.name',
  // How the attributes were redacted before the journal (see electron/core/evidence/redaction-policy.ts).
  redactionPolicy: 'redaction.policy',
} as const;

/**
 * Claude Code's values in its `claude_code.tool_decision` event (code.claude.com/docs/en/monitoring-usage):
 * `decision` is accept | reject; of its `source` values, a decision the companion gave through a hook
 * is logged as `hook` (the only one a companion record carries).
 */
export const CLAUDE_CODE_DECISIONS = ['accept', 'reject'] as const;
export const CLAUDE_CODE_HOOK_SOURCE = 'hook';

/** Who or what settled a request: a person, the policy (scope), its time budget, or a remembered rule. */
export const DECISION_SOURCES = ['user', 'policy', 'timeout', 'rule'] as const;
export type DecisionSource = (typeof DECISION_SOURCES)[number];
