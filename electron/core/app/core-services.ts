// Service construction shared by the running companion and one-shot CLI commands (scope …), so
// both see the same settings, policy and journal.
import { homedir } from 'node:os';
import type { Clock, SettingsStorePort } from '../base/index.js';
import { openEvidencePipeline, type EvidencePipeline, type EvidenceTuning } from '../evidence/index.js';
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
}

export interface CoreServices {
  settings: SettingsRepository;
  home: string;
  platform: NodeJS.Platform;
  volume: VolumeRules;
  evidence: EvidencePipeline;
  managedPolicy: ManagedPolicyService;
  canonicalize: Canonicalize;
  scope: ScopeService;
  /** A state file was changed behind the core's back and the change refused: logged and evidenced. */
  reportTamper(file: string, reason: string, entry?: { item: { id: string; sessionId: string } }): void;
  /** Delivers what is queued for up to `flushTimeoutMs`, then closes the journal. */
  close(flushTimeoutMs?: number): Promise<void>;
}

export function openCoreServices(o: CoreServicesOptions): CoreServices {
  const platform = o.platform ?? process.platform;
  const home = o.home ?? homedir();
  const settings = new SettingsRepository(o.settingsStore ?? openConfStore(o.dataDir));
  const managedPolicy = new ManagedPolicyService(o.policyFile ?? systemPolicyPath(platform), o.policyFile !== undefined);
  const evidence = openEvidencePipeline({
    dataDir: o.dataDir,
    clock: o.clock,
    env: o.env,
    home,
    policy: () => managedPolicy.state.policy.telemetry,
    ship: o.ship !== false,
    ...(o.evidence ? { tuning: o.evidence } : {}),
  });
  const canonicalize = canonicalizerFor(platform);
  const reportTamper: CoreServices['reportTamper'] = (file, reason, entry) => {
    process.stderr.write(`cowork-companion: ${file} was changed outside the companion: ${reason}${entry ? ` (${entry.item.id})` : ''}\n`);
    void evidence.recorder.record(stateTamperedEvent(file, reason, o.clock.now(), entry)).catch(() => undefined);
  };
  const guard = o.guardFolders
    ? {
        isRecorded: (path: string, mode: ScopeMode) => scopeChangeRecorded(evidence.journal.readAll(), { path, mode, home }),
        onTamper: (reason: string) => reportTamper('settings.json', reason),
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
    reportTamper,
    close: (flushTimeoutMs) => evidence.close(flushTimeoutMs),
  };
}
