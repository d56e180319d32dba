// The Timeline's exports: CSV that a spreadsheet reads as text (quoting, formula injection), JSON,
// and OTLP JSON byte-for-byte in the shape the companion's own exporter sends (compared against
// the real OtlpLogSender posting to a real HTTP listener).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { companionResourceAttributes, SERVICE_NAME, type EvidenceEvent } from '../../electron/core/evidence/index.js';
import { OtlpLogSender } from '../../electron/core/evidence/otlp-log-sender.js';
import { csvCell, CSV_COLUMNS, exportFileName, timelineCsv, timelineExport, timelineJson, timelineOtlpJson, unixNano } from '../../electron/core/timeline/index.js';

const ev = (eventId: string, name: string, time: number, attributes: Record<string, string | number | boolean>, trace?: EvidenceEvent['trace']): EvidenceEvent =>
  ({ eventId, name, time, attributes: { 'event.id': eventId, ...attributes }, ...(trace ? { trace } : {}) }) as EvidenceEvent;

const EVENTS: EvidenceEvent[] = [
  ev('e1', 'approval.decided', 1_764_700_000_123, {
    'session.id': 'sess-1',
    tool_name: 'Bash',
    decision: 'deny',
    'decision.source': 'user',
    'decision.reason': '=HYPERLINK("http://evil","click"), with "quotes"\nand a line',
    cwd: '/work/project',
    'decision.latency_ms': 42,
    sandboxed: false,
  }, { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' }),
  ev('e2', 'agent.log', 1_764_700_001_000.5, { 'session.id': 'sess-1', 'event.name': 'tool_result', 'agent.tool_name': 'Bash', success: 'false', error: '-1 exit', duration_ms: 12.25, 'relay.source': 'claude-code' }),
  ev('e3', 'file.out_of_scope', 1_764_700_002_000, { 'session.id': 'sess-1', 'file.path': '@home/読み取り.txt', 'file.change': 'modified', 'scope.violation': 'outside' }),
];

/** A minimal RFC 4180 reader (quoted cells, doubled quotes, CRLF), to read back what was written. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    } else cell += c;
  }
  return rows;
}

describe('CSV', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${lead}1+1`).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell('=SUM(A1),x')).toBe(`"'=SUM(A1),x"`);
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('defuses a formula behind blanks, a BOM or control characters, and full-width formula signs', () => {
    for (const lead of [' ', '  \t', '\u00a0', '\u3000', '\ufeff', '\0', '\x01', '\n', '\r\n '])
      for (const sign of ['=', '+', '-', '@', '＝', '＋', '－', '＠']) expect(csvCell(`${lead}${sign}1+1`).replace(/^"/, ''), JSON.stringify(lead + sign)).toMatch(/^'/);
    expect(csvCell(' plain = text')).toBe(' plain = text');
    expect(csvCell('\u3000読み取り')).toBe('\u3000読み取り');
  });

  it('reads back as one row per event with the documented columns', () => {
    const text = timelineCsv(EVENTS);
    expect(text.startsWith('\uFEFF')).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows).toHaveLength(4);
    const byColumn = (r: string[]) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i]]));
    const first = byColumn(rows[1]!);
    expect(first).toMatchObject({ time: '2025-12-02T18:26:40.123Z', event: 'approval.decided', session_id: 'sess-1', tool: 'Bash', decision: 'deny', decided_by: 'user', cwd: '/work/project', event_id: 'e1' });
    expect(first['reason']).toBe(`'=HYPERLINK("http://evil","click"), with "quotes"\nand a line`);
    expect(JSON.parse(first['attributes']!)).toEqual(EVENTS[0]!.attributes);
    const second = byColumn(rows[2]!);
    expect(second).toMatchObject({ event: 'agent.log', agent_event: 'tool_result', tool: 'Bash', reason: "'-1 exit" });
    expect(byColumn(rows[3]!)['target']).toBe("'@home/読み取り.txt");
    // No cell of the file starts a formula.
    for (const r of rows) for (const c of r) expect(c).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('JSON', () => {
  it('holds the filter, the count, whether it was cut, and every event with an ISO time', () => {
    const out = JSON.parse(timelineJson(EVENTS, { exportedAt: Date.UTC(2026, 11, 2, 18, 34), filter: { sessionId: 'sess-1' }, truncated: true })) as Record<string, unknown>;
    expect(out).toMatchObject({ exportedAt: '2026-12-02T18:34:00.000Z', filter: { sessionId: 'sess-1' }, count: 3, truncated: true });
    const events = out['events'] as Record<string, unknown>[];
    expect(events.map((e) => e['eventId'])).toEqual(['e1', 'e2', 'e3']);
    expect(events[0]).toMatchObject({ name: 'approval.decided', time: '2025-12-02T18:26:40.123Z', attributes: EVENTS[0]!.attributes, trace: EVENTS[0]!.trace });
  });
});

describe('OTLP JSON', () => {
  it('nanoseconds as the exporter writes them', () => {
    expect(unixNano(1_764_700_000_123)).toBe('1764700000123000000');
    expect(unixNano(1_764_700_001_000.5)).toBe('1764700001000500000');
    expect(unixNano(0)).toBe('0');
  });

  it('is what the companion’s exporter sends for the same events (an escalation’s severity included)', async () => {
    const SENT = [
      ...EVENTS,
      ev('e4', 'escalation.raised', 1_764_700_003_000, { 'session.id': 'sess-1', 'escalation.id': 'x1', 'escalation.severity': 'ERROR', 'escalation.reason': 'secrets read' }),
      ev('e5', 'escalation.raised', 1_764_700_004_000, { 'session.id': 'sess-1', 'escalation.id': 'x2', 'escalation.severity': 'WARN', 'escalation.reason': 'many denials' }),
    ];
    const bodies: unknown[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/logs`;
    const extra = { 'deployment.environment': 'test' };
    const sender = new OtlpLogSender({ url, headers: {}, protocol: 'http/json', resourceAttributes: extra, source: 'environment' }, '9.9.9');
    try {
      expect(await sender.sendEvents(SENT)).toEqual({ kind: 'accepted' });
    } finally {
      await sender.shutdown();
      server.close();
    }
    const ours = JSON.parse(timelineOtlpJson(SENT, companionResourceAttributes(extra, '9.9.9'), SERVICE_NAME)) as { resourceLogs: [{ scopeLogs: [{ logRecords: { severityText: string }[] }] }] };
    expect(ours.resourceLogs[0].scopeLogs[0].logRecords.map((r) => r.severityText)).toEqual(['INFO', 'INFO', 'INFO', 'ERROR', 'WARN']);
    expect(bodies).toHaveLength(1);
    expect(ours).toEqual(bodies[0]);
  });
});

describe('the file', () => {
  const at = Date.UTC(2026, 11, 2, 18, 34, 56);
  it('is named for the filter and the time (UTC), safe as a file name', () => {
    expect(exportFileName({}, 'csv', at)).toBe('timeline-2026-12-02T1834Z.csv');
    expect(exportFileName({ sessionId: 'abcdef123456', decision: 'deny', decidedBy: 'user', toolName: 'mcp__github__*' }, 'otlp-json', at)).toBe('timeline-run-abcdef12-mcp__github__-deny-by-user-2026-12-02T1834Z.otlp.json');
    expect(exportFileName({ text: '../../etc/passwd', folder: 'C:\\Users\\me\\proj\\' }, 'json', at)).toBe('timeline-..-..-etc-passwd-proj-2026-12-02T1834Z.json');
  });
  it('carries its type', () => {
    const o = { filter: {}, exportedAt: at, truncated: false, resource: {}, scopeName: 'x' };
    expect(timelineExport(EVENTS, { ...o, format: 'csv' }).mimeType).toMatch(/^text\/csv/);
    expect(timelineExport(EVENTS, { ...o, format: 'otlp-json' }).fileName).toMatch(/\.otlp\.json$/);
  });
});
