import { describe, it, expect } from 'vitest';
import { hasInvisible, revealInvisible, splitInvisible } from './reveal-invisible.js';

describe('revealInvisible', () => {
  it('leaves ordinary text, including non-Latin scripts and emoji, unchanged', () => {
    const plain = 'npm run test -- src/refunds && echo "ok" # Grüße, 日本語, עברית 🚀';
    expect(revealInvisible(plain)).toBe(plain);
    expect(hasInvisible(plain)).toBe(false);
  });

  it('marks bidi overrides, embeddings, isolates and marks', () => {
    expect(revealInvisible('ls \u202Etxt.exe')).toBe('ls ⟨U+202E⟩txt.exe');
    for (const cp of [0x202a, 0x202b, 0x202c, 0x202d, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c]) {
      const hex = cp.toString(16).toUpperCase().padStart(4, '0');
      expect(revealInvisible(`a${String.fromCodePoint(cp)}b`)).toBe(`a⟨U+${hex}⟩b`);
    }
  });

  it('marks zero-width and other invisible characters', () => {
    expect(revealInvisible('r\u200Bm')).toBe('r⟨U+200B⟩m');
    expect(revealInvisible('\uFEFFx')).toBe('⟨U+FEFF⟩x');
    expect(revealInvisible('a\u00ADb\u2060c\u200Dd')).toBe('a⟨U+00AD⟩b⟨U+2060⟩c⟨U+200D⟩d');
    expect(revealInvisible('x\u3164y')).toBe('x⟨U+3164⟩y');
  });

  it('marks Unicode tag characters (hidden ASCII) using full code points', () => {
    expect(revealInvisible('ok\u{E0041}\u{E0042}')).toBe('ok⟨U+E0041⟩⟨U+E0042⟩');
  });

  it('marks C0/C1 controls and DEL', () => {
    expect(revealInvisible('a\u0000b\u001Bc\u007Fd\u0085e')).toBe('a⟨U+0000⟩b⟨U+001B⟩c⟨U+007F⟩d⟨U+0085⟩e');
    expect(revealInvisible('safe\rrm -rf ~')).toBe('safe⟨U+000D⟩rm -rf ~');
  });

  it('marks look-alike spaces but keeps the ASCII space', () => {
    expect(revealInvisible('rm\u00A0-rf a b')).toBe('rm⟨U+00A0⟩-rf a b');
    expect(revealInvisible('a\u2009b\u3000c\u2028d')).toBe('a⟨U+2009⟩b⟨U+3000⟩c⟨U+2028⟩d');
  });

  it('marks line feeds and tabs in single-line text but keeps them in multi-line blocks', () => {
    expect(revealInvisible('/tmp/a\nb')).toBe('/tmp/a⟨U+000A⟩b');
    expect(revealInvisible('echo a\n\techo b', { multiline: true })).toBe('echo a\n\techo b');
    expect(revealInvisible('a\r\nb', { multiline: true })).toBe('a⟨U+000D⟩\nb');
  });

  it('marks lone surrogates', () => {
    expect(revealInvisible('a\uD800b')).toBe('a⟨U+D800⟩b');
  });
});

describe('splitInvisible', () => {
  it('returns text runs and named markers in order', () => {
    expect(splitInvisible('ab\u202Ecd')).toEqual([
      { kind: 'text', value: 'ab' },
      { kind: 'marker', codePoint: 0x202e, label: '⟨U+202E⟩', name: 'RIGHT-TO-LEFT OVERRIDE' },
      { kind: 'text', value: 'cd' },
    ]);
    expect(splitInvisible('')).toEqual([]);
  });
});
