// Which of Claude Code's own files the watcher treats as its bookkeeping (never an alert), which as
// its configuration (a high-severity alert), and which as neither — on canonical paths, by whole
// components, with each volume's case rules, and with links resolved by the caller.
import { describe, expect, it } from 'vitest';
import { volumeRulesFor } from '../../electron/core/paths/path-containment-policy.js';
import type { CanonicalPath } from '../../electron/core/paths/path-canonicalizer.js';
import { builtInForbiddenPaths } from '../../electron/core/scope/forbidden-paths.js';
import type { ScopeState } from '../../electron/core/scope/scope-policy.js';
import { classifyPath, severityOf, violationOf } from '../../electron/core/watch/change-attribution-policy.js';
import { classifyClientFile, isClientBookkeeping, type ClientLayout } from '../../electron/core/watch/client-bookkeeping-policy.js';

const HOME = '/home/dana';
const linux: ClientLayout = { home: HOME, configDir: `${HOME}/.claude`, stateFile: `${HOME}/.claude.json`, volume: volumeRulesFor('linux') };
const kind = (path: string, layout: ClientLayout = linux): string => classifyClientFile(path, layout).kind;
const C = (rel: string): string => `${HOME}/.claude/${rel}`;

describe("Claude Code's bookkeeping", () => {
  it.each([
    C('sessions/48213.json'),
    C('sessions'),
    C('projects/-home-dana-work-payments-api/5b0e6f3c-9a41-4c7e-8d2f-1f6a3b9c7e21.jsonl'),
    C('projects/-home-dana-work/5b0e6f3c/subagents/agent-a1.jsonl'),
    C('plugins/store/index.json'),
    C('plugins/marketplaces/claude-plugins-official/.claude-plugin/marketplace.json'),
    C('plugins/data/formatter/state.json'),
    C('statsig/statsig.cached.evaluations.abc'),
    C('telemetry/1p_failed_events.json'),
    C('todos/5b0e6f3c-agent-5b0e6f3c.json'),
    C('shell-snapshots/snapshot-bash-1772-abc.sh'),
    C('session-env/5b0e6f3c'),
    C('file-history/5b0e6f3c/3f2a@v2'),
    C('ide/48213.lock'),
    C('backups/.claude.json.backup.1772075903627'),
    C('history.jsonl'),
    C('stats-cache.json'),
    C('stats-cache.json.tmp.48213.1772075903627'),
    `${HOME}/.claude.json`,
    `${HOME}/.claude.json.backup`,
    `${HOME}/.claude.json.backup.1772075903627`,
    `${HOME}/.claude.json.corrupted.1772075903627`,
    `${HOME}/.claude.json.tmp.48213.1772075903627`,
    `${HOME}/.claude.json.lock`,
  ])('%s is bookkeeping: no alert, not the agent\'s work', (path) => {
    expect(kind(path)).toBe('bookkeeping');
  });
});

describe("Claude Code's configuration stays protected", () => {
  it.each([
    C('settings.json'),
    C('settings.local.json'),
    C('settings.json.tmp.48213.1772075903627'),
    C('CLAUDE.md'),
    C('hooks'),
    C('hooks/pre-commit.sh'),
    C('agents/reviewer.md'),
    C('commands/deploy.md'),
    C('skills/drawio/SKILL.md'),
    C('rules/security.md'),
    C('output-styles/terse.md'),
    C('plugins/cache/claude-plugins-official/formatter/1.2.0/hooks/hooks.json'),
    C('plugins/installed_plugins.json'),
    C('plugins/known_marketplaces.json'),
  ])('%s is configuration: a high-severity alert', (path) => {
    expect(classifyClientFile(path, linux)).toMatchObject({ kind: 'protected', reason: expect.stringMatching(/configuration/) });
  });
});

describe('neither (judged by the scope as any other path)', () => {
  it.each([
    [C('unknown.txt'), 'an unknown file in ~/.claude'],
    [C('plugins/unknown.json'), 'an unknown file in plugins/'],
    [`${HOME}/Documents/notes.txt`, 'the home folder'],
    [`${HOME}/work/proj/.claude/sessions/1.json`, "a project's .claude folder is not ~/.claude"],
    [`${HOME}/Documents/.claude.json`, '.claude.json outside the home folder'],
  ])('%s (%s)', (path) => {
    expect(kind(path)).toBe('other');
  });

  it('the folders Claude Code makes at its first start (~/.claude, ~/.claude/plugins) are bookkeeping; what goes in them is judged on its own', () => {
    expect(kind(C(''))).toBe('bookkeeping');
    expect(kind(C('plugins'))).toBe('bookkeeping');
    expect(kind(C('settings.json'))).toBe('protected');
    expect(kind(C('plugins/cache/x/hooks.json'))).toBe('protected');
  });

  it.each([
    C('sessions-evil/x.json'),
    C('projectsX/a.jsonl'),
    C('history.jsonl.evil'),
    C('hooks-not/x'),
    `${HOME}/.claude-evil/sessions/x.json`,
    `${HOME}/.claudex/sessions/x.json`,
    `${HOME}/.claude.jsonx`,
    `${HOME}/.claude.json.evil`,
  ])('a prefix is not a component: %s is not bookkeeping', (path) => {
    expect(kind(path)).not.toBe('bookkeeping');
  });
});

describe('volumes and links', () => {
  it('follows the volume case rules: the same names on macOS, different files on Linux', () => {
    const mac: ClientLayout = { home: '/Users/dana', configDir: '/Users/dana/.claude', stateFile: '/Users/dana/.claude.json', volume: volumeRulesFor('darwin') };
    expect(kind('/Users/dana/.Claude/Settings.json', mac)).toBe('protected');
    expect(kind('/Users/dana/.claude/SESSIONS/1.json', mac)).toBe('bookkeeping');
    expect(kind('/Users/dana/.CLAUDE.JSON', mac)).toBe('bookkeeping');
    expect(kind(C('SESSIONS/1.json'))).toBe('other');
    expect(kind(C('Hooks/x.sh'))).toBe('other');
  });

  it('Windows paths (%USERPROFILE%\\.claude)', () => {
    const win: ClientLayout = { home: 'C:\\Users\\dana', configDir: 'C:\\Users\\dana\\.claude', stateFile: 'C:\\Users\\dana\\.claude.json', volume: volumeRulesFor('win32') };
    expect(kind('C:\\Users\\dana\\.claude\\sessions\\1.json', win)).toBe('bookkeeping');
    expect(kind('c:\\users\\dana\\.claude\\hooks\\x.ps1', win)).toBe('protected');
    expect(kind('C:\\Users\\dana\\.claude.json.backup', win)).toBe('bookkeeping');
    expect(kind('C:\\Users\\dana\\.claude\\sessions-evil\\1.json', win)).toBe('other');
  });

  it('matches where the links point, as the caller resolved them (a dotfiles ~/.claude and ~/.claude.json)', () => {
    const linked: ClientLayout = { ...linux, configDir: `${HOME}/dotfiles/claude`, stateFile: `${HOME}/dotfiles/claude.json` };
    expect(kind(`${HOME}/dotfiles/claude/sessions/1.json`, linked)).toBe('bookkeeping');
    expect(kind(`${HOME}/dotfiles/claude/hooks/x.sh`, linked)).toBe('protected');
    expect(kind(`${HOME}/dotfiles/claude.json`, linked)).toBe('bookkeeping');
    expect(kind(`${HOME}/dotfiles/claude.json.backup`, linked)).toBe('bookkeeping');
    expect(kind(`${HOME}/.claude.json.backup`, linked)).toBe('bookkeeping'); // Claude Code writes backups beside the name it uses
    // The caller must pass canonical paths: an unresolved spelling is not matched.
    expect(kind(`${HOME}/.claude/sessions/1.json`, linked)).toBe('other');
  });
});

describe('a change and its paths', () => {
  it('is bookkeeping only when every path it names is (a rename out of bookkeeping into configuration is not)', () => {
    expect(isClientBookkeeping([C('sessions/1.json'), C('sessions/.1.json.tmp')], linux)).toBe(true);
    expect(isClientBookkeeping([C('hooks/run.sh'), C('todos/x.json')], linux)).toBe(false);
    expect(isClientBookkeeping([`${HOME}/Documents/x`, C('todos/x.json')], linux)).toBe(false);
    expect(isClientBookkeeping([], linux)).toBe(false);
  });

  it('classifyPath makes configuration a protected location (high severity) and leaves the scope policy\'s entries first', () => {
    const volume = volumeRulesFor('linux');
    const scope: ScopeState = { folders: [], forbidden: builtInForbiddenPaths(HOME, `${HOME}/.config/cowork-companion`, 'linux'), outOfScope: 'deny', mcpPathArguments: {}, home: HOME, volume };
    const canonicalize = (p: unknown): CanonicalPath => ({ ok: true, path: String(p), exists: true, hardLinked: false, isDirectory: false });
    const hooks = classifyPath(C('hooks/run.sh'), scope, canonicalize, [], linux);
    expect(hooks).toMatchObject({ kind: 'forbidden', entry: C('hooks'), reason: expect.stringMatching(/Claude Code's own configuration/) });
    expect(severityOf(violationOf(hooks)!)).toBe('high');
    expect(classifyPath(C('settings.json'), scope, canonicalize, [], linux)).toMatchObject({ kind: 'forbidden', reason: expect.stringMatching(/could disable Cowork Companion/) });
    expect(classifyPath(C('hooks/run.sh'), scope, canonicalize).kind).toBe('outside'); // without a layout: as before
  });
});
