// Answers in Claude Code's hook output format. No dependencies: the hook client loads this on every call.

/** Events that wait for a decision; every other event is acknowledged without effect. */
export const DECIDING_EVENTS = ['PreToolUse', 'PermissionRequest'] as const;
export type DecidingEvent = (typeof DECIDING_EVENTS)[number];

export const VERDICTS = ['allow', 'deny'] as const;
export type Verdict = (typeof VERDICTS)[number];

export type HookAnswer =
  | Record<string, never>
  | {
      hookSpecificOutput: {
        hookEventName: 'PreToolUse';
        permissionDecision: 'allow' | 'deny' | 'ask';
        permissionDecisionReason?: string;
      };
    }
  | {
      hookSpecificOutput: {
        hookEventName: 'PermissionRequest';
        decision: { behavior: Verdict; message?: string; interrupt?: boolean };
      };
    };

export function toolAnswer(event: DecidingEvent, verdict: Verdict, reason: string): HookAnswer {
  if (event === 'PreToolUse') {
    return {
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: verdict,
        permissionDecisionReason: reason,
      },
    };
  }
  return {
    hookSpecificOutput: {
      hookEventName: 'PermissionRequest',
      decision: verdict === 'allow' ? { behavior: 'allow' } : { behavior: 'deny', message: reason, interrupt: false },
    },
  };
}

