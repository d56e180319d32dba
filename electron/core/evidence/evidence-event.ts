// One piece of evidence, built only through `newEvidenceEvent`, whose attributes are typed by the
// event's schema in shared/evidence-schema.ts: an attribute the schema does not list, or a value of
// the wrong type, fails to compile.
import { randomUUID } from 'node:crypto';
import type { EvidenceAttributeInput } from '../../../shared/evidence-schema.js';
import { ATTR, type EventName } from '../../../shared/telemetry-events.js';

export type AttributeValue = string | number | boolean;

/** Written to the journal first, then exported as an OTel log record. */
export interface EvidenceEvent {
  eventId: string;
  name: EventName;
  /** Epoch ms. */
  time: number;
  attributes: Record<string, AttributeValue>;
  /** W3C trace context of the run this event belongs to (hex ids). */
  trace?: { traceId: string; spanId: string };
}

export function newEvidenceEvent<N extends EventName>(name: N, time: number, attributes: EvidenceAttributeInput<N>): EvidenceEvent {
  const eventId = randomUUID();
  const clean: Record<string, AttributeValue> = { [ATTR.eventId]: eventId };
  for (const [k, v] of Object.entries(attributes)) if (v !== undefined) clean[k] = v as AttributeValue;
  return { eventId, name, time, attributes: clean };
}
