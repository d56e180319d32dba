// Snapshot and approval builders for the renderer's unit tests.
import { IDLE_WATCH_VIEW } from '../../../shared/run-watch-contract.js';
import type { ApprovalItem, Snapshot } from '../../../shared/ui-contract.js';

export const emptyScope: Snapshot['scope'] = { folders: [], forbidden: [], allowUserFolders: true };

export const quietEvidence: Snapshot['evidence'] = {
  endpoint: 'http://localhost:4318/v1/logs',
  protocol: 'http/json',
  configSource: 'default',
  collectorReachable: true,
  queued: 0,
  rejected: 0,
  lost: 0,
  journalBytes: 0,
  journalLimitBytes: 268435456,
};

export const noSandbox: Snapshot['sandbox'] = { state: 'not-set-up', connected: false, reason: 'Claude Code is not connected with its sandbox', fix: 'run "cowork-companion connect claude-code"', files: [], writable: [] };
export const cleanIntegrity: Snapshot['integrity'] = { keyProtection: 'os-keystore', alerts: [], journal: { checked: 0, missing: 0, forged: 0, problems: [] } };

export const noPolicy: Snapshot['policy'] = { state: 'none', problems: [], behaviour: 'defaults' };

export function makeSnapshot(version: number, pending: ApprovalItem[] = [], extra: Partial<Snapshot> = {}): Snapshot {
  return { version, pending, recent: [], scope: emptyScope, evidence: quietEvidence, rules: [], pausedRuns: [], escalations: [], escalationRules: { policy: [], personal: [], personalAllowed: true }, settings: { language: 'en', sandboxedBash: { mode: 'ask', source: 'default' }, personalRules: true, startAtLogin: { value: true, source: 'default', available: true } }, approvalTiming: { timeoutSeconds: 285, onTimeout: 'deny', holdHours: 24, source: 'default', fixedByPolicy: [] }, runs: [], watch: IDLE_WATCH_VIEW, alerts: [], integrity: cleanIntegrity, sandbox: noSandbox, policy: noPolicy, serverTime: new Date().toISOString(), ...extra };
}

export function makeItem(id: string, toolName = 'Bash', extra: Partial<ApprovalItem> = {}): ApprovalItem {
  return {
    id,
    hookEvent: 'PreToolUse',
    sessionId: 's',
    toolName,
    cwd: '/w',
    targets: { paths: [], command: `echo ${id}` },
    receivedAt: '2026-11-25T10:00:00.000Z',
    expiresAt: '2026-11-25T10:10:00.000Z',
    held: false,
    contentHash: `h-${id}`,
    agentWaiting: true,
    duplicates: 0,
    isRead: false,
    ...extra,
  };
}
