// `policy show` and `policy check` as IT runs them: real files in a temp folder, the output read back
// (human and --json), exit codes.
import bplistCreator from 'bplist-creator';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { build } from 'plist';
import { afterEach, describe, expect, it } from 'vitest';
import { runPolicyCommand } from '../../electron/cli/policy-command.js';
import { MASK, runPolicyShow, type PolicyShowReport } from '../../electron/cli/policy-show-command.js';
import { ManagedPolicyService, type PolicySourceSpec } from '../../electron/core/policy/index.js';
import { POLICY_SETTINGS } from '../../shared/managed-policy-layout.js';

const asRoot = process.getuid?.() === 0;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'cc-policy-cli-'));
  dirs.push(d);
  return d;
}
function out(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _e, cb) {
      text += chunk.toString();
      cb();
    },
  });
  return { stream, text: () => text };
}

const HMAC = 'k'.repeat(40);
function machine(): { dir: string; sources: PolicySourceSpec[]; main: string; dropIn: string } {
  const dir = tempDir();
  const main = join(dir, 'policy.json');
  writeFileSync(main, JSON.stringify({ stormPerMinute: 100, allowUserFolders: false, telemetry: { endpoint: 'https://otel.example.com/v1/logs', headers: { authorization: 'Bearer s3cret' }, redaction: { identity: 'hmac', hmacKey: HMAC } } }));
  mkdirSync(join(dir, 'policy.d'));
  const dropIn = join(dir, 'policy.d', '50-team.json');
  writeFileSync(dropIn, JSON.stringify({ stormPerMinute: 200, outOfScope: 'ask', colour: 'blue' }));
  return { dir, main, dropIn, sources: [{ kind: 'file', path: main }, { kind: 'drop-in', dir: join(dir, 'policy.d') }] };
}

describe('policy show', () => {
  it('--json: every setting with its value, its source (or default) and whether it is locked; secrets masked; warnings listed', () => {
    const m = machine();
    const o = out();
    const code = runPolicyShow({ json: true, stdout: o.stream }, () => new ManagedPolicyService(m.sources, false, () => undefined));
    expect(code).toBe(0);
    const report = JSON.parse(o.text()) as PolicyShowReport;
    expect(report.state).toBe('warnings');
    expect(report.locations).toEqual([m.main, join(m.dir, 'policy.d')]);
    expect(report.settings.map((s) => s.key)).toEqual(POLICY_SETTINGS.map((s) => s.key));
    const byKey = Object.fromEntries(report.settings.map((s) => [s.key, s]));
    expect(byKey['stormPerMinute']).toEqual({ key: 'stormPerMinute', value: 200, source: m.dropIn, sourceKind: 'drop-in', locked: true });
    expect(byKey['allowUserFolders']).toEqual({ key: 'allowUserFolders', value: false, source: m.main, sourceKind: 'file', locked: true });
    expect(byKey['allowBroadShares']).toEqual({ key: 'allowBroadShares', value: true, source: 'default', locked: false });
    expect(byKey['approvals.timeoutSeconds']).toEqual({ key: 'approvals.timeoutSeconds', source: 'default', locked: false });
    expect(byKey['approvals.onTimeout']).toEqual({ key: 'approvals.onTimeout', value: 'deny', source: 'default', locked: false });
    expect(byKey['telemetry.headers']?.value).toEqual({ authorization: MASK });
    expect(byKey['telemetry.redaction.hmacKey']?.value).toBe(MASK);
    expect(o.text()).not.toContain('s3cret');
    expect(o.text()).not.toContain(HMAC);
    expect(report.problems).toEqual([expect.objectContaining({ path: 'colour', source: m.dropIn, message: expect.stringContaining('unknown key "colour"') })]);
  });

  it('human: a line per setting with [locked: source] or [default], the places read, and the warnings with file:line:column', () => {
    const m = machine();
    const o = out();
    runPolicyShow({ json: false, stdout: o.stream }, () => new ManagedPolicyService(m.sources, false, () => undefined));
    const lines = o.text().split('\n');
    expect(lines[0]).toBe('Policy: in force, with warnings');
    expect(lines).toContain(`  ${m.main}`);
    expect(lines.find((l) => l.startsWith('stormPerMinute '))?.replace(/ +/g, ' ')).toBe(`stormPerMinute 200 locked by ${m.dropIn}`);
    expect(lines.find((l) => l.startsWith('allowBroadShares '))?.replace(/ +/g, ' ')).toBe('allowBroadShares true default');
    // Inside an object nobody set, the setting's own default.
    expect(lines.find((l) => l.startsWith('approvals.onTimeout '))?.replace(/ +/g, ' ')).toBe('approvals.onTimeout deny default');
    expect(lines.find((l) => l.startsWith('telemetry.redaction.hmacKey '))).toContain(MASK);
    const column = '{"stormPerMinute":200,"outOfScope":"ask","colour":"blue"}'.indexOf('"colour"') + 1;
    expect(lines).toContain(`  ${m.dropIn}:1:${column}: colour: unknown key "colour"`);
    expect(o.text()).not.toContain('s3cret');
  });

  it('an invalid source: exit 1, the state, the error naming it, what stays in force', () => {
    const m = machine();
    writeFileSync(m.dropIn, '{ "stormPerMinute": 1 }');
    const o = out();
    const code = runPolicyShow({ json: false, stdout: o.stream }, () => new ManagedPolicyService(m.sources, false, () => undefined));
    expect(code).toBe(1);
    expect(o.text()).toContain(`Policy: INVALID — ${m.dropIn} is not a valid policy: stormPerMinute (line 1, column 21)`);
    expect(o.text()).toContain('No valid policy: nothing is allowed automatically');
    expect(o.text()).toContain(`  ${m.dropIn}:1:21: stormPerMinute: `);
  });

  it.skipIf(!asRoot)('through the command with --policy FILE (the real trust check: a root-owned temp file; CI runs as root)', async () => {
    const file = join(tempDir(), 'p.json');
    writeFileSync(file, JSON.stringify({ outOfScope: 'ask' }));
    const o = out();
    expect(await runPolicyCommand('show', [], { policyFile: file, json: true, stdout: o.stream })).toBe(0);
    const report = JSON.parse(o.text()) as PolicyShowReport;
    expect(report.sources).toEqual([{ kind: 'file', where: file }]);
    expect(report.settings.find((s) => s.key === 'outOfScope')).toEqual({ key: 'outOfScope', value: 'ask', source: file, sourceKind: 'file', locked: true });
  });
});

describe('policy check FILE', () => {
  it('a JSON file with errors: every error with line:column and key path, warnings too; exit 1', async () => {
    const file = join(tempDir(), 'policy.json');
    writeFileSync(file, '{\n  "stormPerMinute": 1,\n  "approvals": { "onTimeout": "allow" },\n  "forbidenPaths": []\n}\n');
    const o = out();
    expect(await runPolicyCommand('check', [file], { json: false, stdout: o.stream })).toBe(1);
    expect(o.text().split('\n')).toEqual([
      `${file}:2:21: error: stormPerMinute: Too small: expected number to be >=5`,
      `${file}:3:31: error: approvals.onTimeout: Invalid option: expected one of "deny"|"hold"`,
      `${file}:4:3: warning: forbidenPaths: unknown key "forbidenPaths"; did you mean "forbiddenPaths"?`,
      `${file}: invalid: 2 errors, 1 warning`,
      '',
    ]);
  });

  it('with strict on, an unknown key is an error', async () => {
    const file = join(tempDir(), 'policy.json');
    writeFileSync(file, '{\n  "strict": true,\n  "stormPerMinute": 1,\n  "colour": "blue"\n}\n');
    const o = out();
    expect(await runPolicyCommand('check', [file], { json: true, stdout: o.stream })).toBe(1);
    expect((JSON.parse(o.text()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(['stormPerMinute', 'colour']);
  });

  it('a valid JSON file with an unknown key: valid with a warning; exit 0; --json says the same', async () => {
    const file = join(tempDir(), 'policy.json');
    writeFileSync(file, '{\n  "outOfScope": "ask",\n  "colour": "blue"\n}\n');
    const o = out();
    expect(await runPolicyCommand('check', [file], { json: false, stdout: o.stream })).toBe(0);
    expect(o.text()).toBe(`${file}:3:3: warning: colour: unknown key "colour"\n${file}: valid (1 warning)\n`);
    const j = out();
    expect(await runPolicyCommand('check', [file], { json: true, stdout: j.stream })).toBe(0);
    expect(JSON.parse(j.text())).toEqual({ file, valid: true, errors: [], warnings: [{ path: 'colour', line: 3, column: 3, message: 'unknown key "colour"' }] });
  });

  it('a rule whose kind can never match its tool: a warning with line:column, why and what to write instead; valid, also with strict; exit 0', async () => {
    const file = join(tempDir(), 'policy.json');
    writeFileSync(file, '{\n  "strict": true,\n  "rules": [\n    { "toolName": "Read", "match": { "kind": "command-prefix", "prefix": "git" }, "effect": "deny" }\n  ]\n}\n');
    const o = out();
    expect(await runPolicyCommand('check', [file], { json: false, stdout: o.stream })).toBe(0);
    expect(o.text().split('\n')).toEqual([
      `${file}:4:46: warning: rules[0].match.kind: A command prefix is matched against the command a Bash call runs, and Read runs no command: this deny rule never denies a Read call; it sends every one to a person instead. To deny commands, write the rule for "Bash"; for Read, match by "path-prefix" or "any".`,
      `${file}: valid (1 warning)`,
      '',
    ]);
  });

  it('a syntax error: its place; a missing file: a clear error', async () => {
    const file = join(tempDir(), 'policy.json');
    writeFileSync(file, '{\n  "outOfScope": "ask",\n}\n');
    const o = out();
    expect(await runPolicyCommand('check', [file], { json: false, stdout: o.stream })).toBe(1);
    expect(o.text()).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:1: error: `));
    await expect(runPolicyCommand('check', [join(tempDir(), 'nope.json')], { json: false, stdout: out().stream })).rejects.toThrow(/cannot read .*nope\.json \(ENOENT\)/);
  });

  it('a binary managed-preferences plist and a configuration profile: errors with key paths (no lines in a plist)', async () => {
    const dir = tempDir();
    const plistFile = join(dir, 'com.coworkcompanion.app.plist');
    writeFileSync(plistFile, bplistCreator({ allowUserFolders: 'no', approvals: { timeoutSeconds: 60 } }));
    const o = out();
    expect(await runPolicyCommand('check', [plistFile], { json: false, stdout: o.stream })).toBe(1);
    expect(o.text()).toBe(`${plistFile}: error: allowUserFolders: Invalid input: expected boolean, received string\n${plistFile}: invalid: 1 error\n`);
    const profile = join(dir, 'cc.mobileconfig');
    writeFileSync(profile, build({ PayloadType: 'Configuration', PayloadContent: [{ PayloadType: 'com.coworkcompanion.app', PayloadUUID: 'x', outOfScope: 'ask' }] }));
    const p = out();
    expect(await runPolicyCommand('check', [profile], { json: false, stdout: p.stream })).toBe(0);
    expect(p.text()).toBe(`${profile}: valid\n`);
  });
});
