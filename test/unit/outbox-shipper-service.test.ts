// The outbox state machine on a real journal in a temp dir, with a scripted sender.
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DecisionJournalService, parseJournalLine, segmentName } from '../../electron/core/evidence/decision-journal-service.js';
import { newEvidenceEvent, type EvidenceEvent } from '../../electron/core/evidence/evidence-event.js';
import type { LogSender, SendOutcome } from '../../electron/core/evidence/otlp-log-sender.js';
import { OutboxShipperService } from '../../electron/core/evidence/outbox-shipper-service.js';
import { systemClock } from '../../electron/core/base/system-clock.js';

class ScriptedSender implements LogSender {
  delivered: EvidenceEvent[] = [];
  calls = 0;
  constructor(private readonly script: (call: number) => SendOutcome['kind'] = () => 'accepted') {}
  async send(lines: readonly string[]): Promise<SendOutcome> {
    const kind = this.script(this.calls++);
    if (kind === 'accepted') {
      this.delivered.push(...lines.map((line) => parseJournalLine(line)!));
      return { kind };
    }
    return kind === 'rejected' ? { kind, status: 400, message: 'HTTP 400: bad record' } : { kind, message: 'ECONNREFUSED' };
  }
  async shutdown(): Promise<void> {}
}

const describeOpts = { endpoint: 'http://x/v1/logs', protocol: 'http/json' as const, configSource: 'default' as const };
const ev = (i: number) =>
  newEvidenceEvent('approval.decided', 1_700_000_000_000 + i, {
    'session.id': `s${i}`, 'tool_name': 'Read', 'hook_event_name': 'PreToolUse', 'cwd': '/p', 'approval.id': `a${i}`,
    'decision': 'allow', 'decision.source': 'policy', 'decision.latency_ms': 0, 'decision.reason': 'x'.repeat(200),
  });

function setup(dir: string, sender: LogSender, extra: { limitBytes?: number; segmentBytes?: number } = {}) {
  const journal = new DecisionJournalService(dir, { segmentBytes: extra.segmentBytes });
  const shipper = new OutboxShipperService({ journal, sender, clock: systemClock, describe: describeOpts, limitBytes: extra.limitBytes ?? 1e9, backoffMs: () => 5 });
  return { journal, shipper };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('outbox shipper', () => {
  it('delivers in order and never re-sends what the collector accepted, across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-outbox-'));
    const sender = new ScriptedSender();
    let { journal, shipper } = setup(dir, sender);
    shipper.start();
    for (let i = 0; i < 50; i++) await journal.append(ev(i));
    await until(() => sender.delivered.length === 50);
    await shipper.stop();
    await journal.close();
    expect(sender.delivered.map((e) => e.attributes['session.id'])).toEqual(Array.from({ length: 50 }, (_, i) => `s${i}`));

    ({ journal, shipper } = setup(dir, sender));
    expect(shipper.status().queued).toBe(0);
    shipper.start();
    await journal.append(ev(50));
    await until(() => sender.delivered.length === 51);
    await shipper.stop();
    expect(new Set(sender.delivered.map((e) => e.eventId)).size).toBe(51);
  });

  it('keeps retrying while the collector is down and delivers each event once when it is back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-outbox-'));
    let collectorUp = false;
    const sender = new ScriptedSender(() => (collectorUp ? 'accepted' : 'retry'));
    const { journal, shipper } = setup(dir, sender);
    shipper.start();
    for (let i = 0; i < 20; i++) await journal.append(ev(i));
    await until(() => sender.calls > 5);
    expect(shipper.status()).toMatchObject({ queued: 20, lastError: 'ECONNREFUSED', collectorReachable: false });
    collectorUp = true;
    await until(() => sender.delivered.length === 20);
    expect(shipper.status()).toMatchObject({ queued: 0, collectorReachable: true, lost: 0 });
    expect(shipper.status().lastExportAt).toBeDefined();
    await shipper.stop();
  });

  it('keeps refused records on disk for inspection and moves on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-outbox-'));
    const sender = new ScriptedSender((n) => (n === 0 ? 'rejected' : 'accepted'));
    const { journal, shipper } = setup(dir, sender);
    await journal.append(ev(0));
    shipper.start();
    await until(() => shipper.status().rejected === 1);
    await journal.append(ev(1));
    await until(() => sender.delivered.length === 1);
    await shipper.stop();
    const rejected = readFileSync(join(dir, 'rejected.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { status: number; event: EvidenceEvent });
    expect(rejected).toMatchObject([{ status: 400, event: { attributes: { 'session.id': 's0' } } }]);
    expect(sender.delivered[0]!.attributes['session.id']).toBe('s1');
  });

  it('drops the oldest undelivered segment only past the disk budget, and reports the loss', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-outbox-'));
    const sender = new ScriptedSender(() => 'retry');
    const { journal, shipper } = setup(dir, sender, { segmentBytes: 4096, limitBytes: 12 * 1024 });
    shipper.start();
    for (let i = 0; i < 200; i++) await journal.append(ev(i));
    await until(() => shipper.status().lost > 0);
    const status = shipper.status();
    const lastLoss = () => journal.readAll().filter((e) => e.name === 'telemetry.loss').at(-1);
    await until(() => Number(lastLoss()?.attributes['loss.total']) === shipper.status().lost);
    expect(status.journalBytes).toBeLessThanOrEqual(12 * 1024 + 4096 + 1024);
    // What is left is the newest, contiguous: only the oldest were dropped.
    const kept = journal.readAll().filter((e) => e.name === 'approval.decided').map((e) => Number(String(e.attributes['session.id']).slice(1)));
    expect(kept.at(-1)).toBe(199);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 200 - kept.length + i));
    expect(shipper.status().lost).toBeGreaterThanOrEqual(200 - kept.length);
    await shipper.stop();
  });

  it('skips a torn last line after a crash without losing acknowledged events', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-outbox-'));
    const before = new DecisionJournalService(dir);
    for (let i = 0; i < 3; i++) await before.append(ev(i));
    await before.close();
    appendFileSync(join(dir, segmentName(1)), '{"v":1,"eventId":"torn-by-a-cra'); // crash mid-write
    const sender = new ScriptedSender();
    const { journal, shipper } = setup(dir, sender);
    await journal.append(ev(3)); // must not glue onto the torn line
    shipper.start();
    await until(() => sender.delivered.length === 4);
    await shipper.stop();
    expect(sender.delivered.map((e) => e.attributes['session.id'])).toEqual(['s0', 's1', 's2', 's3']);
  });

  it('reads on past a torn last line of a segment the journal has moved on from (another process died mid-write)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-outbox-'));
    const sender = new ScriptedSender();
    // Each event ~600 bytes: three fill the first segment, the fourth goes to a new one.
    const { journal, shipper } = setup(dir, sender, { segmentBytes: 1500 });
    for (let i = 0; i < 3; i++) await journal.append(ev(i));
    appendFileSync(join(dir, segmentName(1)), '{"v":1,"eventId":"torn-by-a-cra');
    await journal.append(ev(3));
    expect(journal.segments()).toEqual([1, 2]);
    shipper.start();
    await until(() => sender.delivered.length === 4);
    await shipper.stop();
    expect(sender.delivered.map((e) => e.attributes['session.id'])).toEqual(['s0', 's1', 's2', 's3']);
    expect(journal.read({ segment: 1, offset: 0 })).toMatchObject({ corrupt: 1, next: { segment: 2 } });
  });

  it('survives a hand-edited journal line and an unreadable cursor', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-outbox-'));
    const journal = new DecisionJournalService(dir);
    await journal.append(ev(0));
    appendFileSync(join(dir, segmentName(1)), 'this line was edited by hand\n');
    await journal.append(ev(1));
    await journal.close();
    appendFileSync(join(dir, 'cursor.json'), 'garbage');
    const sender = new ScriptedSender();
    const { shipper } = setup(dir, sender);
    shipper.start();
    await until(() => sender.delivered.length === 2);
    await shipper.stop();
    expect(existsSync(join(dir, 'cursor.json'))).toBe(true);
  });

  it('gathers a steady trickle of events into few exports, and stop() ends the wait at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-outbox-'));
    // An export takes a while, as over a network: events keep arriving meanwhile.
    const sender = new (class extends ScriptedSender {
      override async send(lines: readonly string[]): Promise<SendOutcome> {
        await new Promise((r) => setTimeout(r, 10));
        return super.send(lines);
      }
    })();
    const journal = new DecisionJournalService(dir);
    const shipper = new OutboxShipperService({ journal, sender, clock: systemClock, describe: describeOpts, limitBytes: 1e9, lingerMs: 150 });
    shipper.start();
    // One event every ~3 ms for ~450 ms: shipped one export per event, that would be ~150 exports.
    for (let i = 0; i < 150; i++) {
      await journal.append(ev(i));
      await new Promise((r) => setTimeout(r, 3));
    }
    await until(() => sender.delivered.length === 150);
    expect(sender.calls).toBeLessThanOrEqual(12);
    expect(sender.delivered.map((e) => e.attributes['session.id'])).toEqual(Array.from({ length: 150 }, (_, i) => `s${i}`));
    // Right after an export the shipper lingers; stopping must not wait that out (nor the 2 s bound).
    await journal.append(ev(150));
    await until(() => sender.delivered.length === 151);
    const t0 = Date.now();
    await shipper.stop();
    expect(Date.now() - t0).toBeLessThan(100);
    await journal.close();
  });
});
