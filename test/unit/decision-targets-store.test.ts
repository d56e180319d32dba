// What Recent decisions shows of each decision's targets: appended in the background, each line
// made when its append runs. A line that cannot be made costs that decision only.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TagKey } from '../../electron/core/base/index.js';
import { DecisionTargetsStore } from '../../electron/core/history/decision-targets-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A real HMAC key, except that it cannot tag a line naming `refuse` (a key gone bad mid-way). */
function key(refuse?: string): TagKey {
  const tag = (...parts: ReadonlyArray<string | Buffer>): string => {
    const h = createHmac('sha256', 'test-key');
    for (const p of parts) h.update(p);
    return h.digest('hex');
  };
  return {
    tag: (...parts) => {
      if (refuse && parts.some((p) => String(p).includes(refuse))) throw new Error('the key is gone');
      return tag(...parts);
    },
    verifies: (t, ...parts) => t === tag(...parts),
  };
}

describe('DecisionTargetsStore', () => {
  it('writes the targets of every decision added, in one background append, and reads them back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-targets-'));
    dirs.push(dir);
    const store = new DecisionTargetsStore(dir, key(), (e) => expect.fail(String(e)), 60_000);
    store.add('a', 1000, { paths: ['/p/a.ts'] });
    store.add('b', 2000, { paths: [], command: 'npm test' });
    expect(new DecisionTargetsStore(dir, key()).load(0).size).toBe(0); // not written yet: within the wait
    await store.flush();
    expect(new DecisionTargetsStore(dir, key()).load(0)).toEqual(new Map([['a', { paths: ['/p/a.ts'] }], ['b', { paths: [], command: 'npm test' }]]));
  });

  it('a line that cannot be made is reported and costs that decision only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-targets-'));
    dirs.push(dir);
    const errors: unknown[] = [];
    const store = new DecisionTargetsStore(dir, key('secret.txt'), (e) => errors.push(e), 60_000);
    store.add('a', 1000, { paths: ['/p/a.ts'] });
    store.add('bad', 1500, { paths: ['/p/secret.txt'] });
    store.add('b', 2000, { paths: ['/p/b.ts'] });
    await store.flush();
    expect(errors).toEqual([expect.objectContaining({ message: 'the key is gone' })]);
    expect([...new DecisionTargetsStore(dir, key()).load(0).keys()]).toEqual(['a', 'b']);
  });
});
