// Service construction shared by the running companion and one-shot CLI commands (scope …), so
// both see the same settings, policy and journal.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EVENT_NAMES } from '../../../shared/telemetry-events.js';
import type { IntegrityAlert, IntegrityView } from '../../../shared/ui-contract.js';
import type { Clock, SettingsStorePort } from '../base/index.js';
import { loadOrCreateIntegrityKey, SEALS_DIR, StateSealService, type IntegrityKey, type KeyProtector } from '../integrity/index.js';
import { newEvidenceEvent, openEvidencePipeline, type EvidencePipeline, type EvidenceTuning } from '../evidence/index.js';
import { canonicalizerFor, volumeRulesFor, type Canonicalize, type VolumeRules } from '../paths/index.js';
import { openManagedPolicy, type ManagedPolicyService } from '../policy/index.js';
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
  /** Tags the core's own files (the journal's lines, the local history store's). */
  integrityKey: IntegrityKey;
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

/** Whether any journal segment holds a tagged line (written while an integrity key existed). */
function journalWasTagged(dir: string): boolean {
  try {
    return readdirSync(dir)
      .filter((n) => n.endsWith('.jsonl'))
      .some((n) => readFileSync(join(dir, n), 'utf8').includes(',"tag":"'));
  } catch {
    return false;
  }
}

/** Whether a settings file lists shared folders or remembered rules. */
function holdsGrants(file: string): boolean {
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as { sharedFolders?: unknown[]; rules?: unknown[] };
    return (s.sharedFolders?.length ?? 0) > 0 || (s.rules?.length ?? 0) > 0;
  } catch {
    return false;
  }
}

export function openCoreServices(o: CoreServicesOptions): CoreServices {
  const platform = o.platform ?? process.platform;
  const home = o.home ?? homedir();
  // The key and the seals come first: settings are checked before anything reads them.
  const sealsExisted = existsSync(join(o.dataDir, SEALS_DIR)) && readdirSync(join(o.dataDir, SEALS_DIR)).length > 0;
  const loaded = loadOrCreateIntegrityKey(o.dataDir, o.keyProtector);
  // A new key is a first start only where nothing was ever sealed or tagged with a key before: the
  // key removed (with its seals, even) leaves tagged journal lines behind.
  const firstUse = loaded.created && !sealsExisted && !journalWasTagged(join(o.dataDir, 'journal'));
  const seals = new StateSealService({ dataDir: o.dataDir, key: loaded.key, trustUnsealed: firstUse, clock: o.clock, keyFileText: loaded.fileText });
  const alerts: IntegrityAlert[] = [];
  const integrityListeners = new Set<() => void>();
  const settingsSeal = seals.file(SETTINGS_FILE, { watch: false });
  const settingsCheck = settingsSeal.verify();
  // Not trusted: a settings file changed and not put back, or one that no key ever vouched for (first
  // start with integrity — or everything the key protected was deleted: the two look alike). Its
  // folders then need their journal record, and its remembered rules are not taken.
  const settingsDistrusted = (settingsCheck.kind === 'tampered' && !settingsCheck.restored) || (loaded.created && holdsGrants(join(o.dataDir, SETTINGS_FILE)));
  const settings = new SettingsRepository(o.settingsStore ?? openConfStore(o.dataDir), settingsSeal);
  // conf may have filled in defaults as it opened: that write is the core's own.
  if (settingsCheck.kind === 'ok') settingsSeal.verify();
  // --policy cannot replace IT's policy: refused (thrown) while this machine has any.
  const managedPolicy = openManagedPolicy({ policyFile: o.policyFile, platform, now: () => o.clock.now() });
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
  // Reports made before this point (the seals' checks at start) wait in the seal service.
  const reportTamper: CoreServices['reportTamper'] = (file, reason, entry) => {
    process.stderr.write(`cowork-companion: ${file} was changed outside the companion: ${reason}${entry ? ` (${entry.item.id})` : ''}\n`);
    const event = stateTamperedEvent(file, reason, o.clock.now(), entry);
    alerts.unshift({ id: event.eventId, file, reason, at: new Date(event.time).toISOString() });
    alerts.length = Math.min(alerts.length, ALERTS_KEPT);
    for (const l of integrityListeners) l();
    void evidence.recorder.record(event).catch(() => undefined);
  };
  if (loaded.created && !firstUse) reportTamper('integrity-key', `${loaded.problem ?? 'the integrity key was removed'}; a new key was made, and state sealed with the old one is not trusted`);
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
    integrityKey: loaded.key,
    seals,
    settingsDistrusted,
    reportTamper,
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
