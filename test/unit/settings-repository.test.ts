// The one settings repository on a real conf file: validation on write, change events for our own
// writes, and changes made by another process (as `cowork-companion scope add` does) reported once.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsRepository, openConfStore, type SettingsChange } from '../../electron/core/settings/index.js';

const open: SettingsRepository[] = [];
afterEach(() => {
  for (const r of open.splice(0)) r.close();
});

function repository(dir: string): { repo: SettingsRepository; changes: SettingsChange[] } {
  const repo = new SettingsRepository(openConfStore(dir));
  open.push(repo);
  const changes: SettingsChange[] = [];
  repo.onChange((c) => changes.push(c));
  return { repo, changes };
}

const until = async (check: () => boolean, ms = 3000): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

const rule = {
  toolName: 'Bash', match: { kind: 'command-prefix' as const, prefix: 'npm test' }, id: 'r1', origin: 'person' as const, lifetime: 'always' as const,
  createdAt: '2026-12-01T00:00:00.000Z', description: 'Allows…', hits: 0, locked: false, effect: 'allow' as const,
};

describe('settings repository', () => {
  it('validates on write: an invalid rule or language is refused and nothing is written', () => {
    const { repo, changes } = repository(mkdtempSync(join(tmpdir(), 'cc-settings-')));
    repo.writeRules([rule]);
    expect(() => repo.writeRules([{ ...rule, hits: -1 }])).toThrow();
    expect(() => repo.setLanguage('xx' as never)).toThrow();
    expect(repo.readRules()).toEqual({ rules: [rule], invalid: 0 });
    expect(repo.language()).toBeUndefined(); // not chosen: the window follows the browser's language
    expect(changes).toEqual(['rules']);
  });

  it('reads damaged values safely: bad folder and rule entries skipped (a deny rule is not lost with them)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-settings-'));
    const store = openConfStore(dir);
    store.set('sharedFolders', [{ path: '/ok', mode: 'read', label: '', addedAt: 'x' }, { path: 42 }]);
    const deny = { ...rule, id: 'r2', effect: 'deny' as const };
    store.set('rules', [{ nonsense: true }, deny, { ...rule, toolName: 'Bash*' }]);
    const repo = new SettingsRepository(store);
    expect(repo.readSharedFolders()).toMatchObject({ folders: [{ path: '/ok' }], invalid: 1 });
    expect(repo.readRules()).toEqual({ rules: [deny], invalid: 2 });
  });

  it("reports another process's change to the file once, and never its own writes as external", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-settings-'));
    const { repo, changes } = repository(dir);
    repo.watchExternalChanges();
    repo.setLanguage('ja');
    await new Promise((r) => setTimeout(r, 200));
    expect(changes).toEqual(['language']);
    // A second store on the same file, as the `scope` CLI opens one.
    const other = new SettingsRepository(openConfStore(dir));
    other.writeSharedFolders([{ path: '/srv/data', mode: 'read', label: '', addedAt: '2026-12-01T00:00:00.000Z' }]);
    await until(() => changes.includes('external'));
    expect(repo.readSharedFolders().folders.map((f) => f.path)).toEqual(['/srv/data']);
    await new Promise((r) => setTimeout(r, 200));
    expect(changes.filter((c) => c === 'external')).toHaveLength(1);
  });
});
