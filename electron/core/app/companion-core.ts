// Wires the capabilities together. Used by the Electron shell and by `cowork-companion serve`.
// Nothing is decided here: each capability owns its logic; this file connects their events.
import { userInfo } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { coreText } from '../../../shared/core-messages.js';
import type { ToolPayload } from '../../../shared/agent-api-contract.js';
import { CARD_DIFF_LINES } from '../../../shared/change-preview-contract.js';
import { ATTR, EVENT_NAMES } from '../../../shared/telemetry-events.js';
import { DEFAULT_HOLD_HOURS, DEFAULT_TIMELINE_RETENTION_DAYS } from '../../../shared/managed-policy-contract.js';
import { ApprovalTimingKeySchema, type ApprovalTiming, type Snapshot } from '../../../shared/ui-contract.js';
import { ApprovalsBrokerService, automaticDecisionPolicy, loadPending, offerRule, restorePending, RulesService, type PersonIdentity, type PreviewDetail } from '../approvals/index.js';
import { ClaudeCodeSandboxService, CONNECTIONS_FILE } from '../clients/index.js';
import { contactText, escalatedOutcome, escalationWhy, EscalationService, signalsOfEvidence } from '../escalation/index.js';
import { evaluateScope, findForbidden } from '../scope/index.js';
import { companionResourceAttributes, newEvidenceEvent, otlpLogsConfigFromEnv, SERVICE_NAME } from '../evidence/index.js';
import { acquireInstanceLock, appVersion, ensureDataDir, systemClock, type InstanceLock } from '../base/index.js';
import { AGENT_ENDPOINT_FILE, AGENT_TOKEN_FILE, loadOrCreateAgentToken, NonceLedger, PASSPHRASE_FILE, SignInPassphraseService, startLoopbackServer, UiSessions } from '../http/index.js';
import { policyChangedEvent, policyStatusView } from '../policy/index.js';
import { cardPreview, changePreview, readPreviewFile, resolveRequest, systemUserHomes, type ApprovalPolicy, type PreviewFile, type ResolvedRequest, type ToolCall } from '../requests/index.js';
import { DAY_MS, DecisionTargetsStore, journalHistory } from '../history/index.js';
import type { EvidenceEvent, EvidenceSink } from '../evidence/index.js';
import { DEFAULT_SETTINGS } from '../settings/index.js';
import { TimelineFollowerService, TimelineStoreService } from '../timeline/index.js';
import { RunMonitorService, watchPortFor } from '../watch/index.js';
import type { CompanionCore, CompanionCoreOptions } from './companion-core-types.js';
import { openCoreServices } from './core-services.js';
import { startAtLogin } from './start-at-login-policy.js';
import { dispatchUiCall, uiHandlers, type TimelineUiDeps } from './ui-handlers.js';

export const AGENT_BODY_LIMIT = 1024 * 1024;
/** The escalations in force (holds and stops), sealed like pending.json. */
export const ESCALATIONS_FILE = 'escalations.json';
/** Events a Timeline query may index on the thread that answers hooks (each ~70 µs): the follower
 *  thread indexes the rest, and the view says the store is still being built. */
const TIMELINE_QUERY_CATCH_UP = 1000;

/**
 * The person at the keyboard: the OS account as `user.name` (OTel semantic conventions: "short name
 * or login/username"), plus an e-mail when IT or the user configured one. No `user.id`: nothing the
 * companion knows is what that means to the agent's own telemetry (Claude Code's `user.id` is an
 * anonymous installation id), and two meanings under one name would break a join on it.
 */
function personIdentity(env: Record<string, string | undefined>): PersonIdentity {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    name = undefined;
  }
  const email = env['COWORK_COMPANION_USER_EMAIL']?.trim();
  return { ...(name ? { [ATTR.userName]: name } : {}), ...(email ? { [ATTR.userEmail]: email } : {}) };
}

/** The events as they pass, each shown to `visit` first: one pass over the journal serves several readers. */
function* tapped(events: Iterable<EvidenceEvent>, visit: (event: EvidenceEvent) => void): Generator<EvidenceEvent> {
  for (const event of events) {
    visit(event);
    yield event;
  }
}

export async function createCompanionCore(options: CompanionCoreOptions): Promise<CompanionCore> {
  const dataDir = ensureDataDir(options.dataDir);
  // Before anything in the folder is read or written: a second companion leaves it untouched.
  const lock = acquireInstanceLock(dataDir);
  try {
    return await assembleCore(options, dataDir, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function assembleCore(options: CompanionCoreOptions, dataDir: string, lock: InstanceLock): Promise<CompanionCore> {
  const clock = options.clock ?? systemClock;
  const env = options.env ?? process.env;
  const sessions = new UiSessions(() => clock.now());
  const onError = (error: unknown): void => {
    process.stderr.write(`cowork-companion: internal error: ${String((error as Error)?.stack ?? error)}\n`);
  };
  const services = openCoreServices({ ...options, dataDir, clock, env, guardFolders: true });
  const { token: agentToken, file: tokenFile } = loadOrCreateAgentToken(dataDir, services.seals.file(AGENT_TOKEN_FILE));
  const { settings, evidence, managedPolicy, canonicalize, scope, volume, home } = services;
  const userHome = systemUserHomes(services.platform, home);
  const resolve = <P extends ToolCall>(payload: P): ResolvedRequest<P> =>
    resolveRequest(payload, { canonicalize, home, userHome, mcpPathArguments: managedPolicy.state.policy.mcpPathArguments });
  const ruleContext = { canonicalize, volume, scope: () => scope.state() };
  const rules = new RulesService({
    settings,
    policy: managedPolicy,
    clock,
    ctx: ruleContext,
    home,
    onTamper: (reason) => services.reportTamper('settings.json', reason),
    distrustStored: services.settingsDistrusted,
  });
  // IT's budget wins over the command line, which wins over the person's settings.
  const approvalTiming = (): ApprovalTiming => {
    const p = managedPolicy.state.policy.approvals;
    const onTimeout = p?.onTimeout ?? 'deny';
    const holdHours = p?.holdHours ?? DEFAULT_HOLD_HOURS;
    // Fixed are the keys a policy source named (its schema fills in onTimeout's default otherwise).
    const { origins } = managedPolicy.state;
    const fixedByPolicy = ApprovalTimingKeySchema.options.filter((k) => Object.hasOwn(origins, `approvals.${k}`));
    const common = { onTimeout, holdHours, fixedByPolicy };
    if (p?.timeoutSeconds !== undefined) return { timeoutSeconds: p.timeoutSeconds, ...common, source: 'policy' };
    if (options.decisionBudgetMs !== undefined) return { timeoutSeconds: options.decisionBudgetMs / 1000, ...common, source: 'command-line' };
    const ms = settings.read().decisionBudgetMs;
    return { timeoutSeconds: ms / 1000, ...common, source: ms === DEFAULT_SETTINGS.decisionBudgetMs ? 'default' : 'settings' };
  };
  // Claude Code's Bash sandbox, in the settings files connect set it up in, follows the scope.
  const sandbox = new ClaudeCodeSandboxService({
    connections: services.seals.file(CONNECTIONS_FILE),
    scope,
    rules,
    // The monitor is made below; the service first writes when it starts, after that.
    onOwnWrite: (file) => monitor.ownWrites.expect(file),
    onError,
    platform: services.platform,
    home,
    canonicalize,
    volume,
  });
  const pendingFile = services.seals.file('pending.json');
  // IT's escalation rules, then the person's own (Settings) where IT lets people add some; an id IT
  // uses is IT's (the person's rule of that name is left out). The person's are read again when the
  // settings change, not on every signal.
  let personalEscalationRules = settings.readEscalationRules();
  const escalationRules = () => {
    const p = managedPolicy.state.policy.escalation;
    const policyRules = p?.rules ?? [];
    const personalAllowed = p?.allowPersonalRules ?? true;
    const personal = personalEscalationRules;
    const taken = new Set(policyRules.map((r) => r.id));
    return { policy: policyRules, personal, personalAllowed, inForce: personalAllowed ? [...policyRules, ...personal.filter((r) => !taken.has(r.id))] : policyRules };
  };
  // Escalation rules (policy `escalation`): each run's signals, and the holds and stops in force
  // (sealed like pending.json, so a restart does not release a stopped run).
  const escalation = new EscalationService({
    clock,
    evidence: evidence.recorder,
    rules: () => escalationRules().inForce,
    contact: () => managedPolicy.state.policy.escalation?.contact,
    store: services.seals.file(ESCALATIONS_FILE),
    person: personIdentity(env),
    reportUnreadable: (reason) => services.reportTamper(ESCALATIONS_FILE, reason),
    onError,
  });
  // What the broker, the run monitor and the relay record is also what escalation rules count: a
  // denial, an out-of-scope change, the agent's failed tool call. Counted once it is durable.
  const noteSignals = (e: EvidenceEvent): void => {
    const found = signalsOfEvidence(e);
    if (found) for (const signal of found.signals) escalation.signal(found.sessionId, signal);
  };
  const signalling: EvidenceSink = {
    record: async (e) => {
      await evidence.recorder.record(e);
      noteSignals(e);
    },
  };
  // One pass over the journal at start: the requests it recorded (pending.json is checked against
  // them) and what a person saw before the restart (history), within the retention window.
  const stored = loadPending(pendingFile.read());
  const requested = new Set<string>();
  const escalationRecords: EvidenceEvent[] = [];
  const historyDays = settings.read().historyDays;
  const targetsStore = new DecisionTargetsStore(dataDir, services.integrityKey, onError);
  const history = journalHistory(
    tapped(evidence.journal.events(), (e) => {
      if (e.name === EVENT_NAMES.approvalRequested) requested.add(String(e.attributes[ATTR.approvalId]));
      else if (e.name === EVENT_NAMES.escalationRaised || e.name === EVENT_NAMES.escalationResolved) escalationRecords.push(e);
    }),
    { now: clock.now(), historyDays, home, pending: new Set(stored.map((e) => e.item.id)), targets: targetsStore.load(clock.now() - historyDays * DAY_MS) },
  );
  // The journal is the record of holds and stops: what the state file lost is put back (and reported).
  const lacked = escalation.reconcile(escalationRecords);
  if (lacked > 0) services.reportTamper(ESCALATIONS_FILE, `it lacked ${lacked} hold${lacked === 1 ? '' : 's'} or stop${lacked === 1 ? '' : 's'} the journal recorded; they were put back`);
  targetsStore.keepOnly(new Map(history.decisions.flatMap((d) => (d.targets ? [[d.approvalId, { time: Date.parse(d.decidedAt), targets: d.targets }] as const] : []))));
  const propose = (request: ResolvedRequest) => offerRule(request, ruleContext, scope.state().folders.map((f) => f.path));
  // How Bash commands the OS sandbox confines are decided: IT's policy, else the person's choice (if IT lets people choose).
  const sandboxedBash = (): Snapshot['settings']['sandboxedBash'] => {
    const fromPolicy = managedPolicy.state.policy.approvals?.sandboxedBash;
    if (fromPolicy) return { mode: fromPolicy, source: 'policy', policyKey: 'approvals.sandboxedBash' };
    // Allowing sandboxed Bash without asking is a person's own automatic decision, like their rules.
    if (!rules.personalRulesAllowed()) return { mode: 'ask', source: 'policy', policyKey: 'allowPersonalRules' };
    const chosen = settings.sandboxedBash();
    return chosen ? { mode: chosen, source: 'settings' } : { mode: 'ask', source: 'default' };
  };
  const startAtLoginView = (): Snapshot['settings']['startAtLogin'] =>
    startAtLogin({
      policyAutostart: managedPolicy.state.policy.autostart,
      policyBehaviour: policyStatusView(managedPolicy.state).behaviour,
      personal: settings.startAtLogin(),
      available: options.startAtLoginAvailable ?? false,
    });
  const bashSandboxOf = (payload: ToolPayload) => (payload.tool_name === 'Bash' ? sandbox.bashSandboxFor(payload.cwd) : undefined);
  const automatic =
    options.policy ??
    automaticDecisionPolicy({
      scope: () => scope.state(),
      canonicalize,
      rules,
      bashSandbox: (request) => bashSandboxOf(request.payload),
      sandboxedBashMode: () => sandboxedBash().mode,
    });
  // A run an escalation holds or stops: its requests go to a person, or are denied (escalation-policy.ts).
  const policy: ApprovalPolicy = (request) => {
    const run = escalation.runState(request.payload.session_id);
    const e = run?.escalation;
    return escalatedOutcome(automatic(request), run && e ? { action: run.action, ruleId: e.ruleId, why: run.why ?? escalationWhy(e), contact: contactText(managedPolicy.state.policy.escalation?.contact) } : undefined);
  };
  // The file a change would touch, read for its diff only: never the companion's own data or a
  // forbidden place (the card then shows the request's strings).
  const previewFile = (request: ResolvedRequest): PreviewFile => {
    const target = request.targets.files[0];
    const c = target ? request.canonical(target) : undefined;
    if (!c?.ok) return { kind: 'unreadable' };
    if (findForbidden(c.path, scope.state(), canonicalize)) return { kind: 'protected' };
    return c.exists ? readPreviewFile(c.path) : { kind: 'missing' };
  };
  const previewOf = (payload: ToolPayload, detail: PreviewDetail) => {
    const request = resolve(payload);
    const preview = changePreview(payload.tool_name, payload.tool_input, () => previewFile(request));
    return detail === 'whole' ? preview : cardPreview(preview, CARD_DIFF_LINES);
  };
  const broker = new ApprovalsBrokerService({
    clock,
    evidence: signalling,
    person: personIdentity(env),
    stormPerMinute: () => managedPolicy.state.policy.stormPerMinute,
    onTimeout: () => approvalTiming().onTimeout,
    holdHours: () => approvalTiming().holdHours,
    proposeRule: propose,
    sandbox: bashSandboxOf,
    preview: previewOf,
    persist: {
      load: () => {
        if (stored.length === 0) return [];
        const { kept, refused } = restorePending(stored, {
          requested,
          resolve,
          noteFor: (request) => {
            const outcome = evaluateScope(request, scope.state(), canonicalize);
            return outcome.kind === 'ask' ? outcome.reason : undefined;
          },
          proposeRule: propose,
        });
        for (const { entry, reason } of refused) services.reportTamper('pending.json', reason, entry);
        return kept;
      },
      save: (entries) => pendingFile.write(JSON.stringify(entries)),
    },
    history: history.decisions,
    onDecision: (record) => {
      if (record.targets) targetsStore.add(record.approvalId, Date.parse(record.decidedAt), record.targets);
    },
  });
  const reevaluate = (): void => void broker.reevaluate((payload: ToolPayload) => policy(resolve(payload)));
  const monitor = new RunMonitorService({
    clock,
    canonicalize,
    home,
    dataDir,
    evidence: signalling,
    scope,
    policy: () => managedPolicy.state.policy,
    watchAllowed: options.watch ?? true,
    port: options.watchPort ?? watchPortFor(process.platform),
    onError,
    history,
  });
  // The timeline follows the journal as it is written, in a worker thread where one starts (indexing
  // never holds up a decision), else a batch per turn of this thread's event loop. Without it the app
  // still decides and records: it is an index, and `timeline` builds it again from the journal.
  let timeline: TimelineStoreService | undefined;
  let follower: TimelineFollowerService | undefined;
  let timelineUnavailable = '';
  const retentionDays = (): number => managedPolicy.state.policy.timeline?.retentionDays ?? DEFAULT_TIMELINE_RETENTION_DAYS;
  try {
    timeline = new TimelineStoreService({ dataDir, journal: evidence.journal, retentionDays, now: () => clock.now(), paths: { home, platform: services.platform }, catchUpLimit: TIMELINE_QUERY_CATCH_UP });
    follower = new TimelineFollowerService({ store: timeline, dataDir, journal: evidence.journal, key: services.integrityKey, retentionDays, now: () => clock.now(), onError });
    follower.start();
  } catch (error) {
    timelineUnavailable = (error as Error).message;
    onError(error);
  }
  let closing = false;
  // Signals only a hook shows: a failed tool call (PostToolUseFailure, which has no record of its own;
  // the same call relayed as a failed tool_result counts once: escalation-service.ts),
  // and, for each tool call (its PreToolUse: every call passes it first), a repeat of the same action
  // and a call an ask rule covers (a deny rule's shows as its denial).
  const observeForEscalation = (p: { hook_event_name: string; session_id: string; tool_use_id?: unknown; is_interrupt?: unknown }, request?: ResolvedRequest<ToolCall>): void => {
    escalation.runSeen(p.session_id);
    const toolUseId = typeof p.tool_use_id === 'string' && p.tool_use_id !== '' ? { toolUseId: p.tool_use_id } : {};
    // A call the person interrupted did not fail.
    if (p.hook_event_name === 'PostToolUseFailure' && p.is_interrupt !== true) escalation.signal(p.session_id, { kind: 'toolErrors', ...toolUseId });
    if (p.hook_event_name !== 'PreToolUse' || !request) return;
    escalation.signal(p.session_id, { kind: 'repeated', actionKey: request.actionKey, ...toolUseId });
    if (rules.gate(request as ResolvedRequest, { count: false })?.effect === 'ask') escalation.signal(p.session_id, { kind: 'gated', ...toolUseId });
  };

  const listeners = new Set<(s: Snapshot) => void>();
  const getSnapshot = (): Snapshot => ({
    version: broker.stateVersion,
    pending: broker.pending(),
    recent: broker.recentDecisions(),
    scope: scope.view(),
    evidence: evidence.status(),
    rules: rules.list(),
    pausedRuns: broker.pausedRuns(),
    escalations: escalation.views(),
    escalationRules: escalationRulesView(),
    settings: { language: settings.language(), sandboxedBash: sandboxedBash(), personalRules: rules.personalRulesAllowed(), startAtLogin: startAtLoginView() },
    approvalTiming: approvalTiming(),
    runs: monitor.runViews(),
    watch: monitor.watchView(),
    alerts: monitor.alerts(),
    integrity: services.integrityView(),
    sandbox: sandbox.view(),
    policy: policyStatusView(managedPolicy.state),
    serverTime: new Date(clock.now()).toISOString(),
  });
  function escalationRulesView(): Snapshot['escalationRules'] {
    const { policy: fromPolicy, personal, personalAllowed } = escalationRules();
    return { policy: fromPolicy, personal, personalAllowed };
  }
  // Changes in one turn of the event loop (a group commit settles many decisions at once) make one
  // snapshot, after the answers are on their way; none is made while nobody listens.
  let broadcastPending: NodeJS.Immediate | undefined;
  const broadcast = (): void => {
    if (listeners.size === 0 || broadcastPending) return;
    broadcastPending = setImmediate(() => {
      broadcastPending = undefined;
      if (closing || listeners.size === 0) return;
      const snapshot = getSnapshot();
      for (const l of listeners) l(snapshot);
    });
  };

  // ---- how the capabilities' events connect ----
  broker.onChange(broadcast);
  // A hold or stop applies to what already waits too (a stop denies it; a resume lets rules answer it).
  escalation.onChange(() => {
    broadcast();
    reevaluate();
  });
  rules.onChange(broadcast);
  services.onIntegrityChange(broadcast);
  // From here on every state file is checked whenever it changes, runs or no runs.
  services.seals.endFirstUse();
  services.seals.watchAll();
  monitor.onChange(broadcast);
  sandbox.onChange(broadcast);
  sandbox.start();
  scope.onChange(() => {
    broadcast();
    reevaluate();
  });
  // Another process changed the file: the scope service checks its folders (and reports through
  // scope.onChange above, which re-evaluates), the rules service undoes edits to rules; what is left
  // to do here is to show the file as it now is.
  settings.onChange((change) => {
    if (change === 'escalationRules' || change === 'external') personalEscalationRules = settings.readEscalationRules();
    if (change === 'language' || change === 'sandboxedBash' || change === 'startAtLogin' || change === 'escalationRules' || change === 'external') broadcast();
  });
  settings.watchExternalChanges();
  managedPolicy.onChange((state) => {
    evidence.reconfigure();
    monitor.applyPolicy();
    void evidence.recorder.record(policyChangedEvent(state, clock.now())).catch(onError);
    broadcast();
    reevaluate();
  });
  managedPolicy.startWatching();
  // Evidence status changes with every append: coalesce those into at most 4 snapshots a second.
  let evidenceTimer: NodeJS.Timeout | undefined;
  evidence.shipper?.onChange(() => {
    evidenceTimer ??= setTimeout(() => {
      evidenceTimer = undefined;
      broadcast();
    }, 250);
  });
  const onSnapshot = (listener: (s: Snapshot) => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };

  // Timeline: the view's store, and the resource its OTLP JSON export carries (the exporter's).
  const timelineUi: TimelineUiDeps = {
    store: timeline,
    unavailable: timelineUnavailable,
    resource: () => companionResourceAttributes(otlpLogsConfigFromEnv(env).resourceAttributes, appVersion()),
    scopeName: SERVICE_NAME,
    now: () => clock.now(),
  };
  const handlers = uiHandlers({ broker, rules, scope, monitor, escalation, escalationRules, settings, ruleContext, resolve, getSnapshot, reevaluate, sandboxedBash, startAtLogin: startAtLoginView, timeline: timelineUi });
  const callUi: CompanionCore['callUi'] = (method, request) => dispatchUiCall(handlers, method, request);

  const staticDir = options.webUi ? resolvePath(options.webUi.staticDir) : undefined;
  // Signing in without a terminal (serve as a service): every try is evidence and a refused one a line
  // in serve's log — except repeats of a refusal that checked nothing (too soon, none set): a loop of
  // those must not fill the journal's disk budget and push older evidence out.
  const signInService = new SignInPassphraseService(services.seals.file(PASSPHRASE_FILE), () => clock.now(), {
    onTamper: (reason) => services.reportTamper(PASSPHRASE_FILE, reason),
    onError,
  });
  let lastUnchecked: string | undefined;
  const recordSignIn = (outcome: 'set' | 'success' | 'wrong' | 'wait' | 'not_set' | 'unavailable', failures?: number): void => {
    const unchecked = outcome === 'wait' || outcome === 'not_set' || outcome === 'unavailable';
    if (unchecked && lastUnchecked === outcome) return;
    lastUnchecked = unchecked ? outcome : undefined;
    void evidence.recorder.record(newEvidenceEvent(EVENT_NAMES.uiSignIn, clock.now(), { [ATTR.signInOutcome]: outcome, ...(failures !== undefined ? { [ATTR.signInFailures]: failures } : {}) })).catch(onError);
    if (outcome !== 'set' && outcome !== 'success') process.stderr.write(`cowork-companion: a sign-in to the Inbox was refused (${outcome}); recorded as evidence (ui.sign_in)\n`);
  };
  const passphrase = {
    async set(text: string) {
      await signInService.set(text);
      recordSignIn('set');
    },
    async signIn(text: string) {
      const outcome = await signInService.signIn(text);
      recordSignIn(outcome.ok ? 'success' : outcome.reason, outcome.ok ? undefined : signInService.failures());
      return outcome;
    },
  };
  let origin = '';
  // Everything opened so far, closed again (a busy port must not leave watchers keeping the process).
  const closeServices = async (): Promise<void> => {
    sandbox.stop();
    managedPolicy.close();
    settings.close();
    clearTimeout(evidenceTimer);
    await monitor.close().catch(onError);
    // What Recent decisions named is appended in the background: finished before the folder is let go.
    await targetsStore.flush();
    await follower?.close();
    timeline?.close();
    await services.close();
  };
  const server = await startLoopbackServer(
    options.port ?? settings.read().port,
    {
      agentToken,
      // Wall-clock time, not `clock`: a proof's timestamp comes from the hook client's process.
      nonces: new NonceLedger(),
      broker,
      policy,
      resolve,
      bodyLimit: AGENT_BODY_LIMIT,
      budgetMs: () => approvalTiming().timeoutSeconds * 1000,
      closing: () => closing,
      onError,
      observe: (p, request) => {
        monitor.observe(p, request);
        observeForEscalation(p, request);
      },
      onLifecycle: (p) => {
        // A run's escalation signals are not dropped here: SessionEnd is the agent's word (it could
        // send one to clear its count); they age out of the rules' windows instead.
        if (p.hook_event_name === 'SessionEnd') rules.endRun(p.session_id);
      },
      relay: {
        record: async (events) => {
          await Promise.all(events.map((e) => evidence.recorder.record(e)));
          for (const e of events) noteSignals(e);
        },
        // The last quarter of the journal's budget is the companion's own: relayed records never push
        // the evidence of decisions out (at the budget the oldest undelivered events are dropped).
        full: (bytes) => {
          const s = evidence.status();
          return s.journalBytes + bytes >= s.journalLimitBytes * 0.75;
        },
        now: () => clock.now(),
        onError,
      },
    },
    staticDir ? { sessions, agentToken, staticDir, origin: () => origin, callUi, getSnapshot, onSnapshot, passphrase } : undefined,
    onError,
  ).catch(async (error: unknown) => {
    await closeServices();
    throw error;
  });
  origin = `http://127.0.0.1:${server.port}`;
  const agentApiUrl = origin;
  // Sealed and watched like the other state files: rewritten, it is put back (and the hook client
  // does not trust the address alone either: docs/security.md).
  const endpointFile = services.seals.file(AGENT_ENDPOINT_FILE);
  endpointFile.write(`${JSON.stringify({ url: agentApiUrl, pid: process.pid })}\n`);
  lock.publish(agentApiUrl);

  return {
    dataDir,
    agentApiUrl,
    uiUrl: staticDir ? `${origin}/#token=${sessions.newPairingToken()}` : undefined,
    newUiUrl: () => (staticDir ? `${origin}/#token=${sessions.newPairingToken()}` : undefined),
    tokenFile,
    get timelineFollowing() {
      return follower?.status ?? { mode: 'off' as const, reason: timelineUnavailable };
    },
    callUi,
    getSnapshot,
    onSnapshot,
    async close() {
      if (closing) return;
      closing = true;
      await broker.denyAll(coreText('decision.shutdown'));
      await server.close();
      endpointFile.remove();
      await closeServices();
      lock.release();
    },
  };
}
