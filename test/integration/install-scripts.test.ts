// The installers' scripts run for real as root against a throwaway system: the deb/rpm post-install and
// post-remove, and the macOS pkg's postinstall (written for macOS's and GNU's tools alike; here it
// installs onto a target volume, as pkgbuild's third argument allows). bubblewrap gives each run its own
// /opt, /etc and /usr/bin (temp folders; /usr/bin holds only the tools the scripts use, so the
// distribution's update-alternatives and friends are absent and the scripts take their plain-link
// paths). Root is uid 0 in a user namespace, so this runs unprivileged in CI too (which installs
// bubblewrap). The app folders have a space in their names, as the real ones do.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const linux = process.platform === 'linux';
const project = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const APP = '/opt/Cowork Companion';
const CLIENT = `${APP}/resources/bin/cowork-companion-hook`;
const TOOLS = ['bash', 'readlink', 'rm', 'ln', 'chmod', 'stat', 'find', 'install', 'mv'];

/** As FpmTarget renders the template for this app. */
const render = (file: string): string =>
  readFileSync(project(file), 'utf8').replace(/\$\{([a-zA-Z]+)\}/g, (_m, name: string) => {
    const value = ({ executable: 'cowork-companion', sanitizedProductName: 'Cowork Companion' } as Record<string, string>)[name];
    if (value === undefined) throw new Error(`Macro ${name} is not defined`);
    return value;
  });

let root: string;
/** Host path of a path inside the throwaway system. */
const at = (path: string): string => join(root, path.replace(/^\/(opt|etc|usr\/bin)/, (_m, top: string) => `/${top.replace('/', '-')}`));

type Result = { status: number | null; stderr: string };

function run(script: 'after-install' | 'after-remove', ...extra: string[]): Result {
  const file = join(root, `${script}.sh`);
  writeFileSync(file, render(`build/linux/${script}.tpl`));
  return sandboxed([...extra, '--', '/usr/bin/bash', file]);
}

/** Runs `rest` (bwrap options, then `--` and the command) with this test's /opt, /etc and /usr/bin. */
function sandboxed(rest: string[]): Result {
  const which = (tool: string): string => {
    const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    if (found === '') throw new Error(`${tool} is not installed`);
    return found;
  };
  const args = [
    '--unshare-user', '--uid', '0', '--gid', '0',
    '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc',
    '--bind', at('/opt'), '/opt', '--bind', at('/etc'), '/etc', '--bind', at('/usr/bin'), '/usr/bin',
    ...TOOLS.flatMap((tool) => ['--ro-bind', which(tool), `/usr/bin/${tool}`]),
    ...rest,
  ];
  const result = spawnSync('bwrap', args, { encoding: 'utf8' });
  if (result.error) throw new Error(`bubblewrap is needed for this test (sudo apt-get install bubblewrap): ${result.error.message}`);
  return { status: result.status, stderr: result.stderr };
}

describe.skipIf(!linux)('deb/rpm scripts (Linux: run in bubblewrap as root of a throwaway system)', () => {
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'linux-install-'));
    for (const dir of ['/opt', '/etc', '/usr/bin', `${APP}/resources/bin`]) mkdirSync(at(dir), { recursive: true });
    for (const file of ['passwd', 'group']) copyFileSync(`/etc/${file}`, at(`/etc/${file}`));
    copyFileSync(project('bin/cowork-companion-hook'), at(CLIENT));
    chmodSync(at(CLIENT), 0o755);
    for (const file of ['cowork-companion', 'chrome-sandbox']) writeFileSync(at(`${APP}/${file}`), '');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('installs: the hook client and the app on PATH, a root-owned 0755 policy.d; a second run changes nothing', () => {
    expect(run('after-install')).toEqual({ status: 0, stderr: '' });
    expect(readlinkSync(at('/usr/bin/cowork-companion-hook'))).toBe(CLIENT);
    expect(readlinkSync(at('/usr/bin/cowork-companion'))).toBe(`${APP}/cowork-companion`);
    for (const dir of ['/etc/cowork-companion', '/etc/cowork-companion/policy.d']) {
      const stat = statSync(at(dir));
      expect(stat.isDirectory() && (stat.mode & 0o777).toString(8), dir).toBe('755');
      expect(stat.uid, dir).toBe(process.getuid!());
    }
    expect(run('after-install')).toEqual({ status: 0, stderr: '' });
    expect(readlinkSync(at('/usr/bin/cowork-companion-hook'))).toBe(CLIENT);
  });

  it('leaves an existing policy folder as IT made it', () => {
    mkdirSync(at('/etc/cowork-companion'), { mode: 0o750 });
    chmodSync(at('/etc/cowork-companion'), 0o750);
    writeFileSync(at('/etc/cowork-companion/policy.json'), '{"strict":true}');
    expect(run('after-install').status).toBe(0);
    expect((statSync(at('/etc/cowork-companion')).mode & 0o777).toString(8)).toBe('750');
    expect(readFileSync(at('/etc/cowork-companion/policy.json'), 'utf8')).toBe('{"strict":true}');
    expect(statSync(at('/etc/cowork-companion/policy.d')).isDirectory()).toBe(true);
  });

  it('replaces a link someone left at /usr/bin/cowork-companion-hook without writing through it', () => {
    // A link to a folder: a plain `ln -sf` would put the new link inside that folder.
    mkdirSync(at('/etc/victim'));
    symlinkSync('/etc/victim', at('/usr/bin/cowork-companion-hook'));
    expect(run('after-install').status).toBe(0);
    expect(readlinkSync(at('/usr/bin/cowork-companion-hook'))).toBe(CLIENT);
    expect(readdirSync(at('/etc/victim'))).toEqual([]);
  });

  it('keeps a real file at /usr/bin/cowork-companion-hook and says so', () => {
    writeFileSync(at('/usr/bin/cowork-companion-hook'), '#!/bin/sh\n');
    const result = run('after-install');
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('/usr/bin/cowork-companion-hook exists and is not a link');
    expect(lstatSync(at('/usr/bin/cowork-companion-hook')).isSymbolicLink()).toBe(false);
  });

  it('does not link a hook client others could have changed', () => {
    chmodSync(at(CLIENT), 0o775);
    const result = run('after-install');
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('the hook client was not put on PATH');
    expect(existsSync(at('/usr/bin/cowork-companion-hook'))).toBe(false);
  });

  it('creates nothing through a symbolic link at /etc/cowork-companion', () => {
    mkdirSync(join(root, 'elsewhere'));
    symlinkSync(join(root, 'elsewhere'), at('/etc/cowork-companion'));
    const result = run('after-install', '--bind', join(root, 'elsewhere'), join(root, 'elsewhere'));
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('/etc/cowork-companion is a symbolic link; left as it is.');
    expect(existsSync(join(root, 'elsewhere', 'policy.d'))).toBe(false);
  });

  it('removes: keeps the links while the app is there (an upgrade), drops them once it is gone, never the policy', () => {
    expect(run('after-install').status).toBe(0);
    writeFileSync(at('/etc/cowork-companion/policy.d/50-team.json'), '{}');
    expect(run('after-remove')).toEqual({ status: 0, stderr: '' });
    expect(readlinkSync(at('/usr/bin/cowork-companion-hook'))).toBe(CLIENT);
    expect(readlinkSync(at('/usr/bin/cowork-companion'))).toBe(`${APP}/cowork-companion`);

    rmSync(at(APP), { recursive: true });
    expect(run('after-remove')).toEqual({ status: 0, stderr: '' });
    expect(lstatSync(at('/usr/bin/cowork-companion-hook'), { throwIfNoEntry: false })).toBeUndefined();
    expect(lstatSync(at('/usr/bin/cowork-companion'), { throwIfNoEntry: false })).toBeUndefined();
    expect(readFileSync(at('/etc/cowork-companion/policy.d/50-team.json'), 'utf8')).toBe('{}');
  });
});

describe.skipIf(!linux)('macOS pkg postinstall (run on Linux in bubblewrap, installing onto a target volume)', () => {
  const MAC_CLIENT = '/Applications/Cowork Companion.app/Contents/Resources/bin/cowork-companion-hook';
  const MANAGED_CLIENT = '/Library/Application Support/CoworkCompanion/bin/cowork-companion-hook';
  let volume: string;
  const onVolume = (path: string): string => join(volume, path);
  const postinstall = (): Result =>
    sandboxed(['--bind', volume, volume, '--', '/usr/bin/bash', project('build/pkg-scripts/postinstall'), '/tmp/Cowork Companion.pkg', '/Applications', volume]);

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'pkg-postinstall-'));
    for (const dir of ['/opt', '/etc', '/usr/bin']) mkdirSync(at(dir), { recursive: true });
    for (const file of ['passwd', 'group']) copyFileSync(`/etc/${file}`, at(`/etc/${file}`));
    volume = join(root, 'Macintosh HD');
    mkdirSync(onVolume(dirname(MAC_CLIENT)), { recursive: true });
    copyFileSync(project('bin/cowork-companion-hook'), onVolume(MAC_CLIENT));
    chmodSync(onVolume(MAC_CLIENT), 0o755);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('links /usr/local/bin/cowork-companion-hook, creating the folders root-owned 0755; a second run changes nothing', () => {
    expect(postinstall()).toEqual({ status: 0, stderr: '' });
    expect(readlinkSync(onVolume('/usr/local/bin/cowork-companion-hook'))).toBe(MAC_CLIENT);
    for (const dir of ['/usr/local', '/usr/local/bin']) {
      const stat = statSync(onVolume(dir));
      expect((stat.mode & 0o777).toString(8), dir).toBe('755');
      expect(stat.uid, dir).toBe(process.getuid!());
    }
    expect(postinstall()).toEqual({ status: 0, stderr: '' });
    expect(readlinkSync(onVolume('/usr/local/bin/cowork-companion-hook'))).toBe(MAC_CLIENT);
  });

  it('copies the client where the managed settings run it: root-owned 0755 in root-only folders, replaced on each install', () => {
    expect(postinstall()).toEqual({ status: 0, stderr: '' });
    expect(readFileSync(onVolume(MANAGED_CLIENT), 'utf8')).toBe(readFileSync(project('bin/cowork-companion-hook'), 'utf8'));
    for (const path of [MANAGED_CLIENT, dirname(MANAGED_CLIENT), dirname(dirname(MANAGED_CLIENT))]) {
      const stat = lstatSync(onVolume(path));
      expect((stat.mode & 0o777).toString(8), path).toBe('755');
      expect(stat.uid, path).toBe(process.getuid!());
    }
    // An update brings the new client; nothing of the old copy (or a temp file) is left.
    writeFileSync(onVolume(MAC_CLIENT), '#!/bin/bash\n# new version\n');
    expect(postinstall()).toEqual({ status: 0, stderr: '' });
    expect(readFileSync(onVolume(MANAGED_CLIENT), 'utf8')).toContain('# new version');
    expect(readdirSync(onVolume(dirname(MANAGED_CLIENT)))).toEqual(['cowork-companion-hook']);
  });

  it('never copies the managed client through a link or into a folder others can write', () => {
    const elsewhere = mkdtempSync(join(root, 'elsewhere-'));
    mkdirSync(onVolume('/Library/Application Support'), { recursive: true });
    symlinkSync(elsewhere, onVolume('/Library/Application Support/CoworkCompanion'));
    let result = postinstall();
    expect(result.stderr).toContain('CoworkCompanion is a symbolic link; the managed hook client was not installed');
    expect(readdirSync(elsewhere)).toEqual([]);
    rmSync(onVolume('/Library/Application Support/CoworkCompanion'));
    mkdirSync(onVolume('/Library/Application Support/CoworkCompanion'), { mode: 0o777 });
    chmodSync(onVolume('/Library/Application Support/CoworkCompanion'), 0o777);
    result = postinstall();
    expect(result.stderr).toContain('CoworkCompanion is not owned by root, or others can write to it; the managed hook client was not installed');
    expect(existsSync(onVolume(MANAGED_CLIENT))).toBe(false);
  });

  it('links into an existing root-owned 0755 /usr/local/bin; refuses one others can write (Homebrew\'s 0775) and leaves it as it is, saying so', () => {
    mkdirSync(onVolume('/usr/local/bin'), { recursive: true });
    chmodSync(onVolume('/usr/local/bin'), 0o755);
    expect(postinstall()).toEqual({ status: 0, stderr: '' });
    expect(readlinkSync(onVolume('/usr/local/bin/cowork-companion-hook'))).toBe(MAC_CLIENT);
    rmSync(onVolume('/usr/local/bin/cowork-companion-hook'));

    for (const [dir, mode] of [['/usr/local/bin', 0o775], ['/usr/local/bin', 0o757], ['/usr/local', 0o777]] as const) {
      chmodSync(onVolume(dir), mode);
      const result = postinstall();
      expect(result, `${dir} ${mode.toString(8)}`).toEqual({ status: 0, stderr: expect.stringContaining(`${onVolume(dir)} is not owned by root, or others can write to it`) });
      expect(result.stderr).toContain(`Use the full path ${onVolume(MANAGED_CLIENT)}`);
      expect((statSync(onVolume(dir)).mode & 0o777).toString(8)).toBe(mode.toString(8));
      expect(lstatSync(onVolume('/usr/local/bin/cowork-companion-hook'), { throwIfNoEntry: false }), `${dir} ${mode.toString(8)}`).toBeUndefined();
      chmodSync(onVolume(dir), 0o755);
    }
  });

  it('refuses a /usr/local/bin root does not own (an Intel Mac\'s Homebrew gives it to the user)', () => {
    // A folder of another user: inside the sandbox only this test's own uid is root, so one owned by
    // anyone else (root outside, when the test is not run as root) shows up as not root-owned.
    let foreign = '/usr/share';
    if (process.getuid!() === 0) {
      foreign = mkdtempSync(join(tmpdir(), 'pkg-foreign-'));
      chownSync(foreign, 65534, 65534);
      chmodSync(foreign, 0o755);
    }
    mkdirSync(onVolume('/usr/local/bin'), { recursive: true });
    const result = sandboxed(['--bind', volume, volume, '--ro-bind', foreign, onVolume('/usr/local/bin'), '--', '/usr/bin/bash', project('build/pkg-scripts/postinstall'), '/tmp/Cowork Companion.pkg', '/Applications', volume]);
    if (foreign !== '/usr/share') rmSync(foreign, { recursive: true, force: true });
    expect(result).toEqual({ status: 0, stderr: expect.stringContaining(`${onVolume('/usr/local/bin')} is not owned by root, or others can write to it`) });
    expect(lstatSync(onVolume('/usr/local/bin/cowork-companion-hook'), { throwIfNoEntry: false })).toBeUndefined();
  });

  it('replaces a planted link without writing through it; keeps a real file', () => {
    mkdirSync(onVolume('/usr/local/bin'), { recursive: true });
    mkdirSync(onVolume('/victim'));
    symlinkSync(onVolume('/victim'), onVolume('/usr/local/bin/cowork-companion-hook'));
    expect(postinstall().status).toBe(0);
    expect(readlinkSync(onVolume('/usr/local/bin/cowork-companion-hook'))).toBe(MAC_CLIENT);
    expect(readdirSync(onVolume('/victim'))).toEqual([]);

    rmSync(onVolume('/usr/local/bin/cowork-companion-hook'));
    writeFileSync(onVolume('/usr/local/bin/cowork-companion-hook'), '#!/bin/sh\n');
    const result = postinstall();
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('exists and is not a link; left as it is');
    expect(lstatSync(onVolume('/usr/local/bin/cowork-companion-hook')).isSymbolicLink()).toBe(false);
  });

  it('does nothing through a linked /usr/local/bin, nor for a client others could change, and never fails the install', () => {
    mkdirSync(onVolume('/elsewhere'));
    mkdirSync(onVolume('/usr/local'), { recursive: true });
    symlinkSync(onVolume('/elsewhere'), onVolume('/usr/local/bin'));
    let result = postinstall();
    expect(result).toEqual({ status: 0, stderr: expect.stringContaining('/usr/local/bin is a symbolic link') });
    expect(readdirSync(onVolume('/elsewhere'))).toEqual([]);

    rmSync(onVolume('/usr/local/bin'));
    chmodSync(onVolume(MAC_CLIENT), 0o757);
    result = postinstall();
    expect(result).toEqual({ status: 0, stderr: expect.stringContaining('the hook client was not put on PATH') });
    expect(lstatSync(onVolume('/usr/local/bin/cowork-companion-hook'), { throwIfNoEntry: false })).toBeUndefined();
  });
});
