// OTLP/HTTP settings from the standard OTEL_EXPORTER_OTLP_* variables.
// Spec: a signal-specific endpoint is used as-is; the generic one gets `/v1/logs` appended.
export interface OtlpLogsConfig {
  url: string;
  headers: Record<string, string>;
  scheduledDelayMillis: number;
}

export const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';

export function parseOtlpHeaders(raw: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!raw) return headers;
  for (const part of raw.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const key = decodeURIComponent(part.slice(0, eq).trim());
    const value = decodeURIComponent(part.slice(eq + 1).trim());
    if (key) headers[key] = value;
  }
  return headers;
}

export function otlpLogsConfigFromEnv(env: Record<string, string | undefined>): OtlpLogsConfig {
  const logsEndpoint = env['OTEL_EXPORTER_OTLP_LOGS_ENDPOINT']?.trim();
  const base = (env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim() || DEFAULT_OTLP_ENDPOINT).replace(/\/+$/, '');
  const url = logsEndpoint || `${base}/v1/logs`;
  const headers = {
    ...parseOtlpHeaders(env['OTEL_EXPORTER_OTLP_HEADERS']),
    ...parseOtlpHeaders(env['OTEL_EXPORTER_OTLP_LOGS_HEADERS']),
  };
  const delay = Number(env['OTEL_BLRP_SCHEDULE_DELAY']);
  return { url, headers, scheduledDelayMillis: Number.isFinite(delay) && delay >= 0 ? delay : 1000 };
}

/** For display and logs: the endpoint without credentials, never the headers. */
export function describeEndpoint(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return '(invalid endpoint)';
  }
}
