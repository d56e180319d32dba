// Wires the core services together. Used by the Electron shell and by `cowork-companion serve`.
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { uiContract, type Snapshot, type UiMethod, type UiResponse } from '../../shared/ui-contract.js';
import { AGENT_ENDPOINT_FILE, loadOrCreateAgentToken } from './agent-token.js';
import { UiSessions } from './ui-sessions.js';
import { ApprovalsBrokerService } from './approvals-broker-service.js';
import type { CompanionCore, CompanionCoreOptions } from './companion-core-types.js';
import { ensureDataDir } from './data-dir.js';
import { startLoopbackServer } from './loopback-server.js';
import { systemClock } from './system-clock.js';
import { UiCallError } from './ui-call-error.js';
import { openCoreServices } from './core-services.js';
import { evaluateScope } from './scope-policy.js';
import { EVENT_NAMES } from '../../shared/telemetry-events.js';
import { newEvidenceEvent } from './evidence-event.js';

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
  const broker = new ApprovalsBrokerService({ clock, evidence, person: personIdentity(env) });
  const policy = options.policy ?? ((payload: Parameters<typeof evaluateScope>[0]) => evaluateScope(payload, scope.state(), canonicalize));
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
      case 'approve':
        await broker.approve(req.id, req.contentHash);
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
      budgetMs: () => options.decisionBudgetMs ?? settings.read().decisionBudgetMs,
      closing: () => closing,
      onError,
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
      rmSync(endpointFile, { force: true });
      await services.close();
    },
  };
}
