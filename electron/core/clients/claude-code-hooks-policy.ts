// The hooks `cowork-companion connect claude-code` puts into a Claude Code settings file, and how they
// are merged in and taken out again without touching anything else there. Pure: the command does the
// file work (the managed settings reuse the hook set). Facts about the client (CLI 2.1.332, measured): http hooks are skipped for SessionStart;
// an http hook that cannot reach its URL falls back to Claude Code's own permission flow unless it has
// `"onFailure": "block"`; a command hook that is not found (exit 127) does not block.
import { isDeepStrictEqual } from 'node:util';

export const COMPANION_HOOK_EVENTS = ['PreToolUse', 'PermissionRequest', 'UserPromptSubmit', 'PostToolUse', 'PostToolUseFailure', 'Stop', 'SessionStart', 'SessionEnd'] as const;
export type CompanionHookEvent = (typeof COMPANION_HOOK_EVENTS)[number];

/** Events whose hooks take a tool matcher. */
const WITH_MATCHER: ReadonlySet<CompanionHookEvent> = new Set(['PreToolUse', 'PermissionRequest', 'PostToolUse', 'PostToolUseFailure']);
/** Events the companion decides: they wait for a person, and an unreachable companion must block them. */
export const DECIDING_HOOK_EVENTS: ReadonlySet<CompanionHookEvent> = new Set(['PreToolUse', 'PermissionRequest']);
/** Events Claude Code does not send to http hooks. */
const COMMAND_ONLY: ReadonlySet<CompanionHookEvent> = new Set(['SessionStart']);

/** Longer than the companion's longest wait for a person (its decision budget stays below this). */
export const DECIDING_TIMEOUT_S = 300;
const NOTICE_TIMEOUT_S = 10;

export interface CompanionHookOptions {
  /** The agent API's hook URL (`http://127.0.0.1:PORT/hooks/claude-code`). */
  url: string;
  token: string;
  /** The shell command of the command hook client. */
  command: string;
  /** Command hooks for every event (no http: e.g. the companion's port is not fixed). */
  commandOnly: boolean;
}

export type HookEntry = Record<string, unknown>;
export interface HookGroup {
  matcher?: string;
  hooks: HookEntry[];
}
export type Settings = Record<string, unknown>;

export interface HookChange {
  event: string;
  action: 'added' | 'updated' | 'unchanged' | 'removed';
  /** What the hook does, in words. */
  detail: string;
}

export class SettingsShapeError extends Error {}

/** The hook group the companion wants for `event`. */
export function companionHookGroup(event: CompanionHookEvent, o: CompanionHookOptions): HookGroup {
  const deciding = DECIDING_HOOK_EVENTS.has(event);
  const timeout = deciding ? DECIDING_TIMEOUT_S : NOTICE_TIMEOUT_S;
  const hook: HookEntry =
    o.commandOnly || COMMAND_ONLY.has(event)
      ? { type: 'command', command: o.command, timeout }
      : {
          type: 'http',
          url: o.url,
          headers: { Authorization: `Bearer ${o.token}` },
          timeout,
          ...(deciding ? { onFailure: 'block', statusMessage: 'Waiting for approval in Cowork Companion…' } : {}),
        };
  return WITH_MATCHER.has(event) ? { matcher: '*', hooks: [hook] } : { hooks: [hook] };
}

const COMPANION_URL = /^http:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):\d+\/hooks\/claude-code$/;
/** `cowork-companion hook` (Node, `.js` or not, quoted or not) or `cowork-companion-hook` (bash). */
const COMPANION_COMMAND = /cowork-companion(?:(?:\.js)?['"]?\s+hook|-hook['"]?)(?:\s|$)/;

/** A hook the companion put there (or that calls the companion as the README shows). */
export function isCompanionHook(hook: unknown): boolean {
  if (typeof hook !== 'object' || hook === null) return false;
  const h = hook as HookEntry;
  return (h['type'] === 'http' && typeof h['url'] === 'string' && COMPANION_URL.test(h['url'])) || (h['type'] === 'command' && typeof h['command'] === 'string' && COMPANION_COMMAND.test(h['command']));
}

export function describeHook(group: HookGroup): string {
  const hook = group.hooks[0] ?? {};
  if (hook['type'] === 'http') return `http ${String(hook['url'])}${hook['onFailure'] === 'block' ? ' (blocks the tool call when the companion cannot answer)' : ''}`;
  return `command ${String(hook['command'])}`;
}

function hooksOf(settings: Settings): Record<string, unknown> {
  const hooks = settings['hooks'] ?? {};
  if (typeof hooks !== 'object' || hooks === null || Array.isArray(hooks)) throw new SettingsShapeError('its "hooks" is not an object');
  return hooks as Record<string, unknown>;
}

function groupsOf(hooks: Record<string, unknown>, event: string): unknown[] {
  const list = hooks[event] ?? [];
  if (!Array.isArray(list)) throw new SettingsShapeError(`its "hooks.${event}" is not a list`);
  return list;
}

const hasCompanionHook = (group: unknown): boolean => Array.isArray((group as HookGroup | null)?.hooks) && (group as HookGroup).hooks.some(isCompanionHook);

/** The allow-list entry that admits the companion's loopback hook URL. */
export const LOOPBACK_HOOK_URLS = 'http://127.0.0.1:*';

/**
 * `settings` with the companion's hooks in place: each event gets one group of its own; a group that
 * already holds a companion hook is brought up to date (an old port or token); everything else is
 * kept as it was. Where the file has an allow-list of http hook URLs, the loopback URL is added to it
 * (without one, Claude Code would refuse the hook); none is created where there was none.
 */
export function mergeCompanionHooks(settings: Settings, o: CompanionHookOptions): { settings: Settings; changes: HookChange[]; allowListed: boolean } {
  const hooks = { ...hooksOf(settings) };
  const changes: HookChange[] = [];
  for (const event of COMPANION_HOOK_EVENTS) {
    const desired = companionHookGroup(event, o);
    const groups = groupsOf(hooks, event);
    const ours = groups.filter(hasCompanionHook);
    const detail = describeHook(desired);
    if (ours.length === 1 && isDeepStrictEqual(ours[0], desired)) {
      changes.push({ event, action: 'unchanged', detail });
      continue;
    }
    const at = groups.findIndex(hasCompanionHook);
    const others = groups.filter((g) => !hasCompanionHook(g));
    // Keep the companion's place among the other groups (order is the order Claude Code runs them in).
    const next = at < 0 ? [...others, desired] : [...others.slice(0, at), desired, ...others.slice(at)];
    hooks[event] = next;
    changes.push({ event, action: ours.length > 0 ? 'updated' : 'added', detail });
  }
  const next: Settings = { ...settings, hooks };
  let allowListed = false;
  const allowList = settings['allowedHttpHookUrls'];
  const usesHttp = COMPANION_HOOK_EVENTS.some((e) => companionHookGroup(e, o).hooks[0]?.['type'] === 'http');
  if (usesHttp && Array.isArray(allowList) && !allowList.includes(LOOPBACK_HOOK_URLS)) {
    next['allowedHttpHookUrls'] = [...allowList, LOOPBACK_HOOK_URLS];
    allowListed = true;
  }
  return { settings: next, changes, allowListed };
}

/** `settings` without any companion hook; groups and events left empty by that are removed too. */
export function removeCompanionHooks(settings: Settings, o: { allowListed: boolean }): { settings: Settings; changes: HookChange[] } {
  if (settings['hooks'] === undefined) return { settings, changes: [] };
  const hooks = { ...hooksOf(settings) };
  const changes: HookChange[] = [];
  for (const event of Object.keys(hooks)) {
    const groups = groupsOf(hooks, event);
    if (!groups.some(hasCompanionHook)) continue;
    const kept: unknown[] = [];
    for (const group of groups) {
      if (!hasCompanionHook(group)) {
        kept.push(group);
        continue;
      }
      const g = group as HookGroup;
      changes.push({ event, action: 'removed', detail: describeHook({ ...g, hooks: g.hooks.filter(isCompanionHook) }) });
      const rest = g.hooks.filter((h) => !isCompanionHook(h));
      if (rest.length > 0) kept.push({ ...g, hooks: rest });
    }
    if (kept.length > 0) hooks[event] = kept;
    else delete hooks[event];
  }
  const next: Settings = { ...settings };
  if (Object.keys(hooks).length > 0) next['hooks'] = hooks;
  else delete next['hooks'];
  const allowList = settings['allowedHttpHookUrls'];
  if (o.allowListed && Array.isArray(allowList)) next['allowedHttpHookUrls'] = allowList.filter((u) => u !== LOOPBACK_HOOK_URLS);
  return { settings: next, changes };
}
