// Which folders are broad enough that sharing them needs a confirmation, on each OS's spellings and
// case rules, and the sentence the command line shows.
import { describe, expect, it } from 'vitest';
import { volumeRulesFor } from '../../electron/core/paths/index.js';
import { classifyBroadShare, describeBroadShare } from '../../electron/core/scope/broad-share-policy.js';
import { builtInForbiddenPaths } from '../../electron/core/scope/forbidden-paths.js';

const linux = { home: '/home/dana', volume: volumeRulesFor('linux'), forbidden: builtInForbiddenPaths('/home/dana', '/home/dana/.config/cowork-companion', 'linux') };
const mac = { home: '/Users/dana', volume: volumeRulesFor('darwin'), forbidden: builtInForbiddenPaths('/Users/dana', '/Users/dana/Library/Application Support/cowork-companion', 'darwin') };
const winHome = 'C:\\Users\\dana';
const win = { home: winHome, volume: volumeRulesFor('win32'), forbidden: builtInForbiddenPaths(winHome, `${winHome}\\AppData\\Roaming\\cowork-companion`, 'win32').map((f) => ({ ...f, path: f.path.replace(/\//g, '\\') })) };

const kind = (path: string, ctx: typeof linux) => classifyBroadShare(path, ctx)?.kind;

describe('classifyBroadShare', () => {
  it('the top of a disk', () => {
    expect(kind('/', linux)).toBe('root');
    expect(kind('/', mac)).toBe('root');
    expect(kind('C:\\', win)).toBe('root');
    expect(kind('d:\\', win)).toBe('root');
    expect(kind('\\\\server\\share\\', win)).toBe('root');
    expect(kind('\\\\server\\share\\team', win)).toBeUndefined();
  });

  it("the folder holding everyone's home folders", () => {
    expect(kind('/home', linux)).toBe('homes');
    expect(kind('/var/home', linux)).toBe('homes');
    expect(kind('/Users', mac)).toBe('homes');
    expect(kind('/users', mac)).toBe('homes'); // APFS is case-insensitive
    expect(kind('C:\\Users', win)).toBe('homes');
    expect(kind('c:\\USERS', win)).toBe('homes');
    expect(kind('D:\\Users', win)).toBe('homes');
  });

  it("the person's home folder, or a folder around it, lists the protected places inside", () => {
    const home = classifyBroadShare('/home/dana', linux);
    expect(home?.kind).toBe('home');
    expect(home?.protectedInside.map((p) => p.path)).toEqual(expect.arrayContaining(['/home/dana/.ssh', '/home/dana/.aws', '/home/dana/.config/cowork-companion']));
    // A team folder that holds the home is as broad as the home.
    expect(kind('/home/team', { ...linux, home: '/home/team/dana' })).toBe('home');
    expect(kind('/Users/Dana', mac)).toBe('home');
    expect(kind('C:\\Users\\DANA', win)).toBe('home');
  });

  it('operating-system folders, but not the work people keep below /var, /opt or /usr/local', () => {
    for (const p of ['/etc', '/etc/nginx', '/usr', '/usr/share/doc', '/bin', '/var', '/opt', '/usr/local', '/boot/grub']) expect(kind(p, linux), p).toBe('system');
    for (const p of ['/var/www/site', '/opt/tool', '/usr/local/src/app', '/srv/data', '/tmp/x']) expect(kind(p, linux), p).toBeUndefined();
    for (const p of ['/System', '/System/Library', '/Library', '/Applications', '/private/etc', '/private/var', '/etc']) expect(kind(p, mac), p).toBe('system');
    expect(kind('/Applications/Xcode.app', mac)).toBeUndefined();
    for (const p of ['C:\\Windows', 'c:\\windows\\system32', 'C:\\Program Files', 'C:\\Program Files (x86)\\Tool', 'C:\\ProgramData', 'D:\\Windows']) expect(kind(p, win), p).toBe('system');
    expect(kind('C:\\ProgramData\\vendor-cache', win)).toBeUndefined();
    expect(kind('C:\\src\\app', win)).toBeUndefined();
  });

  it('any folder with a protected location inside it', () => {
    const config = classifyBroadShare('/home/dana/.config', linux);
    expect(config?.kind).toBe('protected-inside');
    expect(config?.protectedInside).toEqual(
      expect.arrayContaining([
        { path: '/home/dana/.config/cowork-companion', reason: "Cowork Companion's own data (tokens, journal, settings)" },
        { path: '/home/dana/.config/gcloud', reason: 'Google Cloud credentials' },
      ]),
    );
    // IT's forbidden paths count too, by their canonical form (a link's target).
    const managed = { ...linux, forbidden: [{ path: '/srv/finance', reason: 'forbidden by your organisation', canonical: '/data/finance' }] };
    expect(classifyBroadShare('/data', managed)).toEqual({ kind: 'protected-inside', protectedInside: [{ path: '/data/finance', reason: 'forbidden by your organisation' }] });
    expect(kind('/data/finance/q1', managed)).toBeUndefined(); // inside it: refused elsewhere, not confirmed
    expect(kind('C:\\Users\\dana\\AppData', win)).toBe('protected-inside');
    expect(kind('c:\\users\\dana\\appdata\\roaming', win)).toBe('protected-inside');
  });

  it('a project below the home folder is not broad', () => {
    expect(classifyBroadShare('/home/dana/work/payments-api', linux)).toBeUndefined();
    expect(classifyBroadShare('/home/dana/.config/nvim', linux)).toBeUndefined();
    expect(classifyBroadShare('/Users/dana/src', mac)).toBeUndefined();
    expect(classifyBroadShare('C:\\Users\\dana\\src\\app', win)).toBeUndefined();
    // Whole components: /home/dana2 is not inside /home/dana, and /homework is not /home.
    expect(classifyBroadShare('/home/dana2', linux)).toBeUndefined();
    expect(classifyBroadShare('/homework', linux)).toBeUndefined();
    expect(classifyBroadShare('/etcetera', linux)).toBeUndefined();
  });
});

describe('describeBroadShare', () => {
  it('says what the agent could do, in the mode asked, and names the protected places', () => {
    const home = classifyBroadShare('/home/dana', linux)!;
    const rw = describeBroadShare('/home/dana', home, 'read-write');
    expect(rw).toMatch(/^Sharing \/home\/dana is broad: it is \(or contains\) your home folder: the agent could read and change every file in it/);
    expect(rw).toContain("Protected locations inside it stay blocked: /home/dana/.config/cowork-companion — Cowork Companion's own data (tokens, journal, settings); /home/dana/.claude/settings.json");
    expect(rw).toMatch(/; and \d+ more\.$/);
    const around = classifyBroadShare('/home/dana/.config', linux)!;
    expect(describeBroadShare('/home/dana/.config', around, 'read')).toMatch(/protected locations are inside it; they stay blocked, but the agent could read everything around them\. They are: \/home\/dana\/\.config\/cowork-companion — /);
    expect(describeBroadShare('/', classifyBroadShare('/', linux)!, 'read')).toContain('the agent could read every file on this computer');
  });
});
