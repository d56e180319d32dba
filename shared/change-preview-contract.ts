// What a card shows of the change a request would make: a diff against the file as it is on disk
// (Edit, MultiEdit, Write), a notebook cell (NotebookEdit), or what the agent said alongside the call
// (Bash description, WebFetch prompt, MCP arguments). Made in electron/core/requests/change-preview-policy.ts.
import { z } from 'zod';

/** Diff lines a drawn card shows first; the rest come when the person asks for the whole diff. */
export const CARD_DIFF_LINES = 20;

/** One hunk in unified-diff form: each line starts with ' ' (context), '-' (removed) or '+' (added);
 *  a line '\\' says the line before it ends its file without a line break. Strings, not objects: a
 *  snapshot carries hundreds of cards' diffs, and the UI parses each snapshot (see diff-lines.ts for
 *  the line numbers). */
export const DiffHunkSchema = z.object({
  /** First line of the hunk in the old and the new file (0: that side has no lines). */
  oldStart: z.number().int().nonnegative(),
  newStart: z.number().int().nonnegative(),
  lines: z.array(z.string()),
});
export type DiffHunk = z.infer<typeof DiffHunkSchema>;

/** Hunks with 3 lines of context; line counts leave out the '\\' markers. A card gets the first
 *  lines (`shownLines`), and all of them when the person wants the whole diff; the whole
 *  diff comes on request (the `changePreview` UI call), so a snapshot stays small. */
export const FileDiffSchema = z.object({
  hunks: z.array(DiffHunkSchema),
  totalLines: z.number().int().nonnegative(),
  shownLines: z.number().int().nonnegative(),
  added: z.number().int().nonnegative(),
  removed: z.number().int().nonnegative(),
});
export type FileDiff = z.infer<typeof FileDiffSchema>;

/** One edit of an Edit/MultiEdit and what Claude Code would make of it against the file now. */
export const EditCheckSchema = z.object({
  oldString: z.string(),
  newString: z.string(),
  replaceAll: z.boolean(),
  /** ok; not-found / ambiguous (more than once without replace_all) / no-change: Claude Code fails the
   *  call; unchecked: the file could not be read, or an earlier edit already fails. */
  status: z.enum(['ok', 'not-found', 'ambiguous', 'no-change', 'unchecked']),
  /** How many times old_string occurs (ambiguous, or replaced with replace_all). */
  occurrences: z.number().int().nonnegative().optional(),
});
export type EditCheck = z.infer<typeof EditCheckSchema>;

/** Why the file on disk was not compared (then the card shows the strings of the request). */
export const UNREAD_REASONS = ['too-large', 'binary', 'not-regular', 'protected', 'unreadable'] as const;

export const ChangePreviewSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('file-change'),
    /** existing: compared with the file on disk; new: no file there (yet). */
    file: z.enum(['existing', 'new', 'unknown']),
    diff: FileDiffSchema.optional(),
    /** Edit / MultiEdit (applied in sequence). */
    edits: z.array(EditCheckSchema).optional(),
    /** Write, when there is no diff to show its content in. */
    content: z.string().optional(),
    unread: z.enum(UNREAD_REASONS).optional(),
    /** Size in bytes of the file on disk, when it was too large. */
    size: z.number().int().nonnegative().optional(),
    /** The file uses CRLF line breaks (compared as lines; Claude Code keeps its line breaks). */
    crlf: z.boolean().optional(),
  }),
  z.object({
    kind: z.literal('notebook'),
    mode: z.enum(['replace', 'insert', 'delete']),
    cellId: z.string().optional(),
    cellType: z.string().optional(),
    source: z.string(),
  }),
  z.object({ kind: z.literal('bash'), description: z.string() }),
  z.object({ kind: z.literal('web-fetch'), prompt: z.string() }),
  /** Arguments as key → value: strings as they are, anything else as formatted JSON. */
  z.object({ kind: z.literal('mcp'), args: z.array(z.object({ key: z.string(), value: z.string(), json: z.boolean() })) }),
]);
export type ChangePreview = z.infer<typeof ChangePreviewSchema>;

/** What a snapshot carries of a preview: that there is one, and a revision that changes whenever what it
 *  shows does (the file changed on disk). A card on screen asks the core for the preview itself (the
 *  `changePreview` UI call), so snapshots stay as small as without previews however many cards have
 *  them, and only drawn cards cost anything. */
export const PreviewRefSchema = z.object({
  kind: z.enum(['file-change', 'notebook', 'bash', 'web-fetch', 'mcp']),
  revision: z.string(),
});
export type PreviewRef = z.infer<typeof PreviewRefSchema>;
