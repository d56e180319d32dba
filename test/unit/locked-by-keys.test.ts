// Every "Set by … · policy key <key>" the window shows names a real key of the managed policy: the key
// is what a person quotes to IT and what IT looks up in its ADMX, profile or policy.json.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLICY_SETTINGS } from '../../shared/managed-policy-layout.js';

const COMPONENTS = join(import.meta.dirname, '../../renderer/src/components');

/** `policyKey="…"` and policyKey={`approvals.${k}`} uses, per file (template keys with each value the code lists). */
function usedKeys(): { file: string; key: string }[] {
  return readdirSync(COMPONENTS)
    .filter((f) => f.endsWith('.tsx'))
    .flatMap((file) => {
      const text = readFileSync(join(COMPONENTS, file), 'utf8');
      const literal = [...text.matchAll(/policyKey="([^"]+)"/g)].map((m) => m[1]!);
      // policyKey={view.policyKey ?? 'approvals.sandboxedBash'}: the fallback key in the expression.
      const fallback = [...text.matchAll(/policyKey=\{[^}`]*'([\w.]+)'[^}]*\}/g)].map((m) => m[1]!);
      const templated = [...text.matchAll(/policyKey=\{`([\w.]*)\$\{\w+\}`\}/g)].flatMap((m) =>
        ['timeoutSeconds', 'onTimeout', 'holdHours'].map((k) => `${m[1]}${k}`),
      );
      return [...literal, ...fallback, ...templated].map((key) => ({ file, key }));
    });
}

describe('LockedBy policy keys', () => {
  const keys = new Set(POLICY_SETTINGS.map((s) => s.key));

  it('are used across the window (settings, folders, rules, evidence, cards, watch)', () => {
    const files = new Set(usedKeys().map((u) => u.file));
    expect([...files].sort()).toEqual(
      expect.arrayContaining(['approval-card.tsx', 'evidence-view.tsx', 'rule-row.tsx', 'rules-view.tsx', 'sandboxed-bash-toggle.tsx', 'settings-view.tsx', 'shared-folder-row.tsx', 'shared-folders.tsx', 'start-at-login-toggle.tsx', 'watch-coverage.tsx']),
    );
  });

  it('each names a setting of the managed policy', () => {
    const unknown = usedKeys().filter((u) => !keys.has(u.key));
    expect(unknown).toEqual([]);
    expect(keys.has('not.a.key')).toBe(false);
  });
});
