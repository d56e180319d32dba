// OTLP/HTTP settings from the standard OTEL_EXPORTER_OTLP_* variables, and the managed policy
// (which wins). Spec: a signal-specific endpoint is used as-is; the generic one gets `/v1/logs`.
import type { OtlpConfigSource, OtlpProtocol, TelemetryPolicy } from '../../../shared/telemetry-policy-contract.js';

export type { OtlpProtocol };

export interface OtlpLogsConfig {
  url: string;
  headers: Record<string, string>;
  protocol: OtlpProtocol;
  /** Extra resource attributes (OTEL_RESOURCE_ATTRIBUTES). */
  resourceAttributes: Record<string, string>;
  source: OtlpConfigSource;
}

/** The part of the managed policy's telemetry section that says where evidence goes. */
export type TelemetryPolicyPart = Partial<Pick<TelemetryPolicy, 'endpoint' | 'headers' | 'protocol'>>;

export const DEFAULT_OTLP_ENDPOINT = 'http://localhost:4318';

/** `k=v,k2=v2` with URL-encoded values (OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES). */
export function parseKeyValueList(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (const part of raw.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    try {
      const key = decodeURIComponent(part.slice(0, eq).trim());
      const value = decodeURIComponent(part.slice(eq + 1).trim());
      if (key) out[key] = value;
    } catch {
      // a malformed escape: skip the entry rather than guess
    }
  }
  return out;
}

function protocolOf(value: string | undefined): OtlpProtocol | undefined {
  const v = value?.trim();
  return v === 'http/json' || v === 'http/protobuf' ? v : undefined;
}

export function otlpLogsConfigFromEnv(env: Record<string, string | undefined>, policy?: TelemetryPolicyPart): OtlpLogsConfig {
  const logsEndpoint = env['OTEL_EXPORTER_OTLP_LOGS_ENDPOINT']?.trim();
  const generic = env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim();
  const base = (generic || DEFAULT_OTLP_ENDPOINT).replace(/\/+$/, '');
  let url = logsEndpoint || `${base}/v1/logs`;
  let source: OtlpLogsConfig['source'] = logsEndpoint || generic ? 'environment' : 'default';
  let headers = {
    ...parseKeyValueList(env['OTEL_EXPORTER_OTLP_HEADERS']),
    ...parseKeyValueList(env['OTEL_EXPORTER_OTLP_LOGS_HEADERS']),
  };
  let protocol = protocolOf(env['OTEL_EXPORTER_OTLP_LOGS_PROTOCOL']) ?? protocolOf(env['OTEL_EXPORTER_OTLP_PROTOCOL']) ?? 'http/json';
  if (policy?.endpoint) {
    url = policy.endpoint;
    source = 'policy';
  }
  if (policy?.headers) headers = { ...headers, ...policy.headers };
  if (policy?.protocol) protocol = policy.protocol;
  return { url, headers, protocol, resourceAttributes: parseKeyValueList(env['OTEL_RESOURCE_ATTRIBUTES']), source };
}

/** A usable collector URL (http or https), or why not. */
export function checkEndpoint(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return `the collector URL must be http or https (got ${u.protocol})`;
    return undefined;
  } catch {
    return 'the collector URL is not a valid URL';
  }
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
