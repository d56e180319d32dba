// What the Timeline view shows of the store's events: the UI's filter as the store's, a page cursor,
// a compact row per event, and a run's events as the steps of its story. Pure.
import { TIMELINE_STORY_VALUE_MAX, type TimelineFilterView, type TimelineRowView, type TimelineStep } from '../../../shared/ui-contract.js';
import { ATTR, EVENT_NAMES } from '../../../shared/telemetry-events.js';
import { truncateText, type AttributeValue, type EvidenceEvent } from '../evidence/index.js';
import type { TimelineFilter } from './timeline-query-policy.js';

export function storeFilter(f: TimelineFilterView, limit: number, before?: string): TimelineFilter {
  const cursor = before === undefined ? undefined : parseCursor(before);
  return {
    ...(f.since !== undefined ? { since: f.since } : {}),
    ...(f.until !== undefined ? { until: f.until } : {}),
    ...(f.sessionId !== undefined ? { session: f.sessionId } : {}),
    ...(f.toolName !== undefined ? { tool: f.toolName } : {}),
    ...(f.decision !== undefined ? { decision: f.decision } : {}),
    ...(f.decidedBy !== undefined ? { decidedBy: f.decidedBy } : {}),
    ...(f.folder !== undefined ? { folder: f.folder } : {}),
    ...(f.text !== undefined ? { text: f.text } : {}),
    ...(cursor ? { before: cursor } : {}),
    limit,
  };
}

export const formatCursor = (c: { time: number; rowid: number }): string => `${c.time}:${c.rowid}`;

export function parseCursor(text: string): { time: number; rowid: number } | undefined {
  const m = /^(\d{1,16}):(\d{1,16})$/.exec(text);
  return m ? { time: Number(m[1]), rowid: Number(m[2]) } : undefined;
}

const str = (a: EvidenceEvent['attributes'], key: string): string | undefined => {
  const v = a[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
};

/** Claude Code names its events `tool_result` or `claude_code.tool_result` depending on the field. */
export function agentEventName(e: EvidenceEvent): string | undefined {
  if (e.name !== EVENT_NAMES.agentLog) return undefined;
  return str(e.attributes, ATTR.agentEventName)?.replace(/^claude_code\./, '');
}

/** A tool result's outcome: Claude Code sends `success` as the text "true"/"false". */
function success(e: EvidenceEvent): boolean | undefined {
  const v = e.attributes['success'];
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  return undefined;
}

/** The attributes a list row reads (timelineRowView): the store picks these alone for the list. */
export const ROW_ATTRIBUTES: readonly string[] = [
  ATTR.sessionId, ATTR.toolName, `agent.${ATTR.toolName}`, ATTR.decision, ATTR.decisionSource, ATTR.cwd, ATTR.filePath, ATTR.scopePath, ATTR.decisionRule, ATTR.stateFile,
  ATTR.policySource, ATTR.decisionReason, ATTR.escalationReason, ATTR.policyError, ATTR.withdrawnReason, ATTR.lossReason, ATTR.stateReason, ATTR.runEndReason, 'error', 'prompt',
  ATTR.agentEventName, 'success',
];

export function timelineRowView(e: EvidenceEvent): TimelineRowView {
  const a = e.attributes;
  const s = (key: string): string | undefined => str(a, key);
  const agent = agentEventName(e);
  const ok = success(e);
  const fields: Partial<TimelineRowView> = {
    agentEvent: agent,
    sessionId: s(ATTR.sessionId),
    // The agent's own records: its tool_name became agent.tool_name (it is not the companion's word).
    toolName: s(ATTR.toolName) ?? s(`agent.${ATTR.toolName}`),
    decision: s(ATTR.decision),
    decidedBy: s(ATTR.decisionSource),
    cwd: s(ATTR.cwd),
    target: s(ATTR.filePath) ?? s(ATTR.scopePath) ?? s(ATTR.decisionRule) ?? s(ATTR.stateFile) ?? s(ATTR.policySource),
    // The agent's own words last: its error, or the prompt (when its telemetry includes prompts).
    reason:
      s(ATTR.decisionReason) ?? s(ATTR.escalationReason) ?? s(ATTR.policyError) ?? s(ATTR.withdrawnReason) ?? s(ATTR.lossReason) ?? s(ATTR.stateReason) ?? s(ATTR.runEndReason) ?? s('error') ?? s('prompt'),
    success: ok,
  };
  const row: TimelineRowView = { eventId: e.eventId, kind: stepKind(e), at: new Date(e.time).toISOString(), name: e.name };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) (row as Record<string, unknown>)[k] = v;
  return row;
}

export function stepKind(e: EvidenceEvent): TimelineStep['kind'] {
  switch (e.name) {
    case EVENT_NAMES.runStarted:
    case EVENT_NAMES.runEnded:
      return 'run';
    case EVENT_NAMES.approvalRequested:
      return 'request';
    case EVENT_NAMES.approvalDecided:
      return 'decision';
    case EVENT_NAMES.approvalHeld:
      return 'hold';
    case EVENT_NAMES.approvalWithdrawn:
      return 'withdrawn';
    case EVENT_NAMES.fileOutOfScope:
      return 'file-change';
    case EVENT_NAMES.agentLog: {
      const agent = agentEventName(e);
      return agent === 'user_prompt' ? 'prompt' : agent === 'tool_result' ? 'tool-result' : 'agent';
    }
    default:
      // escalation.raised and whatever escalation events come next (resolved, …).
      return e.name.startsWith('escalation.') ? 'escalation' : 'other';
  }
}

/** A run's events (oldest first, as the store gives them) as the steps of its story. */
/** The steps of a run's story: every attribute, a long text value cut (with a marker of how much) to
 *  what a person reads on screen; the export keeps it whole. */
export function runStory(events: readonly EvidenceEvent[]): TimelineStep[] {
  const cut = (v: AttributeValue): AttributeValue => (typeof v === 'string' && v.length > TIMELINE_STORY_VALUE_MAX ? truncateText(v, TIMELINE_STORY_VALUE_MAX) : v);
  return events.map((e) => ({ ...timelineRowView(e), attributes: Object.fromEntries(Object.entries(e.attributes).map(([k, v]) => [k, cut(v)])) }));
}
