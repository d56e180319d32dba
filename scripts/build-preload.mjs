// Bundles the preload into one CommonJS file: a sandboxed preload can `require('electron')` and nothing
// else, so every import must be inlined. Fails when a package (e.g. zod) leaks into the bundle: the
// preload should stay a few lines the reviewer can read in full.
// Usage: node scripts/build-preload.mjs [--outfile path]
import { build } from 'esbuild';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { outfile: { type: 'string' } } });
const outfile = values.outfile ?? `${root}dist/electron/preload/preload.cjs`;

const result = await build({
  absWorkingDir: root,
  entryPoints: ['electron/preload/preload.ts'],
  outfile,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'es2023',
  external: ['electron'],
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

const packages = Object.keys(result.metafile.inputs).filter((input) => input.includes('node_modules/'));
if (packages.length > 0) {
  console.error(`build-preload: the preload must not bundle packages, found:\n  ${packages.join('\n  ')}`);
  process.exit(1);
}
const bytes = Object.values(result.metafile.outputs)[0]?.bytes ?? 0;
console.log(`build-preload: ${relative(process.cwd(), outfile)} (${bytes} bytes)`);
