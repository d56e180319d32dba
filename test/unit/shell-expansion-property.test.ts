// Property: for a word built from the shell's quoting and expansion forms (quotes, ANSI-C escapes,
// backslashes, `~`, `~user`, `~+`, `~-`, glob characters quoted or not), the path the companion checks
// is the one real bash expands it to — or the companion marks the command as one it cannot read (never
// allowed without a person). Bash itself is the model: it is what Claude Code's Bash tool runs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bashTargets } from '../../electron/core/requests/bash-targets-policy.js';
import { systemUserHomes } from '../../electron/core/requests/user-home-lookup.js';

const hasBash = (() => {
  try {
    execFileSync('bash', ['-c', 'true']);
    return true;
  } catch {
    return false;
  }
})();

/** What bash expands `word` to, as a `cat` argument would be (NUL-separated, so any byte survives). */
function bashExpands(word: string, cwd: string, home: string, oldpwd: string): string[] {
  const out = execFileSync('bash', ['--norc', '--noprofile', '-c', `printf '%s\\0' ${word}`], { cwd, env: { HOME: home, PWD: cwd, OLDPWD: oldpwd, PATH: process.env['PATH'] ?? '/usr/bin:/bin' } });
  return out.toString('utf8').split('\0').slice(0, -1);
}

const hex = (c: string) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
const oct = (c: string) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`;

/** One character of a path, spelled in one of the ways the shell reads as that character. */
const spelledChar = (c: string) =>
  fc.constantFrom(c === '/' || c === '.' ? c : c, `'${c}'`, `"${c}"`, `\\${c}`, `$'${hex(c)}'`, `$'${oct(c)}'`, `$'${c}'`);

describe.skipIf(!hasBash)('shell expansion (property, against real bash)', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'cc-shprop-')));
  const home = join(root, 'home');
  const cwd = join(home, 'proj');
  const oldpwd = join(root, 'previous');
  mkdirSync(cwd, { recursive: true });
  mkdirSync(oldpwd, { recursive: true });
  const me = userInfo().username;
  const userHome = systemUserHomes('linux', home);

  const pathChars = fc.array(fc.constantFrom('e', 't', 'c', '/', '.', 's', 'h', 'x', '-'), { minLength: 1, maxLength: 12 }).map((a) => a.join(''));
  const spelled = (text: string) => fc.tuple(...[...text].map(spelledChar)).map((parts) => parts.join(''));
  const prefix = fc.constantFrom('', '/', '~/', '~', `~${me}/`, '~root/', '~+/', '~-/', '../', './');
  const word = fc.tuple(prefix, pathChars).chain(([p, text]) => spelled(text).map((body) => `${p}${body}`));

  it('the companion checks the path bash will use, or asks a person', () => {
    fc.assert(
      fc.property(word, (w) => {
        const expanded = bashExpands(w, cwd, home, oldpwd);
        const result = bashTargets(`cat ${w}`, { cwd, home, userHome });
        // Goes to a person, never allowed on its own. (`~+`, `~user` are unknowable to rules but not
        // opaque: their path is still checked, so it must be the right one.)
        if (result.opaque) return;
        if (expanded.some((arg) => arg.startsWith('-'))) return; // an option to cat, not a file
        const checked = result.targets.map((t) => resolve(t.cwd, t.path));
        for (const arg of expanded) expect(checked, `word ${w} → ${arg}`).toContain(resolve(cwd, arg));
      }),
      { numRuns: 300 },
    );
  });

  it('the same holds for a redirection target', () => {
    fc.assert(
      fc.property(word, fc.constantFrom('>', '>>', '>|', '&>', '>&', '<', '2>'), (w, op) => {
        const [expanded] = bashExpands(w, cwd, home, oldpwd);
        // `>&-` closes, `>&2` duplicates: descriptors, not files.
        if ((op === '>&' && /^(-|\d+)$/.test(expanded!)) || expanded!.startsWith('-')) return;
        const result = bashTargets(`echo x ${op}${w}`, { cwd, home, userHome });
        if (result.opaque) return;
        expect(result.targets.map((t) => resolve(t.cwd, t.path)), `${op}${w} → ${expanded}`).toContain(resolve(cwd, expanded!));
      }),
      { numRuns: 300 },
    );
  });

  it('a word with glob characters is the literal name bash uses, or the command is unknowable', () => {
    // Names that the patterns can match, so an unseen expansion changes what bash passes.
    const globDir = join(root, 'globs');
    mkdirSync(globDir, { recursive: true });
    for (const f of ['a', 'ab', 'b*', '[a]', 'x?', 'a]']) writeFileSync(join(globDir, f), '');
    const globWord = fc.array(fc.constantFrom('a', 'b', 'x', '*', '?', '[', ']', '!'), { minLength: 1, maxLength: 6 }).chain((chars) => spelled(chars.join('')));
    fc.assert(
      fc.property(globWord, (w) => {
        const expanded = bashExpands(w, globDir, home, oldpwd);
        const result = bashTargets(`cat ${w}`, { cwd: globDir, home, userHome });
        if (result.opaque) {
          expect(result.unknowable, w).toBeDefined(); // no rule may answer it either
          return;
        }
        const checked = result.targets.map((t) => resolve(t.cwd, t.path));
        for (const arg of expanded) expect(checked, `word ${w} → ${arg}`).toContain(resolve(globDir, arg));
      }),
      { numRuns: 300 },
    );
  });
});
