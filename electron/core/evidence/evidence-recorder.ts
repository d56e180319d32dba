// Evidence is recorded by appending it, fsynced, to the journal; the outbox shipper delivers it.
import type { DecisionJournalService } from './decision-journal-service.js';
import type { EvidenceEvent } from './evidence-event.js';

export interface EvidenceSink {
  record(event: EvidenceEvent): Promise<void>;
}

export class EvidenceRecorder implements EvidenceSink {
  constructor(
    private readonly journal: Pick<DecisionJournalService, 'append'>,
    private readonly transform: (event: EvidenceEvent) => EvidenceEvent = (e) => e,
  ) {}

  /** Resolves once the event is durably on disk (not when it reaches the collector). */
  async record(event: EvidenceEvent): Promise<void> {
    await this.journal.append(this.transform(event));
  }
}
