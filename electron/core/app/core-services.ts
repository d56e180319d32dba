// Service construction shared by the running companion and one-shot CLI commands (scope …), so
// both see the same settings, policy and journal.
import { join } from 'node:path';
import type { EvidenceStatus } from '../../../shared/ui-contract.js';
import { appVersion } from '../base/app-version.js';
import { canonicalizerFor, type Canonicalize } from '../paths/canonical-path.js';
import type { Clock, EvidenceTuning, SettingsStorePort } from './companion-core-types.js';
import { DecisionJournalService } from '../evidence/decision-journal-service.js';
import { EvidenceRecorder } from '../evidence/evidence-recorder.js';
import { ManagedPolicyService, systemPolicyPath } from '../policy/managed-policy-service.js';
import { describeEndpoint, otlpLogsConfigFromEnv } from '../evidence/otlp-config.js';
import { ScopeService } from '../scope/scope-service.js';
import { SettingsRepository, openConfStore } from '../settings/settings-repository.js';
import { homedir } from 'node:os';
import { DEFAULT_TELEMETRY_POLICY, type TelemetryPolicy } from '../../../shared/telemetry-policy-contract.js';
import { OtlpLogSender, unusableSender, type LogSender } from '../evidence/otlp-log-sender.js';
import { OutboxShipperService, type DeliverySetup } from '../evidence/outbox-shipper-service.js';
import { redactEvidenceEvent } from '../evidence/redaction-policy.js';
import { volumeRulesFor, type VolumeRules } from '../paths/path-containment-policy.js';

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
}


export interface CoreServices {
  settings: SettingsRepository;
  /** The raw settings store (rules live there too). */
  store: SettingsStorePort;
  home: string;
  volume: VolumeRules;
  journal: DecisionJournalService;
  shipper: OutboxShipperService | undefined;
  evidence: EvidenceRecorder;
  managedPolicy: ManagedPolicyService;
  canonicalize: Canonicalize;
  scope: ScopeService;
  evidenceStatus(): EvidenceStatus;
  /** The managed policy changed: new endpoint, headers, protocol or disk budget apply now. */
  applyTelemetryPolicy(): void;
  /** Tries to deliver what is queued for up to `flushTimeoutMs`, then closes the journal. */
  close(flushTimeoutMs?: number): Promise<void>;
}

export function openCoreServices(o: CoreServicesOptions): CoreServices {
  const platform = o.platform ?? process.platform;
  const store = o.settingsStore ?? openConfStore(o.dataDir);
  const settings = new SettingsRepository(store);
  const journal = new DecisionJournalService(join(o.dataDir, 'journal'), { segmentBytes: o.evidence?.segmentBytes });
  const managedPolicy = new ManagedPolicyService(o.policyFile ?? systemPolicyPath(platform, o.env), o.policyFile !== undefined);
  const telemetryPolicy = (): TelemetryPolicy => managedPolicy.state.policy.telemetry ?? DEFAULT_TELEMETRY_POLICY;
  const home = o.home ?? homedir();
  // Redaction happens before the journal: what is on disk is what may leave the machine.
  const evidence = new EvidenceRecorder(journal, (e) => redactEvidenceEvent(e, telemetryPolicy().redaction, { home }));
  const delivery = (): DeliverySetup => {
    const otlp = otlpLogsConfigFromEnv(o.env, telemetryPolicy());
    const describe = { endpoint: describeEndpoint(otlp.url), protocol: otlp.protocol, configSource: otlp.source };
    let sender: LogSender;
    try {
      sender = new OtlpLogSender(otlp, appVersion());
    } catch (error) {
      // A bad endpoint (e.g. ftp://) never stops the companion: evidence waits in the journal.
      sender = unusableSender(`the collector address is not usable: ${(error as Error).message}`);
    }
    return { sender, describe, limitBytes: o.evidence?.limitBytes ?? telemetryPolicy().journalLimitMb * 1024 * 1024 };
  };
  const first = delivery();
  const shipper = o.ship === false ? undefined : new OutboxShipperService({ journal, ...first, clock: o.clock, backoffMs: o.evidence?.backoffMs });
  shipper?.start();
  const canonicalize = canonicalizerFor(platform);
  const scope = new ScopeService({ settings, policy: managedPolicy, evidence, clock: o.clock, canonicalize, dataDir: o.dataDir, home: o.home, platform });
  return {
    settings,
    store,
    home,
    volume: volumeRulesFor(platform),
    journal,
    shipper,
    evidence,
    managedPolicy,
    canonicalize,
    scope,
    evidenceStatus: () =>
      shipper?.status() ?? { ...first.describe, collectorReachable: null, queued: 0, rejected: 0, lost: 0, journalBytes: journal.totalBytes(), journalLimitBytes: first.limitBytes },
    applyTelemetryPolicy: () => shipper?.reconfigure(delivery()),
    async close(flushTimeoutMs = 3000) {
      // Whatever is not delivered within the wait stays in the journal for the next start.
      await shipper?.stop(flushTimeoutMs);
      await journal.close();
    },
  };
}
