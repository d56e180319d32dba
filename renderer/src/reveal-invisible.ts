// Agent-supplied text can hide or reorder what the person reads (bidi overrides, zero-width and
// control characters, look-alike spaces). Each such code point becomes a visible marker `⟨U+XXXX⟩`.

export type TextSegment =
  | { kind: 'text'; value: string }
  | { kind: 'marker'; codePoint: number; label: string; name: string };

export interface RevealOptions {
  /** Keep line feeds and tabs as they are (multi-line blocks such as commands). Default false. */
  multiline?: boolean;
}

// Cc controls, Cf format chars (bidi, zero-width, soft hyphen, tags, BOM…), line/paragraph
// separators, every space separator except the ASCII space, and invisible marks or fillers
// that Unicode classes as letters or marks (variation selectors, Hangul fillers, CGJ, braille blank).
const SUSPECT =
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u2800\u3164\uFE00-\uFE0F\uFFA0\u{E0100}-\u{E01EF}]/u;

const NAMES: Record<number, string> = {
  0x09: 'TAB',
  0x0a: 'LINE FEED',
  0x0d: 'CARRIAGE RETURN',
  0x1b: 'ESCAPE',
  0xa0: 'NO-BREAK SPACE',
  0xad: 'SOFT HYPHEN',
  0x061c: 'ARABIC LETTER MARK',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
};

export function markerLabel(codePoint: number): string {
  return `⟨U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

function isSuspect(ch: string, multiline: boolean): boolean {
  if (multiline && (ch === '\n' || ch === '\t')) return false;
  const code = ch.codePointAt(0)!;
  // A lone surrogate (broken UTF-16) has no glyph either.
  if (code >= 0xd800 && code <= 0xdfff) return true;
  return SUSPECT.test(ch);
}

/** Split text into plain runs and markers for hidden characters. */
export function splitInvisible(text: string, options: RevealOptions = {}): TextSegment[] {
  const multiline = options.multiline ?? false;
  const segments: TextSegment[] = [];
  let run = '';
  for (const ch of text) {
    if (!isSuspect(ch, multiline)) {
      run += ch;
      continue;
    }
    if (run) segments.push({ kind: 'text', value: run });
    run = '';
    const codePoint = ch.codePointAt(0)!;
    const name = NAMES[codePoint] ?? 'invisible or control character';
    segments.push({ kind: 'marker', codePoint, label: markerLabel(codePoint), name });
  }
  if (run) segments.push({ kind: 'text', value: run });
  return segments;
}

/** The same text with every hidden character replaced by its marker. */
export function revealInvisible(text: string, options: RevealOptions = {}): string {
  return splitInvisible(text, options)
    .map((s) => (s.kind === 'text' ? s.value : s.label))
    .join('');
}

export function hasInvisible(text: string, options: RevealOptions = {}): boolean {
  return splitInvisible(text, options).some((s) => s.kind === 'marker');
}
