// Exports evidence as OTel log records over OTLP/HTTP. The journal, not this exporter, is what
// guarantees nothing is lost (the exporter drops records after a few retries).
import { SeverityNumber } from '@opentelemetry/api';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import type { EvidenceEvent } from './evidence-event.js';
import type { OtlpLogsConfig } from './otlp-config.js';

export const SERVICE_NAME = 'cowork-companion';

export interface TelemetryPort {
  emit(event: EvidenceEvent): void;
  shutdown(): Promise<void>;
}

export class TelemetryService implements TelemetryPort {
  private readonly provider: LoggerProvider;
  private readonly logger: ReturnType<LoggerProvider['getLogger']>;

  constructor(config: OtlpLogsConfig, serviceVersion: string) {
    const exporter = new OTLPLogExporter({ url: config.url, headers: config.headers });
    this.provider = new LoggerProvider({
      resource: resourceFromAttributes({ 'service.name': SERVICE_NAME, 'service.version': serviceVersion }),
      processors: [new BatchLogRecordProcessor({ exporter, scheduledDelayMillis: config.scheduledDelayMillis })],
    });
    this.logger = this.provider.getLogger(SERVICE_NAME, serviceVersion);
  }

  emit(event: EvidenceEvent): void {
    this.logger.emit({
      eventName: event.name,
      timestamp: event.time,
      severityNumber: SeverityNumber.INFO,
      severityText: 'INFO',
      body: event.name,
      attributes: event.attributes,
    });
  }

  /** Flushes what is queued, but never blocks shutdown for long when the collector is down
   *  (the journal keeps every event regardless). */
  async shutdown(timeoutMs = 3000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([this.provider.shutdown().catch(() => undefined), limit]);
    clearTimeout(timer);
  }
}
