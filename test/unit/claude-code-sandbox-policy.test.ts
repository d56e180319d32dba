// The Bash sandbox made from the scope, merged into Claude Code's settings: what it holds, that the
// person's own keys and entries stay, that a rewrite follows the scope, and that it comes out exactly.
import { describe, expect, it } from 'vitest';
import { applySandbox, PROTECTED_IN_SHARED_FOLDERS, removeSandbox, sandboxGap, sandboxPathsFor, sandboxSupport } from '../../electron/core/clients/index.js';

const scope = {
  folders: [
    { path: '/work/app', mode: 'read-write' as const },
    { path: '/work/docs', mode: 'read' as const },
  ],
  forbidden: [
    { path: '/home/u/.config/cowork-companion', reason: 'data' },
    { path: '/home/u/.ssh', reason: 'SSH keys', canonical: '/home/u/.ssh' },
  ],
};

describe('the sandbox made from the scope', () => {
  it('lets Bash write only the read-write folders, minus what runs code; read-only folders and forbidden paths are not writable; forbidden paths are not readable', () => {
    const paths = sandboxPathsFor(scope);
    expect(paths.allowWrite).toEqual(['/work/app']);
    expect(paths.denyWrite).toEqual(['/work/docs', ...PROTECTED_IN_SHARED_FOLDERS.map((n) => `/work/app/${n}`), '/home/u/.config/cowork-companion', '/home/u/.ssh']);
    expect(paths.denyWrite).toEqual(expect.arrayContaining(['/work/app/.claude', '/work/app/.git/hooks', '/work/app/.git/config', '/work/app/.mcp.json']));
    expect(paths.denyRead).toEqual(['/home/u/.config/cowork-companion', '/home/u/.ssh']);
  });

  it('lasting domain rules (the person\'s and IT\'s) are the hosts Bash may reach, with their subdomains; rules for one run are not', () => {
    const rules = [
      { lifetime: 'always' as const, match: { kind: 'domain' as const, domain: 'Docs.Example.com' } },
      { lifetime: 'run' as const, match: { kind: 'domain' as const, domain: 'once.example.com' } },
      { lifetime: 'always' as const, match: { kind: 'command-prefix' as const, prefix: 'git status' } },
    ];
    expect(sandboxPathsFor(scope, rules).allowedDomains).toEqual(['docs.example.com', '*.docs.example.com']);
  });

  it('a person\'s domain rule the policy turns off (allowPersonalRules: false) lets Bash reach nothing', () => {
    const rules = [
      { lifetime: 'always' as const, match: { kind: 'domain' as const, domain: 'mine.example.com' }, offByPolicy: true },
      { lifetime: 'always' as const, match: { kind: 'domain' as const, domain: 'it.example.com' } },
    ];
    expect(sandboxPathsFor(scope, rules).allowedDomains).toEqual(['it.example.com', '*.it.example.com']);
  });

  it('nothing shared: Bash may write nowhere the companion names (only what Claude Code itself allows)', () => {
    expect(sandboxPathsFor({ folders: [], forbidden: [] })).toEqual({ allowWrite: [], denyWrite: [], denyRead: [], allowedDomains: [] });
  });
});

describe('merging it into Claude Code settings', () => {
  const person = { model: 'opus', hooks: { Stop: [] }, sandbox: { enabled: false, excludedCommands: [], network: { allowedDomains: ['github.com'] }, filesystem: { allowWrite: ['/opt/cache', '/work/app'], denyRead: ['/home/u/private'] } } };

  it('sets the switches, adds its paths after the person\'s own, keeps every other key; a second run changes nothing', () => {
    const paths = sandboxPathsFor(scope);
    const first = applySandbox(person, paths);
    expect(first.changed).toBe(true);
    const sandbox = first.settings['sandbox'] as Record<string, unknown> & { filesystem: Record<string, string[]> };
    expect(sandbox).toMatchObject({ enabled: true, failIfUnavailable: true, allowUnsandboxedCommands: false, network: { allowedDomains: ['github.com'] }, excludedCommands: [] });
    expect(sandbox.filesystem['allowWrite']).toEqual(['/opt/cache', '/work/app']);
    expect(sandbox.filesystem['denyRead']).toEqual(['/home/u/private', ...paths.denyRead]);
    expect(first.settings['model']).toBe('opus');
    // Only what was not there already is the companion's (the person had listed /work/app).
    expect(first.record.entries.allowWrite).toEqual([]);
    expect(first.record.flags.enabled).toEqual({ before: false });
    expect(first.record.flags.failIfUnavailable).toEqual({});
    const again = applySandbox(first.settings, paths, first.record);
    expect(again.changed).toBe(false);
    expect(again.record).toEqual(first.record);
    expect(sandboxGap(first.settings, paths)).toBeUndefined();
  });

  it('follows the scope: a folder no longer shared goes, a new one comes, the person\'s entries stay', () => {
    const first = applySandbox({}, sandboxPathsFor(scope));
    const next = sandboxPathsFor({ ...scope, folders: [{ path: '/work/other', mode: 'read-write' }] });
    const second = applySandbox(first.settings, next, first.record);
    const fs = (second.settings['sandbox'] as { filesystem: Record<string, string[]> }).filesystem;
    expect(fs['allowWrite']).toEqual(['/work/other']);
    expect(fs['denyWrite']).not.toContain('/work/docs');
    expect(fs['denyWrite']).toContain('/work/other/.claude');
    expect(second.record.entries.allowWrite).toEqual(['/work/other']);
  });

  it('disconnect takes out exactly what it added: the person\'s file comes back as it was, even after rewrites', () => {
    const withDomains = sandboxPathsFor(scope, [{ lifetime: 'always', match: { kind: 'domain', domain: 'github.com' } }, { lifetime: 'always', match: { kind: 'domain', domain: 'pypi.org' } }]);
    const domains = applySandbox(person, withDomains);
    expect((domains.settings['sandbox'] as { network: { allowedDomains: string[] } }).network.allowedDomains).toEqual(['github.com', '*.github.com', 'pypi.org', '*.pypi.org']);
    expect(domains.record.entries.allowedDomains).toEqual(['*.github.com', 'pypi.org', '*.pypi.org']); // github.com was the person's
    expect(removeSandbox(domains.settings, domains.record).settings).toEqual(person);
    const first = applySandbox(person, sandboxPathsFor(scope));
    const second = applySandbox(first.settings, sandboxPathsFor({ ...scope, folders: [{ path: '/work/other', mode: 'read-write' }] }), first.record);
    expect(removeSandbox(second.settings, second.record).settings).toEqual(person);
    // From a file that had no sandbox at all: no sandbox key is left behind.
    const fresh = applySandbox({ model: 'opus' }, sandboxPathsFor(scope));
    expect(removeSandbox(fresh.settings, fresh.record).settings).toEqual({ model: 'opus' });
  });

  it('what the person had stays even when the companion\'s entries leave it empty: an empty sandbox, an empty list', () => {
    for (const had of [{ sandbox: {} }, { sandbox: { filesystem: { allowWrite: [] } } }, { sandbox: { network: {} }, model: 'x' }]) {
      const applied = applySandbox(had, sandboxPathsFor(scope));
      expect(removeSandbox(applied.settings, applied.record).settings, JSON.stringify(had)).toEqual(had);
    }
  });

  it('a switch the person changed since is theirs: disconnect leaves it', () => {
    const first = applySandbox({}, sandboxPathsFor(scope));
    const changed = { ...first.settings, sandbox: { ...(first.settings['sandbox'] as object), failIfUnavailable: false } };
    expect((removeSandbox(changed, first.record).settings['sandbox'] as Record<string, unknown>)['failIfUnavailable']).toBe(false);
  });

  it('says why a file does not hold it: a switch turned off, a path missing, commands let out of the sandbox', () => {
    const paths = sandboxPathsFor(scope);
    const { settings } = applySandbox({}, paths);
    const sb = settings['sandbox'] as Record<string, unknown> & { filesystem: Record<string, string[]> };
    expect(sandboxGap({ ...settings, sandbox: { ...sb, allowUnsandboxedCommands: true } }, paths)).toMatch(/allowUnsandboxedCommands is not false/);
    expect(sandboxGap({ ...settings, sandbox: { ...sb, filesystem: { ...sb.filesystem, denyRead: [] } } }, paths)).toMatch(/denyRead lacks \/home\/u\/\.config\/cowork-companion/);
    expect(sandboxGap({ ...settings, sandbox: { ...sb, excludedCommands: ['docker *'] } }, paths)).toMatch(/excludedCommands runs docker \* outside the sandbox/);
    expect(sandboxGap({}, paths)).toMatch(/no "sandbox" settings/);
  });

  it('refuses a file whose sandbox is not an object, changing nothing', () => {
    expect(() => applySandbox({ sandbox: true }, sandboxPathsFor(scope))).toThrow(/"sandbox" is not an object/);
    expect(() => applySandbox({ sandbox: { filesystem: { allowWrite: '/x' } } }, sandboxPathsFor(scope))).toThrow(/allowWrite" is not a list/);
  });
});

describe('whether this machine can run the sandbox', () => {
  it('Linux needs bubblewrap and socat (and says how to install them); macOS has Seatbelt; Windows needs WSL2', () => {
    expect(sandboxSupport('linux', (p) => p === '/usr/bin/bwrap' || p === '/usr/bin/socat')).toEqual({ ok: true });
    expect(sandboxSupport('linux', (p) => p === '/usr/bin/bwrap')).toMatchObject({ ok: false, reason: 'socat is not installed', fix: expect.stringMatching(/apt-get install bubblewrap socat/) });
    expect(sandboxSupport('darwin', (p) => p === '/usr/bin/sandbox-exec')).toEqual({ ok: true });
    expect(sandboxSupport('win32', () => true)).toMatchObject({ ok: false, fix: expect.stringMatching(/WSL2/) });
  });
});
