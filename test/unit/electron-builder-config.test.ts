// electron-builder.yml against the schema electron-builder itself ships (draft-07): unknown or
// misspelt keys fail here instead of being ignored at packaging time. Also: every target IT deploys is
// configured, and every script or hook the config names exists in the form electron-builder uses.
import { accessSync, constants, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
// js-yaml comes with electron-builder and ships no types; only `load` is used.
const { load } = require('js-yaml') as { load(text: string): unknown };
const schema = require('app-builder-lib/scheme.json') as object;
const config = load(readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8')) as Record<string, any>;
const project = (path: string): string => fileURLToPath(new URL(`../../${path.replace(/^\.\//, '')}`, import.meta.url));

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

describe('electron-builder.yml', () => {
  it('matches app-builder-lib/scheme.json', () => {
    const ok = validate(config);
    expect(ok ? [] : validate.errors).toEqual([]);
  });

  it('the schema rejects unknown and misspelt keys (so the check above means something)', () => {
    expect(validate({ ...config, bogusKey: true })).toBe(false);
    expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNod: false } })).toBe(false);
  });

  it('identifies the app and packs only built output into an asar', () => {
    expect(config.appId).toBe('com.coworkcompanion.app');
    expect(config.productName).toBe('Cowork Companion');
    expect(config.asar).toBe(true);
    expect(config.files).toContain('dist/**/*');
    expect(config.files).toContain('package.json');
    expect(config.files.filter((f: string) => !f.startsWith('!') && /(^|\/)(electron|shared|renderer|test)\//.test(f))).toEqual([]);
  });

  it('fuses off run-as-node, NODE_OPTIONS and inspector; app only from a verified asar', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });

  it('builds the installers IT deploys: pkg + dmg, msi + nsis, deb + rpm + AppImage', () => {
    expect(config.mac).toMatchObject({ target: ['dmg', 'pkg'], category: 'public.app-category.developer-tools', hardenedRuntime: true });
    expect(config.win.target).toEqual(['nsis', 'msi']);
    expect(config.linux.target).toEqual(['deb', 'rpm', 'AppImage']);
    const all = [config.mac, config.win, config.linux].flatMap((os: { target: string[] }) => os.target);
    expect(all.sort()).toEqual(['AppImage', 'deb', 'dmg', 'msi', 'nsis', 'pkg', 'rpm']);
  });

  it('the msi installs for every user of the machine', () => {
    expect(config.msi).toMatchObject({ perMachine: true });
  });

  it('ships the hook client outside the asar, where connect looks for it (resources/bin)', () => {
    expect(config.extraResources).toContainEqual({ from: 'bin/cowork-companion-hook', to: 'bin/cowork-companion-hook' });
    expect(() => accessSync(project('bin/cowork-companion-hook'), constants.X_OK)).not.toThrow();
  });

  it('deb and rpm run the same post-install and post-remove templates, which exist', () => {
    for (const target of ['deb', 'rpm']) {
      expect(config[target].afterInstall, target).toBe('build/linux/after-install.tpl');
      expect(config[target].afterRemove, target).toBe('build/linux/after-remove.tpl');
    }
    for (const file of ['build/linux/after-install.tpl', 'build/linux/after-remove.tpl']) {
      expect(statSync(project(file)).isFile(), file).toBe(true);
    }
  });

  it('the Linux templates use only the macros electron-builder defines for them', () => {
    // FpmTarget's writeConfigFile replaces every ${letters} and fails the build on an unknown one.
    for (const file of ['build/linux/after-install.tpl', 'build/linux/after-remove.tpl']) {
      const macros = new Set([...readFileSync(project(file), 'utf8').matchAll(/\$\{([a-zA-Z]+)\}/g)].map((m) => m[1]));
      expect([...macros].sort(), file).toEqual(['executable', 'sanitizedProductName']);
    }
  });

  it('the pkg scripts folder (relative to build/) holds an executable postinstall and nothing else', () => {
    expect(config.directories.buildResources).toBe('build');
    const dir = project(`build/${config.pkg.scripts}`);
    expect(readdirSync(dir)).toEqual(['postinstall']);
    expect(() => accessSync(`${dir}/postinstall`, constants.X_OK)).not.toThrow();
    expect(readFileSync(`${dir}/postinstall`, 'utf8')).toMatch(/^#!\/bin\/bash\n/);
  });

  it('the nsis include defines the install and uninstall macros electron-builder calls', () => {
    const nsh = readFileSync(project(config.nsis.include), 'utf8');
    expect(nsh).toMatch(/^!macro customInstall$/m);
    expect(nsh).toMatch(/^!macro customUnInstall$/m);
  });

  it('the msiProjectCreated hook is a module exporting the function electron-builder calls', async () => {
    expect(config.msiProjectCreated).toBe('./build/msi-project-created.mjs');
    const hook = (await import(project(config.msiProjectCreated))) as Record<string, unknown>;
    expect(typeof hook['msiProjectCreated']).toBe('function');
  });

  it('main entry in package.json is inside the packed files', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { main: string };
    expect(pkg.main).toMatch(/^dist\/electron\/main\/main\.js$/);
  });
});
