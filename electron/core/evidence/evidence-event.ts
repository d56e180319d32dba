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

/** `trace`: the run's trace context, when the event belongs to one (see trace-context-policy.ts). */
export function newEvidenceEvent<N extends EventName>(
  name: N,
  time: number,
  attributes: EvidenceAttributeInput<N>,
  trace?: { traceId: string; spanId: string },
): EvidenceEvent {
  const eventId = randomUUID();
  const clean: Record<string, AttributeValue> = { [ATTR.eventId]: eventId };
  // Object.keys and a plain loop: Object.entries made an array per attribute on every record.
  const given = attributes as Record<string, AttributeValue | undefined>;
  const keys = Object.keys(given);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = given[k];
    if (v !== undefined) clean[k] = v;
  }
  return trace ? { eventId, name, time, attributes: clean, trace } : { eventId, name, time, attributes: clean };
}
