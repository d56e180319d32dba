import { describe, expect, it } from 'vitest';
import { mergeRelayTelemetry, relayTelemetryEnv, removeRelayTelemetry, TelemetryShapeError } from '../../electron/core/clients/claude-code-telemetry-policy.js';

const target = { endpoint: 'http://127.0.0.1:4777/v1/logs', token: 'tok-A' };

describe('mergeRelayTelemetry', () => {
  it('adds the five keys to an env without telemetry, keeping the rest, and records them by fingerprint (never the token)', () => {
    const m = mergeRelayTelemetry({ model: 'opus', env: { FOO: 'bar' } }, target, undefined);
    expect(m.kind).toBe('set');
    expect(m.settings).toEqual({ model: 'opus', env: { FOO: 'bar', ...relayTelemetryEnv(target) } });
    expect(Object.keys(m.record!)).toEqual(Object.keys(relayTelemetryEnv(target)));
    expect(JSON.stringify(m.record)).not.toContain('tok-A');
    expect(m.changes.every((c) => c.action === 'added')).toBe(true);
    expect(JSON.stringify(m.changes)).not.toContain('tok-A');
  });

  it('a new token or port updates what connect wrote; the same again changes nothing', () => {
    const first = mergeRelayTelemetry({}, target, undefined);
    const again = mergeRelayTelemetry(first.settings, target, first.record);
    expect(again.changes.every((c) => c.action === 'unchanged')).toBe(true);
    const moved = mergeRelayTelemetry(first.settings, { endpoint: 'http://127.0.0.1:5000/v1/logs', token: 'tok-B' }, first.record);
    expect(moved.kind).toBe('set');
    expect(moved.changes.filter((c) => c.action === 'updated').map((c) => c.event)).toEqual(['OTEL_EXPORTER_OTLP_LOGS_ENDPOINT', 'OTEL_EXPORTER_OTLP_LOGS_HEADERS']);
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example' }, ['OTEL_EXPORTER_OTLP_ENDPOINT']],
    [{ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://otel.example/v1/logs' }, ['OTEL_EXPORTER_OTLP_LOGS_ENDPOINT']],
    [{ OTEL_LOGS_EXPORTER: 'console' }, ['OTEL_LOGS_EXPORTER']],
    [{ CLAUDE_CODE_ENABLE_TELEMETRY: '0' }, ['CLAUDE_CODE_ENABLE_TELEMETRY']],
    [{ OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'x-api-key=abc' }, ['OTEL_EXPORTER_OTLP_LOGS_HEADERS']],
  ])('their own %o: left alone, the keys named', (env, keys) => {
    const m = mergeRelayTelemetry({ env }, target, undefined);
    expect(m).toMatchObject({ kind: 'theirs', keys, settings: { env } });
  });

  it('their value equal to the relay\'s is not taken as connect\'s (disconnect leaves it)', () => {
    const m = mergeRelayTelemetry({ env: { CLAUDE_CODE_ENABLE_TELEMETRY: '1' } }, target, undefined);
    expect(m.record).not.toHaveProperty('CLAUDE_CODE_ENABLE_TELEMETRY');
    expect(removeRelayTelemetry(m.settings, m.record!).settings).toEqual({ env: { CLAUDE_CODE_ENABLE_TELEMETRY: '1' } });
  });

  it('an env that is not an object is refused', () => {
    expect(() => mergeRelayTelemetry({ env: [] }, target, undefined)).toThrow(TelemetryShapeError);
  });
});

describe('removeRelayTelemetry', () => {
  it('takes out exactly what connect wrote; a value changed since is kept and named', () => {
    const m = mergeRelayTelemetry({ env: { FOO: 'bar' } }, target, undefined);
    expect(removeRelayTelemetry(m.settings, m.record!).settings).toEqual({ env: { FOO: 'bar' } });
    const edited = { env: { ...(m.settings['env'] as object), OTEL_LOGS_EXPORTER: 'otlp,console' } };
    const r = removeRelayTelemetry(edited, m.record!);
    expect(r.kept).toEqual(['OTEL_LOGS_EXPORTER']);
    expect(r.settings).toEqual({ env: { FOO: 'bar', OTEL_LOGS_EXPORTER: 'otlp,console' } });
    expect(removeRelayTelemetry(mergeRelayTelemetry({}, target, undefined).settings, m.record!).settings).toEqual({});
  });
});
