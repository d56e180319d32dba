// The journal with an integrity key: forged lines are not trusted or delivered; gaps, removed oldest
// segments and a cut tail are counted; the core's own deletions (disk budget) are not mistaken for loss.
import { appendFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../electron/core/base/index.js';
import { DecisionJournalService, parseJournalLine, segmentName } from '../../electron/core/evidence/decision-journal-service.js';
import { newEvidenceEvent } from '../../electron/core/evidence/evidence-event.js';
import { IntegrityKey, loadOrCreateIntegrityKey, StateSealService } from '../../electron/core/integrity/index.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cc-jint-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function open(o: { sequenced?: boolean; segmentBytes?: number } = {}): DecisionJournalService {
  const loaded = loadOrCreateIntegrityKey(dir);
  const seals = new StateSealService({ dataDir: dir, key: loaded.key, trustUnsealed: loaded.created, clock: systemClock });
  return new DecisionJournalService(join(dir, 'journal'), {
    segmentBytes: o.segmentBytes,
    integrity: { key: loaded.key, checkpoint: seals.file('journal/checkpoint.json', { watch: false }), firstUse: loaded.created, sequenced: o.sequenced ?? true },
  });
}
const event = (n: number) => newEvidenceEvent('scope.changed', 1_700_000_000_000 + n, { 'scope.action': 'add', 'scope.path': `/p/${n}`, 'scope.mode': 'read', 'scope.folder_count': 1 });
async function write(journal: DecisionJournalService, count: number, from = 0): Promise<void> {
  for (let i = 0; i < count; i++) await journal.append(event(from + i));
}
const segment = (n: number) => join(dir, 'journal', segmentName(n));

describe('journal integrity', () => {
  it('a journal only the core wrote verifies clean, across restarts', async () => {
    let j = open();
    await write(j, 3);
    await j.close();
    j = open();
    await write(j, 2, 3);
    expect(j.verify()).toEqual({ checked: 5, missing: 0, forged: 0, problems: [] });
    expect(j.readAll()).toHaveLength(5);
    await j.close();
  });

  it('a line added or edited by another process is not trusted, not delivered, and counted', async () => {
    const j = open();
    await write(j, 2);
    await j.close();
    const lines = readFileSync(segment(1), 'utf8').split('\n');
    lines[1] = lines[1]!.replace('/p/1', '/etc');
    writeFileSync(segment(1), `${lines.join('\n')}${JSON.stringify({ v: 1, ...event(9) })}\n`);
    const again = open();
    const result = again.verify();
    expect(result.forged).toBe(2);
    expect(result.problems[0]).toMatch(/2 journal line\(s\) were edited or added/);
    expect(again.readAll().map((e) => e.attributes['scope.path'])).toEqual(['/p/0']);
    expect(again.read({ segment: 1, offset: 0 }).events).toHaveLength(1);
    await again.close();
  });

  it('a line edited right after this process wrote it is read as edited, not as what was written (the reader that wrote it)', async () => {
    const j = open();
    await write(j, 3);
    const lines = readFileSync(segment(1), 'utf8').split('\n');
    lines[1] = lines[1]!.replace('/p/1', '/p/X'); // same length: every later line keeps its position
    writeFileSync(segment(1), lines.join('\n'));
    const read = j.read({ segment: 1, offset: 0 });
    expect(read.events.map((e) => e.attributes['scope.path'])).toEqual(['/p/0', '/p/2']);
    expect(read.corrupt).toBe(1);
    await j.close();
  });

  it('events removed from the middle, the oldest segments or the tail are counted as missing', async () => {
    let j = open({ segmentBytes: 600 });
    await write(j, 12);
    await j.close();
    const segments = j.segments();
    expect(segments.length).toBeGreaterThan(3);
    unlinkSync(segment(segments[1]!)); // the middle
    unlinkSync(segment(segments[0]!)); // the oldest
    j = open({ segmentBytes: 600 });
    const result = j.verify();
    expect(result.missing).toBeGreaterThan(0);
    expect(result.problems.join(' ')).toMatch(/oldest \d+ event\(s\) were removed/);
    await j.close();

    const last = segments.at(-1)!;
    truncateSync(segment(last), 0); // the tail
    j = open({ segmentBytes: 600 });
    expect(j.verify().problems.join(' ')).toMatch(/newest \d+ event\(s\) were cut/);
    await j.close();
  });

  it('segments the core drops for its disk budget are not reported as tampering', async () => {
    let j = open({ segmentBytes: 600 });
    await write(j, 12);
    j.deleteSegment(j.segments()[0]!);
    j.deleteSegment(j.segments()[0]!);
    await j.close();
    j = open({ segmentBytes: 600 });
    expect(j.verify()).toMatchObject({ missing: 0, forged: 0, problems: [] });
    await j.close();
  });

  it('lines from before the key existed stay trusted; untagged lines added after are not', async () => {
    const plain = new DecisionJournalService(join(dir, 'journal'));
    await plain.append(event(0));
    await plain.close();
    const j = open();
    await write(j, 1, 1);
    await j.close();
    appendFileSync(segment(1), `${JSON.stringify({ v: 1, ...event(2) })}\n`);
    const again = open();
    expect(again.readAll().map((e) => e.attributes['scope.path'])).toEqual(['/p/0', '/p/1']);
    expect(again.verify()).toMatchObject({ forged: 1 });
    await again.close();
  });

  it('a one-shot command appending beside the running core tags its lines without numbers: no false gap', async () => {
    const core = open();
    await write(core, 1);
    const command = open({ sequenced: false });
    await write(command, 1, 1);
    await command.close();
    await write(core, 1, 2);
    await core.close();
    const again = open();
    expect(again.verify()).toEqual({ checked: 3, missing: 0, forged: 0, problems: [] });
    expect(again.readAll()).toHaveLength(3);
    await again.close();
  });

  it('while the core runs, a cut or removed segment is reported at once', async () => {
    const j = open({ segmentBytes: 600 });
    await write(j, 12);
    const problems: string[] = [];
    j.watchForTampering((p) => problems.push(p));
    const [oldest] = j.segments();
    unlinkSync(segment(oldest!));
    truncateSync(segment(j.writingSegment), 0);
    const deadline = Date.now() + 3000;
    while (problems.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(problems.join(' ')).toMatch(/cut short/);
    expect(problems.join(' ')).toMatch(/removed/);
    await j.close();
  });
  it('a cut is reported while decisions keep coming (an append every 50 ms never puts the check off)', async () => {
    const j = open();
    await write(j, 3);
    const problems: string[] = [];
    j.watchForTampering((p) => problems.push(p));
    truncateSync(segment(j.writingSegment), 10);
    for (let i = 0; i < 30 && problems.length === 0; i++) {
      await write(j, 1, 100 + i);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(problems.join(' ')).toMatch(/cut short/);
    await j.close();
  });
});

describe('reading the journal as JSON text (what the shipper hands its sender)', () => {
  it('gives the events read() gives, the core\'s own lines as written, and never a forged line', async () => {
    const j = open();
    await write(j, 4);
    // Another process's line, with no valid tag, between the core's lines.
    appendFileSync(segment(j.writingSegment), `${JSON.stringify({ v: 1, ...event(99), tag: 'AAAA' })}\n`);
    await write(j, 2, 4);
    const start = { segment: 1, offset: 0 };
    const asJson = j.readJson(start);
    const asEvents = j.read(start);
    expect(asJson.lines.map((l) => parseJournalLine(l))).toEqual(asEvents.events);
    expect(asJson.lines).toHaveLength(6);
    expect(asJson.corrupt).toBe(1);
    expect(asJson.next).toEqual(asEvents.next);
    expect(asJson.lines.join('\n')).not.toContain('/p/99');
    // Read again by a fresh reader (nothing remembered): the same events.
    await j.close();
    const again = open();
    expect(again.readJson(start).lines.map((l) => parseJournalLine(l))).toEqual(asEvents.events);
    await again.close();
  });
});

describe('journal cut below its reader', () => {
  it('events appended after another process cut the segment are still read', async () => {
    const j = open();
    await write(j, 5);
    const end = j.read({ segment: 1, offset: 0 }).next;
    truncateSync(segment(1), 0);
    await write(j, 1, 5);
    const after = j.read(end);
    expect(after.events.map((e) => e.attributes['scope.path'])).toEqual(['/p/5']);
    await j.close();
  });
});

describe('a reader beside the writing core (the timeline follower thread)', () => {
  const pathsOf = (j: DecisionJournalService) => j.readAll().map((e) => e.attributes['scope.path']);

  it('trusts what the writer trusts: its own lines and those from before the key; never forged or later untagged ones', async () => {
    const plain = new DecisionJournalService(join(dir, 'journal'));
    await plain.append(event(0));
    await plain.close();
    const core = open();
    await write(core, 1, 1);
    // Another process: an untagged line after the tagged ones, and a tagged line whose tag is not the key's.
    appendFileSync(segment(1), `${JSON.stringify({ v: 1, ...event(2) })}\n`);
    appendFileSync(segment(1), `${JSON.stringify({ v: 1, ...event(3), seq: 99, tag: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })}\n`);
    await write(core, 1, 4);
    const key = IntegrityKey.fromShared(loadOrCreateIntegrityKey(dir).key.share());
    const reader = new DecisionJournalService(join(dir, 'journal'), { reader: { trust: { key, legacyEnd: core.legacyEnd! } } });
    expect(pathsOf(reader)).toEqual(['/p/0', '/p/1', '/p/4']);
    expect(pathsOf(reader)).toEqual(pathsOf(core));
    // Another key: nothing tagged verifies (only the line from before tags existed is left).
    const other = new DecisionJournalService(join(dir, 'journal'), { reader: { trust: { key: IntegrityKey.fromShared({ secret: new Uint8Array(32), protection: 'user-file' }), legacyEnd: core.legacyEnd! } } });
    expect(pathsOf(other)).toEqual(['/p/0']);
    await core.close();
  });

  it('writes nothing: a line still being written is left alone, appends are refused', async () => {
    const core = open();
    await write(core, 1);
    appendFileSync(segment(1), '{"v":1,"half');
    const size = readFileSync(segment(1)).length;
    const reader = new DecisionJournalService(join(dir, 'journal'), { reader: { trust: { key: loadOrCreateIntegrityKey(dir).key, legacyEnd: core.legacyEnd! } } });
    expect(readFileSync(segment(1)).length).toBe(size);
    await expect(reader.append(event(1))).rejects.toThrow(/read only/);
    expect(() => reader.deleteSegment(1)).toThrow(/read only/);
    expect(readFileSync(segment(1)).length).toBe(size);
    await core.close();
  });

  it('reads on into segments the writer rolled to after the reader opened', async () => {
    const core = open({ segmentBytes: 200 });
    await write(core, 1);
    const reader = new DecisionJournalService(join(dir, 'journal'), { reader: { trust: { key: loadOrCreateIntegrityKey(dir).key, legacyEnd: core.legacyEnd! } } });
    await write(core, 3, 1);
    expect(core.segments().length).toBeGreaterThan(1);
    let cursor = { segment: 1, offset: 0 };
    const seen: unknown[] = [];
    for (let i = 0; i < 10; i++) {
      const r = reader.read(cursor);
      seen.push(...r.events.map((e) => e.attributes['scope.path']));
      cursor = r.next;
    }
    expect(seen).toEqual(['/p/0', '/p/1', '/p/2', '/p/3']);
    await core.close();
  });
});
