// Renames from unlink + add pairs, in either order (the halves come from different watchers, each
// confirmed by its own stat), on a manual clock.
import { describe, expect, it } from 'vitest';
import type { ObservedChange } from '../../electron/core/watch/change-attribution-policy.js';
import { RenamePairing, type RawChange } from '../../electron/core/watch/rename-pairing.js';
import { ManualClock } from '../support/manual-clock.js';


function setup(windowMs = 100) {
  const clock = new ManualClock(1_000);
  const out: ObservedChange[] = [];
  const p = new RenamePairing(clock, windowMs, (c) => out.push(c), (x) => x, false);
  const ev = (event: RawChange['event'], path: string) => p.push({ event, path, at: clock.now(), runs: [] });
  const show = () => out.map((c) => `${c.kind} ${c.previousPath ? `${c.previousPath} -> ` : ''}${c.path}`);
  return { clock, p, ev, show };
}

describe('RenamePairing', () => {
  it('reports creations and changes at once, deletions after the window', () => {
    const { clock, ev, show } = setup();
    ev('add', '/a/new.txt');
    ev('change', '/a/old.txt');
    ev('unlink', '/a/gone.txt');
    expect(show()).toEqual(['created /a/new.txt', 'modified /a/old.txt']);
    clock.advance(99);
    expect(show()).toHaveLength(2);
    clock.advance(1);
    expect(show()).toEqual(['created /a/new.txt', 'modified /a/old.txt', 'deleted /a/gone.txt']);
  });

  it('unlink then add: moved (same name) and renamed (same folder)', () => {
    const { ev, show } = setup();
    ev('unlink', '/a/x.txt');
    ev('add', '/b/x.txt');
    ev('unlink', '/a/y.txt');
    ev('add', '/a/z.txt');
    expect(show()).toEqual(['renamed /a/x.txt -> /b/x.txt', 'renamed /a/y.txt -> /a/z.txt']);
  });

  it('add then unlink (reported out of order): the add is held while the kernel announced a fitting rename', () => {
    const { p, ev, show } = setup();
    // inotify order: MOVED_FROM /a/x.txt, MOVED_TO /b/x.txt; the library reports the add first.
    p.noteRename('/a', 'x.txt');
    p.noteRename('/b', 'x.txt');
    ev('add', '/b/x.txt');
    expect(show()).toEqual([]);
    ev('unlink', '/a/x.txt');
    expect(show()).toEqual(['renamed /a/x.txt -> /b/x.txt']);
  });

  it('a held add is released as soon as the announced rename turns out to be a creation, or at the window', () => {
    const { clock, p, ev, show } = setup();
    p.noteRename('/a', 'one.txt');
    p.noteRename('/a', 'two.txt');
    ev('add', '/a/two.txt'); // one.txt not reported yet: could be the other half
    expect(show()).toEqual([]);
    ev('add', '/a/one.txt'); // it was a creation too
    expect(show()).toEqual(['created /a/one.txt', 'created /a/two.txt']);
    p.noteRename('/c', 'ignored-by-the-library');
    ev('add', '/c/three.txt');
    expect(show()).toHaveLength(2);
    clock.advance(100);
    expect(show().at(-1)).toBe('created /c/three.txt');
  });

  it('a plain creation (nothing announced) is not held', () => {
    const { p, ev, show } = setup();
    p.noteRename('/a', 'x.txt');
    ev('add', '/a/x.txt');
    expect(show()).toEqual(['created /a/x.txt']);
  });

  it('delete and re-create of the same file is a modification; of a folder, delete + create', () => {
    const { ev, show } = setup();
    ev('unlink', '/a/f');
    ev('add', '/a/f');
    ev('unlinkDir', '/a/d');
    ev('addDir', '/a/d');
    expect(show()).toEqual(['modified /a/f', 'deleted /a/d', 'created /a/d']);
  });

  it('files pair with files, folders with folders', () => {
    const { clock, ev, show } = setup();
    ev('unlinkDir', '/a/x');
    ev('add', '/b/x');
    clock.advance(100);
    expect(show()).toEqual(['created /b/x', 'deleted /a/x']);
  });

  it('flush reports everything waiting', () => {
    const { p, ev, show } = setup();
    ev('unlink', '/a/1');
    p.noteRename('/q', 'x');
    ev('add', '/r/x');
    p.flush();
    expect(show().sort()).toEqual(['created /r/x', 'deleted /a/1']);
  });

  it('with a zero window nothing waits', () => {
    const { ev, show } = setup(0);
    ev('unlink', '/a/x');
    ev('add', '/b/x');
    expect(show()).toEqual(['deleted /a/x', 'created /b/x']);
  });
});
