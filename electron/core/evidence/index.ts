// Evidence: every decision and change recorded durably (redacted, fsynced journal) before anyone is
// answered, then delivered to the OTLP collector by the outbox shipper, correlated to the agent run.
export { DecisionJournalService, parseJournalLine, type JournalCursor, type JournalTrust } from './decision-journal-service.js';
export { newEvidenceEvent, type AttributeValue, type EvidenceEvent } from './evidence-event.js';
export { openEvidencePipeline, type EvidencePipeline, type EvidenceTuning } from './evidence-pipeline.js';
export { EvidenceRecorder, type EvidenceSink } from './evidence-recorder.js';
export { decodeOtlpLogsProtobuf, encodeOtlpLogsResponse, encodeRpcStatus, ProtobufError } from './otlp-logs-protobuf.js';
export { checkRelayRequest, RELAY_MAX_RECORDS, relayedRecords, relayJournalBytes, RelayLimitError, type RelayedRecord, type RelayParse } from './otlp-relay-policy.js';
export { traceContextFor } from './trace-context-policy.js';
export { companionResourceAttributes, SERVICE_NAME, severityOf } from './otlp-log-sender.js';
export { otlpLogsConfigFromEnv } from './otlp-config.js';
export { truncateText } from './redaction-policy.js';
