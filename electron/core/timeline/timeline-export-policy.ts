// The Timeline's exports of a filtered set of events: CSV (for a spreadsheet), JSON (the events as
// journaled) and OTLP JSON (an ExportLogsServiceRequest in the very shape the companion's exporter
// sends its collector, so a file can be replayed into any OTLP pipeline). Pure.
import type { TimelineExportFormat, TimelineFilterView } from '../../../shared/ui-contract.js';
import { severityOf, type AttributeValue, type EvidenceEvent } from '../evidence/index.js';
import { timelineRowView } from './timeline-view-policy.js';

export interface TimelineExport {
  fileName: string;
  mimeType: string;
  content: string;
}

// ---- CSV ----

/** Columns: what the list shows, then every attribute as JSON (nothing is lost to a column choice). */
export const CSV_COLUMNS = ['time', 'event', 'agent_event', 'session_id', 'tool', 'decision', 'decided_by', 'target', 'reason', 'cwd', 'event_id', 'attributes'] as const;

/**
 * One CSV cell (RFC 4180: quoted when it holds a comma, quote or line break, quotes doubled). A cell
 * a spreadsheet would run as a formula (= + - @, full-width too, after any blanks or control characters
 * some spreadsheets skip first) gets a leading apostrophe: the agent writes paths, commands and reasons,
 * and an export must not become a way to run its text (OWASP "CSV injection").
 */
// A formula character after anything a spreadsheet may skip first: whitespace, no-break and
// ideographic spaces, a byte-order mark, control characters; full-width ＝＋－＠ too (some convert them).
// A leading tab or carriage return alone as before (some spreadsheets treat them as a formula start).
const FORMULA = /^(?:[\s\0-\x1f\u00a0\u3000\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20]|[\t\r])/;

export function csvCell(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  let text = String(value);
  if (FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function timelineCsv(events: readonly EvidenceEvent[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const e of events) {
    const r = timelineRowView(e);
    const cells = [r.at, r.name, r.agentEvent, r.sessionId, r.toolName, r.decision, r.decidedBy, r.target, r.reason, r.cwd, r.eventId, JSON.stringify(e.attributes)];
    lines.push(cells.map(csvCell).join(','));
  }
  // A byte-order mark: spreadsheets then read UTF-8 (paths and reasons in Japanese) as UTF-8.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

// ---- JSON ----

export function timelineJson(events: readonly EvidenceEvent[], meta: { exportedAt: number; filter: TimelineFilterView; truncated: boolean }): string {
  return `${JSON.stringify(
    {
      exportedAt: new Date(meta.exportedAt).toISOString(),
      filter: meta.filter,
      count: events.length,
      truncated: meta.truncated,
      // As `cowork-companion timeline --json` prints them: the journaled event, its time as ISO.
      events: events.map((e) => ({ ...e, time: new Date(e.time).toISOString() })),
    },
    null,
    2,
  )}\n`;
}

// ---- OTLP JSON ----
// Mirrors @opentelemetry/otlp-transformer's JSON encoding of the records OtlpLogSender builds
// (electron/core/evidence/otlp-log-sender.ts); test/unit/timeline-export-policy.test.ts sends the
// same events through that sender to a receiver and compares.

type AnyValue = { stringValue: string } | { intValue: number } | { doubleValue: number } | { boolValue: boolean };

function anyValue(v: AttributeValue): AnyValue {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  return Number.isInteger(v) ? { intValue: v } : { doubleValue: v };
}

const keyValues = (attributes: Record<string, AttributeValue>): { key: string; value: AnyValue }[] => Object.entries(attributes).map(([key, v]) => ({ key, value: anyValue(v) }));

/** Epoch ms as the exporter's nanosecond text (it goes through [seconds, nanoseconds] first). */
export function unixNano(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.round((ms % 1000) * 1e6);
  return (BigInt(seconds) * 1_000_000_000n + BigInt(nanos)).toString();
}

/** W3C trace flag "sampled". */
const SAMPLED = 1;

export function timelineOtlpJson(events: readonly EvidenceEvent[], resource: Record<string, string>, scopeName: string): string {
  const logRecords = events.map((e) => ({
    timeUnixNano: unixNano(e.time),
    observedTimeUnixNano: unixNano(e.time),
    // The sender's own (an escalation is WARN or ERROR), so a replayed file alerts the same way.
    ...severityOf(e),
    body: { stringValue: e.name },
    eventName: e.name,
    attributes: keyValues(e.attributes),
    droppedAttributesCount: 0,
    ...(e.trace ? { flags: SAMPLED, traceId: e.trace.traceId, spanId: e.trace.spanId } : {}),
  }));
  const request = {
    resourceLogs: [{ resource: { attributes: keyValues(resource), droppedAttributesCount: 0 }, scopeLogs: [{ scope: { name: scopeName }, logRecords }] }],
  };
  return `${JSON.stringify(request)}\n`;
}

// ---- the file ----

const EXTENSIONS: Record<TimelineExportFormat, { ext: string; mimeType: string }> = {
  csv: { ext: 'csv', mimeType: 'text/csv;charset=utf-8' },
  json: { ext: 'json', mimeType: 'application/json' },
  'otlp-json': { ext: 'otlp.json', mimeType: 'application/json' },
};

/** A word of a file name: letters, digits, dot, dash, underscore; at most 32 characters. */
const slug = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32);

/** `timeline-run-ab12cd34-deny-2026-12-02T1834Z.csv`: what was filtered, and when it was exported (UTC). */
export function exportFileName(filter: TimelineFilterView, format: TimelineExportFormat, exportedAt: number): string {
  const parts = ['timeline'];
  if (filter.sessionId) parts.push(`run-${slug(filter.sessionId.slice(0, 8))}`);
  if (filter.toolName) parts.push(slug(filter.toolName));
  if (filter.decision) parts.push(filter.decision);
  if (filter.decidedBy) parts.push(`by-${filter.decidedBy}`);
  if (filter.text) parts.push(slug(filter.text));
  if (filter.folder) parts.push(slug(filter.folder.split(/[\\/]/).filter(Boolean).pop() ?? 'folder'));
  const stamp = new Date(exportedAt).toISOString().slice(0, 16).replace(':', '');
  parts.push(`${stamp}Z`);
  return `${parts.filter(Boolean).join('-')}.${EXTENSIONS[format].ext}`;
}

export function timelineExport(
  events: readonly EvidenceEvent[],
  o: { format: TimelineExportFormat; filter: TimelineFilterView; exportedAt: number; truncated: boolean; resource: Record<string, string>; scopeName: string },
): TimelineExport {
  const content = o.format === 'csv' ? timelineCsv(events) : o.format === 'json' ? timelineJson(events, o) : timelineOtlpJson(events, o.resource, o.scopeName);
  return { fileName: exportFileName(o.filter, o.format, o.exportedAt), mimeType: EXTENSIONS[o.format].mimeType, content };
}

