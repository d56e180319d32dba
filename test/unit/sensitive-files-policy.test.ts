// Which writes need a person because they make approved commands run code: the names (with each
// volume's case rules), and what the repositories on disk add (git directories, core.hooksPath).
import { describe, expect, it } from 'vitest';
import { volumeRulesFor } from '../../electron/core/paths/index.js';
import { sensitiveWriteReason, type GitLayout } from '../../electron/core/scope/sensitive-files-policy.js';

const linux = volumeRulesFor('linux');
const mac = volumeRulesFor('darwin');
const win = volumeRulesFor('win32');
const P = '/home/dana/proj';

describe('sensitiveWriteReason: names', () => {
  const sensitive: [string, RegExp][] = [
    ['.git', /file named \.git/],
    ['sub/deep/.git', /file named \.git/],
    ['.git/config', /Git runs hooks/],
    ['.git/config.worktree', /Git runs hooks/],
    ['.git/hooks/pre-commit', /Git runs hooks/],
    ['.git/modules/lib/config', /Git runs hooks/],
    ['.git/modules/lib/hooks/post-checkout', /Git runs hooks/],
    ['.git/worktrees/w/config.worktree', /Git runs hooks/],
    ['.git/commondir', /repository named here/],
    ['.git/worktrees/w/commondir', /repository named here/],
    ['.git/worktrees/w/gitdir', /repository named here/],
    ['.git/info/attributes', /attributes/],
    ['.git/objects/info/alternates', /own data/],
    ['.git/packed-refs', /own data/],
    ['.husky/pre-commit', /hook manager/],
    ['.husky/_/husky.sh', /hook manager/],
    ['.githooks/pre-push', /hook manager/],
    ['.git-hooks/pre-commit/check.rb', /hook manager/],
    ['.lefthook/pre-commit/x.sh', /hook manager/],
    ['lefthook.yml', /hook manager/],
    ['.lefthook.toml', /hook manager/],
    ['lefthook-local.yaml', /hook manager/],
    ['.pre-commit-config.yaml', /hook manager/],
    ['.overcommit.yml', /hook manager/],
    ['.simple-git-hooks.cjs', /hook manager/],
    ['.gitattributes', /filter/],
    ['package.json', /scripts run/],
    ['.envrc', /direnv/],
    ['.mcp.json', /configures the agent/],
    ['.claude/commands/x.md', /configures the agent/],
  ];
  it.each(sensitive)('%s', (rel, why) => {
    expect(sensitiveWriteReason(`${P}/${rel}`, linux)).toMatch(why);
  });

  const ordinary = ['src/index.ts', 'src/hooks/useThing.ts', 'hooks/readme.md', '.git/info/exclude', '.gitignore', 'docs/git/config', 'config', 'husky.md', 'lefthook.md', 'package-lock.json', 'my.git/config'];
  it.each(ordinary)('ordinary: %s', (rel) => {
    expect(sensitiveWriteReason(`${P}/${rel}`, linux)).toBeUndefined();
  });

  it('on Linux only the exact spelling (a .GIT folder is not what Git reads)', () => {
    for (const rel of ['.GIT/config', '.Git', 'Package.json', '.ENVRC', '.Husky/pre-commit']) expect(sensitiveWriteReason(`${P}/${rel}`, linux), rel).toBeUndefined();
  });

  it('on macOS and Windows any case, and on macOS the code points HFS+ ignores', () => {
    const names = ['.GIT/hooks/pre-commit', '.Git/CONFIG', 'sub/.GIT', 'Package.JSON', '.ENVRC', '.Gitattributes', '.MCP.json', '.Claude/x.md', '.HUSKY/pre-commit', 'LeftHook.YML', '.Pre-Commit-Config.yaml'];
    for (const rel of names) {
      expect(sensitiveWriteReason(`/Users/dana/proj/${rel}`, mac), rel).toBeDefined();
      expect(sensitiveWriteReason(`C:\\Users\\dana\\proj\\${rel.replace(/\//g, '\\')}`, win), rel).toBeDefined();
    }
    expect(sensitiveWriteReason('/Users/dana/proj/.g\u200Cit/config', mac)).toMatch(/Git runs hooks/);
    expect(sensitiveWriteReason('/Users/dana/proj/.git\uFEFF', mac)).toMatch(/file named \.git/);
    expect(sensitiveWriteReason('C:\\proj\\.g\u200Cit\\config', win)).toBeUndefined(); // NTFS does not ignore them
    expect(sensitiveWriteReason('/Users/dana/proj/.git/info/EXCLUDE', mac)).toBeUndefined();
  });

  it('defaults to exact comparison when no volume rules are given', () => {
    expect(sensitiveWriteReason(`${P}/.git/config`)).toMatch(/Git runs hooks/);
    expect(sensitiveWriteReason(`${P}/.GIT/config`)).toBeUndefined();
  });
});

describe('sensitiveWriteReason: what the repositories on disk say', () => {
  const layout: GitLayout = { gitDirs: ['/home/dana/gitdirs/proj', '/home/dana/bare.repo'], hooksDirs: [`${P}/tools/hooks`, '/home/dana/gitdirs/proj/hooks'] };

  it('a file in a folder core.hooksPath names (but not the folder itself)', () => {
    expect(sensitiveWriteReason(`${P}/tools/hooks/pre-commit`, linux, layout)).toMatch(/core\.hooksPath/);
    expect(sensitiveWriteReason(`${P}/tools/hooks/sub/helper.sh`, linux, layout)).toMatch(/core\.hooksPath/);
    expect(sensitiveWriteReason(`${P}/tools/hooks`, linux, layout)).toBeUndefined();
    expect(sensitiveWriteReason(`${P}/tools/hooksx/pre-commit`, linux, layout)).toBeUndefined();
  });

  it('files of a git directory not named .git (a gitdir: target, a bare repository)', () => {
    expect(sensitiveWriteReason('/home/dana/gitdirs/proj/config', linux, layout)).toMatch(/Git runs hooks/);
    expect(sensitiveWriteReason('/home/dana/gitdirs/proj/hooks/pre-commit', linux, layout)).toMatch(/Git runs hooks/);
    expect(sensitiveWriteReason('/home/dana/bare.repo/commondir', linux, layout)).toMatch(/repository named here/);
    expect(sensitiveWriteReason('/home/dana/bare.repo/info/exclude', linux, layout)).toBeUndefined();
  });

  it('compares the layout with the volume rules', () => {
    const l: GitLayout = { gitDirs: [], hooksDirs: ['/Users/dana/proj/Tools/Hooks'] };
    expect(sensitiveWriteReason('/Users/dana/proj/tools/hooks/pre-push', mac, l)).toMatch(/core\.hooksPath/);
    expect(sensitiveWriteReason('/Users/dana/proj/tools/hooks/pre-push', linux, l)).toBeUndefined();
  });
});
