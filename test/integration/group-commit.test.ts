// Group commit: the appends of one synchronous stretch go to disk in one write and one fsync (a
// decision's request and decision records; the answers of several connections), in order.
import { constants, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DecisionJournalService, segmentName } from '../../electron/core/evidence/decision-journal-service.js';
import { newEvidenceEvent } from '../../electron/core/evidence/evidence-event.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const event = (n: number) => newEvidenceEvent('scope.changed', 1_700_000_000_000 + n, { 'scope.action': 'add', 'scope.path': `/p/${n}`, 'scope.mode': 'read', 'scope.folder_count': 1 });

describe('group commit', () => {
  it('appends made in one synchronous stretch share one write and fsync, in order, each durable when it resolves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-group-'));
    dirs.push(dir);
    const journal = new DecisionJournalService(join(dir, 'journal'));
    const batches: number[] = [];
    journal.onAppend((count, durable) => {
      if (!durable && count > 0) batches.push(count);
    });
    await Promise.all([0, 1, 2, 3, 4].map((n) => journal.append(event(n))));
    expect(batches).toEqual([5]);
    // Then one at a time: each its own batch.
    for (const n of [5, 6]) await journal.append(event(n));
    expect(batches).toEqual([5, 1, 1]);
    const paths = readFileSync(join(dir, 'journal', segmentName(1)), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { attributes: Record<string, unknown> }).attributes['scope.path']);
    expect(paths).toEqual(['/p/0', '/p/1', '/p/2', '/p/3', '/p/4', '/p/5', '/p/6']);
    await journal.close();
  });

  // Durability is the open mode, not a later call: each batch's write returns once its data is on
  // disk. Linux shows an open file's flags (octal) in /proc/self/fdinfo.
  it.skipIf(process.platform !== 'linux')('writes each batch through a segment opened for synchronized data writes (O_DSYNC; Linux fdinfo)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-group-'));
    dirs.push(dir);
    const journal = new DecisionJournalService(join(dir, 'journal'));
    await journal.append(event(0));
    const segment = join(dir, 'journal', segmentName(1));
    const fd = readdirSync('/proc/self/fd').find((n) => {
      try {
        return readlinkSync(`/proc/self/fd/${n}`) === segment;
      } catch {
        return false;
      }
    });
    expect(fd, 'the segment stays open for the next batch').toBeDefined();
    const flags = Number.parseInt(/^flags:\s*([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))![1]!, 8);
    expect(flags & constants.O_DSYNC).toBe(constants.O_DSYNC);
    expect(flags & constants.O_APPEND).toBe(constants.O_APPEND);
    await journal.close();
  });
});
