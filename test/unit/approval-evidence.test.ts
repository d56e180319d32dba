// The approval records: built without spreads (they are made for every decision), they must be what
// the spread-built records were, key order included (the journal line is their JSON). The oracle
// below is the builders as first written.
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ToolPayload } from '../../shared/agent-api-contract.js';
import { ATTR, CLAUDE_CODE_HOOK_SOURCE, DECISION_SOURCES, EVENT_NAMES } from '../../shared/telemetry-events.js';
import { decidedEvent, heldEvent, requestedEvent, withdrawnEvent, type DecisionFacts, type HoldFacts } from '../../electron/core/approvals/approval-evidence.js';
import type { EvidenceEvent } from '../../electron/core/evidence/evidence-event.js';

const hex = (input: string, bytes: number): string => {
  const h = createHash('sha256').update(input).digest().subarray(0, bytes).toString('hex');
  return /^0+$/.test(h) ? `${h.slice(0, -1)}1` : h;
};

function oracleTrace(p: ToolPayload, id: string): { traceId: string; spanId: string } {
  const tp = (p as Record<string, unknown>)['traceparent'];
  const agent = typeof tp === 'string' ? /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(tp.trim()) : null;
  const traceId = agent && !/^0+$/.test(agent[1]!) ? agent[1]! : hex(`cowork-companion/trace/v1\0${p.session_id}\0${p.prompt_id ?? ''}`, 16);
  return { traceId, spanId: hex(`cowork-companion/span/v1\0${id}`, 8) };
}

function oracleEvent(name: string, eventId: string, time: number, attributes: Record<string, unknown>, p: ToolPayload, id: string): EvidenceEvent {
  const clean: Record<string, unknown> = { [ATTR.eventId]: eventId };
  for (const [k, v] of Object.entries(attributes)) if (v !== undefined) clean[k] = v;
  const event = { eventId, name, time, attributes: clean } as EvidenceEvent;
  return { ...event, trace: oracleTrace(p, id) };
}

const correlation = (p: ToolPayload, id: string) => ({
  [ATTR.sessionId]: p.session_id,
  [ATTR.promptId]: p.prompt_id,
  [ATTR.toolUseId]: p.tool_use_id,
  [ATTR.toolName]: p.tool_name,
  [ATTR.hookEvent]: p.hook_event_name,
  [ATTR.cwd]: p.cwd,
  [ATTR.approvalId]: id,
});

function oracleDecided(p: ToolPayload, id: string, now: number, d: DecisionFacts, eventId: string): EvidenceEvent {
  const attributes = {
    ...correlation(p, id),
    [ATTR.decision]: d.verdict,
    [ATTR.decisionSource]: d.source,
    [ATTR.decisionLatencyMs]: d.latencyMs,
    [ATTR.decisionReason]: d.reason,
    ...(d.rule !== undefined ? { [ATTR.decisionRule]: d.rule } : {}),
    ...(d.immediate ? { [ATTR.decisionImmediate]: true as const } : {}),
    ...{ [ATTR.claudeCodeDecision]: d.verdict === 'allow' ? 'accept' : 'reject', [ATTR.claudeCodeSource]: CLAUDE_CODE_HOOK_SOURCE },
    ...(d.source === 'user' ? d.person : {}),
    ...(d.sandboxed !== undefined ? { [ATTR.sandboxed]: d.sandboxed } : {}),
  };
  return oracleEvent(EVENT_NAMES.approvalDecided, eventId, now, attributes, p, id);
}

/** The event's JSON as the journal writes it, with its random event id replaced by the oracle's. */
const asLine = (e: EvidenceEvent, eventId: string): string =>
  JSON.stringify({ v: 1, ...e, eventId, attributes: { ...e.attributes, [ATTR.eventId]: eventId } });

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const payload: fc.Arbitrary<ToolPayload> = fc
  .record({
    session_id: fc.constantFrom('s1', '5b0e6f3c-9a41-4c7e-8d2f-1f6a3b9c7e21'),
    prompt_id: optional(fc.constantFrom('p1', 'p2', '')),
    tool_use_id: optional(fc.constantFrom('toolu_1', 'toolu_2')),
    tool_name: fc.constantFrom('Read', 'Bash'),
    hook_event_name: fc.constantFrom('PreToolUse' as const, 'PermissionRequest' as const),
    cwd: fc.constantFrom('/home/dana/p', 'C:\\w'),
    traceparent: optional(fc.constantFrom('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'garbage')),
  })
  .map(({ traceparent, ...p }) => ({ ...p, tool_input: {}, ...(traceparent !== undefined ? { traceparent } : {}) }) as unknown as ToolPayload);
const person = fc.oneof(
  fc.constant(undefined),
  fc.constant({ [ATTR.userName]: 'dana' }),
  fc.constant({ [ATTR.userName]: 'dana', [ATTR.userEmail]: 'dana@example.com' }),
  fc.constant({ [ATTR.userEmail]: 'dana@example.com', [ATTR.userName]: 'dana' }), // the other order is kept too
);
const facts: fc.Arbitrary<DecisionFacts> = fc
  .record({
    verdict: fc.constantFrom('allow' as const, 'deny' as const),
    source: fc.constantFrom(...DECISION_SOURCES),
    reason: fc.string({ maxLength: 20 }),
    latencyMs: fc.nat(1000),
    rule: optional(fc.constantFrom('scope.read', '')),
    person,
    sandboxed: optional(fc.boolean()),
    immediate: optional(fc.constant(true as const)),
  })
  .map((f) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as unknown as DecisionFacts);

describe('approval records', () => {
  it('approval.decided is the spread-built record: same attributes, in the same order, and the same trace', () => {
    fc.assert(
      fc.property(payload, fc.uuid(), fc.nat(), facts, (p, id, now, d) => {
        const built = decidedEvent(p, id, now, d);
        const expected = oracleDecided(p, id, now, d, 'e');
        expect(built.attributes[ATTR.eventId]).toBe(built.eventId);
        // Keys left undefined are not there at all (JSON would hide them; the redaction would not).
        expect(Object.keys(built.attributes)).toEqual(Object.keys(expected.attributes));
        expect(asLine(built, 'e')).toBe(JSON.stringify({ v: 1, ...expected }));
      }),
      { numRuns: 1000 },
    );
  });

  it('requested, withdrawn and held records carry the request trace as before', () => {
    const hold: HoldFacts = { source: 'user', reason: 'r', latencyMs: 3, expiresAt: '2026-01-01T00:00:00.000Z', person: { [ATTR.userName]: 'dana' } };
    fc.assert(
      fc.property(payload, fc.uuid(), fc.nat(), (p, id, now) => {
        expect(asLine(requestedEvent(p, id, now), 'e')).toBe(JSON.stringify({ v: 1, ...oracleEvent(EVENT_NAMES.approvalRequested, 'e', now, correlation(p, id), p, id) }));
        const withdrawn = { ...correlation(p, id), [ATTR.withdrawnReason]: 'gone' };
        expect(asLine(withdrawnEvent(p, id, now, 'gone'), 'e')).toBe(JSON.stringify({ v: 1, ...oracleEvent(EVENT_NAMES.approvalWithdrawn, 'e', now, withdrawn, p, id) }));
        const held = heldEvent(p, id, now, hold);
        expect(held.trace).toEqual(oracleTrace(p, id));
        expect(Object.keys(held)).toEqual(['eventId', 'name', 'time', 'attributes', 'trace']);
      }),
      { numRuns: 300 },
    );
  });
});
