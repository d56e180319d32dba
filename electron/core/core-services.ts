// Service construction shared by the running companion and one-shot CLI commands (scope …), so
// both see the same settings, policy and journal.
import { join } from 'node:path';
import type { EvidenceStatus } from '../../shared/ui-contract.js';
import { appVersion } from './app-version.js';
import { canonicalizerFor, type Canonicalize } from './canonical-path.js';
import type { Clock, SettingsStorePort } from './companion-core-types.js';
import { DecisionJournalService } from './decision-journal-service.js';
import { EvidenceRecorder } from './evidence-recorder.js';
import { ManagedPolicyService, systemPolicyPath } from './managed-policy-service.js';
import { describeEndpoint, otlpLogsConfigFromEnv } from './otlp-config.js';
import { ScopeService } from './scope-service.js';
import { SettingsRepository, openConfStore } from './settings-repository.js';
import { TelemetryService } from './telemetry-service.js';

export interface CoreServicesOptions {
  dataDir: string;
  clock: Clock;
  env: Record<string, string | undefined>;
  settingsStore?: SettingsStorePort;
  policyFile?: string;
  home?: string;
  platform?: NodeJS.Platform;
}

export interface CoreServices {
  settings: SettingsRepository;
  journal: DecisionJournalService;
  telemetry: TelemetryService;
  evidence: EvidenceRecorder;
  managedPolicy: ManagedPolicyService;
  canonicalize: Canonicalize;
  scope: ScopeService;
  evidenceStatus(): EvidenceStatus;
  /** Closes the journal and flushes telemetry, waiting at most `flushTimeoutMs` for the collector. */
  close(flushTimeoutMs?: number): Promise<void>;
}

export function openCoreServices(o: CoreServicesOptions): CoreServices {
  const platform = o.platform ?? process.platform;
  const settings = new SettingsRepository(o.settingsStore ?? openConfStore(o.dataDir));
  const journal = new DecisionJournalService(join(o.dataDir, 'journal'));
  const otlp = otlpLogsConfigFromEnv(o.env);
  const telemetry = new TelemetryService(otlp, appVersion());
  const evidence = new EvidenceRecorder(journal, telemetry);
  const managedPolicy = new ManagedPolicyService(o.policyFile ?? systemPolicyPath(platform, o.env), o.policyFile !== undefined);
  const canonicalize = canonicalizerFor(platform);
  const scope = new ScopeService({ settings, policy: managedPolicy, evidence, clock: o.clock, canonicalize, dataDir: o.dataDir, home: o.home, platform });
  return {
    settings,
    journal,
    telemetry,
    evidence,
    managedPolicy,
    canonicalize,
    scope,
    evidenceStatus: () => ({
      endpoint: describeEndpoint(otlp.url),
      protocol: 'http/json',
      configSource: o.env['OTEL_EXPORTER_OTLP_LOGS_ENDPOINT'] || o.env['OTEL_EXPORTER_OTLP_ENDPOINT'] ? 'environment' : 'default',
      collectorReachable: null,
      queued: 0,
      rejected: 0,
      lost: 0,
      journalBytes: 0,
      journalLimitBytes: 256 * 1024 * 1024,
    }),
    async close(flushTimeoutMs) {
      await journal.close();
      await telemetry.shutdown(flushTimeoutMs);
    },
  };
}
