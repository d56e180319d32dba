// What the Timeline view gets of the store's events: the filter as the store's, the page cursor,
// compact rows, and a run's story with each step's kind.
import { describe, expect, it } from 'vitest';
import type { EvidenceEvent } from '../../electron/core/evidence/index.js';
import { formatCursor, parseCursor, runStory, stepKind, storeFilter, timelineRowView } from '../../electron/core/timeline/index.js';

const ev = (name: string, attributes: Record<string, string | number | boolean>, time = 1000): EvidenceEvent =>
  ({ eventId: `id-${name}-${time}`, name, time, attributes: { 'event.id': `id-${name}-${time}`, ...attributes } }) as EvidenceEvent;

describe('the filter', () => {
  it('maps the view’s names to the store’s, leaving out what is not set', () => {
    expect(storeFilter({ sessionId: 's', toolName: 'Bash', decision: 'ask', decidedBy: 'user', folder: '/w', text: 'x', since: 1, until: 2 }, 50, '5:7')).toEqual({
      session: 's',
      tool: 'Bash',
      decision: 'ask',
      decidedBy: 'user',
      folder: '/w',
      text: 'x',
      since: 1,
      until: 2,
      before: { time: 5, rowid: 7 },
      limit: 50,
    });
    expect(storeFilter({}, 10)).toEqual({ limit: 10 });
  });
  it('reads back its own cursors and nothing else', () => {
    expect(parseCursor(formatCursor({ time: 1_764_700_000_000, rowid: 42 }))).toEqual({ time: 1_764_700_000_000, rowid: 42 });
    expect(parseCursor('1:2:3')).toBeUndefined();
    expect(parseCursor('-1:2')).toBeUndefined();
  });
});

describe('rows', () => {
  it('shows a decision with who decided, why and what it was about', () => {
    const row = timelineRowView(ev('approval.decided', { 'session.id': 's', tool_name: 'Write', decision: 'deny', 'decision.source': 'policy', 'decision.reason': 'outside', 'decision.rule': 'scope.outside', cwd: '/w' }));
    expect(row).toEqual({ eventId: 'id-approval.decided-1000', kind: 'decision', at: '1970-01-01T00:00:01.000Z', name: 'approval.decided', sessionId: 's', toolName: 'Write', decision: 'deny', decidedBy: 'policy', reason: 'outside', target: 'scope.outside', cwd: '/w' });
  });
  it('shows the agent’s own records by their name, tool and outcome', () => {
    const row = timelineRowView(ev('agent.log', { 'session.id': 's', 'event.name': 'claude_code.tool_result', 'agent.tool_name': 'Bash', success: 'false', error: 'exit 1', 'relay.source': 'claude-code' }));
    expect(row).toMatchObject({ name: 'agent.log', agentEvent: 'tool_result', toolName: 'Bash', success: false, reason: 'exit 1' });
    expect(timelineRowView(ev('agent.log', { 'event.name': 'tool_result', success: true, 'relay.source': 'x' })).success).toBe(true);
  });
});

describe('the story', () => {
  it('names each step', () => {
    const kinds = [
      ev('run.started', {}),
      ev('agent.log', { 'event.name': 'user_prompt', 'relay.source': 'claude-code' }),
      ev('approval.requested', {}),
      ev('approval.held', {}),
      ev('approval.decided', {}),
      ev('approval.withdrawn', {}),
      ev('agent.log', { 'event.name': 'tool_result', 'relay.source': 'claude-code' }),
      ev('agent.log', { 'event.name': 'api_error', 'relay.source': 'claude-code' }),
      ev('file.out_of_scope', {}),
      ev('escalation.raised', {}),
      ev('escalation.resolved', {}),
      ev('scope.changed', {}),
      ev('run.ended', {}),
    ].map(stepKind);
    expect(kinds).toEqual(['run', 'prompt', 'request', 'hold', 'decision', 'withdrawn', 'tool-result', 'agent', 'file-change', 'escalation', 'escalation', 'other', 'run']);
  });
  it('keeps the order it is given and every attribute', () => {
    const events = [ev('approval.requested', { tool_name: 'Bash' }, 1), ev('approval.decided', { decision: 'allow' }, 2)];
    const story = runStory(events);
    expect(story.map((s) => s.kind)).toEqual(['request', 'decision']);
    expect(story[1]!.attributes).toEqual(events[1]!.attributes);
  });
});
