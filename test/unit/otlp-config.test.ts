import { describe, expect, it } from 'vitest';
import { describeEndpoint, otlpLogsConfigFromEnv, parseKeyValueList } from '../../electron/core/evidence/otlp-config.js';

describe('OTLP logs configuration from OTEL_* variables', () => {
  it('defaults to the collector on localhost:4318 /v1/logs', () => {
    expect(otlpLogsConfigFromEnv({}).url).toBe('http://localhost:4318/v1/logs');
  });
  it('appends /v1/logs to the generic endpoint, once', () => {
    expect(otlpLogsConfigFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example.com:4318/' }).url).toBe('https://otel.example.com:4318/v1/logs');
  });
  it('uses the logs-specific endpoint as-is and prefers it', () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://b:9999/custom' };
    expect(otlpLogsConfigFromEnv(env).url).toBe('http://b:9999/custom');
  });
  it('parses headers, URL-decoding values, logs headers overriding generic ones', () => {
    const env = { OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc,x-team=a', OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'x-team=b' };
    expect(otlpLogsConfigFromEnv(env).headers).toEqual({ authorization: 'Bearer abc', 'x-team': 'b' });
  });
  it('ignores malformed header entries', () => {
    expect(parseKeyValueList('=nokey,novalue,ok=1')).toEqual({ ok: '1' });
  });
  it('never shows credentials when describing the endpoint', () => {
    expect(describeEndpoint('https://user:secret@otel.example.com/v1/logs?token=x')).toBe('https://otel.example.com/v1/logs');
    expect(describeEndpoint('not a url')).toBe('(invalid endpoint)');
  });
});
