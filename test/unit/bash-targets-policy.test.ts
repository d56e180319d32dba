// What a shell command's words touch, for the words the adversarial review found read too kindly
// (A1–A8): globs, values glued to options or after `key=`, program text, write-type commands,
// recursive walks that follow links, and `~+`/`~-`/`~user` for rule matching.
import { describe, expect, it } from 'vitest';
import { bashTargets, type ShellContext } from '../../electron/core/requests/bash-targets-policy.js';

const HOME = '/home/u';
const CWD = '/home/u/proj';
const USERS: Record<string, string> = { root: '/root' };
const SH: ShellContext = { cwd: CWD, home: HOME, userHome: (name) => USERS[name] ?? null };
const of = (cmd: string) => bashTargets(cmd, SH);
/** access:path, with flags: ? maybe, ~ may write, > into a folder. */
const shown = (cmd: string) =>
  of(cmd).targets.map((t) => `${t.access}${t.maybe ? '?' : ''}${t.mayWrite ? '~' : ''}${t.into ? '>' : ''}:${t.path}`);

describe('A1 globs', () => {
  it('an unquoted *, ? or […] makes the command unknowable and names the folder the pattern reads', () => {
    for (const [cmd, dir] of [
      ['cat *', '.'],
      ['cat l?k/secret.txt', '.'],
      ['cat [l]nkfile', '.'],
      ['cat */secret.txt', '.'],
      ['cat /et?/pass*', '/'],
      ['cat ~/*', HOME],
      ['cat lnk/*.txt', 'lnk'],
    ] as const) {
      const r = of(cmd);
      expect(r.unknowable, cmd).toMatch(/pattern the shell expands/);
      expect(r.opaque, cmd).toBe(true);
      expect(r.targets.map((t) => t.path), cmd).toEqual([dir]);
      expect(r.targets[0]!.maybe, cmd).toBeUndefined();
    }
  });
  it('a glob in a redirection or an option word is unknowable too', () => {
    expect(of('echo x > *.txt').unknowable).toMatch(/pattern/);
    expect(of('find . -name *.ts').unknowable).toMatch(/pattern/);
  });
  it('quoted or escaped glob characters are literal, as bash reads them', () => {
    for (const [cmd, path] of [
      ["cat 'a*'", 'a*'],
      ['cat "a?"', 'a?'],
      ['cat \\[a]', '[a]'],
      ['cat "["a]', '[a]'],
      ["cat $'\\x2a'", '*'],
      ['cat a[', 'a['],
    ]) {
      const r = of(cmd!);
      expect(r.unknowable, cmd).toBeUndefined();
      expect(r.targets.map((t) => t.path), cmd).toEqual([path]);
    }
    expect(of('[ -f x ]').unknowable).toBeUndefined(); // the test command, not a pattern
  });
});

describe('A2 values glued to options', () => {
  it('a path after -X or --opt= is a target; an output option writes it', () => {
    expect(shown(`sort -o${HOME}/.bashrc notes.txt`)).toEqual([`write:${HOME}/.bashrc`, 'read?~:notes.txt']);
    expect(shown('git diff --output=/tmp/x.patch')).toContain('write:/tmp/x.patch');
    expect(shown('gcc -I/usr/include a.c')).toContain('read~:/usr/include');
    expect(shown('grep --file=/etc/shadow x')).toContain('read~:/etc/shadow');
    expect(shown('sort -o out.txt notes.txt')).toEqual(['write:out.txt', 'read?~:notes.txt']);
    expect(shown('sort -opackage.json notes.txt')).toContain('write:package.json');
  });
  it('reads a glued ~ both ways: as written (what the program gets) and as the home folder', () => {
    expect(shown('sort -o~/x a')).toEqual(expect.arrayContaining([`write:${HOME}/x`, 'write:~/x']));
  });
  it('flag clusters are not files', () => {
    expect(shown('ls -la')).toEqual([]);
    expect(shown('rm -rf build')).toEqual(['read?~:build']);
  });
});

describe('A3 key=value words', () => {
  it('dd if= is read, of= is written, whatever the value looks like; ~ after = is the home folder (bash)', () => {
    expect(shown('dd if=/etc/passwd of=copy.txt')).toEqual(['read:/etc/passwd', 'write:copy.txt']);
    expect(shown('dd if=~/.ssh/id_ed25519 of=copy.txt')).toEqual([`read:${HOME}/.ssh/id_ed25519`, 'read:~/.ssh/id_ed25519', 'write:copy.txt']);
    expect(shown('dd if=notes.txt of=.git/hooks/pre-commit bs=4k count=1')).toEqual(['read:notes.txt', 'write:.git/hooks/pre-commit', 'read?~:4k']);
  });
  it('a path after key= of any command is a target, each part of a PATH-like value too', () => {
    expect(shown('make PREFIX=/usr/local install')).toContain('read~:/usr/local');
    expect(shown('foo list=/a:~/b')).toEqual(expect.arrayContaining(['read~:/a', `read~:${HOME}/b`]));
    // Assignments before the command (and after env) are its environment, not files.
    expect(shown('LC_ALL=C env PATH=/usr/bin:/bin make')).toEqual([]);
  });
});

describe('A4 program text', () => {
  it('a sed script that writes, reads or runs is unknowable; print, delete, substitute are not', () => {
    for (const script of ['w /home/u/.bashrc', '1e cat x', 's/a/b/w out', 's/.*/id/e', 'r /etc/passwd', 'R x', 'W x', '1{p}', 's|a|b|']) {
      expect(of(`sed -n "${script}" notes.txt`).unknowable, script).toMatch(/sed script/);
    }
    for (const script of ['p', '1,10p', '$p', '/TODO/p', 's/a/b/g', '/x/d', '5q', 's/a\\/b/c/2; y/ab/cd/', '/^#/!p']) {
      const r = of(`sed -n '${script}' notes.txt`);
      expect(r.unknowable, script).toBeUndefined();
      expect(r.targets.map((t) => t.path), script).toEqual(['notes.txt']);
    }
    expect(of('sed -f script.sed x').unknowable).toMatch(/file/);
    expect(of('sed -n "$SCRIPT" x').unknowable).toMatch(/variable/);
    expect(of("sed -e 's/a/b/' -e '1w x' f").unknowable).toMatch(/sed script/);
  });
  it('sed -i writes its files', () => {
    expect(shown("sed -i 's/a/b/' .git/config")).toEqual(['write:.git/config']);
    expect(shown("sed -i.bak -e 's/a/b/' f")).toEqual(['write?:f']);
  });
  it('awk, and interpreters given code on the command line, are unknowable (a script file is only opaque)', () => {
    for (const cmd of ["awk '{print $1}' f", "gawk -f x.awk", "perl -ne 'print' f", "ruby -e 'x'", "python3 -c 'x'", "node -e 'x'", "bash -c 'ls'", "env -S 'awk 1'", "nice awk 1 f"]) {
      expect(of(cmd).unknowable, cmd).toBeDefined();
    }
    expect(of('python3 x.py').unknowable).toBeUndefined();
    expect(of('python3 x.py').opaque).toBe(true);
  });
});

describe('A6 write-type commands', () => {
  it('cp, mv, install, ln write their destination, and the same name inside it when it is a folder', () => {
    expect(shown('cp notes.txt .git/hooks/pre-commit')).toEqual(['read?:notes.txt', 'write:.git/hooks/pre-commit', 'write>:.git/hooks/pre-commit/notes.txt']);
    expect(shown('cp evil/.envrc .')).toEqual(['read:evil/.envrc', 'write:.', 'write>:./.envrc']);
    expect(shown('cp -t .git/hooks a')).toEqual(['read?:a', 'write:.git/hooks', 'write>:.git/hooks/a']);
    expect(shown('mv a b')).toEqual(['read?~:a', 'write:b', 'write>:b/a']);
    expect(shown('ln -s /etc/passwd')).toEqual(['read:/etc/passwd', 'write:./passwd']);
  });
  it('touch, tee, chmod… write every file they name, even one that does not exist yet', () => {
    expect(shown('touch .envrc')).toEqual(['write:.envrc']);
    expect(shown('tee -a package.json')).toEqual(['write:package.json']);
    expect(shown('chmod +x run.sh')).toEqual(['write:run.sh']);
  });
  it('arguments of commands not known to only read may be writes; known readers stay reads', () => {
    expect(shown('prettier --write package.json')).toEqual(['read?~:package.json']);
    expect(shown('cat package.json')).toEqual(['read?:package.json']);
    expect(shown('git diff package.json')).toEqual(['read?:package.json']);
    expect(shown('git checkout package.json')).toEqual(['write?:package.json']);
    expect(shown('/bin/cp a b')).toContain('write:b');
    expect(shown('sudo cp a b')).toContain('write:b');
  });
});

describe('A7 recursive walks that follow links', () => {
  it.each(['grep -R x .', 'grep -rR x .', 'egrep --dereference-recursive x .', 'rg -L x', 'cp -rL a b', 'ls -LR', 'du -L .', 'find -L . -name x', 'find . -follow', 'rsync -aL a b', 'rsync --copy-unsafe-links a b', 'tar -chf a.tar .', 'tar czhf a.tar .', 'zip -r a.zip .', 'scp -r a host:', 'chown -RL u .', 'tree -l'])(
    '%s is unknowable',
    (cmd) => expect(of(cmd).unknowable).toMatch(/symbolic links/),
  );
  it.each(['find . -exec rm {} +', 'find . -delete', 'rsync -e "sh -c id" a b', 'tar --to-command=sh -xf a.tar', 'rg --pre ./x y'])('%s runs commands: unknowable', (cmd) =>
    expect(of(cmd).unknowable).toBeDefined(),
  );
  it.each(['grep -r x .', 'grep -rn TODO src', 'cp -r a b', 'ls -R', 'ls -L x', 'find . -name x', 'rsync -a a b', 'tar -czf a.tar .', 'zip -ry a.zip .'])('%s does not follow links in the walk', (cmd) =>
    expect(of(cmd).unknowable).toBeUndefined(),
  );
});

describe('unpacking archives and applying patches', () => {
  it.each(['tar -xzf a.tgz', 'tar xf a.tar', 'tar --extract -f a.tar', 'bsdtar -xf a.zip', 'unzip a.zip', 'unzip -o a.zip -d out', 'patch -p1 < fix.diff', 'git apply fix.diff', 'git am 0001.patch', 'cpio -idv < a.cpio', '7z x a.7z', 'ar x lib.a', 'jar xf app.jar'])(
    '%s writes names nobody can read from its words: unknowable',
    (cmd) => expect(of(cmd).unknowable).toMatch(/names come from the archive or patch/),
  );
  it.each(['tar -tzf a.tgz', 'tar -czf a.tar src', 'unzip -l a.zip', 'patch --dry-run -p1 < fix.diff', 'git apply --check fix.diff', 'git status', '7z l a.7z'])('%s only lists, checks or packs: not for this reason', (cmd) =>
    expect(of(cmd).unknowable ?? '').not.toMatch(/archive or patch/),
  );
});

describe('A8 ~+, ~- and ~user', () => {
  it('are checked as the folder they name, but no rule may stand for them', () => {
    expect(of('ls ~+')).toMatchObject({ opaque: false, unknowable: expect.stringMatching(/~\+/), targets: [{ path: CWD }] });
    expect(of('ls ~root/x')).toMatchObject({ unknowable: expect.stringMatching(/~root/), targets: [{ path: '/root/x' }] });
    expect(of('cd /srv && ls ~-/x')).toMatchObject({ unknowable: expect.stringMatching(/~-/) });
    expect(of('ls ~-/x').unknowable).toMatch(/previous folder/);
    expect(of('ls ~/x').unknowable).toBeUndefined();
    expect(of("ls '~+'").unknowable).toBeUndefined(); // quoted: a file named "~+"
  });
});

describe('git: branch names, refs, remotes and URLs are not files; paths stay paths', () => {
  it('push, pull and fetch name a remote and refs, never a file', () => {
    expect(shown('git push origin feature/x')).toEqual(['write?:origin']);
    expect(shown('git push -u origin HEAD:refs/heads/feature/x')).toEqual(['write?:origin']);
    expect(shown('git push -o ci.skip origin main')).toEqual(['write?:origin']);
    expect(shown('git pull --rebase origin main')).toEqual(['read?:origin']);
    expect(shown('git fetch https://github.com/org/app.git main')).toEqual([]);
    expect(shown('git fetch git@github.com:org/app.git')).toEqual([]);
  });
  it('a remote that is a local repository is a path git writes to or reads from', () => {
    expect(shown('git push ../mirror main')).toEqual(['write:../mirror']);
    expect(shown('git push file:///srv/repo.git main')).toEqual(['write:/srv/repo.git']);
    expect(shown('git fetch ~/other')).toEqual([`read:${HOME}/other`]);
  });
  it('checkout/switch <branch>, branch, merge, rebase, tag take refs', () => {
    expect(shown('git switch feature/x')).toEqual([]);
    expect(shown('git switch -c feature/y origin/main')).toEqual([]);
    expect(shown('git checkout -b feature/y origin/main')).toEqual([]);
    expect(shown('git branch -d feature/x')).toEqual([]);
    expect(shown('git branch -m old feature/x')).toEqual([]);
    expect(shown('git merge --no-ff origin/main')).toEqual([]);
    expect(shown('git rebase -i origin/main')).toEqual([]);
    expect(shown('git tag -a v1.2 -m "release 1.2"')).toEqual([]);
    expect(shown('git log --oneline origin/main..HEAD')).toEqual(['read?:origin/main..HEAD']);
  });
  it('a lone checkout word is a branch, or the files of that name when there is no such branch: a file only if one exists', () => {
    expect(shown('git checkout feature/x')).toEqual(['write?:feature/x']);
    expect(shown('git checkout package.json')).toEqual(['write?:package.json']);
    expect(shown('git checkout .')).toEqual(['write:.']);
  });
  it('fail closed: checkout -- file and checkout ref -- file name files it overwrites, even ones that do not exist yet', () => {
    expect(shown('git checkout -- src/a.ts')).toEqual(['write:src/a.ts']);
    expect(shown('git checkout main -- .envrc')).toEqual(['write:.envrc']);
    expect(shown('git checkout main src/a.ts')).toEqual(['write?:main', 'write:src/a.ts']);
    expect(shown('git log main -- ../../secret')).toEqual(['read?:main', 'read:../../secret']);
    expect(shown('git diff package.json')).toEqual(['read?:package.json']);
  });
  it('clone reads a local source and writes the folder it creates, named or not', () => {
    expect(shown('git clone https://github.com/org/app.git')).toEqual(['write:./app']);
    expect(shown('git clone --depth 1 -b main git@github.com:org/app.git ../app2')).toEqual(['write:../app2']);
    expect(shown('git clone /srv/repo.git copy')).toEqual(['read:/srv/repo.git', 'write:copy']);
    expect(shown('git clone --reference ~/cache/app.git https://x.example/app.git')).toEqual([`read:${HOME}/cache/app.git`, 'write:./app']);
  });
  it('remote add/set-url: the name is not a file, a local URL is', () => {
    expect(shown('git remote add upstream git@github.com:org/app.git')).toEqual([]);
    expect(shown('git remote add upstream https://github.com/org/app.git')).toEqual([]);
    expect(shown('git remote set-url origin ../mirror')).toEqual(['read:../mirror']);
    expect(shown('git remote remove upstream')).toEqual([]);
  });
  it("git's own -C names a folder; message files and output files stay files", () => {
    expect(shown('git -C /srv/r push origin main')).toEqual(['read~:/srv/r', 'write?:origin']);
    // Its words are read from there (git -C a -C b works in a/b), and the next command from here again.
    const r = of('git -C sub -C deeper checkout -- ../x && cat y');
    expect(r.targets.map((t) => `${t.access}:${t.path}@${t.cwd}`)).toEqual([`read:sub@${CWD}`, `read:deeper@${CWD}/sub`, `write:../x@${CWD}/sub/deeper`, `read:y@${CWD}`]);
    expect(shown('git tag -F ../../notes v1')).toEqual(['read:../../notes']);
    expect(shown('git diff --output=/tmp/x.patch main')).toEqual(['write:/tmp/x.patch', 'read?:main']);
  });
  it('options that run a program make it unknowable: no rule may stand for them', () => {
    for (const cmd of ['git -c core.sshCommand=evil push origin main', 'git push --receive-pack=evil origin main', 'git clone -u evil https://x.example/a.git', 'git fetch --upload-pack evil origin', 'git rebase -x "make test" main', 'git rebase --exec=id main']) {
      expect(of(cmd).unknowable, cmd).toMatch(/runs commands/);
    }
    expect(of('git push origin feature/x').unknowable).toBeUndefined();
  });
  it('fail closed when options move the words: a value of an option not known here, a bundle, a prefix', () => {
    // --repo names where push writes; a path-only word is a path wherever it stands.
    expect(shown('git push --repo=/home/u/other main')).toEqual(['write:/home/u/other', 'write?:main']);
    expect(shown('git push --repo /home/u/other main')).toEqual(['write:/home/u/other', 'write?:main']);
    expect(shown('git fetch --filter blob:none /home/u/secret-repo')).toContain('read:/home/u/secret-repo');
    expect(shown('git fetch --multiple origin /home/u/secret-repo')).toContain('read:/home/u/secret-repo');
    expect(shown('git fetch --multiple origin mirror')).toEqual(['read?:origin', 'read?:mirror']);
    // -aF: -a takes nothing, F takes the next word (the file the tag message is read from).
    expect(shown('git tag -aF /home/u/.ssh/id_rsa v1')).toEqual(['read:/home/u/.ssh/id_rsa']);
    expect(shown('git merge -nFnotes topic')).toEqual(['read:notes']);
    // After an option not known here, a ref counts as a file where one of that name exists.
    expect(shown('git fetch --shallow-since 2020-01-01 origin linked')).toContain('read?:linked');
    expect(shown('git switch feature/x')).toEqual([]);
  });
  it('prefixes and bundles of options that run programs, and git settings from the environment, are unknowable', () => {
    for (const cmd of ["git fetch --upload='touch /tmp/x' ../src", 'git push --rec=evil origin main', 'git clone -qu evil https://x.example/a.git', 'git rebase -qx "make test" main']) {
      expect(of(cmd).unknowable, cmd).toMatch(/runs commands/);
    }
    for (const cmd of ['GIT_SSH_COMMAND="sh -c evil" git fetch origin', 'env GIT_DIR=/elsewhere git log', 'GIT_CONFIG_COUNT=1 git status']) {
      expect(of(cmd).unknowable, cmd).toMatch(/GIT_/);
    }
  });
  it('file: URLs with a host or escapes, and paths from the top of the repository, are unknowable', () => {
    expect(of('git fetch file://x/home/u/secret-repo main').unknowable).toMatch(/cannot read for certain/);
    expect(of('git fetch file:///home/u/shared/%2e%2e/secret main').unknowable).toMatch(/cannot read for certain/);
    expect(shown('git fetch file:///srv/repo.git')).toEqual(['read:/srv/repo.git']);
    expect(of('git checkout HEAD -- :/outside.txt').unknowable).toMatch(/top of the repository/);
    expect(of('git checkout HEAD -- ":(top)x"').unknowable).toMatch(/top of the repository/);
  });
});
