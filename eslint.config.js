// Lint = layering + a modest recommended set (not type-aware, to stay fast).
// Layers: shared/ runs anywhere; electron/core and electron/cli are plain Node; only electron/main and
// electron/preload touch Electron; renderer/ is browser code that sees the core only through the
// contract. Inside electron/core, each capability folder is entered only through its index.ts.
// test/unit/lint-layering.test.ts checks that these rules still fire.
import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const RESTRICT = '@typescript-eslint/no-restricted-imports';
const builtins = builtinModules.filter((name) => !name.startsWith('_') && !name.startsWith('node:'));

const nodeBuiltins = (why) => ({
  paths: builtins.map((name) => ({ name, message: why })),
  patterns: [{ regex: '^node:', message: why }],
});
const electronPackages = (why) => ['electron', 'electron-store'].map((name) => ({ name, message: why }));
/** A relative import that climbs into one of `dirs` (resolution by name: `../`… then the folder). */
const relativeInto = (dirs, message) => ({ regex: `^(\\.\\./)+(${dirs.join('|')})(/|$)`, message });
/** Dynamic import()/require() of Electron, which no-restricted-imports does not see. */
const dynamicElectron = (message) => [
  { selector: "ImportExpression[source.value=/^electron(-store)?$/]", message },
  { selector: "CallExpression[callee.name='require'][arguments.0.value=/^electron(-store)?$/]", message },
];

/** The core's capability folders (electron/core/<name>/index.ts is each one's public surface). */
export const CAPABILITIES = ['base', 'integrity', 'paths', 'policy', 'settings', 'requests', 'scope', 'clients', 'approvals', 'evidence', 'watch', 'history', 'timeline', 'escalation', 'http', 'app', 'deploy'];
const CAPABILITY = 'Import a core capability through its index.ts (its public surface), not a file inside it.';
/** From another capability (`../scope/x.js`) or from outside the core (`../core/scope/x.js`). */
const intoCapability = (prefix) => ({ regex: `^${prefix}(${CAPABILITIES.join('|')})/(?!index\\.js$)[^/]+`, message: CAPABILITY });
const fromCore = intoCapability('\\.\\./');
const fromShell = intoCapability('(\\.\\./)+core/');
/** The same for import(), which no-restricted-imports does not see. */
const dynamicIntoCapability = {
  selector: `ImportExpression[source.value=/^(\\.\\.\\/)+(core\\/)?(${CAPABILITIES.join('|')})\\/(?!index\\.js$)/]`,
  message: CAPABILITY,
};

const SHARED = 'shared/ runs anywhere (Node, browser, Electron): no Node built-ins, no Electron, no imports from electron/ or renderer/.';
const CORE = 'electron/core and electron/cli are plain Node: no electron/electron-store (only electron/main and electron/preload may), nothing from electron/main, electron/preload or renderer/.';
const RENDERER = 'renderer/ is browser code: no Node built-ins, no Electron, nothing from electron/ (use the bridge typed by shared/ui-contract.ts).';
const PURE_MAIN = 'Unit-tested under plain Node: import only types from electron here.';
const NO_HTML = 'Agent-supplied text must render as text, never HTML.';

export default defineConfig(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', 'test-results/**', 'playwright-report/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['shared/**'],
    rules: {
      [RESTRICT]: ['error', {
        ...nodeBuiltins(SHARED),
        paths: [...nodeBuiltins(SHARED).paths, ...electronPackages(SHARED)],
        patterns: [...nodeBuiltins(SHARED).patterns, relativeInto(['electron', 'renderer'], SHARED)],
      }],
      'no-restricted-syntax': ['error', ...dynamicElectron(SHARED)],
    },
  },
  {
    files: ['electron/core/**', 'electron/cli/**'],
    rules: {
      [RESTRICT]: ['error', {
        paths: electronPackages(CORE),
        patterns: [relativeInto(['main', 'preload', 'renderer'], CORE), { regex: '^(\\.\\./)+electron/(main|preload)(/|$)', message: CORE }, fromCore, fromShell],
      }],
      'no-restricted-syntax': ['error', ...dynamicElectron(CORE), dynamicIntoCapability],
    },
  },
  {
    files: ['electron/main/**', 'electron/preload/**'],
    rules: {
      [RESTRICT]: ['error', { patterns: [relativeInto(['renderer'], 'The Electron shell talks to the renderer over IPC only.'), fromShell] }],
    },
  },
  {
    // Pure helpers of the shell: their unit tests load them under plain Node, where `electron` throws.
    files: ['electron/main/window-options.ts', 'electron/main/ipc-guard.ts', 'electron/main/ipc-handlers.ts', 'electron/main/tray-state.ts',
      'electron/main/launch-options.ts', 'electron/main/settings-store-options.ts', 'electron/preload/companion-bridge.ts',
      'electron/main/autostart-policy.ts', 'electron/main/autostart-registrar.ts'],
    rules: {
      [RESTRICT]: ['error', {
        paths: [{ name: 'electron', allowTypeImports: true, message: PURE_MAIN }, { name: 'electron-store', message: PURE_MAIN }],
        patterns: [relativeInto(['renderer'], 'The Electron shell talks to the renderer over IPC only.'), fromShell],
      }],
    },
  },
  {
    files: ['renderer/**'],
    rules: {
      [RESTRICT]: ['error', {
        paths: [...nodeBuiltins(RENDERER).paths, ...electronPackages(RENDERER)],
        patterns: [...nodeBuiltins(RENDERER).patterns, relativeInto(['electron'], RENDERER)],
      }],
      'no-restricted-syntax': ['error',
        ...dynamicElectron(RENDERER),
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: NO_HTML },
        { selector: "AssignmentExpression[left.property.name=/^(innerHTML|outerHTML)$/]", message: NO_HTML },
        { selector: "CallExpression[callee.property.name=/^(insertAdjacentHTML|write|writeln)$/][callee.object.name='document']", message: NO_HTML },
        { selector: "CallExpression[callee.property.name='insertAdjacentHTML']", message: NO_HTML },
      ],
    },
  },
  {
    // Tests may reach across layers (fixtures, fakes, Node APIs in renderer unit tests).
    files: ['test/**', '**/*.test.ts', '**/*.test.tsx', '**/*.spec.ts'],
    rules: {
      [RESTRICT]: 'off',
      'no-restricted-syntax': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
);
