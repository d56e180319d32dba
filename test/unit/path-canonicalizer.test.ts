// Canonicalisation on real temp trees: symlinks, chains, loops, dangling links, hard links, `..` order.
import { linkSync, lstatSync, readlinkSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalizePosix, processViewOf } from '../../electron/core/paths/path-canonicalizer.js';
import { isWithin, volumeRulesFor } from '../../electron/core/paths/path-containment-policy.js';

let root: string;
let scope: string;
let outside: string;
const linux = volumeRulesFor('linux');

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'cc-canon-')));
  scope = join(root, 'proj');
  outside = join(root, 'secret');
  mkdirSync(join(scope, 'src'), { recursive: true });
  mkdirSync(outside);
  mkdirSync(join(root, 'proj-evil'));
  writeFileSync(join(scope, 'src', 'a.ts'), 'a');
  writeFileSync(join(outside, 'key'), 'k');
  symlinkSync(outside, join(scope, 'link-out')); // absolute link escaping the scope
  symlinkSync('../secret/key', join(scope, 'rel-link')); // relative link escaping
  symlinkSync(join(scope, 'chain2'), join(scope, 'chain1'));
  symlinkSync(join(outside, 'key'), join(scope, 'chain2'));
  symlinkSync(join(scope, 'loop-b'), join(scope, 'loop-a'));
  symlinkSync(join(scope, 'loop-a'), join(scope, 'loop-b'));
  symlinkSync(join(outside, 'not-yet'), join(scope, 'dangling'));
  symlinkSync(join(scope, 'src'), join(scope, 'inner-link'));
  linkSync(join(outside, 'key'), join(scope, 'hard-key'));
  mkdirSync(join(scope, 'locked'));
  writeFileSync(join(scope, 'locked', 'x'), 'x');
  chmodSync(join(scope, 'locked'), 0o000);
});

const canon = (p: unknown, base?: string) => canonicalizePosix(p, base);
const inside = (p: string) => {
  const c = canon(p);
  return c.ok && isWithin(c.path, scope, linux);
};

describe('canonicalizePosix on a real tree', () => {
  const cases: [string, () => string, boolean][] = [
    ['a file inside', () => join(scope, 'src/a.ts'), true],
    ['a new file inside', () => join(scope, 'src/new/b.ts'), true],
    ['`..` out of the scope', () => join(scope, 'src/../../secret/key'), false],
    ['prefix collision (proj vs proj-evil)', () => join(root, 'proj-evil/x'), false],
    ['an absolute symlink out', () => join(scope, 'link-out/key'), false],
    ['a relative symlink out', () => join(scope, 'rel-link'), false],
    ['a symlink chain out', () => join(scope, 'chain1'), false],
    ['a dangling link judged by its target', () => join(scope, 'dangling'), false],
    ['a link that stays inside', () => join(scope, 'inner-link/a.ts'), true],
    ['`..` applied after a symlink (kernel order)', () => join(scope, 'link-out/../proj/src/a.ts'), true],
    ['`..` after a symlink that leaves', () => join(scope, 'inner-link/../../secret'), false],
    ['a missing folder, then `..`, then a link out', () => join(scope, 'nope/../link-out/key'), false],
    ['`.` components', () => join(scope, './src/./a.ts'), true],
    ['double slashes', () => `${scope}//src///a.ts`, true],
  ];
  for (const [name, path, expected] of cases) it(name, () => expect(inside(path())).toBe(expected));

  it('reports a symlink loop as an error, not a path', () => {
    expect(canon(join(scope, 'loop-a/x'))).toMatchObject({ ok: false, reason: expect.stringMatching(/loop/) });
  });
  it('flags a hard-linked file (another name may be outside)', () => {
    expect(canon(join(scope, 'hard-key'))).toMatchObject({ ok: true, hardLinked: true });
    expect(canon(join(scope, 'src/a.ts'))).toMatchObject({ ok: true, hardLinked: false, exists: true });
  });
  it('says when a path that does not exist names a link (a dangling link is a name on disk)', () => {
    expect(canon(join(scope, 'dangling'))).toEqual({ ok: true, path: join(outside, 'not-yet'), exists: false, hardLinked: false, isDirectory: false, danglingLink: true });
    expect(canon('dangling', scope)).toMatchObject({ exists: false, danglingLink: true });
    // A missing name in a real folder, or below a link whose target exists, is not a dangling link.
    expect(canon(join(scope, 'new.txt'))).not.toHaveProperty('danglingLink');
    expect(canon(join(scope, 'inner-link', 'new.txt'))).not.toHaveProperty('danglingLink');
    expect(canon(join(scope, 'link-out', 'new.txt'))).not.toHaveProperty('danglingLink');
  });
  it('treats a file used as a folder as an error', () => {
    expect(canon(join(scope, 'src/a.ts/x'))).toMatchObject({ ok: false });
  });
  it('reports permission errors instead of guessing', () => {
    // Root ignores mode bits, so the error is injected at the file-system port when running as root.
    const denied = Object.assign(new Error('permission denied'), { code: 'EACCES' });
    const probe = {
      lstat: (p: string) => {
        if (p.startsWith(join(scope, 'locked')) && p !== join(scope, 'locked')) throw denied;
        return lstatSync(p);
      },
      readlink: (p: string) => readlinkSync(p, 'utf8'),
    };
    const viaPort = canonicalizePosix(join(scope, 'locked/x'), undefined, probe);
    expect(viaPort).toMatchObject({ ok: false, reason: expect.stringMatching(/EACCES/) });
    if (process.getuid?.() !== 0) expect(canon(join(scope, 'locked/x'))).toMatchObject({ ok: false, reason: expect.stringMatching(/EACCES/) });
  });
  it('resolves relative paths against the agent cwd only', () => {
    expect(canon('src/a.ts', scope)).toMatchObject({ ok: true, path: join(scope, 'src/a.ts') });
    expect(canon('src/a.ts')).toMatchObject({ ok: false });
  });
  it.each([
    ['', /empty/],
    ['a\0b', /NUL/],
    ['/x'.repeat(3000), /longer than/],
    ['/bad/\uFFFD', /UTF-8/],
  ])('refuses bad input %#', (p, reason) => {
    expect(canon(p)).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
  });
  it('refuses non-string input', () => {
    expect(canon(42)).toMatchObject({ ok: false, reason: 'the path is not a string' });
    expect(canon(undefined)).toMatchObject({ ok: false });
  });
});

describe('per-process views (/proc/self…) name what the opening process sees: refused', () => {
  it.each([
    ['/proc/self/cwd/../../etc/passwd'],
    ['/proc/self'],
    ['/proc/thread-self/root/etc'],
    ['/proc/1/root/home'],
    [`/proc/${process.pid}/cwd`],
    ['/proc/self/fd/3'],
    ['/proc/self/map_files/x'],
    ['/dev/fd/0'],
    ['/dev/stdin'],
    ['/dev/stderr'],
    ['//proc//./self/cwd'],
    ['/tmp/../proc/self/cwd/x'],
    ['/nonexistent/../proc/self/root'],
  ])('%s', (p) => {
    expect(canon(p)).toMatchObject({ ok: false, processView: true, reason: expect.stringMatching(/whichever process opens it/) });
  });
  it('relative paths and links that reach one are refused too', () => {
    expect(canon('../../proc/self/cwd/x', '/home/u')).toMatchObject({ ok: false, processView: true });
    // A link to /proc/self/cwd (the fake probe also stands in on systems without /proc).
    const probe = {
      lstat: (p: string) => (p === '/proj/here' ? { isSymbolicLink: () => true, isDirectory: () => false, nlink: 1 } : { isSymbolicLink: () => false, isDirectory: () => true, nlink: 1 }),
      readlink: () => '/proc/self/cwd',
    };
    expect(canonicalizePosix('/proj/here/notes.txt', undefined, probe)).toMatchObject({ ok: false, processView: true });
    expect(canonicalizePosix('here', '/proj', probe)).toMatchObject({ ok: false, processView: true });
  });
  it('other /proc and /dev paths are not per-process views', () => {
    for (const p of ['/proc', '/proc/sys/fs/inotify/max_user_watches', '/proc/selfish', '/proc/12a', '/dev/null', '/dev/fdx', '/home/u/proc/self', '/tmp/dev/fd']) {
      expect(processViewOf(p), p).toBeUndefined();
    }
    expect(canon('/dev/null')).toMatchObject({ ok: true });
    expect(processViewOf('/proc/42/cwd')).toBe('/proc/42');
  });
});

describe('containment properties', () => {
  const segment = fc.constantFrom('a', 'b', '..', '.', 'proj', 'proj-evil', 'secret', 'link-out', 'rel-link', 'inner-link', 'dangling', 'chain1', 'src', '');
  it('no generated path that resolves outside the scope is judged inside', () => {
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), (segments) => {
        const p = `${scope}/${segments.join('/')}`;
        const c = canon(p);
        if (!c.ok) return true; // errors are denied by the caller
        const judgedInside = isWithin(c.path, scope, linux);
        // Ground truth: realpath(3) (realpathSync.native). Node's JS realpathSync applies `..` lexically first, wrongly.
        if (c.exists) {
          let real: string;
          try {
            real = realpathSync.native(p);
          } catch {
            return true;
          }
          return judgedInside === isWithin(real, scope, linux);
        }
        return !judgedInside || c.path.startsWith(`${scope}/`) || c.path === scope;
      }),
      { numRuns: 2000 },
    );
  });
  it('the shortcut for a link-free folder answers exactly as the step-by-step walk', () => {
    // The walk alone: a probe without the shortcut.
    const walkOnly = { lstat: (p: string) => lstatSync(p), readlink: (p: string) => readlinkSync(p, 'utf8') };
    const deeper = fc.constantFrom('a.ts', 'x', 'key', 'hard-key', 'locked', 'src', 'proj', 'secret', 'inner-link', 'link-out', '..', '.', '');
    fc.assert(
      fc.property(fc.array(deeper, { maxLength: 6 }), fc.boolean(), (segments, relative) => {
        const p = relative ? segments.join('/') || '.' : `${root}/${segments.join('/')}`;
        expect(canonicalizePosix(p, scope)).toEqual(canonicalizePosix(p, scope, walkOnly));
      }),
      { numRuns: 3000 },
    );
    // And the paths it is for: link-free, a file, a folder and what is not there yet, hard-linked or not.
    for (const p of [join(scope, 'src', 'a.ts'), join(scope, 'src', 'new.ts'), join(scope, 'src', 'a.ts', 'x'), join(scope, 'dangling'), '/', '/new', join(scope, 'src'), join(scope, 'hard-key'), join(outside, 'key'), '/proc/self', `/proc/${process.pid}`, `/proc/${process.pid}/status`, '/dev/stdin']) {
      expect(canonicalizePosix(p, undefined)).toEqual(canonicalizePosix(p, undefined, walkOnly));
    }
  });
  it('whole-component matching never confuses siblings with a shared prefix', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 6 }).filter((s) => !s.includes('/') && s !== '.' && s !== '..'), (suffix) => {
        return !isWithin(`/home/u/proj${suffix}/x`, '/home/u/proj', linux) || suffix.startsWith('/');
      }),
    );
  });
});
