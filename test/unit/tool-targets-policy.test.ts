import { describe, expect, it } from 'vitest';
import { bashTargets, expandHome } from '../../electron/core/requests/bash-targets-policy.js';
import { globRoot, toolTargets } from '../../electron/core/requests/tool-targets-policy.js';
import { fixture } from '../support/fixtures.js';

const HOME = '/home/u';
const CWD = '/home/u/proj';
const paths = (cmd: string) => bashTargets(cmd, CWD, HOME).targets.map((t) => `${t.access}:${t.path}`);

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
      const t = toolTargets(p.tool_name, p.tool_input, p.cwd, HOME);
      expect(t.kind).toBe(kind);
      expect([...new Set(t.files.map((f) => f.access))]).toEqual(access);
    });
  }
  it('Glob reaches the fixed part of its pattern', () => {
    expect(globRoot('src/**/*.ts')).toBe('src');
    expect(globRoot('/etc/*')).toBe('/etc');
    expect(globRoot('../../**')).toBe('../..');
    expect(globRoot('*.ts')).toBe('.');
    const t = toolTargets('Glob', { pattern: '../../**/*' }, CWD, HOME);
    expect(t.files.map((f) => f.path)).toEqual([CWD, `${CWD}/../..`]);
  });
  it('Grep without a path searches the cwd; its regex is not a path', () => {
    expect(toolTargets('Grep', { pattern: '/etc/passwd' }, CWD, HOME).files.map((f) => f.path)).toEqual([CWD]);
  });
  it('a file tool without its path argument is still checked (and fails)', () => {
    expect(toolTargets('Read', {}, CWD, HOME).files).toEqual([{ path: undefined, access: 'read', cwd: CWD }]);
  });
  it('MCP path arguments, file URIs and per-server extras', () => {
    const t = toolTargets('mcp__fs__read', { path: '/etc/x', uri: 'file:///home/u/a%20b', note: '/not/a/path/key' }, CWD, HOME, { fs: ['note'] });
    expect(t.files.map((f) => f.path).sort()).toEqual(['/etc/x', '/home/u/a b', '/not/a/path/key']);
    expect(toolTargets('mcp__web__get', { uri: 'https://x' }, CWD, HOME).files).toEqual([]);
  });
  it('unknown tools are opaque', () => {
    expect(toolTargets('Teleport', {}, CWD, HOME)).toMatchObject({ kind: 'unknown', opaque: true });
  });
});

describe('bash targets (best effort)', () => {
  it('finds redirections, cd and path-like arguments', () => {
    expect(paths('cat /etc/passwd > out.txt').sort()).toEqual(['read:/etc/passwd', 'write:out.txt']);
    expect(paths('cd ../other && ls ./x')).toEqual(['read:../other', 'read:./x']);
    expect(paths('echo hi >>~/log 2>&1')).toEqual(['write:/home/u/log']);
    expect(paths('cp src/a.ts "/tmp/my dir/b.ts"')).toEqual(['read:src/a.ts', 'read:/tmp/my dir/b.ts']);
    expect(paths('grep --file=/etc/shadow x')).toEqual(['read:/etc/shadow']);
    expect(paths('cat $HOME/.ssh/id_rsa')).toEqual(['read:/home/u/.ssh/id_rsa']);
    expect(paths('npm run test -- src/refunds')).toEqual(['read:src/refunds']);
  });
  it('tracks the directory after cd for later relative paths', () => {
    const t = bashTargets('cd /srv && cat notes', CWD, HOME).targets;
    expect(t).toEqual([{ path: '/srv', access: 'read', cwd: CWD }]);
    expect(bashTargets('cd /srv; cat ./notes', CWD, HOME).targets[1]).toEqual({ path: './notes', access: 'read', cwd: '/srv' });
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
    const r = bashTargets(cmd, CWD, HOME);
    expect(r.opaque).toBe(true);
    expect(r.opaqueReason).toMatch(why);
  });
  it('plain commands are not opaque', () => {
    expect(bashTargets('git status && npm test', CWD, HOME).opaque).toBe(false);
  });
  it('expands ~ and $HOME only', () => {
    expect(expandHome('~', HOME)).toBe(HOME);
    expect(expandHome('${HOME}/x', HOME)).toBe('/home/u/x');
    expect(expandHome('$HOMEDIR/x', HOME)).toBeUndefined();
    expect(expandHome('~root/x', HOME)).toBeUndefined();
  });
});
