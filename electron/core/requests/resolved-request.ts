// A tool call resolved once: the files it names (as named, with their access and
// their canonical form on first use), what the card shows, and the hashes that bind a decision to it.
// Scope, rules, the broker, the run tracker and evidence all take this one value, so a request's
// targets are worked out in one place.
import { hash } from 'node:crypto';
import type { ToolPayload } from '../../../shared/agent-api-contract.js';
import { displayTargets, isReadOnlyTool } from '../../../shared/tool-catalogue.js';
import type { ActionTargets } from '../../../shared/ui-contract.js';
import type { Canonicalize, CanonicalPath } from '../paths/index.js';
import type { UserHomeLookup } from './bash-targets-policy.js';
import { toolTargets, type FileTarget, type ToolTargets } from './tool-targets-policy.js';

/** The fields of a hook payload that describe one tool call (deciding events and PostToolUse alike). */
export interface ToolCall {
  hook_event_name: string;
  session_id: string;
  cwd: string;
  tool_name: string;
  tool_input: Record<string, unknown>;
  tool_use_id?: string;
  prompt_id?: string;
}

export interface ResolveContext {
  canonicalize: Canonicalize;
  home: string;
  /** The managed policy's extra path arguments per MCP server. */
  mcpPathArguments: Record<string, string[]>;
  /** Other users' home folders, for a shell's `~name` (absent: only the current user's is known). */
  userHome?: UserHomeLookup;
}

export interface ResolvedRequest<P extends ToolCall = ToolPayload> {
  readonly payload: P;
  /** Files the call names and how it touches them; `opaque` when it may reach files it cannot name. */
  readonly targets: ToolTargets;
  /** What the card shows (as the agent wrote it). */
  readonly display: ActionTargets;
  /** Only reads (reads and searches whose every target is read). */
  readonly isRead: boolean;
  /** Short hash of what the person is shown; a decision names it so it cannot land on changed content. */
  readonly contentHash: string;
  /** Same run, same folder, same tool, same input: the same action. */
  readonly actionKey: string;
  /** A named file's canonical form, worked out once per resolution. */
  canonical(file: FileTarget): CanonicalPath;
  /** The call's working folder, canonical. */
  canonicalCwd(): CanonicalPath;
}

// Both bind to the folder the call runs in: `rm -rf build` in a shared folder and in the home folder
// are different actions (a decision on one must never serve the other).
export function contentHash(payload: Pick<ToolCall, 'hook_event_name' | 'session_id' | 'cwd' | 'tool_name' | 'tool_input'>): string {
  const shown = JSON.stringify([payload.hook_event_name, payload.session_id, payload.cwd, payload.tool_name, payload.tool_input]);
  return hash('sha256', shown, 'hex').slice(0, 16);
}

export function actionKey(payload: Pick<ToolCall, 'session_id' | 'cwd' | 'tool_name' | 'tool_input'>): string {
  return JSON.stringify([payload.session_id, payload.cwd, payload.tool_name, payload.tool_input]);
}

/**
 * Resolves a tool call. Canonical forms are memoised in the value: one evaluation pass (scope, then
 * rules) canonicalises each path once. A later pass over the same call (re-evaluation when scope or
 * policy changes) resolves it again, because the disk may have changed in between.
 */
export function resolveRequest<P extends ToolCall>(payload: P, ctx: ResolveContext): ResolvedRequest<P> {
  const targets = toolTargets(payload.tool_name, payload.tool_input, {
    cwd: payload.cwd,
    home: ctx.home,
    mcpPathArguments: ctx.mcpPathArguments,
    ...(ctx.userHome ? { userHome: ctx.userHome } : {}),
  });
  const memo = new Map<string, CanonicalPath>();
  const canonicalize = (input: unknown, base?: string): CanonicalPath => {
    const key = `${typeof input === 'string' ? input : JSON.stringify(input) ?? ''}\0${base ?? ''}`;
    let c = memo.get(key);
    if (!c) memo.set(key, (c = ctx.canonicalize(input, base)));
    return c;
  };
  return {
    payload,
    targets,
    display: displayTargets(payload.tool_name, payload.tool_input, ctx.mcpPathArguments),
    isRead: isReadOnlyTool(payload.tool_name) && targets.files.every((f) => f.access === 'read'),
    contentHash: contentHash(payload),
    actionKey: actionKey(payload),
    canonical: (file) => canonicalize(file.path, file.cwd),
    canonicalCwd: () => canonicalize(payload.cwd),
  };
}
