// The evidence pipeline, built in one place: redaction → fsynced journal → outbox shipper → OTLP
// collector. Used by the running companion (which ships) and by one-shot CLI commands (append only).
import { join } from 'node:path';
import { DEFAULT_TELEMETRY_POLICY, type TelemetryPolicy } from '../../../shared/telemetry-policy-contract.js';
import type { EvidenceStatus } from '../../../shared/ui-contract.js';
import { appVersion, type Clock, type SealedLatestPort, type TagKey } from '../base/index.js';
import { DecisionJournalService, type JournalIntegrity } from './decision-journal-service.js';
import { EvidenceRecorder } from './evidence-recorder.js';
import { describeEndpoint, otlpLogsConfigFromEnv } from './otlp-config.js';
import { unusableSender, type LogSender } from './otlp-log-sender.js';
import { ThreadedLogSender } from './threaded-log-sender.js';
import { OutboxShipperService, type DeliverySetup } from './outbox-shipper-service.js';
import { redactEvidenceEvent } from './redaction-policy.js';

/** Delivery tuning for tests and the bench. */
export interface EvidenceTuning {
  backoffMs?: (failures: number) => number;
  limitBytes?: number;
  segmentBytes?: number;
}

export interface EvidencePipelineOptions {
  dataDir: string;
  clock: Clock;
  env: Record<string, string | undefined>;
  home: string;
  /** The managed policy's telemetry part (read at each use: it changes live). */
  policy: () => TelemetryPolicy | undefined;
  /** Deliver the journal to the collector (the running companion); one-shot commands only append. */
  ship: boolean;
  tuning?: EvidenceTuning;
  /** Tag the journal's lines and seal its checkpoint and delivery cursor. */
  integrity?: { key: TagKey; firstUse: boolean; sealed(name: string): SealedLatestPort };
}

export interface EvidencePipeline {
  journal: DecisionJournalService;
  /** What the check of the journal at start found (running core with a key; otherwise clean). */
  integrity: JournalIntegrity;
  recorder: EvidenceRecorder;
  shipper: OutboxShipperService | undefined;
  status(): EvidenceStatus;
  /** The managed policy changed: new endpoint, headers, protocol or disk budget apply now. */
  reconfigure(): void;
  /** Tries to deliver what is queued for up to `flushTimeoutMs`, then closes the journal. */
  close(flushTimeoutMs?: number): Promise<void>;
}

export function openEvidencePipeline(o: EvidencePipelineOptions): EvidencePipeline {
  const integrity = o.integrity;
  const journal = new DecisionJournalService(join(o.dataDir, 'journal'), {
    segmentBytes: o.tuning?.segmentBytes,
    ...(integrity ? { integrity: { key: integrity.key, checkpoint: integrity.sealed('journal/checkpoint.json'), firstUse: integrity.firstUse, sequenced: o.ship } } : {}),
  });
  // Only the running core checks the whole journal (a one-shot command has no one to tell).
  const check: JournalIntegrity = o.ship ? journal.verify() : { checked: 0, missing: 0, forged: 0, problems: [] };
  const telemetry = (): TelemetryPolicy => o.policy() ?? DEFAULT_TELEMETRY_POLICY;
  // Redaction happens before the journal: what is on disk is what may leave the machine.
  const recorder = new EvidenceRecorder(journal, (e) => redactEvidenceEvent(e, telemetry().redaction, { home: o.home }));
  const delivery = (): DeliverySetup => {
    const otlp = otlpLogsConfigFromEnv(o.env, telemetry());
    const describe = { endpoint: describeEndpoint(otlp.url), protocol: otlp.protocol, configSource: otlp.source };
    let sender: LogSender;
    try {
      // Only the running core delivers: a one-shot command starts no export thread.
      sender = o.ship ? new ThreadedLogSender(otlp, appVersion()) : unusableSender('this process does not deliver evidence');
    } catch (error) {
      // A bad endpoint (e.g. ftp://) never stops the companion: evidence waits in the journal.
      sender = unusableSender(`the collector address is not usable: ${(error as Error).message}`);
    }
    return { sender, describe, limitBytes: o.tuning?.limitBytes ?? telemetry().journalLimitMb * 1024 * 1024 };
  };
  const first = delivery();
  const cursorFile = integrity?.sealed('journal/cursor.json');
  const shipper = o.ship ? new OutboxShipperService({ journal, ...first, clock: o.clock, backoffMs: o.tuning?.backoffMs, ...(cursorFile ? { cursorFile } : {}) }) : undefined;
  shipper?.start();
  return {
    journal,
    integrity: check,
    recorder,
    shipper,
    status: () =>
      shipper?.status() ?? { ...first.describe, collectorReachable: null, queued: 0, rejected: 0, lost: 0, journalBytes: journal.totalBytes(), journalLimitBytes: first.limitBytes },
    reconfigure: () => shipper?.reconfigure(delivery()),
    async close(flushTimeoutMs = 3000) {
      // Whatever is not delivered within the wait stays in the journal for the next start.
      await shipper?.stop(flushTimeoutMs);
      await journal.close();
    },
  };
}
