// The registry reader: `reg query <key> /s` text (as reg.exe prints it: CRLF lines, a key per line at
// column 0, its values indented four spaces, name/type/data four spaces apart, REG_MULTI_SZ items
// joined by a literal \0) turned into policy settings through POLICY_SETTINGS. Lists are what the
// ADMX's list elements write (a subkey named for the setting, REG_SZ values 1, 2, 3…) or, hand-made,
// a REG_MULTI_SZ value.
import { describe, expect, it } from 'vitest';
import { regExeQuery } from '../../electron/core/policy/policy-sources.js';
import { parseRegQuery, registryPart } from '../../electron/core/policy/registry-query-policy.js';

const WHERE = 'HKLM\\Software\\Policies\\CoworkCompanion';
const crlf = (lines: string[]): string => `${lines.join('\r\n')}\r\n`;

const EXPORT = crlf([
  '',
  'HKEY_LOCAL_MACHINE\\Software\\Policies\\CoworkCompanion',
  '    allowUserFolders    REG_DWORD    0x0',
  '    allowedRoots    REG_MULTI_SZ    C:\\Work\\0D:\\Shared files',
  '    outOfScope    REG_SZ    ask',
  '    stormPerMinute    REG_DWORD    0x78',
  '    rules    REG_SZ    []',
  '    (Default)    REG_SZ    (value not set)',
  '',
  'HKEY_LOCAL_MACHINE\\Software\\Policies\\CoworkCompanion\\approvals',
  '    timeoutSeconds    REG_DWORD    0x12c',
  '    onTimeout    REG_SZ    hold',
  '',
  'HKEY_LOCAL_MACHINE\\Software\\Policies\\CoworkCompanion\\telemetry',
  '    endpoint    REG_SZ    https://otel.example.com/v1/logs',
  '    headers    REG_SZ    {"authorization":"Bearer abc"}',
  '',
  'HKEY_LOCAL_MACHINE\\Software\\Policies\\CoworkCompanion\\telemetry\\redaction',
  '    identity    REG_SZ    drop',
  '',
  'HKEY_LOCAL_MACHINE\\Software\\Policies\\CoworkCompanion\\watch',
  '    exclude    REG_MULTI_SZ    ',
  '',
  'HKEY_LOCAL_MACHINE\\Software\\Policies\\CoworkCompanion\\watch\\sentinelRoots',
  '    1    REG_SZ    C:\\Users',
  '',
  'HKEY_LOCAL_MACHINE\\Software\\Policies\\CoworkCompanion\\forbiddenPaths',
  '    1    REG_SZ    C:\\Secret',
  '    2    REG_SZ    D:\\Finance files',
  '',
  'HKEY_LOCAL_MACHINE\\Software\\Policies\\CoworkCompanion\\organization',
  '    name    REG_EXPAND_SZ    %USERDOMAIN% IT',
  '',
]);

describe('reg query output', () => {
  it('parses keys and values in the order printed, data with spaces, empty data', () => {
    const keys = parseRegQuery(EXPORT);
    const root = WHERE.replace('HKLM', 'HKEY_LOCAL_MACHINE');
    expect(keys.map((k) => k.key)).toEqual([root, `${root}\\approvals`, `${root}\\telemetry`, `${root}\\telemetry\\redaction`, `${root}\\watch`, `${root}\\watch\\sentinelRoots`, `${root}\\forbiddenPaths`, `${root}\\organization`]);
    expect(keys[0]!.values[1]).toEqual({ name: 'allowedRoots', type: 'REG_MULTI_SZ', data: 'C:\\Work\\0D:\\Shared files' });
    expect(keys[6]!.values[1]).toEqual({ name: '2', type: 'REG_SZ', data: 'D:\\Finance files' });
    expect(keys[4]!.values[0]).toEqual({ name: 'exclude', type: 'REG_MULTI_SZ', data: '' });
  });

  it('a line that is neither a key nor a value is an error, not skipped', () => {
    expect(() => parseRegQuery('HKEY_CURRENT_USER\\Software\\Policies\\CoworkCompanion\r\nERROR: something\r\n')).toThrow(/unexpected line/);
  });
});

describe('registry values as policy settings', () => {
  it('converts each kind: DWORD booleans and numbers, REG_SZ enums/strings, lists (own subkey or MULTI_SZ), JSON text; subkeys are nested settings', () => {
    const r = registryPart(WHERE, EXPORT);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.part.warnings).toEqual([]);
    expect(Object.fromEntries(r.part.values)).toEqual({
      allowUserFolders: false,
      forbiddenPaths: ['C:\\Secret', 'D:\\Finance files'],
      allowedRoots: ['C:\\Work', 'D:\\Shared files'],
      'watch.sentinelRoots': ['C:\\Users'],
      outOfScope: 'ask',
      stormPerMinute: 120,
      rules: [],
      'approvals.timeoutSeconds': 300,
      'approvals.onTimeout': 'hold',
      'telemetry.endpoint': 'https://otel.example.com/v1/logs',
      'telemetry.headers': { authorization: 'Bearer abc' },
      'telemetry.redaction.identity': 'drop',
      'watch.exclude': [],
      // REG_EXPAND_SZ as written: the user's environment does not steer IT's policy.
      'organization.name': '%USERDOMAIN% IT',
    });
  });

  it('ignores case in names as the registry does', () => {
    const r = registryPart(WHERE, crlf(['HKEY_CURRENT_USER\\SOFTWARE\\Policies\\CoworkCompanion', '    AllowUserFolders    REG_DWORD    0x1', '', 'HKEY_CURRENT_USER\\SOFTWARE\\Policies\\CoworkCompanion\\Approvals', '    TIMEOUTSECONDS    REG_DWORD    0x3c']));
    expect(r.ok && Object.fromEntries(r.part.values)).toEqual({ allowUserFolders: true, 'approvals.timeoutSeconds': 60 });
  });

  it('unknown values and subkeys are warnings naming the closest known name; the rest applies', () => {
    const r = registryPart(WHERE, crlf([`HKEY_LOCAL_MACHINE\\Software\\Policies\\CoworkCompanion`, '    forbidenPaths    REG_MULTI_SZ    C:\\x', '    outOfScope    REG_SZ    deny', '', `HKEY_LOCAL_MACHINE\\Software\\Policies\\CoworkCompanion\\aprovals`, '    timeoutSeconds    REG_DWORD    0x3c']));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.fromEntries(r.part.values)).toEqual({ outOfScope: 'deny' });
    expect(r.part.warnings).toEqual([
      { path: 'forbidenPaths', message: 'unknown value "forbidenPaths"; did you mean "forbiddenPaths"?', source: WHERE },
      { path: 'aprovals', message: 'unknown subkey "aprovals"; did you mean "approvals"?', source: WHERE },
    ]);
  });

  it('with strict on, an unknown value makes the key invalid', () => {
    const r = registryPart(WHERE, crlf([`HKEY_LOCAL_MACHINE\\Software\\Policies\\CoworkCompanion`, '    strict    REG_DWORD    0x1', '    colour    REG_SZ    blue']));
    expect(r).toMatchObject({ ok: false, fault: 'schema', problems: [{ path: 'colour', message: expect.stringContaining('strict is on') }] });
  });

  it('broken JSON text (telemetry.headers: a secret) is named by its key; no part of the value is quoted', () => {
    const secret = 'Bearer sk-live-0123456789abcdef';
    const r = registryPart(
      WHERE,
      crlf([`HKEY_LOCAL_MACHINE\\Software\\Policies\\CoworkCompanion`, '', `HKEY_LOCAL_MACHINE\\Software\\Policies\\CoworkCompanion\\telemetry`, `    headers    REG_SZ    {"authorization": "${secret}"`]),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([{ path: 'telemetry.headers', message: 'telemetry.headers is not valid JSON text', source: WHERE }]);
    expect(JSON.stringify(r)).not.toContain('sk-live');
    // A value broken over lines (a REG_SZ holding a newline) is refused by its line number only.
    const broken = registryPart(WHERE, crlf([`HKEY_LOCAL_MACHINE\\Software\\Policies\\CoworkCompanion`, `    headers    REG_SZ    {"authorization":`, `"${secret}"}`]));
    // (line 3: the value's second half)
    expect(broken).toMatchObject({ ok: false, fault: 'unreadable', problems: [{ path: '(root)', message: 'unexpected line 3 in reg query output (not a value line)' }] });
    expect(JSON.stringify(broken)).not.toContain('sk-live');
  });

  it('wrong types, out-of-range numbers, bad enums and broken JSON are errors with the key path and the source', () => {
    const r = registryPart(
      WHERE,
      crlf([
        `HKEY_LOCAL_MACHINE\\Software\\Policies\\CoworkCompanion`,
        '    allowUserFolders    REG_DWORD    0x2',
        '    allowBroadShares    REG_SZ    false',
        '    outOfScope    REG_SZ    maybe',
        '    stormPerMinute    REG_DWORD    0x1',
        '    rules    REG_SZ    [{"tool":',
        '    forbiddenPaths    REG_SZ    C:\\x',
      ]),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => [p.path, p.source])).toEqual([
      ['allowUserFolders', WHERE],
      ['allowBroadShares', WHERE],
      ['rules', WHERE],
      ['forbiddenPaths', WHERE],
      ['outOfScope', WHERE],
      ['stormPerMinute', WHERE],
    ]);
    expect(r.problems[0]!.message).toBe('expected REG_DWORD 1 (on) or 0 (off), found REG_DWORD 0x2');
    expect(r.problems[2]!.message).toBe('rules is not valid JSON text');
    expect(r.problems[3]!.message).toBe('expected a subkey "forbiddenPaths" of REG_SZ values 1, 2, 3… (or a REG_MULTI_SZ value), found REG_SZ');
  });
});

describe('lists in their own subkey (what the ADMX list elements write)', () => {
  const HKLM = 'HKEY_LOCAL_MACHINE\\Software\\Policies\\CoworkCompanion';
  const read = (lines: string[]) => registryPart(WHERE, crlf([HKLM, ...lines]));

  it('orders entries by their numeric names (2 before 10), takes REG_EXPAND_SZ as written, skips the default value', () => {
    // reg.exe prints values in the order the registry holds them, which need not be 1, 2, 3….
    const entries = ['10', '1', '2', '3', '4', '5', '6', '7', '8', '9', '11'].map((n) => `    ${n}    ${n === '3' ? 'REG_EXPAND_SZ' : 'REG_SZ'}    ${n === '3' ? '%USERPROFILE%\\Secrets' : `D:\\p${n}`}`);
    const r = read(['', `${HKLM}\\forbiddenPaths`, '    (Default)    REG_SZ    (value not set)', ...entries]);
    expect(r.ok && r.part.values.get('forbiddenPaths')).toEqual(['D:\\p1', 'D:\\p2', '%USERPROFILE%\\Secrets', 'D:\\p4', 'D:\\p5', 'D:\\p6', 'D:\\p7', 'D:\\p8', 'D:\\p9', 'D:\\p10', 'D:\\p11']);
  });

  it('a nested list is the subkey under its object, beside that object\'s own values; names match ignoring case', () => {
    const r = registryPart(
      WHERE,
      crlf([
        'HKEY_CURRENT_USER\\SOFTWARE\\Policies\\CoworkCompanion',
        '',
        'HKEY_CURRENT_USER\\SOFTWARE\\Policies\\CoworkCompanion\\Watch',
        '    ENABLED    REG_DWORD    0x1',
        '',
        'HKEY_CURRENT_USER\\SOFTWARE\\Policies\\CoworkCompanion\\Watch\\EXCLUDE',
        '    2    REG_SZ    dist',
        '    1    REG_SZ    node_modules',
        '',
        'HKEY_CURRENT_USER\\SOFTWARE\\Policies\\CoworkCompanion\\telemetry\\redaction',
        '    identity    REG_SZ    drop',
      ]),
    );
    expect(r.ok && Object.fromEntries(r.part.values)).toEqual({ 'watch.enabled': true, 'watch.exclude': ['node_modules', 'dist'], 'telemetry.redaction.identity': 'drop' });
    expect(r.ok && r.part.warnings).toEqual([]);
  });

  it('a subkey and a REG_MULTI_SZ of the same list: the subkey wins, and a warning says so (not refused under strict)', () => {
    const r = read(['    strict    REG_DWORD    0x1', '    forbiddenPaths    REG_MULTI_SZ    C:\\Old', '', `${HKLM}\\forbiddenPaths`, '    1    REG_SZ    C:\\New']);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.part.values.get('forbiddenPaths')).toEqual(['C:\\New']);
    expect(r.part.warnings).toEqual([{ path: 'forbiddenPaths', message: 'both a subkey "forbiddenPaths" of entries and a REG_MULTI_SZ value "forbiddenPaths": the subkey\'s entries apply, the REG_MULTI_SZ value is ignored', source: WHERE }]);
  });

  it('an empty list subkey sets nothing (Group Policy empties it when the policy is disabled); a REG_MULTI_SZ beside it still applies', () => {
    const empty = read(['    outOfScope    REG_SZ    ask', '', `${HKLM}\\forbiddenPaths`, '', `${HKLM}\\watch\\exclude`, '    (Default)    REG_SZ    (value not set)']);
    expect(empty.ok && Object.fromEntries(empty.part.values)).toEqual({ outOfScope: 'ask' });
    const withMulti = read(['    allowedRoots    REG_MULTI_SZ    C:\\Work', '', `${HKLM}\\allowedRoots`]);
    expect(withMulti.ok && Object.fromEntries(withMulti.part.values)).toEqual({ allowedRoots: ['C:\\Work'] });
    expect(withMulti.ok && withMulti.part.warnings).toEqual([]);
  });

  it('a subkey named for a setting that is no list, or one below a list, is an unknown subkey: warned, its values not read', () => {
    const r = read(['', `${HKLM}\\outOfScope`, '    1    REG_SZ    deny', '', `${HKLM}\\approvals\\timeoutSeconds`, '    1    REG_SZ    60', '', `${HKLM}\\forbiddenPaths`, '    1    REG_SZ    C:\\x', '', `${HKLM}\\forbiddenPaths\\more`, '    1    REG_SZ    C:\\y']);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.fromEntries(r.part.values)).toEqual({ forbiddenPaths: ['C:\\x'] });
    expect(r.part.warnings).toEqual([
      { path: 'outOfScope', message: 'subkey "outOfScope": outOfScope is a value, not a subkey', source: WHERE },
      { path: 'approvals.timeoutSeconds', message: 'subkey "timeoutSeconds": timeoutSeconds is a value, not a subkey', source: WHERE },
      { path: 'forbiddenPaths.more', message: 'unknown subkey "more"', source: WHERE },
    ]);
  });

  it('an entry that is no REG_SZ, a value not named as an entry, or an empty entry is an error naming the list and the source', () => {
    const wrongType = read(['', `${HKLM}\\forbiddenPaths`, '    1    REG_SZ    C:\\x', '    2    REG_DWORD    0x1']);
    expect(wrongType).toMatchObject({ ok: false, fault: 'schema', problems: [{ path: 'forbiddenPaths', message: 'subkey "forbiddenPaths": entry 2 should be REG_SZ, found REG_DWORD', source: WHERE }] });
    // A list written without valuePrefix names each value after its text: refused, not half read.
    const named = read(['', `${HKLM}\\watch\\sentinelRoots`, '    C:\\Users    REG_SZ    C:\\Users']);
    expect(named).toMatchObject({ ok: false, problems: [{ path: 'watch.sentinelRoots', message: 'subkey "sentinelRoots": value "C:\\Users" is not an entry; entries are values named 1, 2, 3…' }] });
    const blank = read(['', `${HKLM}\\forbiddenPaths`, '    1    REG_SZ    ']);
    expect(blank).toMatchObject({ ok: false, problems: [{ path: 'forbiddenPaths[0]', source: WHERE }] });
  });
});

describe('reading the key through reg.exe', () => {
  it('asks whether the key exists from its parent listing (reg exits 1 alike for missing and failing), then reads it with /s', () => {
    const calls: string[][] = [];
    const listing = 'HKEY_LOCAL_MACHINE\\Software\\Policies\r\n\r\nHKEY_LOCAL_MACHINE\\Software\\Policies\\Microsoft\r\nHKEY_LOCAL_MACHINE\\Software\\Policies\\COWORKCOMPANION\r\n';
    const query = regExeQuery((args) => {
      calls.push(args);
      return args.includes('/s') ? 'HKEY_LOCAL_MACHINE\\Software\\Policies\\CoworkCompanion\r\n' : listing;
    });
    expect(query('HKLM')).toBe('HKEY_LOCAL_MACHINE\\Software\\Policies\\CoworkCompanion\r\n');
    expect(calls).toEqual([
      ['query', 'HKLM\\Software\\Policies'],
      ['query', 'HKLM\\Software\\Policies\\CoworkCompanion', '/s'],
    ]);
    const absent = regExeQuery(() => 'HKEY_CURRENT_USER\\Software\\Policies\r\n\r\nHKEY_CURRENT_USER\\Software\\Policies\\Microsoft\r\n');
    expect(absent('HKCU')).toBeUndefined();
    const failing = regExeQuery(() => {
      throw new Error('ERROR: Access is denied.');
    });
    expect(() => failing('HKLM')).toThrow('Access is denied');
  });
});
