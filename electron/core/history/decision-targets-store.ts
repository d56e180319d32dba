// What each decided action named (the command, the paths, the URL as the agent wrote them), kept on
// this machine only, for Recent decisions after a restart. It is not evidence: the journal is what
// the collector gets, and tool input stays out of it unless IT's policy exports it. Each line is
// tagged with the integrity key, so a line the agent (same user) wrote or edited is not shown; the
// file is cut to the retention window and the ids still shown at each start.
import { appendFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ActionTargetsSchema, type ActionTargets } from '../../../shared/ui-contract.js';
import { writeAtomic, type TagKey } from '../base/index.js';

export const DECISION_TARGETS_FILE = 'decision-targets.jsonl';
const PURPOSE = 'decision-targets';
const LineSchema = z.object({ id: z.string().min(1).max(256), time: z.number(), targets: ActionTargetsSchema });
const TAG = /,"tag":"([A-Za-z0-9_-]+)"\}$/;

export class DecisionTargetsStore {
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly key: TagKey,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.file = join(dataDir, DECISION_TARGETS_FILE);
  }

  /** The targets of decisions at or after `since` whose line verifies (later lines win). */
  load(since: number): Map<string, ActionTargets> {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return new Map();
    }
    const out = new Map<string, ActionTargets>();
    for (const line of text.split('\n')) {
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
    try {
      writeAtomic(this.file, [...entries].map(([id, e]) => this.line(id, e.time, e.targets)).join(''));
    } catch (error) {
      this.onError(error);
    }
  }

  /** Appended in the background: it is only what the list shows, never what was decided. */
  add(id: string, time: number, targets: ActionTargets): void {
    appendFile(this.file, this.line(id, time, targets), { mode: 0o600 }).catch(this.onError);
  }

  private line(id: string, time: number, targets: ActionTargets): string {
    const body = JSON.stringify({ id, time, targets });
    return `${body.slice(0, -1)},"tag":"${this.key.tag(PURPOSE, body)}"}\n`;
  }
}
