// What goes into the packaged app, checked without an Electron binary: a copy of the project (as a
// fresh clone has it) is built with `npm run build`, electron-builder's own file matcher
// (app-builder-lib's getMainFileMatchers, the one its packager uses, with its default exclusions)
// picks files by electron-builder.yml's `files`, and @electron/asar packs them into a real app.asar,
// which is then listed. electron-builder adds the production dependencies' node_modules itself; here
// every bare import in the packed code must name one of them.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPackage, extractFile, listPackage } from '@electron/asar';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { load } = require('js-yaml') as { load(text: string): unknown };
// Internal to app-builder-lib (no typings); the same functions its packager calls.
const { getMainFileMatchers, getFileMatchers } = require('app-builder-lib/out/fileMatcher') as {
  getMainFileMatchers(appDir: string, destination: string, expand: (p: string) => string, options: object, packager: object, outDir: string, isElectronCompile: boolean): Matcher[];
  getFileMatchers(config: object, name: 'extraResources', destination: string, options: object): Matcher[] | null;
};
const { walk } = require('builder-util') as { walk(dir: string, filter: (file: string, stat: object) => boolean): Promise<string[]> };
type Matcher = { from: string; to: string; patterns: string[]; createFilter(): (file: string, stat: object) => boolean };

const repo = fileURLToPath(new URL('../..', import.meta.url));
const config = load(readFileSync(join(repo, 'electron-builder.yml'), 'utf8')) as Record<string, any>;
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** Not part of a clone (or made by the build under test). */
const NOT_IN_A_CLONE = new Set(['node_modules', '.git', 'dist', 'release', 'test-results', 'playwright-report', 'coverage']);

let work: string;
let app: string;
let entries: string[];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'packaged-contents-'));
  app = join(work, 'Cowork Companion');
  cpSync(repo, app, {
    recursive: true,
    filter: (src) => src === repo.replace(/[\\/]$/, '') || !NOT_IN_A_CLONE.has(relative(repo, src).split(sep)[0] ?? ''),
  });
  symlinkSync(realpathSync(join(repo, 'node_modules')), join(app, 'node_modules'), 'dir');
  execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build', '--silent'], { cwd: app, stdio: 'pipe' });
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packaged app.asar', () => {
  beforeAll(async () => {
    const stage = join(work, 'stage');
    const packager = {
      info: { config, projectDir: app, buildResourcesDir: join(app, config.directories.buildResources), isPrepackedAppAsar: false, debugLogger: { isEnabled: false } },
    };
    const matchers = getMainFileMatchers(app, stage, (p) => p, {}, packager, join(app, config.directories.output), false);
    expect(matchers).toHaveLength(1);
    const files = await walk(app, matchers[0]!.createFilter());
    for (const file of files) {
      const to = join(stage, relative(app, file));
      mkdirSync(dirname(to), { recursive: true });
      cpSync(file, to);
    }
    const asar = join(work, 'app.asar');
    await createPackage(stage, asar);
    entries = listPackage(asar, { isPack: false }).map((e) => e.replaceAll('\\', '/'));
  }, 60_000);

  it('holds the built app: main, preload, renderer, the CLI, the worker threads and package.json', () => {
    const workers = ['/dist/electron/core/timeline/timeline-follower-worker.js', '/dist/electron/core/evidence/otlp-sender-worker.js'];
    for (const file of ['/package.json', `/${pkg.main}`, '/dist/electron/preload/preload.cjs', '/dist/renderer/index.html', '/dist/electron/cli/cli.js', ...workers]) {
      expect(entries, file).toContain(file);
    }
  });

  it('the renderer page finds its scripts and styles inside the asar', () => {
    const html = extractFile(join(work, 'app.asar'), 'dist/renderer/index.html').toString('utf8');
    const assets = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((m) => `/dist/renderer/${m[1]}`);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect(entries, asset).toContain(asset);
  });

  it('holds no sources, source maps, tests, benchmarks, docs, build resources or node_modules', () => {
    const files = entries.filter((e) => /\.[a-z0-9]+$/i.test(e));
    expect(files.filter((e) => /\.(ts|tsx|map)$/.test(e))).toEqual([]);
    expect(files.filter((e) => /\.(test|spec)\./.test(e))).toEqual([]);
    expect(entries.filter((e) => /^\/(electron|shared|renderer|test|bench|docs|build|bin|scripts|node_modules)(\/|$)/.test(e))).toEqual([]);
    expect(entries.filter((e) => /^\/[^/]+$/.test(e)).sort()).toEqual(['/dist', '/package.json']);
  });

  it('every bare import in the packed code is a production dependency (electron-builder ships only those)', () => {
    const code = entries.filter((e) => /\.(js|cjs|mjs)$/.test(e));
    expect(code.length).toBeGreaterThan(10);
    const builtins = new Set(builtinModules);
    const found = new Map<string, string>();
    for (const entry of code) {
      const text = readFileSync(join(app, entry), 'utf8');
      for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
        if (/^(\.|\/|node:)/.test(fileName) || builtins.has(fileName) || fileName === 'electron') continue;
        const name = fileName.startsWith('@') ? fileName.split('/').slice(0, 2).join('/') : fileName.split('/')[0]!;
        if (!found.has(name)) found.set(name, entry);
      }
    }
    // The scan sees imports (so an empty result cannot pass by accident).
    expect([...found.keys()]).toContain('zod');
    const notProduction = [...found].filter(([name]) => !(name in pkg.dependencies)).map(([name, entry]) => `${name} (${entry})`);
    expect(notProduction).toEqual([]);
  });
});

describe('the hook client beside the asar (extraResources)', () => {
  it('comes from the tree as an executable file and lands in resources/bin', () => {
    const matchers = getFileMatchers(config, 'extraResources', '/resources', { macroExpander: (p: string) => p, customBuildOptions: {}, globalOutDir: join(app, 'release'), defaultSrc: app });
    expect(matchers?.map((m) => [relative(app, m.from), m.to])).toEqual([[join('bin', 'cowork-companion-hook'), join('/resources', 'bin', 'cowork-companion-hook')]]);
    expect(() => accessSync(matchers![0]!.from, constants.X_OK)).not.toThrow();
  });
});
