// Git's config syntax, as far as the sensitive-files check reads it (core.hooksPath, include paths),
// and the same inputs read by the real `git config` when git is installed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configValues, includedPaths, parseGitConfig } from '../../electron/core/scope/git-config-policy.js';

const hooks = (text: string): string[] | undefined => {
  const entries = parseGitConfig(text);
  return entries ? configValues(entries, 'core', 'hooksPath') : undefined;
};

// [config text, the core.hooksPath values Git sees (undefined: Git rejects the file)]
const cases: [string, string[] | undefined][] = [
  ['[core]\n\thooksPath = .husky\n', ['.husky']],
  ['[Core] HOOKSPATH = "a b" ; comment\n', ['a b']],
  ['[core "x"]\nhooksPath = no\n[core]\nhooksPath=yes\n', ['yes']],
  ['[core.x]\nhookspath = no\n', []],
  ['[core]\n\thooksPath = a\\\n b   c # d\n', ['a b   c']],
  ['[core]\nhooksPath = "x\\ty"\n', ['x\ty']],
  ['[core]\nhooksPath = "q\\"uote" \\\\back\n', ['q"uote \\back']],
  ['[core]\nhooksPath = first\nhooksPath = second\n', ['first', 'second']],
  ['[core]\n  hooksPath = "  lead"  \n', ['  lead']],
  ['[core]\r\nhooksPath = crlf\r\n', ['crlf']],
  ['# only a comment\n; and another\n', []],
  ['hooksPath = before-any-section\n[core]\nhooksPath = b\n', ['b']],
  ['[core]\nhooksPath = a\\q\n', undefined],
  ['[core]\nhooksPath = "unterminated\n', undefined],
  ['[core]\nhooksPath = a\n[bad\n', undefined],
  ['[core]\n2key = x\n', undefined],
];

describe('parseGitConfig', () => {
  it.each(cases)('%j → %j', (text, expected) => {
    expect(hooks(text)).toEqual(expected);
  });

  it('a key without "=" is a boolean, not a path', () => {
    expect(hooks('[core]\nhooksPath\n')).toEqual([]);
    expect(parseGitConfig('[core]\nhooksPath\n')).toEqual([{ section: 'core', key: 'hookspath' }]);
  });

  it('lists include and includeIf paths (whatever the condition)', () => {
    const entries = parseGitConfig('[include]\n\tpath = a.inc\n[includeIf "gitdir:~/work/"]\n\tpath = ~/b.inc\n[core]\n\tpath = not-an-include\n')!;
    expect(includedPaths(entries)).toEqual(['a.inc', '~/b.inc']);
  });
});

const git = spawnSync('git', ['--version'], { encoding: 'utf8' });
describe.skipIf(git.status !== 0)('matches the real git config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-gitconfig-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it.each(cases)('%j', (text, expected) => {
    const file = join(dir, 'config');
    writeFileSync(file, text);
    const r = spawnSync('git', ['config', '--file', file, '--get-all', 'core.hooksPath'], { encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
    if (expected === undefined) {
      expect(r.status).toBe(128);
      return;
    }
    // Exit 1: the key is not set.
    const values = r.status === 1 ? [] : r.stdout.split('\n').slice(0, -1);
    expect(values).toEqual(expected);
  });
});
