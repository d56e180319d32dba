// Service construction shared by the running companion and one-shot CLI commands (scope …), so
// both see the same settings, policy and journal.
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EVENT_NAMES } from '../../../shared/telemetry-events.js';
import type { IntegrityAlert, IntegrityView } from '../../../shared/ui-contract.js';
import type { Clock, SettingsStorePort } from '../base/index.js';
import { loadOrCreateIntegrityKey, SEALS_DIR, StateSealService, type KeyProtector } from '../integrity/index.js';
import { newEvidenceEvent, openEvidencePipeline, type EvidencePipeline, type EvidenceTuning } from '../evidence/index.js';
import { canonicalizerFor, volumeRulesFor, type Canonicalize, type VolumeRules } from '../paths/index.js';
import { ManagedPolicyService, systemPolicyPath } from '../policy/index.js';
import type { ScopeMode } from '../../../shared/scope-contract.js';
import { stateTamperedEvent } from '../approvals/index.js';
import { scopeChangeRecorded, ScopeService } from '../scope/index.js';
import { SettingsRepository, openConfStore } from '../settings/index.js';

export interface CoreServicesOptions {
  dataDir: string;
  clock: Clock;
  env: Record<string, string | undefined>;
  settingsStore?: SettingsStorePort;
  policyFile?: string;
  home?: string;
  platform?: NodeJS.Platform;
  /** Deliver the journal to the collector (the running companion); one-shot commands only append. */
  ship?: boolean;
  evidence?: EvidenceTuning;
  /** Refuse changes to shared folders that another process made without recording them (the running
   *  companion; one-shot commands are themselves such a process). */
  guardFolders?: boolean;
  /** The OS keystore for the integrity key (Electron's safeStorage), where there is one. */
  keyProtector?: KeyProtector;
}

export const SETTINGS_FILE = 'settings.json';
const ALERTS_KEPT = 50;

export interface CoreServices {
  settings: SettingsRepository;
  home: string;
  platform: NodeJS.Platform;
  volume: VolumeRules;
  evidence: EvidencePipeline;
  managedPolicy: ManagedPolicyService;
  canonicalize: Canonicalize;
  scope: ScopeService;
  /** Sealed state files (pending approvals) and the watch on all of them. */
  seals: StateSealService;
  /** settings.json failed its check at start and could not be put back: its folders must show
   *  their journal records, and the person's rules in it are not taken. */
  settingsDistrusted: boolean;
  /** A state file was changed behind the core's back and the change refused: logged, evidenced, shown. */
  reportTamper(file: string, reason: string, entry?: { item: { id: string; sessionId: string } }): void;
  integrityView(): IntegrityView;
  onIntegrityChange(listener: () => void): () => void;
  /** Delivers what is queued for up to `flushTimeoutMs`, then closes the journal. */
  close(flushTimeoutMs?: number): Promise<void>;
}

export function openCoreServices(o: CoreServicesOptions): CoreServices {
  const platform = o.platform ?? process.platform;
  const home = o.home ?? homedir();
  // The key and the seals come first: settings are checked before anything reads them.
  const sealsExisted = existsSync(join(o.dataDir, SEALS_DIR)) && readdirSync(join(o.dataDir, SEALS_DIR)).length > 0;
  const loaded = loadOrCreateIntegrityKey(o.dataDir, o.keyProtector);
  // A new key beside existing seals: the key was removed or damaged, and nothing sealed can be trusted.
  const firstUse = loaded.created && !sealsExisted;
  const seals = new StateSealService({ dataDir: o.dataDir, key: loaded.key, trustUnsealed: firstUse, clock: o.clock, keyFileText: loaded.fileText });
  const alerts: IntegrityAlert[] = [];
  const integrityListeners = new Set<() => void>();
  let reportTamper: CoreServices['reportTamper'] = () => undefined;
  const earlyReports: Array<Parameters<CoreServices['reportTamper']>> = [];
  if (loaded.created && sealsExisted) earlyReports.push(['integrity-key', `${loaded.problem ?? 'the integrity key was removed'}; a new key was made, and state sealed with the old one is not trusted`]);
  const settingsSeal = seals.file(SETTINGS_FILE, { watch: false });
  const settingsCheck = settingsSeal.verify();
  const settingsDistrusted = settingsCheck.kind === 'tampered' && !settingsCheck.restored;
  const settings = new SettingsRepository(o.settingsStore ?? openConfStore(o.dataDir), settingsSeal);
  // conf may have filled in defaults as it opened: that write is the core's own.
  if (settingsCheck.kind === 'ok') settingsSeal.verify();
  const managedPolicy = new ManagedPolicyService(o.policyFile ?? systemPolicyPath(platform), o.policyFile !== undefined);
  const evidence = openEvidencePipeline({
    dataDir: o.dataDir,
    clock: o.clock,
    env: o.env,
    home,
    policy: () => managedPolicy.state.policy.telemetry,
    ship: o.ship !== false,
    ...(o.evidence ? { tuning: o.evidence } : {}),
    integrity: { key: loaded.key, firstUse, sealed: (name) => seals.file(name) },
  });
  const canonicalize = canonicalizerFor(platform);
  reportTamper = (file, reason, entry) => {
    process.stderr.write(`cowork-companion: ${file} was changed outside the companion: ${reason}${entry ? ` (${entry.item.id})` : ''}\n`);
    const event = stateTamperedEvent(file, reason, o.clock.now(), entry);
    alerts.unshift({ id: event.eventId, file, reason, at: new Date(event.time).toISOString() });
    alerts.length = Math.min(alerts.length, ALERTS_KEPT);
    for (const l of integrityListeners) l();
    void evidence.recorder.record(event).catch(() => undefined);
  };
  for (const report of earlyReports) reportTamper(...report);
  seals.onTamper((r) => reportTamper(r.file, r.reason));
  const journalCheck = evidence.integrity;
  if (journalCheck.problems.length > 0) {
    reportTamper('journal', journalCheck.problems.join('; '));
    const lost = journalCheck.missing + journalCheck.forged;
    if (lost > 0) {
      void evidence.recorder
        .record(newEvidenceEvent(EVENT_NAMES.telemetryLoss, o.clock.now(), { 'loss.count': lost, 'loss.reason': `the evidence journal was changed outside the companion: ${journalCheck.problems.join('; ')}` }))
        .catch(() => undefined);
    }
  }
  if (o.ship !== false) evidence.journal.watchForTampering((problem) => reportTamper('journal', problem));
  const guard = o.guardFolders
    ? {
        isRecorded: (path: string, mode: ScopeMode) => scopeChangeRecorded(evidence.journal.readAll(), { path, mode, home }),
        onTamper: (reason: string) => reportTamper(SETTINGS_FILE, reason),
        distrustStored: settingsDistrusted,
      }
    : undefined;
  const scope = new ScopeService({ settings, policy: managedPolicy, evidence: evidence.recorder, clock: o.clock, canonicalize, dataDir: o.dataDir, home, platform, ...(guard ? { guard } : {}) });
  return {
    settings,
    home,
    platform,
    volume: volumeRulesFor(platform),
    evidence,
    managedPolicy,
    canonicalize,
    scope,
    seals,
    settingsDistrusted,
    reportTamper: (...args) => reportTamper(...args),
    integrityView: () => ({ keyProtection: loaded.key.protection, alerts: [...alerts], journal: journalCheck }),
    onIntegrityChange: (listener) => {
      integrityListeners.add(listener);
      return () => integrityListeners.delete(listener);
    },
    close: async (flushTimeoutMs) => {
      seals.close();
      await evidence.close(flushTimeoutMs);
    },
  };
}
