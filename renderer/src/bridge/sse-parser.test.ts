import { describe, it, expect } from 'vitest';
import { SseParser } from './sse-parser.js';

describe('SseParser', () => {
  it('parses named events and ignores comments', () => {
    const p = new SseParser();
    expect(p.push(': keep-alive\n\nevent: snapshot\ndata: {"a":1}\n\n')).toEqual([
      { event: 'snapshot', data: '{"a":1}' },
    ]);
  });

  it('joins events split across chunks, including a CRLF split in two', () => {
    const p = new SseParser();
    expect(p.push('event: snap')).toEqual([]);
    expect(p.push('shot\r')).toEqual([]);
    expect(p.push('\ndata: x\r\n')).toEqual([]);
    expect(p.push('\r\n')).toEqual([{ event: 'snapshot', data: 'x' }]);
  });

  it('joins multi-line data and defaults the event name to message', () => {
    const p = new SseParser();
    expect(p.push('data:a\ndata: b\n\n')).toEqual([{ event: 'message', data: 'a\nb' }]);
  });

  it('resets the event name after each event', () => {
    const p = new SseParser();
    const events = p.push('event: snapshot\ndata: 1\n\ndata: 2\n\n');
    expect(events.map((e) => e.event)).toEqual(['snapshot', 'message']);
  });

  it('carries the last event id, which holds until another id line (as the spec says)', () => {
    const p = new SseParser();
    const events = p.push('event: snapshot\nid: 7\ndata: {}\n\nevent: delta\ndata: {}\n\nid: 9\ndata: x\n\n');
    expect(events).toEqual([
      { event: 'snapshot', data: '{}', id: '7' },
      { event: 'delta', data: '{}', id: '7' },
      { event: 'message', data: 'x', id: '9' },
    ]);
  });
});
