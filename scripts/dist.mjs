// `npm run dist`: the app built (npm run build), then electron-builder for this OS's targets
// (electron-builder.yml), never publishing. Extra arguments go to electron-builder, e.g.
// `npm run dist -- --linux rpm` or `npm run dist -- --win` (see README, "Building the installers").
// electron-builder's output is shown as it comes; when it fails because a download could not happen
// (no Electron binary can be fetched on an offline machine), that is said in one plain paragraph.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { downloadFailure, downloadFailureMessage } from './dist-failure.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const builder = fileURLToPath(new URL('../node_modules/electron-builder/cli.js', import.meta.url));
const HOST = { darwin: '--mac', win32: '--win', linux: '--linux' };

const extra = process.argv.slice(2);
const targetsGiven = extra.some((a) => /^(--mac|--macos|-m|--win|--windows|-w|--linux|-l)$/.test(a));
const host = HOST[process.platform];
if (!targetsGiven && host === undefined) {
  console.error(`npm run dist: no installer targets for ${process.platform}; pass --mac, --win or --linux.`);
  process.exit(1);
}

const built = spawnSync(npm, ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
if (built.status !== 0) process.exit(built.status ?? 1);

const args = [builder, ...(targetsGiven ? [] : [host]), '--publish', 'never', ...extra];
const child = spawn(process.execPath, args, { cwd: root, stdio: ['inherit', 'pipe', 'pipe'] });
// Kept for the diagnosis below; electron-builder's output is a few hundred lines at most.
let output = '';
child.stdout.on('data', (chunk) => { process.stdout.write(chunk); output += chunk; });
child.stderr.on('data', (chunk) => { process.stderr.write(chunk); output += chunk; });
child.on('close', (code) => {
  if (code === 0) return;
  const failure = downloadFailure(output);
  if (failure !== undefined) {
    const electron = JSON.parse(readFileSync(new URL('../node_modules/electron/package.json', import.meta.url), 'utf8')).version;
    console.error(`\n${downloadFailureMessage(failure, electron)}`);
  }
  process.exit(code ?? 1);
});
