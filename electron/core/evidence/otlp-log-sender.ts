// Sends journal events to the collector as OTel log records through the official OTLP exporters
// (JSON or protobuf), and classifies the outcome so the shipper knows whether to retry.
import { diag, DiagLogLevel, SeverityNumber, TraceFlags } from '@opentelemetry/api';
import { OTLPLogExporter as JsonExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtobufExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { hostname, type as osType } from 'node:os';
import { ATTR, EVENT_NAMES } from '../../../shared/telemetry-events.js';
import { parseJournalLine } from './decision-journal-service.js';
import type { EvidenceEvent } from './evidence-event.js';
import { checkEndpoint, type OtlpLogsConfig } from './otlp-config.js';

export const SERVICE_NAME = 'cowork-companion';

export type SendOutcome =
  | { kind: 'accepted' }
  /** The collector refused the batch as invalid (4xx other than 429): never retried. */
  | { kind: 'rejected'; status: number; message: string }
  /** Network error, timeout, 429 or 5xx after the exporter's own retries (which honour
   *  Retry-After): try again later. `status` is set when the collector answered (busy, not down). */
  | { kind: 'retry'; message: string; status?: number };

export interface LogSender {
  /** `lines`: journal lines' JSON text, as DecisionJournalService.readJson gives them (each an event). */
  send(lines: readonly string[]): Promise<SendOutcome>;
  shutdown(): Promise<void>;
}

// The exporter reports partial success only through the diagnostic logger: capture it.
const partialListeners = new Set<(text: string) => void>();
let diagInstalled = false;
function installDiag(): void {
  if (diagInstalled) return;
  diagInstalled = true;
  const ignore = (): void => undefined;
  diag.setLogger(
    {
      error: ignore,
      info: ignore,
      debug: ignore,
      verbose: ignore,
      warn: (message: string, ...args: unknown[]) => {
        if (message.includes('Partial Success')) for (const l of partialListeners) l(args.map(String).join(' '));
      },
    },
    DiagLogLevel.WARN,
  );
}

/** A sender for a configuration that cannot work: every attempt fails with the reason (retried, so
 *  a corrected policy takes over without losing anything). */
export function unusableSender(reason: string): LogSender {
  return { send: async () => ({ kind: 'retry', message: reason }), shutdown: async () => undefined };
}

/** The resource every record the companion sends carries (the Timeline's OTLP JSON export too). */
export function companionResourceAttributes(extra: OtlpLogsConfig['resourceAttributes'], serviceVersion: string): Record<string, string> {
  return {
    ...extra,
    'service.name': SERVICE_NAME,
    'service.version': serviceVersion,
    'host.name': hostname(),
    // OTel semantic conventions: 'windows', 'darwin', 'linux'.
    'os.type': osType() === 'Windows_NT' ? 'windows' : osType().toLowerCase(),
  };
}

const hr = (ms: number): [number, number] => [Math.floor(ms / 1000), Math.round((ms % 1000) * 1e6)];

export class OtlpLogSender implements LogSender {
  private readonly exporter: JsonExporter | ProtobufExporter;
  private readonly resource: Resource;
  private lastPartial: string | undefined;
  /** One object for every record: the serializer groups records by scope object, so a new one per
   *  record would send each record in a scopeLogs entry of its own. */
  private readonly scope = { name: SERVICE_NAME };

  constructor(
    config: OtlpLogsConfig,
    serviceVersion: string,
    private readonly onPartialSuccess: (detail: string) => void = () => undefined,
  ) {
    const invalid = checkEndpoint(config.url);
    if (invalid) throw new Error(invalid);
    installDiag();
    partialListeners.add((text) => (this.lastPartial = text));
    const options = { url: config.url, headers: config.headers, timeoutMillis: 10_000 };
    this.exporter = config.protocol === 'http/protobuf' ? new ProtobufExporter(options) : new JsonExporter(options);
    this.resource = resourceFromAttributes(companionResourceAttributes(config.resourceAttributes, serviceVersion));
  }

  send(lines: readonly string[]): Promise<SendOutcome> {
    const events: EvidenceEvent[] = [];
    for (const line of lines) {
      const event = parseJournalLine(line);
      // readJson gives only lines that are events: one that is not is a bug, not the collector's to see.
      if (!event) return Promise.resolve({ kind: 'rejected', status: 0, message: 'a journal line handed to the sender is not an event' });
      events.push(event);
    }
    return this.sendEvents(events);
  }

  sendEvents(events: readonly EvidenceEvent[]): Promise<SendOutcome> {
    const records = events.map((e) => this.toRecord(e));
    this.lastPartial = undefined;
    return new Promise((resolve) => {
      this.exporter.export(records, (result) => {
        if (result.code === 0) {
          if (this.lastPartial) this.onPartialSuccess(this.lastPartial);
          resolve({ kind: 'accepted' });
          return;
        }
        const error = result.error as (Error & { code?: number; data?: string }) | undefined;
        const status = typeof error?.code === 'number' ? error.code : undefined;
        const raw = error?.message ?? 'export failed';
        // After its own retries on 429/5xx the exporter reports only this generic text.
        const message = /retryable status/.test(raw) ? 'the collector kept answering "busy" or "unavailable" (429/5xx); retrying' : raw;
        if (status !== undefined && status >= 400 && status < 500 && status !== 429 && status !== 408) {
          resolve({ kind: 'rejected', status, message: `HTTP ${status}: ${message}` });
        } else {
          resolve(status ? { kind: 'retry', status, message: `HTTP ${status}: ${message}` } : { kind: 'retry', message });
        }
      });
    });
  }

  async shutdown(): Promise<void> {
    await this.exporter.shutdown().catch(() => undefined);
  }

  private toRecord(e: EvidenceEvent): ReadableLogRecord {
    return {
      hrTime: hr(e.time),
      hrTimeObserved: hr(e.time),
      ...severityOf(e),
      body: e.name,
      eventName: e.name,
      attributes: e.attributes,
      droppedAttributesCount: 0,
      resource: this.resource,
      instrumentationScope: this.scope,
      ...(e.trace ? { spanContext: { traceId: e.trace.traceId, spanId: e.trace.spanId, traceFlags: TraceFlags.SAMPLED } } : {}),
    };
  }
}

/** INFO, except an escalation, which carries its own (WARN or ERROR: `escalation.severity`). */
export function severityOf(e: EvidenceEvent): { severityNumber: SeverityNumber; severityText: string } {
  const s = e.name === EVENT_NAMES.escalationRaised ? e.attributes[ATTR.escalationSeverity] : undefined;
  if (s === 'ERROR') return { severityNumber: SeverityNumber.ERROR, severityText: 'ERROR' };
  if (s === 'WARN') return { severityNumber: SeverityNumber.WARN, severityText: 'WARN' };
  return { severityNumber: SeverityNumber.INFO, severityText: 'INFO' };
}
