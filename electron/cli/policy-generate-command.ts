// `cowork-companion policy generate --out DIR`: writes IT's templates (policyTemplateFiles) into DIR.
// DIR must be missing, empty, or a previous output (nothing in it but the template folders), so a
// mistyped --out never scatters files into, or overwrites files of, an unrelated folder. A previous
// output's files are replaced; files in it that this version no longer makes are left alone.
// Nothing is written through a link: a previous output may sit in a folder others (an agent running as
// the user) can change, and an administrator may run this with more rights than they have — a planted
// `linux/policy.json -> /etc/cowork-companion/policy.json` must not replace IT's real policy.
import { lstatSync, mkdirSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { writeAtomic } from '../core/base/index.js';
import { untrustedPolicyReason } from '../core/policy/index.js';
import { policyTemplateFiles, TEMPLATE_FOLDERS, type TemplateFile } from '../core/deploy/index.js';
import { PolicyCommandError, type PolicyCommandOptions } from './policy-command.js';

export async function runPolicyGenerate(o: PolicyCommandOptions, files: readonly TemplateFile[] = policyTemplateFiles()): Promise<number> {
  if (o.out === undefined || o.out === '') throw new PolicyCommandError('policy generate needs --out DIR (the folder the templates are written to)');
  const out = resolve(o.out);
  await checkOutputFolder(out);
  // As root, only into folders nobody else can change: between each check and write below, a user who
  // can write a folder on the way could swap it for a link to a system file (IT's policy, say).
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const why = untrustedPolicyReason(nearestExisting(out));
    if (why) throw new PolicyCommandError(`refusing to write as root into ${out}: ${why}; choose a folder only root can change`);
  }
  const written: string[] = [];
  for (const file of files) {
    const target = join(out, ...file.path.split('/'));
    // A path from the list never leaves DIR (the list is ours, but a mistake must not write elsewhere).
    if (!target.startsWith(out + sep)) throw new PolicyCommandError(`refusing to write ${file.path}: outside ${out}`);
    const parts = file.path.split('/');
    realFolders(out, parts.slice(0, -1), asRoot);
    refuseNonFile(target);
    // Readable by all: templates are meant to be handed on.
    writeAtomic(target, file.text, 0o644);
    written.push(target);
  }
  if (o.json) o.stdout.write(`${JSON.stringify({ out, files: files.map((f) => f.path) })}\n`);
  else o.stdout.write(`Wrote ${written.length} files to ${out}:\n${files.map((f) => `  ${f.path}\n`).join('')}`);
  return 0;
}

async function checkOutputFolder(out: string): Promise<void> {
  let entries: string[];
  try {
    const info = await lstat(out);
    if (!info.isDirectory()) throw new PolicyCommandError(`--out ${out} is not a folder`);
    entries = await readdir(out);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const foreign: string[] = [];
  for (const name of entries) {
    const isTemplateFolder = (TEMPLATE_FOLDERS as readonly string[]).includes(name) && (await lstat(join(out, name))).isDirectory();
    if (!isTemplateFolder) foreign.push(name);
  }
  if (foreign.length > 0) {
    throw new PolicyCommandError(
      `--out ${out} is not empty and not a previous output of policy generate (it has ${foreign.slice(0, 5).map((n) => `"${n}"`).join(', ')}${foreign.length > 5 ? ', …' : ''}); choose an empty or new folder`,
    );
  }
}

/** Creates out and each folder below it one level at a time, refusing any level that is not a real folder (a link, say). */
function realFolders(out: string, below: readonly string[], asRoot: boolean): void {
  let dir = out;
  for (const name of ['', ...below]) {
    dir = name === '' ? dir : join(dir, name);
    try {
      const st = lstatSync(dir);
      if (!st.isDirectory()) throw new PolicyCommandError(`refusing to write into ${dir}: it is not a folder (a link or a file)`);
      if (asRoot && (st.uid !== 0 || (st.mode & 0o022) !== 0)) throw new PolicyCommandError(`refusing to write as root into ${dir}: it is not root's alone (owner uid ${st.uid}, mode ${(st.mode & 0o777).toString(8)})`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // --out itself may be several new folders deep; below it, one level at a time.
      mkdirSync(dir, { mode: 0o755, recursive: dir === out });
    }
  }
}

/** A previous output's file may be replaced; anything else at its name (a link, a folder, a device) is refused. */
function refuseNonFile(target: string): void {
  try {
    if (!lstatSync(target).isFile()) throw new PolicyCommandError(`refusing to replace ${target}: it is not a regular file (a link, a folder or a device)`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** `path`, or its nearest folder above that exists. */
function nearestExisting(path: string): string {
  for (let p = path; ; p = dirname(p)) {
    try {
      lstatSync(p);
      return p;
    } catch {
      if (dirname(p) === p) return p;
    }
  }
}
