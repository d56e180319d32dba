// Evidence goes to the journal (durable, awaited) and then to telemetry (best effort for now).
import type { DecisionJournalService } from './decision-journal-service.js';
import type { EvidenceEvent } from './evidence-event.js';
import type { TelemetryPort } from './telemetry-service.js';

export interface EvidenceSink {
  record(event: EvidenceEvent): Promise<void>;
}

export class EvidenceRecorder implements EvidenceSink {
  constructor(
    private readonly journal: Pick<DecisionJournalService, 'append'>,
    private readonly telemetry: TelemetryPort,
  ) {}

  async record(event: EvidenceEvent): Promise<void> {
    await this.journal.append(event);
    this.telemetry.emit(event);
  }
}
