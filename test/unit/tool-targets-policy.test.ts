import { describe, expect, it } from 'vitest';
import { bashTargets, expandWord, type ShellContext } from '../../electron/core/requests/bash-targets-policy.js';
import { readToolPath } from '../../electron/core/requests/path-interpretation-policy.js';
import { globRoot, looksLikePathArgument, pathLikeArguments, toolTargets } from '../../electron/core/requests/tool-targets-policy.js';
import { fixture } from '../support/fixtures.js';

const HOME = '/home/u';
const CWD = '/home/u/proj';
const USERS: Record<string, string> = { root: '/root', dana: '/home/dana' };
const SH: ShellContext = { cwd: CWD, home: HOME, userHome: (name) => USERS[name] ?? null };
/** Targets that count for sure (bare words that may be files are listed apart). */
const paths = (cmd: string) => bashTargets(cmd, SH).targets.filter((t) => !t.maybe).map((t) => `${t.access}:${t.path}`);
const maybe = (cmd: string) => bashTargets(cmd, SH).targets.filter((t) => t.maybe).map((t) => `${t.cwd}|${t.path}`);
const ctx = (mcpPathArguments: Record<string, string[]> = {}) => ({ cwd: CWD, home: HOME, mcpPathArguments });

describe('tool targets for every fixture shape', () => {
  const cases: [string, string, string[]][] = [
    ['pretooluse-read', 'file', ['read']],
    ['pretooluse-write', 'file', ['write']],
    ['pretooluse-edit', 'file', ['write']],
    ['pretooluse-glob', 'search', ['read']],
    ['pretooluse-grep', 'search', ['read']],
    ['pretooluse-bash', 'shell', ['read']],
    ['pretooluse-webfetch', 'web', []],
    ['pretooluse-mcp', 'mcp', []],
  ];
  for (const [name, kind, access] of cases) {
    it(name, () => {
      const p = fixture<{ tool_name: string; tool_input: Record<string, unknown>; cwd: string }>(`input/${name}.json`);
      const t = toolTargets(p.tool_name, p.tool_input, { cwd: p.cwd, home: HOME });
      expect(t.kind).toBe(kind);
      expect([...new Set(t.files.map((f) => f.access))]).toEqual(access);
    });
  }
  it('Glob reaches the fixed part of its pattern', () => {
    expect(globRoot('src/**/*.ts')).toBe('src');
    expect(globRoot('/etc/*')).toBe('/etc');
    expect(globRoot('../../**')).toBe('../..');
    expect(globRoot('*.ts')).toBe('.');
    const t = toolTargets('Glob', { pattern: '../../**/*' }, ctx());
    expect(t.files.map((f) => f.path)).toEqual([CWD, `${CWD}/../..`]);
  });
  it('Grep without a path searches the cwd; its regex is not a path', () => {
    expect(toolTargets('Grep', { pattern: '/etc/passwd' }, ctx()).files.map((f) => f.path)).toEqual([CWD]);
  });
  it('a file tool without its path argument is still checked (and fails)', () => {
    expect(toolTargets('Read', {}, ctx()).files).toEqual([{ path: undefined, access: 'read', cwd: CWD }]);
  });
  it('MCP path arguments, file URIs and per-server extras', () => {
    const t = toolTargets('mcp__fs__read', { path: '/etc/x', uri: 'file:///home/u/a%20b', note: '/not/a/path/key' }, ctx({ fs: ['note'] }));
    expect(t.files.map((f) => f.path).sort()).toEqual(['/etc/x', '/home/u/a b', '/not/a/path/key']);
    expect(toolTargets('mcp__web__get', { uri: 'https://x' }, ctx()).files).toEqual([]);
  });
  it('unknown tools are opaque', () => {
    expect(toolTargets('Teleport', {}, ctx())).toMatchObject({ kind: 'unknown', opaque: true });
  });
});

describe('bash targets (best effort)', () => {
  it('finds redirections, cd and path-like arguments', () => {
    expect(paths('cat /etc/passwd > out.txt').sort()).toEqual(['read:/etc/passwd', 'write:out.txt']);
    expect(paths('cd ../other && ls ./x')).toEqual(['read:../other', 'read:./x']);
    expect(paths('echo hi >>~/log 2>&1')).toEqual(['write:/home/u/log']);
    // cp writes its destination (and, when that is a folder, the file of the same name in it).
    expect(paths('cp src/a.ts "/tmp/my dir/b.ts"')).toEqual(['read:src/a.ts', 'write:/tmp/my dir/b.ts', 'write:/tmp/my dir/b.ts/a.ts']);
    expect(paths('grep --file=/etc/shadow x')).toEqual(['read:/etc/shadow']);
    expect(paths('cat $HOME/.ssh/id_rsa')).toEqual(['read:/home/u/.ssh/id_rsa']);
    expect(paths('npm run test -- src/refunds')).toEqual(['read:src/refunds']);
  });
  it('tracks the directory after cd for later relative paths', () => {
    const t = bashTargets('cd /srv && cat notes', SH).targets;
    expect(t).toEqual([{ path: '/srv', access: 'read', cwd: CWD }, { path: 'notes', access: 'read', cwd: '/srv', maybe: true }]);
    expect(bashTargets('cd /srv; cat ./notes', SH).targets[1]).toEqual({ path: './notes', access: 'read', cwd: '/srv' });
  });
  it.each([
    ['cat $(cat list)', /substitution/],
    ['cat `which x`', /substitution/],
    ['eval "$CMD"', /eval/],
    ['python3 script.py', /python3/],
    ['cat $SECRET_DIR/x', /variable/],
    ['echo "unterminated', /unterminated/],
    ['diff <(ls a) <(ls b)', /process substitution/],
  ])('marks %s as opaque', (cmd, why) => {
    const r = bashTargets(cmd, SH);
    expect(r.opaque).toBe(true);
    expect(r.opaqueReason).toMatch(why);
  });
  it('plain commands are not opaque', () => {
    expect(bashTargets('git status && npm test', SH).opaque).toBe(false);
  });
  it('expands words as the shell does: ~, ~+, ~-, ~user and $HOME; other variables are unknowable', () => {
    const at = { ...SH, dir: CWD };
    expect(expandWord('~', at)).toEqual({ ok: true, path: HOME });
    expect(expandWord('${HOME}/x', at)).toEqual({ ok: true, path: '/home/u/x' });
    expect(expandWord('~+/x', at)).toEqual({ ok: true, path: `${CWD}/x` });
    expect(expandWord('~root/x', at)).toEqual({ ok: true, path: '/root/x' });
    // No such user: the shell leaves the word as written (a relative name).
    expect(expandWord('~nobody-here/x', at)).toEqual({ ok: true, path: '~nobody-here/x' });
    expect(expandWord('~-/x', at)).toMatchObject({ ok: false });
    expect(expandWord('~-/x', { ...at, previousDir: '/srv' })).toEqual({ ok: true, path: '/srv/x' });
    expect(expandWord('$HOMEDIR/x', at)).toMatchObject({ ok: false, why: expect.stringMatching(/variable/) });
    expect(expandWord('~root/x', { ...at, userHome: () => undefined })).toMatchObject({ ok: false });
  });
  it('reads paths as the shell will use them: ~user, ~+, ANSI-C quoting, >&file, &>file', () => {
    expect(paths('ls -la ~root/')).toEqual(['read:/root/']);
    expect(paths('cat ~+/secret')).toEqual([`read:${CWD}/secret`]);
    expect(paths("cat $'\\x2f'etc/passwd")).toEqual(['read:/etc/passwd']);
    expect(paths("cat $'\\057etc\\057shadow'")).toEqual(['read:/etc/shadow']);
    expect(paths('echo x >&/etc/cron.d/job')).toEqual(['write:/etc/cron.d/job']);
    expect(paths('echo x >& /etc/cron.d/job')).toEqual(['write:/etc/cron.d/job']);
    expect(paths('echo x &>/tmp/out')).toEqual(['write:/tmp/out']);
    expect(paths('echo x &>> /tmp/out 2>&1 >&2 <&0')).toEqual(['write:/tmp/out']);
    expect(paths('echo x >|/tmp/clobber')).toEqual(['write:/tmp/clobber']);
  });
  it('keeps bare words that may be files in the folder they are used in', () => {
    expect(maybe('cat secret.txt')).toEqual([`${CWD}|secret.txt`]);
    expect(maybe('cd /home/u && rm -rf work')).toEqual(['/home/u|work']);
    expect(maybe('git status --short -n 3 --x=y')).toEqual([`${CWD}|status`]);
  });
  it('marks words whose value is unknowable (no rule may match such a command)', () => {
    expect(bashTargets('ls -la $TARGET', SH).unknowable).toMatch(/variable/);
    expect(bashTargets('cat ~-/x', SH).unknowable).toMatch(/previous folder/);
    expect(bashTargets('ls $(pwd)', SH).unknowable).toMatch(/substitution/);
    expect(bashTargets('python3 x.py', SH).unknowable).toBeUndefined();
  });
});

describe('paths read as the client reads them', () => {
  it('trims every kind of space and expands ~ and ~/, keeping the literal spelling as a second reading', () => {
    expect(readToolPath('/a/b', HOME)).toEqual({ ok: true, paths: ['/a/b'] });
    expect(readToolPath('~/.bashrc', HOME)).toEqual({ ok: true, paths: ['/home/u/.bashrc', '~/.bashrc'] });
    expect(readToolPath('~', HOME)).toEqual({ ok: true, paths: ['/home/u', '~'] });
    for (const space of [' ', '\t', '\u00a0', '\ufeff', '\u2003', '\u3000', '\n']) {
      expect(readToolPath(`${space}/etc/passwd${space}`, HOME)).toEqual({ ok: true, paths: ['/etc/passwd', `${space}/etc/passwd${space}`] });
    }
  });
  it('refuses ~user, ~+ and ~- in tool paths (Claude Code and a shell read them differently)', () => {
    for (const p of ['~root/.ssh', '~+/x', '~-', ' ~dana/x']) expect(readToolPath(p, HOME)).toMatchObject({ ok: false });
    expect(readToolPath('   ', HOME)).toMatchObject({ ok: false, problem: expect.stringMatching(/empty/) });
  });
  it('file, search and MCP tools name every reading', () => {
    expect(toolTargets('Write', { file_path: '~/.bashrc', content: '' }, ctx()).files.map((f) => f.path)).toEqual(['/home/u/.bashrc', '~/.bashrc']);
    expect(toolTargets('Grep', { pattern: 'x', path: '~/.ssh' }, ctx()).files.map((f) => f.path)).toEqual(['/home/u/.ssh', '~/.ssh']);
    expect(toolTargets('Glob', { pattern: '~/.aws/*' }, ctx()).files.map((f) => f.path)).toEqual([CWD, '/home/u/.aws', `${CWD}/~/.aws`]);
    expect(toolTargets('Read', { file_path: '~root/x' }, ctx()).files[0]).toMatchObject({ problem: expect.any(String) });
    expect(toolTargets('mcp__fs__write', { uri: 'FILE:///etc/hosts' }, ctx()).files.map((f) => f.path)).toEqual(['/etc/hosts']);
    expect(toolTargets('mcp__fs__write', { path: '~/x' }, ctx()).files.map((f) => f.path)).toEqual(['/home/u/x', '~/x']);
  });
});

describe('strings in a tool call\'s arguments that may name a file (for MCP rules)', () => {
  it('looks like a path: absolute, ~, ./, ../, file: URIs, drive and UNC paths, anything with a slash', () => {
    for (const v of ['/etc/passwd', '  /x  ', '~', '~/x', '~root', './a', '../a', '.', '..', 'a/b', 'a\\b', 'C:\\x', 'file:///x', 'FILE://h/x', 'multi\nline/with a slash']) {
      expect(looksLikePathArgument(v), JSON.stringify(v)).toBe(true);
    }
    for (const v of ['', '   ', 'notes.txt', 'fix the login page', 'https://example.com/a/b', 'git+ssh://host/repo', 'mailto:x@y']) {
      expect(looksLikePathArgument(v), JSON.stringify(v)).toBe(false);
    }
  });
  it('walks every value and key, reads them as the client does, and refuses what cannot be pinned', () => {
    expect(pathLikeArguments({ a: 'plain', b: 1, c: null, d: [true] }, ['path'], HOME)).toEqual({ ok: true, paths: [] });
    expect(pathLikeArguments({ path: 'notes.txt', text: 'x' }, ['path'], HOME)).toEqual({ ok: true, paths: ['notes.txt'] });
    expect(pathLikeArguments({ o: { p: [{ q: '~/x' }] }, ['/k']: 1, u: 'file:///a%20b' }, [], HOME)).toEqual({ ok: true, paths: ['/home/u/x', '~/x', '/k', '/a b'] }) // both readings of ~/x, as for built-in tools;
    expect(pathLikeArguments({ p: ' /x' }, [], HOME)).toEqual({ ok: true, paths: ['/x'] });
    expect(pathLikeArguments({ p: 'src/../../x' }, [], HOME)).toMatchObject({ ok: false, problem: expect.stringMatching(/climbs/) });
    expect(pathLikeArguments({ path: '..' }, ['path'], HOME)).toMatchObject({ ok: false });
    expect(pathLikeArguments({ p: '~root/x' }, [], HOME)).toMatchObject({ ok: false });
    let deep: unknown = 'x';
    for (let i = 0; i < 20; i++) deep = [deep];
    expect(pathLikeArguments({ deep }, [], HOME)).toMatchObject({ ok: false, problem: expect.stringMatching(/nested/) });
    expect(pathLikeArguments({ many: Array.from({ length: 2001 }, () => 'x') }, [], HOME)).toMatchObject({ ok: false, problem: expect.stringMatching(/strings/) });
  });
});
