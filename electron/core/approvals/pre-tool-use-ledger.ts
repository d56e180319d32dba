// Which tool call a PermissionRequest is about. Claude Code sends a PreToolUse hook (with the call's
// `tool_use_id`) and, when it would still prompt the person (an `ask` rule, a tool that always asks),
// a PermissionRequest hook for the same call WITHOUT the id. Only a PreToolUse that the hooks allowed
// can be followed by one (a deny blocks the call), so the broker remembers the PreToolUse calls it
// allowed here, and a PermissionRequest takes the id of the one it matches: same session, folder,
// tool and input (and prompt, when both name one), allowed within the window.
//
// Never made up: no match, or more than one equally good (identical calls in flight), gives nothing.
// Bounded: a few calls per session, a few hundred sessions, each remembered for the window only.
import { hash } from 'node:crypto';
import type { ToolCall } from '../requests/index.js';

export interface LedgerLimits {
  /** How long after the PreToolUse was answered a PermissionRequest may still follow it. */
  windowMs: number;
  /** Calls remembered per session (the oldest go first). */
  perSession: number;
  /** Sessions remembered (the one least recently added to goes first). */
  sessions: number;
}

/** A PermissionRequest follows its PreToolUse at once, unless other PreToolUse hooks are slow. */
export const LEDGER_LIMITS: LedgerLimits = { windowMs: 120_000, perSession: 32, sessions: 256 };

type CallFields = Pick<ToolCall, 'session_id' | 'cwd' | 'tool_name' | 'tool_input' | 'prompt_id'>;

interface Remembered {
  key: string;
  promptId: string | undefined;
  toolUseId: string;
  at: number;
}

/** JSON with object keys sorted at every level, so the same input gives the same text however it was ordered. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The call within its session: folder, tool and input (a digest: inputs can be large). */
export function toolCallKey(call: Pick<ToolCall, 'cwd' | 'tool_name' | 'tool_input'>): string {
  return hash('sha256', canonicalJson([call.cwd, call.tool_name, call.tool_input]), 'hex');
}

export class PreToolUseLedger {
  private readonly bySession = new Map<string, Remembered[]>();

  constructor(private readonly limits: LedgerLimits = LEDGER_LIMITS) {}

  /** A PreToolUse whose call the hooks allowed at `now`. */
  remember(call: CallFields & { tool_use_id: string }, now: number): void {
    const list = this.live(call.session_id, now).filter((r) => r.toolUseId !== call.tool_use_id);
    list.push({ key: toolCallKey(call), promptId: call.prompt_id, toolUseId: call.tool_use_id, at: now });
    if (list.length > this.limits.perSession) list.splice(0, list.length - this.limits.perSession);
    // Re-inserted last: the map's order is least recently added to first.
    this.bySession.delete(call.session_id);
    this.bySession.set(call.session_id, list);
    for (const oldest of this.bySession.keys()) {
      if (this.bySession.size <= this.limits.sessions) break;
      this.bySession.delete(oldest);
    }
  }

  /** The `tool_use_id` of the one remembered PreToolUse this call matches (taken: it pairs once). */
  take(call: CallFields, now: number): string | undefined {
    const list = this.live(call.session_id, now);
    const key = toolCallKey(call);
    const matches = list.filter((r) => r.key === key && (r.promptId === undefined || call.prompt_id === undefined || r.promptId === call.prompt_id));
    if (matches.length !== 1) return undefined;
    const [match] = matches as [Remembered];
    list.splice(list.indexOf(match), 1);
    if (list.length === 0) this.bySession.delete(call.session_id);
    return match.toolUseId;
  }

  /** Calls remembered now (for the bound's tests). */
  get size(): number {
    let n = 0;
    for (const list of this.bySession.values()) n += list.length;
    return n;
  }

  /** The session's calls still within the window (expired ones are dropped on the way). */
  private live(sessionId: string, now: number): Remembered[] {
    const list = this.bySession.get(sessionId);
    if (!list) return [];
    const kept = list.filter((r) => now - r.at <= this.limits.windowMs);
    if (kept.length === 0) this.bySession.delete(sessionId);
    else this.bySession.set(sessionId, kept);
    return kept;
  }
}
