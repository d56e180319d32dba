import { describe, expect, it } from 'vitest';
import { isWithin, volumeRulesFor } from '../../electron/core/paths/path-containment-policy.js';
import { normalizeWindowsPath } from '../../electron/core/paths/windows-path-policy.js';

const mac = volumeRulesFor('darwin');
const linux = volumeRulesFor('linux');
const win = volumeRulesFor('win32');

describe('isWithin', () => {
  it('matches whole components only', () => {
    expect(isWithin('/Users/u/proj/a', '/Users/u/proj', linux)).toBe(true);
    expect(isWithin('/Users/u/proj', '/Users/u/proj', linux)).toBe(true);
    expect(isWithin('/Users/u/project/a', '/Users/u/proj', linux)).toBe(false);
    expect(isWithin('/Users/u/proj', '/Users/u/proj/', linux)).toBe(true);
    expect(isWithin('/anything', '/', linux)).toBe(true);
  });
  it('folds case on case-insensitive volumes only', () => {
    expect(isWithin('/Users/U/PROJ/a', '/Users/u/proj', mac)).toBe(true);
    expect(isWithin('/Users/U/PROJ/a', '/Users/u/proj', linux)).toBe(false);
    expect(isWithin('C:\\USERS\\u\\Proj\\x', 'C:\\Users\\u\\proj', win)).toBe(true);
  });
  it('treats NFC and NFD as one name on macOS, as two on Linux', () => {
    const nfc = '/Users/u/caf\u00e9';
    const nfd = '/Users/u/cafe\u0301';
    expect(isWithin(`${nfd}/x`, nfc, mac)).toBe(true);
    expect(isWithin(`${nfd}/x`, nfc, linux)).toBe(false);
  });
});

describe('normalizeWindowsPath', () => {
  it.each([
    ['c:\\Users\\u\\proj\\a.txt', 'C:\\Users\\u\\proj\\a.txt'],
    ['C:/Users/u/proj/a.txt', 'C:\\Users\\u\\proj\\a.txt'],
    ['\\\\?\\C:\\Users\\u\\proj', 'C:\\Users\\u\\proj'],
    ['\\\\.\\C:\\Users\\u\\proj', 'C:\\Users\\u\\proj'],
    ['\\\\?\\UNC\\server\\share\\x', '\\\\server\\share\\x'],
    ['\\\\server\\share\\x\\..\\y', '\\\\server\\share\\y'],
    ['C:\\Users\\u\\proj\\secret.txt. . ', 'C:\\Users\\u\\proj\\secret.txt'],
    ['C:\\Users\\u\\proj\\a.txt::$DATA', 'C:\\Users\\u\\proj\\a.txt'],
    ['C:\\Users\\u\\proj\\a.txt:hidden', 'C:\\Users\\u\\proj\\a.txt'],
    ['C:\\Users\\u\\proj\\..\\..\\Admin', 'C:\\Users\\Admin'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeWindowsPath(input)).toEqual({ ok: true, path: expected });
  });
  it.each([
    ['C:\\PROGRA~1\\x', /8\.3/],
    ['C:relative', /relative/],
    ['relative\\x', /not an absolute/],
    ['\\\\server', /incomplete UNC/],
    ['C:\\a\0b', /NUL/],
    ['C:\\a\\...\\b', /reduces to nothing/],
  ])('refuses %s', (input, reason) => {
    expect(normalizeWindowsPath(input)).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
  });
  it('keeps an escape by `..` out of the scope after normalisation', () => {
    const r = normalizeWindowsPath('\\\\?\\c:\\users\\u\\proj\\..\\secrets. ');
    expect(r.ok && isWithin(r.path, 'C:\\Users\\u\\proj', win)).toBe(false);
  });
});
