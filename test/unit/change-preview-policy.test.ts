import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChangePreview, DiffHunk } from '../../shared/change-preview-contract.js';
import { numberLines } from '../../shared/diff-lines.js';
import { cardPreview, changePreview, readPreviewFile } from '../../electron/core/requests/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'preview-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const numbered = (n: number, from = 1): string => Array.from({ length: n }, (_, i) => `line ${i + from}`).join('\n') + '\n';
/** The preview of a call on a real file in the temp folder (written first when `text` is given). */
function previewOn(tool: string, input: Record<string, unknown>, text?: string | Buffer, name = 'f.txt'): Extract<ChangePreview, { kind: 'file-change' }> {
  const path = join(dir, name);
  if (text !== undefined) writeFileSync(path, text);
  const p = changePreview(tool, { file_path: path, ...input }, () => readPreviewFile(path));
  if (p?.kind !== 'file-change') throw new Error(`expected a file change, got ${p?.kind}`);
  return p;
}
/** Each line of a hunk as old number|new number|sign and text (⏎: no line break at the end). */
const rows = (hunk: DiffHunk): string[] => numberLines(hunk).map((l) => `${l.oldLine ?? ''}|${l.newLine ?? ''}|${l.op}${l.text}${l.noEol ? '⏎' : ''}`);

describe('Edit', () => {
  it('diffs against the file on disk with 3 lines of context and old/new line numbers', () => {
    const p = previewOn('Edit', { old_string: 'line 10\n', new_string: 'line ten\nline ten and a half\n' }, numbered(20));
    expect(p.file).toBe('existing');
    expect(p.edits?.[0]?.status).toBe('ok');
    expect(p.diff?.hunks).toHaveLength(1);
    expect(rows(p.diff!.hunks[0]!)).toEqual([
      '7|7| line 7', '8|8| line 8', '9|9| line 9',
      '10||-line 10', '|10|+line ten', '|11|+line ten and a half',
      '11|12| line 11', '12|13| line 12', '13|14| line 13',
    ]);
    expect(p.diff).toMatchObject({ added: 2, removed: 1, totalLines: 9, shownLines: 9 });
  });

  it('numbers a change deep in a 5,000-line file, or at its first line, as in the whole file', () => {
    const deep = previewOn('Edit', { old_string: 'line 2500\n', new_string: 'LINE 2500\n' }, numbered(5000));
    expect(rows(deep.diff!.hunks[0]!)).toEqual(['2497|2497| line 2497', '2498|2498| line 2498', '2499|2499| line 2499', '2500||-line 2500', '|2500|+LINE 2500', '2501|2501| line 2501', '2502|2502| line 2502', '2503|2503| line 2503']);
    const first = previewOn('Edit', { old_string: 'line 1\n', new_string: '' }, numbered(5000));
    expect(rows(first.diff!.hunks[0]!)).toEqual(['1||-line 1', '2|1| line 2', '3|2| line 3', '4|3| line 4']);
  });

  it('says when old_string is not in the file (Claude Code would fail the edit), with no diff', () => {
    const p = previewOn('Edit', { old_string: 'nowhere', new_string: 'x' }, numbered(5));
    expect(p.edits).toEqual([{ oldString: 'nowhere', newString: 'x', replaceAll: false, status: 'not-found' }]);
    expect(p.diff).toBeUndefined();
  });

  it('says when old_string occurs more than once without replace_all, and how often', () => {
    const p = previewOn('Edit', { old_string: 'same', new_string: 'other' }, 'same\nx\nsame\nsame\n');
    expect(p.edits?.[0]).toMatchObject({ status: 'ambiguous', occurrences: 3 });
    expect(p.diff).toBeUndefined();
  });

  it('replace_all replaces every occurrence', () => {
    const p = previewOn('Edit', { old_string: 'same', new_string: 'other', replace_all: true }, 'same\nx\nsame\n');
    expect(p.edits?.[0]).toMatchObject({ status: 'ok', occurrences: 2 });
    expect(p.diff).toMatchObject({ added: 2, removed: 2 });
  });

  it('old_string equal to new_string is no change (Claude Code refuses it)', () => {
    expect(previewOn('Edit', { old_string: 'x', new_string: 'x' }, 'x\n').edits?.[0]?.status).toBe('no-change');
  });

  it('matches an LF old_string in a CRLF file, and says the file uses CRLF', () => {
    const p = previewOn('Edit', { old_string: 'b\nc', new_string: 'B\nC' }, 'a\r\nb\r\nc\r\nd\r\n');
    expect(p.crlf).toBe(true);
    expect(p.edits?.[0]?.status).toBe('ok');
    expect(rows(p.diff!.hunks[0]!)).toEqual(['1|1| a', '2||-b', '3||-c', '|2|+B', '|3|+C', '4|4| d']);
  });

  it('marks the line without a line break at the end of the file', () => {
    const p = previewOn('Edit', { old_string: 'last', new_string: 'final' }, 'first\nlast');
    expect(rows(p.diff!.hunks[0]!)).toEqual(['1|1| first', '2||-last⏎', '|2|+final⏎']);
  });

  it('on a missing file: an empty old_string makes a new file, any other is not found', () => {
    const created = previewOn('Edit', { old_string: '', new_string: 'hello\n' });
    expect(created.file).toBe('new');
    expect(rows(created.diff!.hunks[0]!)).toEqual(['|1|+hello']);
    expect(previewOn('Edit', { old_string: 'a', new_string: 'b' }).edits?.[0]?.status).toBe('not-found');
  });
});

describe('MultiEdit', () => {
  it('applies edits in sequence (a later edit sees the earlier result)', () => {
    const p = previewOn('MultiEdit', { edits: [{ old_string: 'alpha', new_string: 'beta' }, { old_string: 'beta', new_string: 'gamma' }] }, 'alpha\n');
    expect(p.edits?.map((e) => e.status)).toEqual(['ok', 'ok']);
    expect(rows(p.diff!.hunks[0]!)).toEqual(['1||-alpha', '|1|+gamma']);
  });

  it('names the edit that fails, leaves the later ones unchecked and shows no diff', () => {
    const p = previewOn(
      'MultiEdit',
      { edits: [{ old_string: 'a', new_string: 'A' }, { old_string: 'zzz', new_string: 'Z' }, { old_string: 'b', new_string: 'B' }] },
      'a\nb\n',
    );
    expect(p.edits?.map((e) => e.status)).toEqual(['ok', 'not-found', 'unchecked']);
    expect(p.diff).toBeUndefined();
  });
});

describe('Write', () => {
  it('diffs against the file it replaces', () => {
    const p = previewOn('Write', { content: 'one\nTWO\nthree\n' }, 'one\ntwo\nthree\n');
    expect(p.file).toBe('existing');
    expect(rows(p.diff!.hunks[0]!)).toEqual(['1|1| one', '2||-two', '|2|+TWO', '3|3| three']);
  });

  it('a new file is all added lines, numbered', () => {
    const p = previewOn('Write', { content: 'a\nb\n' });
    expect(p.file).toBe('new');
    expect(rows(p.diff!.hunks[0]!)).toEqual(['|1|+a', '|2|+b']);
  });
});

describe('files that are not diffed', () => {
  it('a FIFO neither blocks nor is read', () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const started = Date.now();
    expect(readPreviewFile(fifo)).toEqual({ kind: 'not-regular' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('too large: says so with its size, and shows the edit strings unchecked', () => {
    const path = join(dir, 'big.txt');
    writeFileSync(path, 'x'.repeat(2000));
    const p = changePreview('Edit', { file_path: path, old_string: 'x', new_string: 'y' }, () => readPreviewFile(path, 1000));
    expect(p).toMatchObject({ kind: 'file-change', unread: 'too-large', size: 2000, edits: [{ oldString: 'x', newString: 'y', status: 'unchecked' }] });
  });

  it('binary (a NUL byte): says so; a Write shows its new content instead', () => {
    const p = previewOn('Write', { content: 'text now\n' }, Buffer.from([0x41, 0, 0x42]));
    expect(p).toMatchObject({ unread: 'binary', content: 'text now\n', file: 'existing' });
    expect(p.diff).toBeUndefined();
  });

  it('a protected file is never read: only the strings of the request', () => {
    const read = (): never => {
      throw new Error('must not read');
    };
    expect(changePreview('Edit', { old_string: 'a', new_string: 'b' }, () => ({ kind: 'protected' }))).toMatchObject({ file: 'unknown', unread: 'protected' });
    expect(() => changePreview('Bash', { command: 'ls' }, read)).not.toThrow();
  });
});

describe('what a card carries', () => {
  it('a 5,000-line change sends its first lines and the true counts; the whole diff has all of them', () => {
    const before = numbered(5000);
    const after = before.replace(/^line (\d+)$/gm, (m, n: string) => (Number(n) % 100 === 0 ? `LINE ${n}` : m));
    const whole = previewOn('Write', { content: after }, before);
    expect(whole.diff).toMatchObject({ added: 50, removed: 50 });
    const card = cardPreview(whole, 60);
    if (card?.kind !== 'file-change' || !card.diff) throw new Error('no diff');
    expect(card.diff.shownLines).toBe(60);
    expect(card.diff.hunks.flatMap((h) => h.lines).every((l) => /^[ +-]/.test(l))).toBe(true);
    expect(card.diff.totalLines).toBe(whole.diff!.totalLines);
    expect(card.diff.hunks.flatMap((h) => h.lines)).toHaveLength(60);
    expect(JSON.stringify(card).length).toBeLessThan(5000);
  });
});

describe('what the agent said with the call', () => {
  it('NotebookEdit: cell source, id, type and mode', () => {
    expect(changePreview('NotebookEdit', { notebook_path: '/n.ipynb', cell_id: 'c1', new_source: 'print(1)', cell_type: 'code', edit_mode: 'insert' }, () => ({ kind: 'missing' }))).toEqual({
      kind: 'notebook', mode: 'insert', cellId: 'c1', cellType: 'code', source: 'print(1)',
    });
    expect(changePreview('NotebookEdit', { notebook_path: '/n.ipynb', new_source: 'x' }, () => ({ kind: 'missing' }))).toMatchObject({ mode: 'replace' });
  });

  it('Bash description, WebFetch prompt, MCP arguments as key → value (nested as JSON)', () => {
    const none = () => ({ kind: 'missing' }) as const;
    expect(changePreview('Bash', { command: 'ls', description: 'List files' }, none)).toEqual({ kind: 'bash', description: 'List files' });
    expect(changePreview('Bash', { command: 'ls' }, none)).toBeUndefined();
    expect(changePreview('WebFetch', { url: 'https://x', prompt: 'Summarise' }, none)).toEqual({ kind: 'web-fetch', prompt: 'Summarise' });
    expect(changePreview('mcp__jira__create_issue', { summary: 'Bug', labels: ['a'], n: 2 }, none)).toEqual({
      kind: 'mcp',
      args: [
        { key: 'summary', value: 'Bug', json: false },
        { key: 'labels', value: '[\n  "a"\n]', json: true },
        { key: 'n', value: '2', json: true },
      ],
    });
    expect(changePreview('Read', { file_path: '/x' }, none)).toBeUndefined();
  });
});
