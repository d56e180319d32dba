import { describe, expect, it } from 'vitest';
import {
  deliveryState,
  describeCollector,
  describeConfigSource,
  describeJournalCheck,
  describeJournalUse,
  describeLastExport,
  describeLost,
  describeNextAttempt,
  describeProtocol,
  describeQueued,
  describeRejected,
  formatBytes,
} from './describe-evidence.js';
import { i18nFor } from './i18n/translator.js';
import { NOW, at, states, status } from './testing/evidence-fixtures.js';

const MB = 1024 * 1024;

describe('deliveryState and the collector line', () => {
  it('names each state in words, with a tone and an icon that repeat it', () => {
    expect(deliveryState(states.notTried)).toBe('not-tried');
    expect(deliveryState(states.delivered)).toBe('delivered');
    expect(deliveryState(states.sending)).toBe('sending');
    expect(deliveryState(states.unreachable)).toBe('unreachable');
    expect(deliveryState(states.retryAfter)).toBe('retrying');
    expect(describeCollector(states.notTried)).toMatchObject({ title: 'Not contacted yet', tone: 'info' });
    expect(describeCollector(states.delivered)).toMatchObject({ title: 'Reachable — everything delivered', tone: 'ok', icon: '✓' });
    expect(describeCollector(states.sending)).toMatchObject({ title: 'Reachable — sending', tone: 'info' });
    expect(describeCollector(states.unreachable)).toMatchObject({ title: 'Collector unreachable', tone: 'warn', icon: '⚠' });
    expect(describeCollector(states.retryAfter)).toMatchObject({ title: 'Collector busy — it asked to wait', tone: 'warn' });
  });
});

describe('describeQueued', () => {
  it('says what waits on this computer and when it will leave', () => {
    expect(describeQueued(states.notTried)).toBe('Nothing is waiting to be sent.');
    expect(describeQueued(states.notTriedQueued)).toBe('3 records are stored safely on this computer and will be sent shortly.');
    expect(describeQueued(states.delivered)).toBe('Nothing is waiting: the collector has accepted every record.');
    expect(describeQueued(states.sending)).toBe('40 records are stored safely on this computer and are being sent now.');
    expect(describeQueued(states.unreachable)).toBe('12 records are stored safely on this computer and will be sent when the collector is reachable.');
    expect(describeQueued(status({ collectorReachable: false, queued: 1 }))).toBe(
      '1 record is stored safely on this computer and will be sent when the collector is reachable.',
    );
    expect(describeQueued(states.retryAfter)).toBe('5 records are stored safely on this computer and will be sent when the collector is ready to accept them.');
    expect(describeQueued(states.lost)).toMatch(/^9,000 records are stored/);
  });
});

describe('times', () => {
  it('gives the last successful export as a relative time', () => {
    expect(describeLastExport(states.delivered, NOW)).toBe('Last delivered 12 s ago');
    expect(describeLastExport(states.delivered, NOW + 60_000)).toBe('Last delivered 1 min 12 s ago');
    expect(describeLastExport(states.notTried, NOW)).toBe('Nothing delivered yet');
  });

  it('gives the next retry while records wait (Retry-After included), and nothing otherwise', () => {
    expect(describeNextAttempt(states.retryAfter, NOW)).toMatch(/^Next try in 30 s \(at .+\)$/);
    expect(describeNextAttempt(states.unreachable, NOW)).toMatch(/^Next try in 25 s/);
    expect(describeNextAttempt(states.unreachable, NOW + 26_000)).toBe('Trying again now');
    expect(describeNextAttempt(states.delivered, NOW)).toBeUndefined();
    expect(describeNextAttempt(status({ queued: 0, nextAttemptAt: at(5_000) }), NOW)).toBeUndefined();
  });
});

describe('rejected and lost', () => {
  it('explain nothing when there is nothing to explain', () => {
    expect(describeRejected(0)).toBeUndefined();
    expect(describeLost(0)).toBeUndefined();
  });

  it('says where rejected records are kept', () => {
    expect(describeRejected(2)).toBe(
      "The collector refused 2 records as invalid. They will not be sent again; they are kept for inspection in journal/rejected.jsonl in the companion's data folder.",
    );
    expect(describeRejected(1)).toMatch(/^The collector refused 1 record as invalid\. It will not be sent again; it is kept/);
  });

  it('says that lost records are gone for good, and why', () => {
    expect(describeLost(3)).toMatch(/^3 records were deleted before the collector accepted them: the journal reached its disk limit/);
    expect(describeLost(3)).toMatch(/cannot be recovered/);
    expect(describeLost(1)).toMatch(/^1 record was deleted before the collector accepted it/);
  });
});

describe('journal disk use', () => {
  it('shows bytes against the limit', () => {
    expect(describeJournalUse(states.delivered)).toEqual({ ratio: 2 / 256, text: '2 MB of 256 MB (<1%)', nearLimit: false });
    expect(describeJournalUse(states.notTried).text).toBe('0 B of 256 MB (0%)');
  });

  it('warns from 80% of the limit on', () => {
    const near = describeJournalUse(states.nearLimit);
    expect(near.nearLimit).toBe(true);
    expect(near.text).toBe('210 MB of 256 MB (82%)');
    expect(near.warning).toMatch(/^The journal is 82% full\. When it is full, the oldest records are deleted/);
    expect(describeJournalUse(status({ journalBytes: 0.8 * 256 * MB })).nearLimit).toBe(true);
    expect(describeJournalUse(status({ journalBytes: 0.79 * 256 * MB })).nearLimit).toBe(false);
    expect(describeJournalUse(status({ journalBytes: 300 * MB })).text).toBe('300 MB of 256 MB (100%)');
  });

  it('formats sizes as people read them', () => {
    expect(formatBytes(812)).toBe('812 B');
    expect(formatBytes(4400)).toBe('4.3 KB');
    expect(formatBytes(15 * 1024)).toBe('15 KB');
    expect(formatBytes(1.25 * 1024 * MB)).toBe('1.3 GB');
  });
});

describe('destination', () => {
  it('names the protocol and where the setting came from', () => {
    expect(describeProtocol('http/json')).toBe('OTLP over HTTP, JSON bodies');
    expect(describeProtocol('http/protobuf')).toBe('OTLP over HTTP, protobuf bodies');
    expect(describeConfigSource('policy')).toBe('Set by your organisation');
    expect(describeConfigSource('policy', 'Acme Payments')).toBe('Set by your organisation (Acme Payments)');
    expect(describeConfigSource('environment')).toMatch(/^From environment variables/);
    expect(describeConfigSource('default')).toMatch(/^Default address/);
  });
});

describe('describeJournalCheck', () => {
  const clean = { checked: 1204, missing: 0, forged: 0, problems: [] };
  it('says the journal was verified, with how many lines', () => {
    expect(describeJournalCheck(clean)).toEqual({ ok: true, title: 'Journal verified: 1,204 lines checked, nothing missing or altered' });
    expect(describeJournalCheck({ ...clean, checked: 1 }).title).toBe('Journal verified: 1 line checked, nothing missing or altered');
    expect(describeJournalCheck({ ...clean, checked: 0 }).title).toBe('Journal verified: 0 lines checked, nothing missing or altered');
  });

  it('counts what is missing or forged and says the loss was reported', () => {
    const changed = describeJournalCheck({ checked: 40, missing: 3, forged: 1, problems: ['3 event(s) are missing from the middle of the journal'] });
    expect(changed.ok).toBe(false);
    expect(changed.title).toBe('Journal changed by another program: 3 missing, 1 forged (forged lines are not trusted or sent)');
    expect(changed.advice).toContain('telemetry.loss');
  });

  it('reports a problem that lost nothing (a removed checkpoint) as a change only', () => {
    const check = describeJournalCheck({ ...clean, problems: ['the journal checkpoint was removed or edited, so removed events cannot be counted'] });
    expect(check.ok).toBe(false);
    expect(check.advice).not.toContain('telemetry.loss');
    expect(check.advice).toContain('state.tampered');
  });

  it('speaks the chosen language', () => {
    expect(describeJournalCheck(clean, i18nFor('ja')).title).toBe('ジャーナルを検証しました: 1,204 行を検査、欠落・改変なし');
    expect(describeJournalCheck({ ...clean, checked: 1 }, i18nFor('id')).title).toBe('Jurnal terverifikasi: 1 baris diperiksa, tidak ada yang hilang atau diubah');
  });
});
