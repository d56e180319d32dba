// What each decided action named (the command, the paths, the URL as the agent wrote them), kept on
// this machine only, for Recent decisions after a restart. It is not evidence: the journal is what
// the collector gets, and tool input stays out of it unless IT's policy exports it. Each line is
// tagged with the integrity key, so a line the agent (same user) wrote or edited is not shown; the
// file is cut to the retention window and the ids still shown at each start.
// The agent can write this file, and a flood of automatic denies with big commands can grow it, so
// both are bounded: each line to 64 KiB (longer targets are kept cut, with a marker the list shows),
// the file to 8 MiB (past that nothing more is appended until the next start compacts it), and a file
// over the cap at start is not read at all (one line on stderr; the start rewrites it as empty).
import { appendFile, stat } from 'node:fs/promises';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ActionTargetsSchema, type ActionTargets } from '../../../shared/ui-contract.js';
import { writeAtomic, type TagKey } from '../base/index.js';

export const DECISION_TARGETS_FILE = 'decision-targets.jsonl';
const PURPOSE = 'decision-targets';
const LineSchema = z.object({ id: z.string().min(1).max(256), time: z.number(), targets: ActionTargetsSchema });
const TAG = /,"tag":"([A-Za-z0-9_-]+)"\}$/;
export const MAX_LINE_BYTES = 64 * 1024;
export const MAX_FILE_BYTES = 8 * 1024 * 1024;
/** How long added lines wait to be appended together (see add()). */
export const APPEND_EVERY_MS = 250;
/** Longest path kept whole (PATH_MAX on Linux): a path is never cut, as a cut one names another place. */
const PATH_CHARS = 4096;

/** What is shown where text was cut: the list shows it as written, so the cut is never silent. */
export const cutMark = (chars: number): string => `…[cut: ${chars} more characters not kept]`;
export const pathsCutMark = (paths: number): string => `…[cut: ${paths} more paths not kept]`;

const cutText = (text: string, chars: number): string => (text.length <= chars ? text : `${text.slice(0, chars)}${cutMark(text.length - chars)}`);

/** `targets` with each text cut to `fieldChars` and at most `maxPaths` paths (the rest named by a
 *  marker after the kept ones: the first path, which the list offers to share, stays a real one). */
export function capTargets(targets: ActionTargets, limits: { fieldChars: number; maxPaths: number }): ActionTargets {
  const cut = (text: string | undefined): string | undefined => (text === undefined ? undefined : cutText(text, limits.fieldChars));
  const kept = targets.paths.filter((p) => p.length <= PATH_CHARS).slice(0, limits.maxPaths);
  const dropped = targets.paths.length - kept.length;
  const out: ActionTargets = { paths: dropped > 0 ? [...kept, pathsCutMark(dropped)] : kept };
  for (const field of ['command', 'url', 'query', 'pattern'] as const) {
    const text = cut(targets[field]);
    if (text !== undefined) out[field] = text;
  }
  if (targets.mcp) out.mcp = { server: cutText(targets.mcp.server, 256), tool: cutText(targets.mcp.tool, 256) };
  return out;
}

/** The file's text, or 'too_big' (over `max` bytes: not read), or undefined (none). Read through one
 *  descriptor, so a file grown between the size check and the read is still read no further. */
function readCapped(file: string, max: number): string | 'too_big' | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    if (fstatSync(fd).size > max) return 'too_big';
    const buffer = Buffer.alloc(max + 1);
    let length = 0;
    for (let n = 1; n > 0 && length <= max; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    return length > max ? 'too_big' : buffer.toString('utf8', 0, length);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

export class DecisionTargetsStore {
  private readonly file: string;
  /** Appends run one after another, each checking the file's size first. */
  private appending: Promise<void> = Promise.resolve();
  /** Decisions added since the last write started (their lines made and written together by the next). */
  private waiting: { id: string; time: number; targets: ActionTargets }[] = [];
  /** Set while lines wait for their write. */
  private timer: NodeJS.Timeout | undefined;
  /** The file was found full: said once, not once per decision. */
  private fullReported = false;

  constructor(
    dataDir: string,
    private readonly key: TagKey,
    private readonly onError: (error: unknown) => void = () => undefined,
    private readonly appendEveryMs = APPEND_EVERY_MS,
  ) {
    this.file = join(dataDir, DECISION_TARGETS_FILE);
  }

  /** The targets of decisions at or after `since` whose line verifies (later lines win). */
  load(since: number): Map<string, ActionTargets> {
    const text = readCapped(this.file, MAX_FILE_BYTES);
    if (text === 'too_big') {
      process.stderr.write(`cowork-companion: ${DECISION_TARGETS_FILE} is over ${MAX_FILE_BYTES / 1024 / 1024} MiB (the companion never writes that much); it was not read, and Recent decisions shows no targets from before this start\n`);
      return new Map();
    }
    if (text === undefined) return new Map();
    const out = new Map<string, ActionTargets>();
    for (const line of text.split('\n')) {
      if (line.length > MAX_LINE_BYTES) continue;
      const m = TAG.exec(line);
      if (!m) continue;
      const body = `${line.slice(0, m.index)}}`;
      if (!this.key.verifies(m[1]!, PURPOSE, body)) continue;
      let parsed: z.infer<typeof LineSchema>;
      try {
        const r = LineSchema.safeParse(JSON.parse(body));
        if (!r.success) continue;
        parsed = r.data;
      } catch {
        continue;
      }
      if (parsed.time >= since) out.set(parsed.id, parsed.targets);
    }
    return out;
  }

  /** Rewrites the file with these entries only (at start: what Recent decisions shows). */
  keepOnly(entries: ReadonlyMap<string, { time: number; targets: ActionTargets }>): void {
    // The newest that fit under the cap, written oldest first (later lines win at the next load).
    const lines: { time: number; line: string }[] = [];
    let bytes = 0;
    for (const [id, e] of [...entries].sort(([, a], [, b]) => b.time - a.time)) {
      const line = this.line(id, e.time, e.targets);
      if (line === undefined) continue;
      bytes += Buffer.byteLength(line);
      if (bytes > MAX_FILE_BYTES) break;
      lines.push({ time: e.time, line });
    }
    try {
      writeAtomic(this.file, lines.reverse().map((l) => l.line).join(''));
      this.fullReported = false;
    } catch (error) {
      this.onError(error);
    }
  }

  /** Appended in the background, at most one write per APPEND_EVERY_MS: it is only what the list
   *  shows, never what was decided, and a write per decision (a stat, an open, a write and a close)
   *  competed on the disk with the journal's synchronous writes that decisions wait for. A companion
   *  killed within that window loses those decisions' targets (Recent decisions lists the decisions,
   *  from the journal, without what they named). Not appended once the file is at its cap (said once
   *  on stderr): the next start compacts it. The line (JSON and its tag) is made then too, not while
   *  the agent waits for its answer. */
  add(id: string, time: number, targets: ActionTargets): void {
    this.waiting.push({ id, time, targets });
    if (this.timer) return;
    this.timer = setTimeout(() => void this.write(), this.appendEveryMs);
    this.timer.unref();
  }

  /** Writes what is waiting now and finishes the appends started so far (tests; a stop). */
  flush(): Promise<void> {
    return this.timer ? this.write() : this.appending;
  }

  /** Queues one append of every line waiting when it runs (appends run one after another). */
  private write(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.appending = this.appending
      .then(async () => {
        const lines: string[] = [];
        for (const d of this.waiting.splice(0)) {
          try {
            const line = this.line(d.id, d.time, d.targets);
            if (line !== undefined) lines.push(line);
          } catch (error) {
            this.onError(error); // that decision's targets only; the others are written
          }
        }
        if (lines.length === 0) return;
        let size = await stat(this.file).then((st) => st.size, () => 0);
        let text = '';
        for (const l of lines) {
          const bytes = Buffer.byteLength(l);
          if (size + bytes > MAX_FILE_BYTES) {
            if (!this.fullReported) process.stderr.write(`cowork-companion: ${DECISION_TARGETS_FILE} reached ${MAX_FILE_BYTES / 1024 / 1024} MiB; what further decisions named is not kept for Recent decisions until the next start\n`);
            this.fullReported = true;
            break;
          }
          size += bytes;
          text += l;
        }
        if (text !== '') await appendFile(this.file, text, { mode: 0o600 });
      })
      .catch(this.onError);
    return this.appending;
  }

  /** The tagged line, cut until it fits in MAX_LINE_BYTES (escapes can make JSON six times the
   *  text); undefined only if even the shortest cut does not fit (an id that long is refused upstream). */
  private line(id: string, time: number, targets: ActionTargets): string | undefined {
    for (let level = 0; level < 8; level++) {
      const body = JSON.stringify({ id, time, targets: capTargets(targets, { fieldChars: MAX_LINE_BYTES >> level, maxPaths: 64 >> level }) });
      const line = `${body.slice(0, -1)},"tag":"${this.key.tag(PURPOSE, body)}"}\n`;
      if (Buffer.byteLength(line) <= MAX_LINE_BYTES) return line;
    }
    return undefined;
  }
}
