// Service construction shared by the running companion and one-shot CLI commands (scope …), so
// both see the same settings, policy and journal.
import { join } from 'node:path';
import type { EvidenceStatus } from '../../shared/ui-contract.js';
import { appVersion } from './app-version.js';
import { canonicalizerFor, type Canonicalize } from './canonical-path.js';
import type { Clock, EvidenceTuning, SettingsStorePort } from './companion-core-types.js';
import { DecisionJournalService } from './decision-journal-service.js';
import { EvidenceRecorder } from './evidence-recorder.js';
import { ManagedPolicyService, systemPolicyPath } from './managed-policy-service.js';
import { describeEndpoint, otlpLogsConfigFromEnv } from './otlp-config.js';
import { ScopeService } from './scope-service.js';
import { SettingsRepository, openConfStore } from './settings-repository.js';
import { OtlpLogSender } from './otlp-log-sender.js';
import { OutboxShipperService } from './outbox-shipper-service.js';

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

export const DEFAULT_JOURNAL_LIMIT_BYTES = 256 * 1024 * 1024;

export interface CoreServices {
  settings: SettingsRepository;
  journal: DecisionJournalService;
  shipper: OutboxShipperService | undefined;
  evidence: EvidenceRecorder;
  managedPolicy: ManagedPolicyService;
  canonicalize: Canonicalize;
  scope: ScopeService;
  evidenceStatus(): EvidenceStatus;
  /** Tries to deliver what is queued for up to `flushTimeoutMs`, then closes the journal. */
  close(flushTimeoutMs?: number): Promise<void>;
}

export function openCoreServices(o: CoreServicesOptions): CoreServices {
  const platform = o.platform ?? process.platform;
  const settings = new SettingsRepository(o.settingsStore ?? openConfStore(o.dataDir));
  const journal = new DecisionJournalService(join(o.dataDir, 'journal'), { segmentBytes: o.evidence?.segmentBytes });
  const otlp = otlpLogsConfigFromEnv(o.env);
  const evidence = new EvidenceRecorder(journal);
  const describe = { endpoint: describeEndpoint(otlp.url), protocol: otlp.protocol, configSource: otlp.source };
  const shipper = o.ship === false ? undefined : new OutboxShipperService({ journal, sender: new OtlpLogSender(otlp, appVersion()), clock: o.clock, describe, limitBytes: o.evidence?.limitBytes ?? DEFAULT_JOURNAL_LIMIT_BYTES, backoffMs: o.evidence?.backoffMs });
  shipper?.start();
  const managedPolicy = new ManagedPolicyService(o.policyFile ?? systemPolicyPath(platform, o.env), o.policyFile !== undefined);
  const canonicalize = canonicalizerFor(platform);
  const scope = new ScopeService({ settings, policy: managedPolicy, evidence, clock: o.clock, canonicalize, dataDir: o.dataDir, home: o.home, platform });
  return {
    settings,
    journal,
    shipper,
    evidence,
    managedPolicy,
    canonicalize,
    scope,
    evidenceStatus: () =>
      shipper?.status() ?? { ...describe, collectorReachable: null, queued: 0, rejected: 0, lost: 0, journalBytes: journal.totalBytes(), journalLimitBytes: DEFAULT_JOURNAL_LIMIT_BYTES },
    async close(flushTimeoutMs = 3000) {
      // Whatever is not delivered within the wait stays in the journal for the next start.
      await shipper?.stop(flushTimeoutMs);
      await journal.close();
    },
  };
}
