// Resolves a hook payload the way the running companion does (real canonicaliser), for tests that
// drive the scope check, rules or the broker directly.
import { homedir } from 'node:os';
import { canonicalizerFor } from '../../electron/core/paths/index.js';
import { resolveRequest, type ResolvedRequest, type ToolCall } from '../../electron/core/requests/index.js';

export function resolved<P extends ToolCall>(payload: P, o: { home?: string; mcpPathArguments?: Record<string, string[]>; platform?: NodeJS.Platform } = {}): ResolvedRequest<P> {
  return resolveRequest(payload, { canonicalize: canonicalizerFor(o.platform ?? 'linux'), home: o.home ?? homedir(), mcpPathArguments: o.mcpPathArguments ?? {} });
}
