// Seals on the core's state files: a change the core did not make is put back and reported; a seal
// that is missing or forged cannot vouch for anything.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../electron/core/base/index.js';
import { loadOrCreateIntegrityKey, SEALS_DIR, StateSealService, type TamperReport } from '../../electron/core/integrity/index.js';

let dir: string;
let reports: TamperReport[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cc-seal-'));
  reports = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function open(trustUnsealed = false): StateSealService {
  const { key } = loadOrCreateIntegrityKey(dir);
  const seals = new StateSealService({ dataDir: dir, key, trustUnsealed, clock: systemClock });
  seals.onTamper((r) => reports.push(r));
  return seals;
}

describe('state seals', () => {
  it('what the core wrote reads back as written, with nothing reported', () => {
    const file = open().file('pending.json');
    file.write('[1]');
    expect(open().file('pending.json').read()).toBe('[1]');
    expect(reports).toEqual([]);
  });

  it('an edit by another process is put back and reported', () => {
    open().file('pending.json').write('[1]');
    writeFileSync(join(dir, 'pending.json'), '[1,2]');
    expect(open().file('pending.json').read()).toBe('[1]');
    expect(readFileSync(join(dir, 'pending.json'), 'utf8')).toBe('[1]');
    expect(reports).toMatchObject([{ file: 'pending.json', restored: true, reason: expect.stringMatching(/differs/) }]);
  });

  it('a deleted file is put back and reported', () => {
    open().file('pending.json').write('[1]');
    unlinkSync(join(dir, 'pending.json'));
    expect(open().file('pending.json').read()).toBe('[1]');
    expect(reports).toMatchObject([{ reason: expect.stringMatching(/deleted/) }]);
  });

  it('a seal edited to match a forged file does not verify: the file is not trusted', () => {
    open().file('pending.json').write('[1]');
    const sealFile = join(dir, SEALS_DIR, 'pending.json.seal');
    const seal = JSON.parse(readFileSync(sealFile, 'utf8')) as { content: string };
    writeFileSync(sealFile, JSON.stringify({ ...seal, content: '[1,2]' }));
    writeFileSync(join(dir, 'pending.json'), '[1,2]');
    expect(open().file('pending.json').read()).toBeUndefined();
    expect(reports).toMatchObject([{ restored: false, reason: expect.stringMatching(/seal does not verify/) }]);
  });

  it('a removed seal leaves the file untrusted, unless this is the first start with a key', () => {
    open().file('pending.json').write('[1]');
    unlinkSync(join(dir, SEALS_DIR, 'pending.json.seal'));
    expect(open().file('pending.json').read()).toBeUndefined();
    expect(reports).toMatchObject([{ restored: false, reason: expect.stringMatching(/no integrity seal/) }]);
    reports = [];
    expect(open(true).file('pending.json').read()).toBe('[1]');
    expect(reports).toEqual([]);
  });

  it('a write interrupted between seal and file is finished quietly at the next start', () => {
    const file = open().file('pending.json');
    file.write('[1]');
    file.seal('[1,2]'); // the core was stopped here, before writing the file
    expect(open().file('pending.json').read()).toBe('[1,2]');
    expect(reports).toEqual([]);
  });

  it('a seal moved from another file does not vouch for this one', () => {
    const seals = open();
    seals.file('a.json').write('same');
    writeFileSync(join(dir, 'b.json'), 'same');
    writeFileSync(join(dir, SEALS_DIR, 'b.json.seal'), readFileSync(join(dir, SEALS_DIR, 'a.json.seal')));
    expect(open().file('b.json').read()).toBeUndefined();
  });

  it('while the core runs, an edit is put back within moments, without any read', async () => {
    const seals = open();
    seals.file('pending.json').write('[1]');
    seals.watchAll();
    try {
      writeFileSync(join(dir, 'pending.json'), '["forged"]');
      const deadline = Date.now() + 3000;
      while (reports.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(reports).toMatchObject([{ file: 'pending.json', restored: true }]);
      expect(readFileSync(join(dir, 'pending.json'), 'utf8')).toBe('[1]');
    } finally {
      seals.close();
    }
  });

  it('written in the background: in order, only the newest of those waiting, read back and watched as any write', async () => {
    const seals = open();
    const file = seals.file('journal/cursor.json');
    mkdirSync(join(dir, 'journal'));
    seals.watchAll();
    try {
      for (let i = 0; i < 50; i++) file.writeSoon(`{"n":${i}}`);
      // Mixing in a write at once could let an older background write land after it.
      expect(() => file.write('{"n":"now"}')).toThrow(/background/);
      await file.flushed();
      expect(readFileSync(join(dir, 'journal', 'cursor.json'), 'utf8')).toBe('{"n":49}');
      // Our own writes are not taken for tampering by the watcher…
      await new Promise((r) => setTimeout(r, 200));
      expect(reports).toEqual([]);
      expect(open().file('journal/cursor.json').read()).toBe('{"n":49}');
      // …and another process's edit still is.
      writeFileSync(join(dir, 'journal', 'cursor.json'), '{"n":1000}');
      const deadline = Date.now() + 3000;
      while (reports.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(reports).toMatchObject([{ file: 'journal/cursor.json', restored: true }]);
      expect(readFileSync(join(dir, 'journal', 'cursor.json'), 'utf8')).toBe('{"n":49}');
      // Once flushed, a write at once is fine again.
      file.write('{"n":"now"}');
      expect(open().file('journal/cursor.json').read()).toBe('{"n":"now"}');
    } finally {
      seals.close();
    }
  });
});
