// A diff hunk's lines with their numbers in the old and the new file (change-preview-contract.ts
// sends hunks as unified-diff strings; the numbers follow from where each hunk starts).
import type { DiffHunk } from './change-preview-contract.js';

export interface NumberedLine {
  op: ' ' | '-' | '+';
  text: string;
  oldLine?: number;
  newLine?: number;
  /** The last line of its file has no line break after it. */
  noEol?: boolean;
}

export function numberLines(hunk: DiffHunk): NumberedLine[] {
  // A side with no lines starts at 0 (unified diff); its first line, if one is shown, is line 1.
  let oldLine = hunk.oldStart || 1;
  let newLine = hunk.newStart || 1;
  const lines: NumberedLine[] = [];
  for (const raw of hunk.lines) {
    const op = raw[0];
    const text = raw.slice(1);
    if (op === '\\') {
      const last = lines[lines.length - 1];
      if (last) last.noEol = true;
    } else if (op === '-') lines.push({ op, text, oldLine: oldLine++ });
    else if (op === '+') lines.push({ op, text, newLine: newLine++ });
    else lines.push({ op: ' ', text, oldLine: oldLine++, newLine: newLine++ });
  }
  return lines;
}

/** A line of a hunk that is a line of a file (not a '\\' marker). */
export const isFileLine = (line: string): boolean => line[0] !== '\\';
