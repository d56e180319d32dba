import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PolicyCommandError, runPolicyCommand } from '../../electron/cli/policy-command.js';
import { policyTemplateFiles } from '../../electron/core/deploy/policy-template-files.js';
import { CLI } from '../support/serve-process.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'policy-generate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const EXPECTED = [
  'claude-code/linux/managed-settings.d/50-cowork-companion.json',
  'claude-code/linux/managed-settings.json',
  'claude-code/macos/managed-settings.d/50-cowork-companion.json',
  'claude-code/macos/managed-settings.json',
  'claude-code/windows/managed-settings.d/50-cowork-companion.json',
  'claude-code/windows/managed-settings.json',
  'linux/policy.json',
  'linux/policy.schema.json',
  'macos/com.coworkcompanion.app.mobileconfig',
  'macos/com.coworkcompanion.app.plist',
  'windows/CoworkCompanion.admx', 'windows/en-US/CoworkCompanion.adml', 'windows/id-ID/CoworkCompanion.adml', 'windows/ja-JP/CoworkCompanion.adml'];

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1).split('\\').join('/'))
    .sort();
}

async function generate(out: string | undefined, json = false): Promise<{ code: number; stdout: string }> {
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const code = await runPolicyCommand('generate', [], { out, json, stdout });
  return { code, stdout: text };
}

describe('policy generate', () => {
  it('writes the templates with the real CLI', () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build:core" first (npm test builds).`);
    const out = join(dir, 'templates');
    const result = spawnSync(process.execPath, [CLI, 'policy', 'generate', '--out', out], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('windows/CoworkCompanion.admx');
    expect(filesUnder(out)).toEqual(EXPECTED);
    for (const file of policyTemplateFiles()) expect(readFileSync(join(out, file.path), 'utf8'), file.path).toBe(file.text);
    const policy = JSON.parse(readFileSync(join(out, 'linux/policy.json'), 'utf8')) as Record<string, unknown>;
    expect(policy['approvals']).toBeDefined();
  });

  it('says what it wrote, as JSON when asked', async () => {
    const out = join(dir, 'new', 'nested');
    const { code, stdout } = await generate(out, true);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ out, files: policyTemplateFiles().map((f) => f.path) });
  });

  it('writes again over its own previous output, replacing the files', async () => {
    await generate(dir);
    writeFileSync(join(dir, 'windows/CoworkCompanion.admx'), 'stale');
    expect((await generate(dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'windows/CoworkCompanion.admx'), 'utf8')).toContain('<policyDefinitions');
  });

  it('never writes through a link planted in a previous output (a file or a folder of it)', async () => {
    const out = join(dir, 'out');
    await generate(out);
    // What an agent running as the user could plant before an administrator generates again.
    const victim = join(dir, 'it-policy.json');
    writeFileSync(victim, '{"forbiddenPaths":["/srv/payroll"]}');
    rmSync(join(out, 'linux', 'policy.json'));
    symlinkSync(victim, join(out, 'linux', 'policy.json'));
    await expect(generate(out)).rejects.toThrow(/refusing to replace .*policy\.json: it is not a regular file/);
    expect(readFileSync(victim, 'utf8')).toBe('{"forbiddenPaths":["/srv/payroll"]}');

    rmSync(join(out, 'linux', 'policy.json'));
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    rmSync(join(out, 'windows', 'en-US'), { recursive: true });
    symlinkSync(elsewhere, join(out, 'windows', 'en-US'));
    await expect(generate(out)).rejects.toThrow(/refusing to write into .*en-US: it is not a folder/);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  const asRoot = process.getuid?.() === 0;
  it.skipIf(!asRoot)('as root, refuses a folder another user can change (skipped: needs root to run as root)', async () => {
    // A user's folder: between generate's checks and its writes they could swap a folder for a link.
    const users = join(dir, 'users');
    mkdirSync(users);
    chownSync(users, 65534, 65534);
    await expect(generate(join(users, 'out'))).rejects.toThrow(/refusing to write as root into .*users.*owned by a user/);
    expect(readdirSync(users)).toEqual([]);
    // A previous output whose subfolder a user may write.
    const out = join(dir, 'out');
    await generate(out);
    chmodSync(join(out, 'linux'), 0o777);
    await expect(generate(out)).rejects.toThrow(/refusing to write as root into .*linux: it is not root's alone/);
  });

  it('writes files everyone may read, with no temp files left', async () => {
    const out = join(dir, 'out');
    await generate(out);
    for (const file of policyTemplateFiles()) {
      const path = join(out, file.path);
      expect(lstatSync(path).isFile()).toBe(true);
      expect(statSync(path).mode & 0o777, file.path).toBe(0o644);
    }
    expect(filesUnder(out).some((f) => /\.tmp-/.test(f))).toBe(false);
  });

  it('refuses a folder that holds anything else, and writes nothing into it', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    mkdirSync(join(dir, 'windows'));
    await expect(generate(dir)).rejects.toThrow(/not empty and not a previous output.*"notes.txt"/);
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'windows']);
    expect(readdirSync(join(dir, 'windows'))).toEqual([]);
  });

  it('refuses a file as --out, and no --out at all', async () => {
    const file = join(dir, 'file');
    writeFileSync(file, 'x');
    await expect(generate(file)).rejects.toThrow(/is not a folder/);
    await expect(generate(undefined)).rejects.toThrow(PolicyCommandError);
    await expect(generate(undefined)).rejects.toThrow(/needs --out DIR/);
  });

  it('exits 1 with the reason through the real CLI', () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build:core" first (npm test builds).`);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const result = spawnSync(process.execPath, [CLI, 'policy', 'generate', '--out', dir], { encoding: 'utf8' });
    expect(result.stderr).toMatch(/cowork-companion policy: --out .* is not empty/);
    expect(result.status).toBe(1);
  });
});
