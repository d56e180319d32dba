// Evidence statuses in every state the core can report, for the renderer's unit tests.
import type { EvidenceStatus } from '../../../shared/ui-contract.js';

export const NOW = Date.parse('2026-11-25T10:00:00.000Z');
const MB = 1024 * 1024;
export const at = (offsetMs: number): string => new Date(NOW + offsetMs).toISOString();

export const status = (over: Partial<EvidenceStatus> = {}): EvidenceStatus => ({
  endpoint: 'https://otel.example.com/v1/logs',
  protocol: 'http/protobuf',
  configSource: 'policy',
  collectorReachable: true,
  queued: 0,
  rejected: 0,
  lost: 0,
  journalBytes: 2 * MB,
  journalLimitBytes: 256 * MB,
  ...over,
});

/** Every state the core can report, as the tests below name them. */
export const states = {
  notTried: status({ collectorReachable: null, journalBytes: 0 }),
  notTriedQueued: status({ collectorReachable: null, queued: 3 }),
  delivered: status({ lastExportAt: at(-12_000) }),
  sending: status({ queued: 40, lastExportAt: at(-1_000) }),
  unreachable: status({
    collectorReachable: false,
    queued: 12,
    nextAttemptAt: at(25_000),
    lastError: 'connect ECONNREFUSED 127.0.0.1:9',
  }),
  retryAfter: status({ queued: 5, nextAttemptAt: at(30_000), lastError: 'HTTP 429 Too Many Requests (Retry-After: 30)', lastExportAt: at(-60_000) }),
  rejected: status({ rejected: 2, lastError: 'HTTP 400 Bad Request: invalid attribute value' }),
  lost: status({ collectorReachable: false, queued: 9_000, lost: 3, journalBytes: 255 * MB }),
  nearLimit: status({ collectorReachable: false, queued: 700, journalBytes: 210 * MB }),
};
