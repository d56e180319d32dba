import { describe, expect, it } from 'vitest';
import { mergeRelayTelemetry, relayTelemetryEnv, removeRecognisedRelayTelemetry, removeRelayTelemetry, TelemetryShapeError } from '../../electron/core/clients/claude-code-telemetry-policy.js';

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

describe('removeRecognisedRelayTelemetry (no record of what connect wrote)', () => {
  const TOKEN = 'T'.repeat(43);
  const written = relayTelemetryEnv({ endpoint: 'http://127.0.0.1:4777/v1/logs', token: TOKEN });
  const id = { token: TOKEN, port: 4777 };

  it('takes out all five of connect\'s keys, by the token or by the relay\'s address on the companion\'s port, keeping the rest', () => {
    const r = removeRecognisedRelayTelemetry({ model: 'opus', env: { FOO: 'bar', ...written } }, id);
    expect(r.settings).toEqual({ model: 'opus', env: { FOO: 'bar' } });
    expect(r.changes.map((c) => c.event)).toEqual([...Object.keys(written)]);
    expect(JSON.stringify(r.changes)).not.toContain(TOKEN);
    expect(removeRecognisedRelayTelemetry({ env: written }, id).settings).toEqual({});
    // The token renewed since (the old one is connect's header list beside the companion's endpoint),
    // or the port moved since (the header still carries this token).
    expect(removeRecognisedRelayTelemetry({ env: { ...written, OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'Authorization=Bearer old-token' } }, id).settings).toEqual({});
    expect(removeRecognisedRelayTelemetry({ env: { ...written, OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://localhost:5000/v1/logs' } }, id).settings).toEqual({});
  });

  it('the token in a header list goes wherever it points; the rest of that set-up stays', () => {
    const env = { CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_LOGS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://otel.example/v1/logs', OTEL_EXPORTER_OTLP_LOGS_HEADERS: `Authorization=Bearer ${TOKEN}` };
    const r = removeRecognisedRelayTelemetry({ env }, id);
    expect(r.changes.map((c) => c.event)).toEqual(['OTEL_EXPORTER_OTLP_LOGS_HEADERS']);
    expect(r.settings).toEqual({ env: { CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_LOGS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://otel.example/v1/logs' } });
  });

  it.each([
    ['a collector of theirs', { ...written, OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'https://otel.example/v1/logs', OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'x-api-key=abc' }],
    ['a local collector on another port, with a token of theirs', { ...written, OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://localhost:4318/v1/logs', OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'Authorization=Bearer theirs' }],
    ['the companion\'s port but another path', { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://127.0.0.1:4777/ingest' }],
    ['the companion\'s port on another host', { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://10.1.2.3:4777/v1/logs' }],
    ['only the values that say nothing about where', { CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_LOGS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/protobuf' }],
  ])('never touches %s', (_what, env) => {
    expect(removeRecognisedRelayTelemetry({ env }, id)).toEqual({ settings: { env }, changes: [], kept: [] });
  });

  it('without the token or a fixed port only what the other still proves goes', () => {
    expect(removeRecognisedRelayTelemetry({ env: written }, { token: undefined, port: 0 }).changes).toEqual([]);
    expect(removeRecognisedRelayTelemetry({ env: written }, { token: undefined, port: 4777 }).settings).toEqual({});
    expect(removeRecognisedRelayTelemetry({ env: written }, { token: TOKEN, port: 0 }).settings).toEqual({});
    // A short "token" (none made yet, a damaged file) recognises nothing by itself.
    expect(removeRecognisedRelayTelemetry({ env: { OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'x-api-key=abc' } }, { token: 'abc', port: undefined }).changes).toEqual([]);
  });

  it('keeps connect\'s fixed values (and names them) while other telemetry settings of the person\'s remain', () => {
    const env = { ...written, OTEL_METRICS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example' };
    const r = removeRecognisedRelayTelemetry({ env }, id);
    expect(r.changes.map((c) => c.event)).toEqual(['OTEL_EXPORTER_OTLP_LOGS_ENDPOINT', 'OTEL_EXPORTER_OTLP_LOGS_HEADERS']);
    expect(r.kept).toEqual(['CLAUDE_CODE_ENABLE_TELEMETRY', 'OTEL_LOGS_EXPORTER', 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL']);
    expect(r.settings['env']).toEqual({ CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_LOGS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/protobuf', OTEL_METRICS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example' });
  });

  it('an env that is not an object is refused', () => {
    expect(() => removeRecognisedRelayTelemetry({ env: 'x' }, id)).toThrow(TelemetryShapeError);
  });
});
