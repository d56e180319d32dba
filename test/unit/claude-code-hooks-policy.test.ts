// The hooks `connect claude-code` merges into Claude Code's settings: everything else kept, idempotent,
// brought up to date, and taken out exactly.
import { describe, expect, it } from 'vitest';
import { COMPANION_HOOK_EVENTS, isCompanionHook, LOOPBACK_HOOK_URLS, mergeCompanionHooks, removeCompanionHooks, SettingsShapeError, type Settings } from '../../electron/core/clients/index.js';

const opts = { url: 'http://127.0.0.1:47615/hooks/claude-code', token: 'tok', command: "'/usr/bin/node' '/opt/cc/bin/cowork-companion.js' hook", commandOnly: false };
const mine: Settings = {
  model: 'opus',
  env: { FOO: '1' },
  hooks: {
    PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'my-lint' }] }],
    Notification: [{ hooks: [{ type: 'command', command: 'notify-send hi' }] }],
  },
};

describe('merging the companion hooks into Claude Code settings', () => {
  it('adds one group per event and keeps every other key and hook, in order', () => {
    const { settings, changes } = mergeCompanionHooks(mine, opts);
    expect(changes.map((c) => c.action)).toEqual(COMPANION_HOOK_EVENTS.map(() => 'added'));
    expect(settings['model']).toBe('opus');
    expect(settings['env']).toEqual({ FOO: '1' });
    const hooks = settings['hooks'] as Record<string, { matcher?: string; hooks: Record<string, unknown>[] }[]>;
    expect(hooks['Notification']).toEqual((mine['hooks'] as Record<string, unknown>)['Notification']);
    expect(hooks['PreToolUse']![0]).toEqual({ matcher: 'Bash', hooks: [{ type: 'command', command: 'my-lint' }] });
    expect(hooks['PreToolUse']![1]).toEqual({
      matcher: '*',
      hooks: [{ type: 'http', url: opts.url, headers: { Authorization: 'Bearer tok' }, timeout: 300, onFailure: 'block', statusMessage: expect.any(String) }],
    });
    // Claude Code does not send SessionStart to http hooks; a Stop that blocked would keep the agent going.
    expect(hooks['SessionStart']![0]!.hooks[0]).toMatchObject({ type: 'command', command: opts.command });
    expect(hooks['Stop']![0]!.hooks[0]).not.toHaveProperty('onFailure');
    expect(mine['hooks']).toEqual({ PreToolUse: [expect.anything()], Notification: [expect.anything()] }); // input untouched
  });

  it('is idempotent, and brings a stale companion hook (old port or token) up to date in its place', () => {
    const once = mergeCompanionHooks(mine, opts).settings;
    const twice = mergeCompanionHooks(once, opts);
    expect(twice.changes.every((c) => c.action === 'unchanged')).toBe(true);
    expect(twice.settings).toEqual(once);
    const moved = mergeCompanionHooks(once, { ...opts, url: 'http://127.0.0.1:50000/hooks/claude-code', token: 'new' });
    expect(moved.changes.filter((c) => c.action === 'updated')).toHaveLength(COMPANION_HOOK_EVENTS.length - 1); // SessionStart's command is the same
    const pre = (moved.settings['hooks'] as Record<string, { hooks: Record<string, unknown>[] }[]>)['PreToolUse']!;
    expect(pre).toHaveLength(2);
    expect(pre[1]!.hooks[0]).toMatchObject({ url: 'http://127.0.0.1:50000/hooks/claude-code', headers: { Authorization: 'Bearer new' } });
  });

  it('command hooks only, when asked (or when the port is not fixed)', () => {
    const { settings } = mergeCompanionHooks({}, { ...opts, commandOnly: true });
    for (const event of COMPANION_HOOK_EVENTS) {
      expect((settings['hooks'] as Record<string, { hooks: Record<string, unknown>[] }[]>)[event]![0]!.hooks[0]).toMatchObject({ type: 'command' });
    }
  });

  it('adds the loopback URL to an allow-list of hook URLs, and creates none where there was none', () => {
    expect(mergeCompanionHooks({ allowedHttpHookUrls: ['https://x.example/*'] }, opts)).toMatchObject({ allowListed: true, settings: { allowedHttpHookUrls: ['https://x.example/*', LOOPBACK_HOOK_URLS] } });
    expect(mergeCompanionHooks({}, opts).settings).not.toHaveProperty('allowedHttpHookUrls');
    expect(mergeCompanionHooks({ allowedHttpHookUrls: [LOOPBACK_HOOK_URLS] }, opts).allowListed).toBe(false);
  });

  it('refuses settings whose hooks are not the documented shape (nothing is guessed)', () => {
    expect(() => mergeCompanionHooks({ hooks: [] }, opts)).toThrow(SettingsShapeError);
    expect(() => mergeCompanionHooks({ hooks: { PreToolUse: {} } }, opts)).toThrow(/hooks\.PreToolUse/);
  });
});

describe('taking the companion hooks out', () => {
  it('gives back the settings as they were before connect', () => {
    const connected = mergeCompanionHooks({ ...mine, allowedHttpHookUrls: ['https://x.example/*'] }, opts);
    const { settings, changes } = removeCompanionHooks(connected.settings, { allowListed: connected.allowListed });
    expect(settings).toEqual({ ...mine, allowedHttpHookUrls: ['https://x.example/*'] });
    expect(changes).toHaveLength(COMPANION_HOOK_EVENTS.length);
  });

  it('keeps a person\'s own hooks that share a group with a companion hook', () => {
    const shared = { hooks: { PreToolUse: [{ matcher: '*', hooks: [{ type: 'command', command: 'cowork-companion hook' }, { type: 'command', command: 'audit' }] }] } };
    expect(removeCompanionHooks(shared, { allowListed: false }).settings).toEqual({ hooks: { PreToolUse: [{ matcher: '*', hooks: [{ type: 'command', command: 'audit' }] }] } });
  });

  it('recognises the companion\'s hooks by what they call, not by look-alikes', () => {
    expect(isCompanionHook({ type: 'http', url: 'http://127.0.0.1:47615/hooks/claude-code' })).toBe(true);
    expect(isCompanionHook({ type: 'command', command: 'cowork-companion hook --fail-open' })).toBe(true);
    expect(isCompanionHook({ type: 'http', url: 'https://evil.example/hooks/claude-code' })).toBe(false);
    expect(isCompanionHook({ type: 'command', command: 'cowork-companion-hooker' })).toBe(false);
    expect(isCompanionHook({ type: 'command', command: 'echo cowork-companion hookah' })).toBe(false);
  });
});
