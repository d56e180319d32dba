// Claude Code's own OTel logs pointed at the companion's relay (POST /v1/logs on the agent API), as
// `connect` writes them into the `env` of the same settings file as its hooks: Claude Code applies a
// settings file's `env` to itself at start (docs: code.claude.com/docs/en/monitoring-usage). Only the
// logs signal: the relay takes logs, and metrics stay wherever the person sends them. Pure; the
// command does the file work and keeps, in the connection record, what it wrote (by fingerprint, so
// the token is not copied there) to take out exactly that again.
import { createHash } from 'node:crypto';
import type { HookChange, Settings } from './claude-code-hooks-policy.js';

/** What Claude Code reads, per its monitoring docs; the per-signal LOGS names beat the general ones. */
export const RELAY_ENV_KEYS = ['CLAUDE_CODE_ENABLE_TELEMETRY', 'OTEL_LOGS_EXPORTER', 'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL', 'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT', 'OTEL_EXPORTER_OTLP_LOGS_HEADERS'] as const;
/** Where a person's own telemetry set-up sends Claude Code's logs: set by them, the relay stays out. */
const THEIR_DESTINATION = ['OTEL_EXPORTER_OTLP_LOGS_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_LOGS_EXPORTER', 'CLAUDE_CODE_ENABLE_TELEMETRY'] as const;

export interface RelayTarget {
  /** `http://127.0.0.1:PORT/v1/logs` */
  endpoint: string;
  token: string;
}

/** Which env keys connect wrote, each with the SHA-256 of the value it wrote. */
export type TelemetryRecord = Record<string, string>;

const fingerprint = (value: string): string => createHash('sha256').update(value).digest('hex');

export function relayTelemetryEnv(t: RelayTarget): Record<(typeof RELAY_ENV_KEYS)[number], string> {
  return {
    CLAUDE_CODE_ENABLE_TELEMETRY: '1',
    OTEL_LOGS_EXPORTER: 'otlp',
    // Claude Code's exporter default; the relay takes http/json as well.
    OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/protobuf',
    OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: t.endpoint,
    // OTEL_EXPORTER_OTLP_*_HEADERS is a list of key=value pairs (the OTel SDK environment spec).
    OTEL_EXPORTER_OTLP_LOGS_HEADERS: `Authorization=Bearer ${t.token}`,
  };
}

function envOf(settings: Settings): Record<string, unknown> {
  const env = settings['env'] ?? {};
  if (typeof env !== 'object' || env === null || Array.isArray(env)) throw new TelemetryShapeError('its "env" is not an object');
  return env as Record<string, unknown>;
}

export class TelemetryShapeError extends Error {}

const ours = (env: Record<string, unknown>, key: string, record: TelemetryRecord | undefined): boolean =>
  record?.[key] !== undefined && typeof env[key] === 'string' && fingerprint(env[key]) === record[key];

export type TelemetryMerge =
  | { kind: 'set'; settings: Settings; record: TelemetryRecord; changes: HookChange[] }
  /** The person sends Claude Code's logs somewhere of their own: nothing written. */
  | { kind: 'theirs'; settings: Settings; keys: string[]; record: undefined; changes: [] };

/**
 * `settings` with Claude Code's logs going to the relay. Where the file already sends them somewhere
 * else (values connect did not write), it is left alone and the keys that say so are returned. A key
 * that already holds exactly the relay's value is left as it is and not recorded as connect's.
 */
export function mergeRelayTelemetry(settings: Settings, t: RelayTarget, record: TelemetryRecord | undefined): TelemetryMerge {
  const env = envOf(settings);
  const wanted = relayTelemetryEnv(t);
  const theirs = THEIR_DESTINATION.filter((key) => env[key] !== undefined && !ours(env, key, record) && env[key] !== (wanted as Record<string, string>)[key]);
  if (theirs.length > 0) return { kind: 'theirs', settings, keys: theirs, record: undefined, changes: [] };
  const next = { ...env };
  const written: TelemetryRecord = {};
  const changes: HookChange[] = [];
  for (const key of RELAY_ENV_KEYS) {
    const value = wanted[key];
    const detail = key === 'OTEL_EXPORTER_OTLP_LOGS_HEADERS' ? 'Authorization=Bearer <agent token>' : value;
    if (env[key] === value) {
      if (ours(env, key, record)) written[key] = fingerprint(value);
      changes.push({ event: key, action: 'unchanged', detail });
      continue;
    }
    const mine = ours(env, key, record);
    // A value of theirs for a key the relay needs (a header list, a protocol): kept, so not pointed.
    if (env[key] !== undefined && !mine) return { kind: 'theirs', settings, keys: [key], record: undefined, changes: [] };
    next[key] = value;
    written[key] = fingerprint(value);
    changes.push({ event: key, action: mine ? 'updated' : 'added', detail });
  }
  return { kind: 'set', settings: { ...settings, env: next }, record: written, changes };
}

/** `settings` without the env values connect wrote (a value changed since is the person's: kept). */
export function removeRelayTelemetry(settings: Settings, record: TelemetryRecord): { settings: Settings; changes: HookChange[]; kept: string[] } {
  if (settings['env'] === undefined) return { settings, changes: [], kept: [] };
  const env = { ...envOf(settings) };
  const changes: HookChange[] = [];
  const kept: string[] = [];
  for (const key of Object.keys(record)) {
    if (env[key] === undefined) continue;
    if (!ours(env, key, record)) {
      kept.push(key);
      continue;
    }
    delete env[key];
    changes.push({ event: key, action: 'removed', detail: 'Claude Code\'s logs to the companion\'s relay' });
  }
  const next: Settings = { ...settings };
  if (Object.keys(env).length > 0) next['env'] = env;
  else delete next['env'];
  return { settings: next, changes, kept };
}

/** What the companion is to recognise its own values by, without a record of them. */
export interface RelayIdentity {
  /** The agent token (absent: the data folder has none, so no header can be told to be the companion's). */
  token: string | undefined;
  /** The companion's loopback port (its settings; 0 or absent: none fixed). */
  port: number | undefined;
}

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** The header list connect writes, with any token (an earlier one, renewed since). */
const RELAY_HEADERS = /^Authorization=Bearer [A-Za-z0-9_-]+$/;
/** connect's fixed values: these alone say nothing about where logs go, so they are the companion's
 *  only beside its endpoint, and only when nothing else of the person's telemetry needs them. */
const RELAY_FIXED: Readonly<Record<string, string>> = { CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_LOGS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/protobuf' };

/** `http://<loopback>:<port>/v1/logs`: the relay's address form (on which port is checked apart). */
function relayPort(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const u = new URL(value);
    return u.protocol === 'http:' && LOOPBACK_HOSTS.has(u.hostname) && u.pathname === '/v1/logs' && u.search === '' && u.port !== '' ? Number(u.port) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `settings` without the relay's env values that are recognisably the companion's, for a file whose
 * connection record has none (deleted, or connected by a version that kept none): the header list
 * when it carries the agent token; the logs endpoint when it is the relay's address on the companion's
 * port (or sent with that token); connect's old header list beside that endpoint; and connect's fixed
 * values beside it while no other telemetry setting is left. Anything else — a collector of the
 * person's own, on loopback or not — stays, and a fixed value left beside a removed endpoint is named.
 */
export function removeRecognisedRelayTelemetry(settings: Settings, id: RelayIdentity): { settings: Settings; changes: HookChange[]; kept: string[] } {
  if (settings['env'] === undefined) return { settings, changes: [], kept: [] };
  const env = { ...envOf(settings) };
  const headers = env['OTEL_EXPORTER_OTLP_LOGS_HEADERS'];
  // Tokens are 43 characters: a substring of that length is no accident.
  const withToken = id.token !== undefined && id.token.length >= 32 && typeof headers === 'string' && headers.includes(id.token);
  const port = relayPort(env['OTEL_EXPORTER_OTLP_LOGS_ENDPOINT']);
  const endpointOurs = port !== undefined && ((id.port !== undefined && id.port > 0 && port === id.port) || withToken);
  const gone: string[] = [];
  if (endpointOurs) gone.push('OTEL_EXPORTER_OTLP_LOGS_ENDPOINT');
  if (withToken || (endpointOurs && typeof headers === 'string' && RELAY_HEADERS.test(headers))) gone.push('OTEL_EXPORTER_OTLP_LOGS_HEADERS');
  const kept: string[] = [];
  if (endpointOurs) {
    const fixed = Object.keys(RELAY_FIXED).filter((key) => env[key] === RELAY_FIXED[key]);
    const rest = Object.keys(env).filter((key) => !gone.includes(key) && !fixed.includes(key) && (key.startsWith('OTEL_') || key === 'CLAUDE_CODE_ENABLE_TELEMETRY'));
    if (rest.length === 0) gone.push(...fixed);
    else kept.push(...fixed);
  }
  if (gone.length === 0) return { settings, changes: [], kept: [] };
  const changes: HookChange[] = [];
  for (const key of RELAY_ENV_KEYS.filter((k) => gone.includes(k))) {
    delete env[key];
    changes.push({ event: key, action: 'removed', detail: key === 'OTEL_EXPORTER_OTLP_LOGS_HEADERS' ? 'the companion\'s agent token' : 'Claude Code\'s logs to the companion\'s relay' });
  }
  const next: Settings = { ...settings };
  if (Object.keys(env).length > 0) next['env'] = env;
  else delete next['env'];
  return { settings: next, changes, kept };
}
