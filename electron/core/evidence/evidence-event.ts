import { randomUUID } from 'node:crypto';
import type { EventName } from '../../../shared/telemetry-events.js';
import { ATTR } from '../../../shared/telemetry-events.js';

export type AttributeValue = string | number | boolean;

/** One piece of evidence: written to the journal first, then exported as an OTel log record. */
export interface EvidenceEvent {
  eventId: string;
  name: EventName;
  /** Epoch ms. */
  time: number;
  attributes: Record<string, AttributeValue>;
  /** W3C trace context of the run this event belongs to (hex ids). */
  trace?: { traceId: string; spanId: string };
}

export function newEvidenceEvent(
  name: EventName,
  time: number,
  attributes: Record<string, AttributeValue | undefined>,
): EvidenceEvent {
  const eventId = randomUUID();
  const clean: Record<string, AttributeValue> = { [ATTR.eventId]: eventId };
  for (const [k, v] of Object.entries(attributes)) if (v !== undefined) clean[k] = v;
  return { eventId, name, time, attributes: clean };
}
