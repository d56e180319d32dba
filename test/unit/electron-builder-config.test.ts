// electron-builder.yml against the schema electron-builder itself ships (draft-07): unknown or
// misspelt keys fail here instead of being ignored at packaging time.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
// js-yaml comes with electron-builder and ships no types; only `load` is used.
const { load } = require('js-yaml') as { load(text: string): unknown };
const schema = require('app-builder-lib/scheme.json') as object;
const config = load(readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8')) as Record<string, any>;

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

  it('builds the installers IT deploys', () => {
    expect(config.mac).toMatchObject({ target: ['dmg', 'pkg'], category: 'public.app-category.developer-tools', hardenedRuntime: true });
    expect(config.win.target).toEqual(['nsis', 'msi']);
    expect(config.linux.target).toEqual(['deb', 'AppImage']);
  });

  it('main entry in package.json is inside the packed files', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { main: string };
    expect(pkg.main).toMatch(/^dist\/electron\/main\/main\.js$/);
  });
});
