// A policy file's problems, each where a person finds it: line, column and key path; unknown keys
// warn (and name the key meant) unless the policy is strict.
import { describe, expect, it } from 'vitest';
import { readPolicyText } from '../../electron/core/policy/index.js';

describe('readPolicyText', () => {
  it('places a syntax error at its line and column, with the key path the reader was in', () => {
    const text = '{\n  "forbiddenPaths": ["/srv/secret"]\n  "outOfScope": "ask"\n}\n';
    const r = readPolicyText(text);
    expect(r).toMatchObject({ ok: false, fault: 'syntax' });
    if (r.ok) return;
    expect(r.problems[0]).toEqual({ line: 3, column: 3, path: 'forbiddenPaths', message: 'comma expected' });
  });

  it('names each object left open at the end of the file', () => {
    const r = readPolicyText('{\n  "approvals": {\n    "onTimeout": "hold"\n');
    expect(r).toMatchObject({
      ok: false,
      problems: [
        { line: 4, column: 1, path: 'approvals', message: 'close brace expected' },
        { line: 4, column: 1, path: '(root)', message: 'close brace expected' },
      ],
    });
  });

  it('places a schema error at the value, through arrays and nested objects', () => {
    const text = ['{', '  "sharedFolders": [', '    { "path": "/a", "mode": "read" },', '    { "path": "/b", "mode": "everything" }', '  ],', '  "approvals": { "timeoutSeconds": 1 }', '}'].join('\n');
    const r = readPolicyText(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => [p.path, p.line, p.column])).toEqual([
      ['sharedFolders[1].mode', 4, 29],
      ['approvals.timeoutSeconds', 6, 36],
    ]);
  });

  it('places a missing required key at the object that lacks it', () => {
    const r = readPolicyText('{\n  "sharedFolders": [\n    { "mode": "read" }\n  ]\n}');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([expect.objectContaining({ path: 'sharedFolders[0].path', line: 3, column: 5 })]);
  });

  it('applies the rest and warns on unknown keys, naming the key that was probably meant', () => {
    const text = '{\n  "forbidenPaths": ["/srv/secret"],\n  "outOfScope": "ask",\n  "watch": { "enabled": false, "exclud": ["x"] },\n  "newFeature2030": 1\n}';
    const r = readPolicyText(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.policy.outOfScope).toBe('ask');
    expect(r.policy.watch?.enabled).toBe(false);
    expect(r.policy.forbiddenPaths).toEqual([]);
    expect(r.warnings).toEqual([
      { path: 'forbidenPaths', line: 2, column: 3, message: 'unknown key "forbidenPaths"; did you mean "forbiddenPaths"?' },
      { path: 'watch.exclud', line: 4, column: 32, message: 'unknown key "exclud"; did you mean "exclude"?' },
      { path: 'newFeature2030', line: 5, column: 3, message: 'unknown key "newFeature2030"' },
    ]);
  });

  it('finds unknown keys in objects zod would quietly strip too (a shared folder, the organisation)', () => {
    const text = '{\n  "sharedFolders": [{ "path": "/srv/x", "mode": "read", "lable": "X" }],\n  "organization": { "name": "Example", "contcat": "it@example.com" }\n}';
    const r = readPolicyText(text);
    expect(r).toMatchObject({
      ok: true,
      warnings: [
        { path: 'sharedFolders[0].lable', line: 2, column: 57, message: 'unknown key "lable"; did you mean "label"?' },
        { path: 'organization.contcat', line: 3, column: 40, message: 'unknown key "contcat"; did you mean "contact"?' },
      ],
    });
    expect(readPolicyText(text.replace('{\n', '{\n  "strict": true,\n'))).toMatchObject({ ok: false, fault: 'schema', problems: [{ path: 'sharedFolders[0].lable' }, { path: 'organization.contcat' }] });
  });

  it('makes unknown keys errors when the policy says strict', () => {
    const r = readPolicyText('{ "strict": true, "forbidenPaths": ["/srv/secret"] }');
    expect(r).toMatchObject({ ok: false, fault: 'schema', problems: [{ path: 'forbidenPaths', line: 1, column: 19, message: expect.stringContaining('did you mean "forbiddenPaths"') }] });
  });

  it('does not apply a file with a real error even when its other problems are only unknown keys', () => {
    const r = readPolicyText('{ "outOfScope": "maybe", "extra": 1 }');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.path)).toEqual(['outOfScope']);
    // The unknown key is still said, as what it is: a warning.
    expect(r.warnings.map((p) => p.path)).toEqual(['extra']);
  });

  it('reads a valid file with no warnings', () => {
    expect(readPolicyText('{ "stormPerMinute": 100 }')).toMatchObject({ ok: true, warnings: [], policy: { stormPerMinute: 100, strict: false } });
  });
});
