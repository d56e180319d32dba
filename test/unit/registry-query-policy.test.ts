// The registry reader: `reg query <key> /s` text (as reg.exe prints it: CRLF lines, a key per line at
// column 0, its values indented four spaces, name/type/data four spaces apart, REG_MULTI_SZ items
// joined by a literal \0) turned into policy settings through POLICY_SETTINGS.
import { describe, expect, it } from 'vitest';
import { regExeQuery } from '../../electron/core/policy/policy-sources.js';
import { parseRegQuery, registryPart } from '../../electron/core/policy/registry-query-policy.js';

const WHERE = 'HKLM\\Software\\Policies\\CoworkCompanion';
const crlf = (lines: string[]): string => `${lines.join('\r\n')}\r\n`;

const EXPORT = crlf([
  '',
  'HKEY_LOCAL_MACHINE\\Software\\Policies\\CoworkCompanion',
  '    allowUserFolders    REG_DWORD    0x0',
  '    forbiddenPaths    REG_MULTI_SZ    C:\\Secret\\0D:\\Finance files',
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
  'HKEY_LOCAL_MACHINE\\Software\\Policies\\CoworkCompanion\\organization',
  '    name    REG_EXPAND_SZ    %USERDOMAIN% IT',
  '',
]);

describe('reg query output', () => {
  it('parses keys and values in the order printed, data with spaces, empty data', () => {
    const keys = parseRegQuery(EXPORT);
    expect(keys.map((k) => k.key)).toEqual([WHERE.replace('HKLM', 'HKEY_LOCAL_MACHINE'), `${WHERE.replace('HKLM', 'HKEY_LOCAL_MACHINE')}\\approvals`, `${WHERE.replace('HKLM', 'HKEY_LOCAL_MACHINE')}\\telemetry`, `${WHERE.replace('HKLM', 'HKEY_LOCAL_MACHINE')}\\telemetry\\redaction`, `${WHERE.replace('HKLM', 'HKEY_LOCAL_MACHINE')}\\watch`, `${WHERE.replace('HKLM', 'HKEY_LOCAL_MACHINE')}\\organization`]);
    expect(keys[0]!.values[1]).toEqual({ name: 'forbiddenPaths', type: 'REG_MULTI_SZ', data: 'C:\\Secret\\0D:\\Finance files' });
    expect(keys[4]!.values[0]).toEqual({ name: 'exclude', type: 'REG_MULTI_SZ', data: '' });
  });

  it('a line that is neither a key nor a value is an error, not skipped', () => {
    expect(() => parseRegQuery('HKEY_CURRENT_USER\\Software\\Policies\\CoworkCompanion\r\nERROR: something\r\n')).toThrow(/unexpected line/);
  });
});

describe('registry values as policy settings', () => {
  it('converts each kind: DWORD booleans and numbers, REG_SZ enums/strings, MULTI_SZ lists, JSON text; subkeys are nested settings', () => {
    const r = registryPart(WHERE, EXPORT);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.fromEntries(r.part.values)).toEqual({
      allowUserFolders: false,
      forbiddenPaths: ['C:\\Secret', 'D:\\Finance files'],
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
    expect(r.problems[2]!.message).toMatch(/^not valid JSON/);
    expect(r.problems[3]!.message).toBe('expected REG_MULTI_SZ (one item per line), found REG_SZ');
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
