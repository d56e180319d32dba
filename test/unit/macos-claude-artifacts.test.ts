// The macOS and Claude Code files of `policy generate`, for the example policy, against their golden
// copies in test/fixtures/policy-templates/ (UPDATE_GOLDEN=1 rewrites them): generating again gives the
// same bytes, so a change to any of them shows up in review.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { examplePolicy } from '../../shared/managed-policy-meta.js';
import { macosAndClaudeArtifacts, PolicyTemplateError } from '../../electron/core/deploy/index.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/policy-templates/', import.meta.url));
// The same example policy as linux/policy.json: every format shows IT one starting point.
const example = examplePolicy();

describe('macosAndClaudeArtifacts: golden files', () => {
  const files = macosAndClaudeArtifacts(example);

  it('names the files as policy generate writes them', () => {
    expect(files.map((f) => f.path)).toEqual([
      'macos/com.coworkcompanion.app.mobileconfig',
      'macos/com.coworkcompanion.app.plist',
      'claude-code/macos/managed-settings.json',
      'claude-code/macos/managed-settings.d/50-cowork-companion.json',
      'claude-code/linux/managed-settings.json',
      'claude-code/linux/managed-settings.d/50-cowork-companion.json',
      'claude-code/windows/managed-settings.json',
      'claude-code/windows/managed-settings.d/50-cowork-companion.json',
    ]);
    // Each system's file and its drop-in form are the same; the systems' files differ (client path, data folder).
    for (const i of [2, 4, 6]) expect(files[i]!.text).toBe(files[i + 1]!.text);
    expect(new Set([files[2]!.text, files[4]!.text, files[6]!.text]).size).toBe(3);
  });

  it('matches test/fixtures/policy-templates (UPDATE_GOLDEN=1 rewrites)', () => {
    for (const f of files) {
      const golden = join(FIXTURES, f.path);
      if (process.env['UPDATE_GOLDEN']) {
        mkdirSync(dirname(golden), { recursive: true });
        writeFileSync(golden, f.text);
      }
      expect(f.text, `${f.path} differs from its golden file (UPDATE_GOLDEN=1 to accept)`).toBe(readFileSync(golden, 'utf8'));
    }
  });
});

describe('macosAndClaudeArtifacts: refusals', () => {
  it('makes nothing from an invalid policy', () => {
    expect(() => macosAndClaudeArtifacts({ ...example, stormPerMinute: 1 })).toThrow(PolicyTemplateError);
  });
});
