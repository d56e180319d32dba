// Wires the core services together. Used by the Electron shell and by `cowork-companion serve`.
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { uiContract, type Snapshot, type UiMethod, type UiResponse } from '../../../shared/ui-contract.js';
import { AGENT_ENDPOINT_FILE, loadOrCreateAgentToken } from '../http/agent-token.js';
import { UiSessions } from '../http/ui-sessions.js';
import { ApprovalsBrokerService } from '../approvals/approvals-broker-service.js';
import type { CompanionCore, CompanionCoreOptions } from './companion-core-types.js';
import { ensureDataDir } from '../base/data-dir.js';
import { startLoopbackServer } from '../http/loopback-server.js';
import { systemClock } from '../base/system-clock.js';
import { UiCallError } from '../base/ui-call-error.js';
import { openCoreServices } from './core-services.js';
import { evaluateScope } from '../scope/scope-policy.js';
import type { ToolPayload } from '../../../shared/agent-api-contract.js';
import { LanguageSchema, type ApprovalTiming, type Language, type RuleDraft } from '../../../shared/ui-contract.js';
import { DEFAULT_SETTINGS } from '../settings/settings-repository.js';
import type { PolicyOutcome } from '../requests/approval-policy.js';
import { writeAtomic } from '../base/atomic-file.js';
import { loadPending } from '../approvals/pending-store.js';
import { proposeRule, ruleMatches } from '../approvals/rule-matching-policy.js';
import { RulesService } from '../approvals/rules-service.js';
import { RunMonitorService, watchPortFor } from '../watch/index.js';
import { toolTargets } from '../requests/tool-targets-policy.js';
import { EVENT_NAMES } from '../../../shared/telemetry-events.js';
import { newEvidenceEvent } from '../evidence/evidence-event.js';

export const AGENT_BODY_LIMIT = 1024 * 1024;

/** The person at the keyboard: OS account, plus an e-mail when IT or the user configured one. */
function personIdentity(env: Record<string, string | undefined>): { 'user.id'?: string; 'user.email'?: string } {
  let id: string | undefined;
  try {
    id = userInfo().username;
  } catch {
    id = undefined;
  }
  const email = env['COWORK_COMPANION_USER_EMAIL']?.trim();
  return { ...(id ? { 'user.id': id } : {}), ...(email ? { 'user.email': email } : {}) };
}

function fileStamp(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

export async function createCompanionCore(options: CompanionCoreOptions): Promise<CompanionCore> {
  const dataDir = ensureDataDir(options.dataDir);
  const clock = options.clock ?? systemClock;
  const env = options.env ?? process.env;
  const { token: agentToken, file: tokenFile } = loadOrCreateAgentToken(dataDir);
  const sessions = new UiSessions(() => clock.now());
  const onError = (error: unknown): void => {
    process.stderr.write(`cowork-companion: internal error: ${String((error as Error)?.stack ?? error)}\n`);
  };
  const services = openCoreServices({ ...options, dataDir, clock, env });
  const { settings, evidence, managedPolicy, canonicalize, scope } = services;
  const ruleCtx = { canonicalize, volume: services.volume, home: services.home };
  const rules = new RulesService({ store: services.store, policy: managedPolicy, clock, ctx: ruleCtx });
  // IT's budget wins over the command line, which wins over the person's settings.
  const approvalTiming = (): ApprovalTiming => {
    const p = managedPolicy.state.policy.approvals;
    const onTimeout = p?.onTimeout ?? 'deny';
    if (p?.timeoutSeconds !== undefined) return { timeoutSeconds: p.timeoutSeconds, onTimeout, source: 'policy' };
    if (options.decisionBudgetMs !== undefined) return { timeoutSeconds: options.decisionBudgetMs / 1000, onTimeout, source: 'command-line' };
    const ms = settings.read().decisionBudgetMs;
    return { timeoutSeconds: ms / 1000, onTimeout, source: ms === DEFAULT_SETTINGS.decisionBudgetMs ? 'default' : 'settings' };
  };
  const pendingFile = join(dataDir, 'pending.json');
  const broker = new ApprovalsBrokerService({
    clock,
    evidence,
    person: personIdentity(env),
    stormPerMinute: () => managedPolicy.state.policy.stormPerMinute,
    onTimeout: () => approvalTiming().onTimeout,
    describe: (payload) => {
      const t = toolTargets(payload.tool_name, payload.tool_input, payload.cwd, services.home);
      const folders = scope.state().folders.map((f) => f.path);
      return { isRead: t.kind === 'file' && t.files.every((f) => f.access === 'read'), proposedRule: proposeRule(payload, ruleCtx, folders) };
    },
    persist: {
      load: () => loadPending(pendingFile),
      save: (entries) => writeAtomic(pendingFile, JSON.stringify(entries)),
    },
  });
  // Scope first (outside and forbidden are denied whatever a rule says), then remembered rules.
  const policy = options.policy ?? ((payload: ToolPayload): PolicyOutcome => {
    const outcome = evaluateScope(payload, scope.state(), canonicalize);
    if (outcome.kind === 'decide') return outcome;
    const rule = rules.match(payload);
    if (rule) return { kind: 'decide', verdict: 'allow', source: 'rule', reason: `Allowed by a rule in Cowork Companion: ${rule.description}`, rule: `rule:${rule.id}` };
    return outcome;
  });
  rules.onChange(() => broadcast());
  const monitor = new RunMonitorService({
    clock,
    canonicalize,
    home: services.home,
    dataDir,
    evidence,
    scope,
    policy: () => managedPolicy.state.policy,
    watchAllowed: options.watch ?? true,
    port: options.watchPort ?? watchPortFor(process.platform),
    onError,
  });
  monitor.onChange(() => broadcast());
  // Policy files change under MDM and settings change under `cowork-companion scope …`: re-check
  // periodically (a cheap stat) and apply at once.
  let settingsStamp = fileStamp(settings.file);
  const policyTimer = setInterval(() => {
    const stamp = fileStamp(settings.file);
    if (stamp !== settingsStamp) {
      settingsStamp = stamp;
      broadcast();
      void broker.reevaluate(policy);
    }
    if (!managedPolicy.reload()) return;
    services.applyTelemetryPolicy();
    monitor.applyPolicy();
    const st = managedPolicy.state;
    void evidence
      .record(newEvidenceEvent(EVENT_NAMES.policyChanged, clock.now(), { 'policy.source': st.source ?? '(none)', 'policy.error': st.error, 'policy.fail_closed': st.failClosed }))
      .catch(onError);
    broadcast();
    void broker.reevaluate(policy);
  }, 2000);
  policyTimer.unref();
  let closing = false;

  const listeners = new Set<(s: Snapshot) => void>();
  const getSnapshot = (): Snapshot => ({
    version: broker.stateVersion,
    pending: broker.pending(),
    recent: broker.recentDecisions(),
    scope: scope.view(),
    evidence: services.evidenceStatus(),
    rules: rules.list(),
    pausedRuns: broker.pausedRuns(),
    settings: { language: LanguageSchema.catch('en').parse(services.store.get('language')) },
    approvalTiming: approvalTiming(),
    runs: monitor.runViews(),
    watch: monitor.watchView(),
    alerts: monitor.alerts(),
    serverTime: new Date(clock.now()).toISOString(),
  });
  const broadcast = (): void => {
    const snapshot = getSnapshot();
    for (const l of listeners) l(snapshot);
  };
  broker.onChange(broadcast);
  // Evidence status changes with every append: coalesce those into at most 4 snapshots a second.
  let evidenceTimer: NodeJS.Timeout | undefined;
  services.shipper?.onChange(() => {
    evidenceTimer ??= setTimeout(() => {
      evidenceTimer = undefined;
      broadcast();
    }, 250);
  });
  scope.onChange(() => {
    broadcast();
    void broker.reevaluate(policy);
  });
  const onSnapshot = (listener: (s: Snapshot) => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };

  async function callUi<M extends UiMethod>(method: M, request: unknown): Promise<UiResponse<M>> {
    const schema = uiContract[method]?.request;
    if (!schema) throw new UiCallError('unknown_method', `No UI method ${String(method)}.`, 404);
    const parsed = schema.safeParse(request ?? {});
    if (!parsed.success) throw new UiCallError('invalid_request', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const req = parsed.data as { id: string; contentHash: string; reason?: string; path: string; mode: 'read' | 'read-write'; label?: string; expiresAt?: string };
    switch (method) {
      case 'previewSharedFolder':
        return scope.preview(req.path) as UiResponse<M>;
      case 'addSharedFolder':
        return { ok: true, folder: await scope.add(req) } as UiResponse<M>;
      case 'removeSharedFolder':
        await scope.remove(req.path);
        break;
      case 'setSharedFolderMode':
        await scope.setMode(req.path, req.mode);
        break;
      case 'pickFolder':
        throw new UiCallError('unsupported', 'The folder picker is available in the desktop app; enter the path instead.', 501);
      case 'getSnapshot':
        return getSnapshot() as UiResponse<M>;
      case 'approve': {
        const a = request as { id: string; contentHash: string; grant?: 'once' | 'run' | 'always'; rule?: RuleDraft };
        const grant = a.grant ?? 'once';
        if (grant !== 'once') {
          const payload = broker.payloadOf(a.id);
          const item = broker.pending().find((i) => i.id === a.id);
          if (!payload || !item || item.contentHash !== a.contentHash) throw new UiCallError('not_pending', 'This request is no longer pending.', 409);
          const draft = a.rule ?? item.proposedRule;
          if (!draft || draft.toolName !== item.toolName) throw new UiCallError('invalid_rule', 'The rule must be for the tool of this request.');
          if (!ruleMatches(draft, payload, ruleCtx)) throw new UiCallError('invalid_rule', 'The rule does not cover this request; widen it or approve once.');
          await broker.approve(a.id, a.contentHash);
          rules.add(draft, grant, payload.session_id);
          void broker.reevaluate(policy);
        } else {
          await broker.approve(a.id, a.contentHash);
        }
        break;
      }
      case 'decideRunReads': {
        const r = request as { sessionId: string; verdict: 'allow' | 'deny' };
        return { ok: true, count: await broker.decideRunReads(r.sessionId, r.verdict) } as UiResponse<M>;
      }
      case 'exportManifest':
        return monitor.manifest((request as { sessionId: string }).sessionId) as UiResponse<M>;
      case 'revokeRule':
        rules.revoke((request as { id: string }).id);
        break;
      case 'resumeRun':
        broker.resumeRun((request as { sessionId: string }).sessionId);
        break;
      case 'setLanguage':
        services.store.set('language', (request as { language: Language }).language);
        broadcast();
        break;
      case 'deny':
        await broker.deny(req.id, req.contentHash, req.reason);
        break;
      case 'hold':
        broker.hold(req.id, req.contentHash);
        break;
    }
    return { ok: true } as UiResponse<M>;
  }

  const staticDir = options.webUi ? resolve(options.webUi.staticDir) : undefined;
  let origin = '';
  const server = await startLoopbackServer(
    options.port ?? settings.read().port,
    {
      agentToken,
      broker,
      policy,
      bodyLimit: AGENT_BODY_LIMIT,
      budgetMs: () => approvalTiming().timeoutSeconds * 1000,
      closing: () => closing,
      onError,
      observe: (p) => monitor.observe(p),
      onLifecycle: (p) => {
        if (p.hook_event_name === 'SessionEnd') rules.endRun(p.session_id);
      },
    },
    staticDir
      ? { sessions, agentToken, staticDir, origin: () => origin, callUi, getSnapshot, onSnapshot }
      : undefined,
    onError,
  );
  origin = `http://127.0.0.1:${server.port}`;
  const agentApiUrl = origin;
  const endpointFile = join(dataDir, AGENT_ENDPOINT_FILE);
  writeFileSync(endpointFile, `${JSON.stringify({ url: agentApiUrl, pid: process.pid })}\n`, { mode: 0o600 });

  return {
    dataDir,
    agentApiUrl,
    uiUrl: staticDir ? `${origin}/#token=${sessions.newPairingToken()}` : undefined,
    newUiUrl: () => (staticDir ? `${origin}/#token=${sessions.newPairingToken()}` : undefined),
    tokenFile,
    callUi,
    getSnapshot,
    onSnapshot,
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(policyTimer);
      clearTimeout(evidenceTimer);
      await broker.denyAll('Cowork Companion is shutting down; the action is denied. Retry when it is running.');
      await server.close();
      await monitor.close().catch(onError);
      rmSync(endpointFile, { force: true });
      await services.close();
    },
  };
}
