// What a card shows of the change a request would make, so a person can judge it from the card alone.
// Edit / MultiEdit are applied here as Claude Code applies them (edits in sequence, each old_string
// found exactly once unless replace_all; otherwise the call fails) and diffed against the file as it
// is now; Write is diffed against the file it replaces. Pure: the file comes through `read`.
import { createHash } from 'node:crypto';
import { structuredPatch } from 'diff';
import { CARD_DIFF_LINES, type ChangePreview, type DiffHunk, type EditCheck, type FileDiff, type PreviewRef } from '../../../shared/change-preview-contract.js';
import { isFileLine } from '../../../shared/diff-lines.js';
import type { PreviewFile } from './preview-file-reader.js';

const CONTEXT_LINES = 3;
/** A diff that takes longer is shown as "every old line removed, every new line added". */
const DIFF_TIMEOUT_MS = 250;

type FileChange = Extract<ChangePreview, { kind: 'file-change' }>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The preview of one tool call (undefined: nothing to show besides its targets). `read` is called
 *  only for tools that change a file. */
export function changePreview(toolName: string, input: Record<string, unknown>, read: () => PreviewFile): ChangePreview | undefined {
  switch (toolName) {
    case 'Edit':
      return fileChange(read(), editsOf([input]));
    case 'MultiEdit':
      return fileChange(read(), editsOf(Array.isArray(input['edits']) ? input['edits'] : []));
    case 'Write':
      return fileChange(read(), undefined, str(input['content']) ?? '');
    case 'NotebookEdit': {
      const mode = input['edit_mode'] === 'insert' || input['edit_mode'] === 'delete' ? input['edit_mode'] : 'replace';
      const cellId = str(input['cell_id']);
      const cellType = str(input['cell_type']);
      return { kind: 'notebook', mode, source: str(input['new_source']) ?? '', ...(cellId !== undefined ? { cellId } : {}), ...(cellType !== undefined ? { cellType } : {}) };
    }
    case 'Bash': {
      const description = str(input['description']);
      return description?.trim() ? { kind: 'bash', description } : undefined;
    }
    case 'WebFetch': {
      const prompt = str(input['prompt']);
      return prompt?.trim() ? { kind: 'web-fetch', prompt } : undefined;
    }
    default:
      if (!toolName.startsWith('mcp__')) return undefined;
      return {
        kind: 'mcp',
        args: Object.entries(input).map(([key, v]) => (typeof v === 'string' ? { key, value: v, json: false } : { key, value: JSON.stringify(v, null, 2) ?? String(v), json: true })),
      };
  }
}

/** What a snapshot carries of a preview: its kind and a revision that changes with what it shows. */
export function previewRef(preview: ChangePreview | undefined): PreviewRef | undefined {
  return preview && { kind: preview.kind, revision: createHash('sha256').update(JSON.stringify(preview)).digest('hex').slice(0, 16) };
}

/** The preview with only the first `lines` diff lines (the counts say how many there are). */
export function cardPreview(preview: ChangePreview | undefined, lines = CARD_DIFF_LINES): ChangePreview | undefined {
  if (preview?.kind !== 'file-change' || !preview.diff || preview.diff.totalLines <= lines) return preview;
  const hunks: DiffHunk[] = [];
  let left = lines;
  for (const hunk of preview.diff.hunks) {
    if (left <= 0) break;
    let end = 0;
    // Take `left` file lines, and a '\' marker that follows the last of them.
    for (let taken = 0; end < hunk.lines.length && (taken < left || !isFileLine(hunk.lines[end]!)); end++) if (isFileLine(hunk.lines[end]!)) taken++;
    hunks.push({ ...hunk, lines: hunk.lines.slice(0, end) });
    left -= hunk.lines.filter(isFileLine).length;
  }
  return { ...preview, diff: { ...preview.diff, hunks, shownLines: lines } };
}

interface EditRequest {
  oldString: string;
  newString: string;
  replaceAll: boolean;
}

function editsOf(raw: unknown[]): EditRequest[] {
  return raw.map((e) => {
    const o = typeof e === 'object' && e !== null ? (e as Record<string, unknown>) : {};
    return { oldString: str(o['old_string']) ?? '', newString: str(o['new_string']) ?? '', replaceAll: o['replace_all'] === true };
  });
}

function fileChange(file: PreviewFile, edits: EditRequest[] | undefined, content?: string): FileChange {
  if (file.kind !== 'text' && file.kind !== 'missing') {
    const unread = file.kind;
    const where = unread === 'protected' || unread === 'unreadable' ? 'unknown' : 'existing';
    return {
      kind: 'file-change',
      file: where,
      unread,
      ...(file.kind === 'too-large' ? { size: file.size } : {}),
      ...(edits ? { edits: edits.map((e) => ({ ...e, status: 'unchecked' as const })) } : {}),
      ...(content !== undefined ? { content } : {}),
    };
  }
  const exists = file.kind === 'text';
  const raw = exists ? file.text : '';
  // Compared line by line: a CRLF file matches an old_string written with LF, as in Claude Code.
  const crlf = raw.includes('\r\n');
  const before = crlf ? lf(raw) : raw;
  const base: FileChange = { kind: 'file-change', file: exists ? 'existing' : 'new', ...(crlf ? { crlf } : {}) };
  if (!edits) return { ...base, diff: diffOf(before, lf(content ?? '')) };
  const { checks, after } = applyEdits(exists ? before : undefined, edits);
  return after === undefined ? { ...base, edits: checks } : { ...base, edits: checks, diff: diffOf(before, after) };
}

const lf = (s: string): string => s.replace(/\r\n/g, '\n');

/** Edits in sequence, each on the result of the one before; `after` is undefined when one fails. */
function applyEdits(text: string | undefined, edits: EditRequest[]): { checks: EditCheck[]; after: string | undefined } {
  let current = text;
  let failed = false;
  const checks = edits.map((edit): EditCheck => {
    if (failed) return { ...edit, status: 'unchecked' };
    const check = applyEdit(current, edit);
    if (check.status === 'ok') current = check.after;
    else failed = true;
    const { after: _after, ...result } = check;
    return result;
  });
  return { checks, after: failed ? undefined : current };
}

function applyEdit(text: string | undefined, edit: EditRequest): EditCheck & { after?: string } {
  const oldString = lf(edit.oldString);
  const newString = lf(edit.newString);
  // An empty old_string creates the file (or fills an empty one); anything else needs the text.
  if (oldString === '') return text === undefined || text === '' ? { ...edit, status: 'ok', after: newString } : { ...edit, status: 'not-found' };
  if (text === undefined) return { ...edit, status: 'not-found' };
  if (oldString === newString) return { ...edit, status: 'no-change' };
  const occurrences = text.split(oldString).length - 1;
  if (occurrences === 0) return { ...edit, status: 'not-found' };
  if (occurrences > 1 && !edit.replaceAll) return { ...edit, status: 'ambiguous', occurrences };
  const after = edit.replaceAll ? text.split(oldString).join(newString) : text.replace(oldString, () => newString);
  return { ...edit, status: 'ok', ...(edit.replaceAll ? { occurrences } : {}), after };
}

function diffOf(before: string, after: string): FileDiff {
  // Only the part between the unchanged first and last lines (with its context) is diffed: an edit of
  // a 5,000-line file costs what the edit costs, not what the file does.
  const a = before.split('\n');
  const b = after.split('\n');
  let same = 0;
  while (same < a.length && same < b.length && a[same] === b[same]) same++;
  let sameEnd = 0;
  while (sameEnd < a.length - same && sameEnd < b.length - same && a[a.length - 1 - sameEnd] === b[b.length - 1 - sameEnd]) sameEnd++;
  const from = Math.max(0, same - CONTEXT_LINES);
  const dropped = Math.max(0, sameEnd - CONTEXT_LINES);
  // Lines followed by dropped ones keep their line break; the file's own end is kept as it is.
  const middle = (lines: string[]): string => lines.slice(from, lines.length - dropped).join('\n') + (dropped > 0 ? '\n' : '');
  const [oldPart, newPart] = [middle(a), middle(b)];
  const patch = structuredPatch('', '', oldPart, newPart, undefined, undefined, { context: CONTEXT_LINES, timeout: DIFF_TIMEOUT_MS });
  const hunks = patch
    ? patch.hunks.map((h): DiffHunk => ({ oldStart: h.oldStart + (h.oldLines > 0 ? from : 0), newStart: h.newStart + (h.newLines > 0 ? from : 0), lines: h.lines.map((l) => (isFileLine(l) ? l : '\\')) }))
    : [wholeReplacement(before, after)].filter((h) => h.lines.length > 0);
  let added = 0;
  let removed = 0;
  let totalLines = 0;
  for (const h of hunks) {
    for (const l of h.lines) {
      if (isFileLine(l)) totalLines += 1;
      if (l[0] === '+') added += 1;
      else if (l[0] === '-') removed += 1;
    }
  }
  return { hunks, totalLines, shownLines: totalLines, added, removed };
}

/** When a minimal diff takes too long: every old line removed, every new line added (still true). */
function wholeReplacement(before: string, after: string): DiffHunk {
  const split = (s: string): string[] => (s === '' ? [] : s.replace(/\n$/, '').split('\n'));
  return { oldStart: 1, newStart: 1, lines: [...split(before).map((l) => `-${l}`), ...split(after).map((l) => `+${l}`)] };
}
