import { describe, expect, it } from 'vitest';
import { reuseUnchanged } from './reuse-unchanged.js';
import { makeItem } from './testing/snapshot-fixtures.js';

describe('reuseUnchanged', () => {
  it('keeps the objects of unchanged items and takes the changed and new ones', () => {
    const before = [makeItem('a'), makeItem('b'), makeItem('c')];
    const after = reuseUnchanged(before, [makeItem('a'), makeItem('b', 'Bash', { held: true }), makeItem('d')]);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(after[1]!.held).toBe(true);
    expect(after.map((i) => i.id)).toEqual(['a', 'b', 'd']);
  });

  it('returns the previous list when nothing changed, and a new one when only the order did', () => {
    const before = [makeItem('a'), makeItem('b')];
    expect(reuseUnchanged(before, [makeItem('a'), makeItem('b')])).toBe(before);
    const swapped = reuseUnchanged(before, [makeItem('b'), makeItem('a')]);
    expect(swapped).not.toBe(before);
    expect(swapped[0]).toBe(before[1]);
    expect(reuseUnchanged(before, [makeItem('a')])).toEqual([before[0]]);
  });

  it('notices a change deep inside an item (new content, same id)', () => {
    const before = [makeItem('a')];
    const after = reuseUnchanged(before, [makeItem('a', 'Bash', { targets: { paths: [], command: 'rm -rf /' }, contentHash: 'h-a' })]);
    expect(after[0]).not.toBe(before[0]);
  });
});
