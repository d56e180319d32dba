// The companion's own writes outside its data folder, which the watcher neither lists nor reports for a
// few seconds. Asked about every change the watcher sees, so it must cost nothing when none is expected.
import { describe, expect, it } from 'vitest';
import type { CanonicalPath } from '../../electron/core/paths/index.js';
import { OwnWriteLedger } from '../../electron/core/watch/own-write-ledger.js';
import { ManualClock } from '../support/manual-clock.js';

/** A canonicalizer that resolves /link to /real and counts its calls. */
function counting() {
  const calls: unknown[] = [];
  const canonicalize = (input: unknown): CanonicalPath => {
    calls.push(input);
    const path = String(input).replace(/^\/link\//, '/real/');
    return { ok: true, path, exists: true, hardLinked: false, isDirectory: false };
  };
  return { calls, canonicalize };
}

describe('OwnWriteLedger', () => {
  it('a change to a file the companion writes is its own for the window, by canonical path and through its temp file', () => {
    const clock = new ManualClock();
    const { canonicalize } = counting();
    const ledger = new OwnWriteLedger(clock, canonicalize, 3000);
    ledger.expect('/link/.claude/settings.json');
    expect(ledger.has('/real/.claude/settings.json', clock.now())).toBe(true);
    expect(ledger.has('/real/.claude/settings.json.tmp-0123456789ab', clock.now())).toBe(true);
    expect(ledger.has('/real/.claude/other.json', clock.now())).toBe(false);
    clock.advance(3001);
    expect(ledger.has('/real/.claude/settings.json', clock.now())).toBe(false);
  });

  it('works out no canonical path while no write of its own is under way (before any, and once the window is over)', () => {
    const clock = new ManualClock();
    const { calls, canonicalize } = counting();
    const ledger = new OwnWriteLedger(clock, canonicalize, 3000);
    for (let i = 0; i < 100; i++) expect(ledger.has(`/home/u/work/f${i}.ts`, clock.now())).toBe(false);
    expect(calls).toHaveLength(0);
    ledger.expect('/real/.claude/settings.json');
    expect(ledger.has('/home/u/work/a.ts', clock.now())).toBe(false);
    expect(calls).toHaveLength(2); // the expected file, then the one asked about
    clock.advance(3001);
    for (let i = 0; i < 100; i++) expect(ledger.has(`/home/u/work/f${i}.ts`, clock.now())).toBe(false);
    expect(calls).toHaveLength(2);
  });
});
