// Remembered rules read back from settings.json: an entry that no longer parses is left out and said
// (the next change rewrites the list without it), and the person's other rules — a deny among them — stay.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RulesService } from '../../electron/core/approvals/rules-service.js';
import { systemClock } from '../../electron/core/base/index.js';
import { canonicalizerFor, volumeRulesFor } from '../../electron/core/paths/index.js';
import { ManagedPolicyService } from '../../electron/core/policy/index.js';
import { SettingsRepository, openConfStore } from '../../electron/core/settings/index.js';

const deny = {
  id: 'r-deny', toolName: 'Bash', match: { kind: 'command-prefix', prefix: 'git push' }, effect: 'deny', origin: 'person', lifetime: 'always',
  createdAt: '2026-12-01T10:00:00.000Z', description: 'Never lets the agent run shell commands starting with “git push”', hits: 0, locked: false,
};

function rulesFrom(stored: unknown[]): { rules: RulesService; said: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'cc-rules-stored-'));
  const store = openConfStore(dir);
  store.set('rules', stored);
  const said: string[] = [];
  const rules = new RulesService({
    settings: new SettingsRepository(store),
    policy: new ManagedPolicyService(join(dir, 'no-policy.json'), false),
    clock: systemClock,
    ctx: { canonicalize: canonicalizerFor('linux'), volume: volumeRulesFor('linux') },
    home: dir,
    onTamper: (reason) => said.push(reason),
  });
  return { rules, said };
}

describe('remembered rules read back', () => {
  it('leaves out an entry that cannot be read and says so; the deny rule beside it stays', () => {
    const { rules, said } = rulesFrom([{ nonsense: true }, deny]);
    expect(rules.list().map((r) => r.id)).toEqual(['r-deny']);
    expect(said).toEqual(['settings.json holds a remembered rule that cannot be read; left out (the others are kept)']);
  });
  it('says nothing when every entry reads', () => {
    expect(rulesFrom([deny]).said).toEqual([]);
  });
});
