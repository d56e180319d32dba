// Which Claude Code settings files `connect` changed, and what it added there beyond its hooks (an
// allow-list entry, the sandbox, the telemetry env): so `disconnect` takes out exactly that, and the running core keeps
// those files' sandbox in step with the scope. A sealed state file: the core writes Claude Code's
// settings on the strength of it, so a record the agent forged must not name the files it writes.
import { basename, dirname } from 'node:path';
import { z } from 'zod';
import type { SealedStatePort } from '../base/index.js';

export const CONNECTIONS_FILE = 'connections.json';

const PathsSchema = z.object({ allowWrite: z.array(z.string()), denyWrite: z.array(z.string()), denyRead: z.array(z.string()), allowedDomains: z.array(z.string()).default([]) });
const FlagSchema = z.object({ before: z.unknown().optional() });
const ConnectionSchema = z.object({
  /** connect added the loopback URL to the file's allow-list of http hook URLs. */
  allowListed: z.boolean(),
  /** What connect added to the file's `sandbox` (absent: it did not set the sandbox up there). */
  sandbox: z.object({ flags: z.object({ enabled: FlagSchema.optional(), failIfUnavailable: FlagSchema.optional(), allowUnsandboxedCommands: FlagSchema.optional() }), entries: PathsSchema, had: z.array(z.string()).optional() }).optional(),
  /** The `env` keys connect set to point Claude Code's logs at the relay, each with its value's SHA-256. */
  telemetry: z.record(z.string(), z.string()).optional(),
});
const RecordSchema = z.record(z.string(), ConnectionSchema);
export type ClientConnection = z.infer<typeof ConnectionSchema>;
export type ConnectionRecord = z.infer<typeof RecordSchema>;

/** Claude Code's settings files by name: a project's or the user's `.claude/settings(.local).json`, or
 *  the managed `managed-settings.json`. The only files the core will write on a record's word. */
export function isClaudeCodeSettingsFile(file: string): boolean {
  const name = basename(file);
  return ((name === 'settings.json' || name === 'settings.local.json') && basename(dirname(file)) === '.claude') || name === 'managed-settings.json';
}

/** The record; empty when there is none (or it is not the one the core sealed). */
export function readConnections(port: SealedStatePort): ConnectionRecord {
  const text = port.read();
  if (text === undefined) return {};
  try {
    const parsed = RecordSchema.safeParse(JSON.parse(text));
    if (!parsed.success) return {};
    return Object.fromEntries(Object.entries(parsed.data).filter(([file]) => isClaudeCodeSettingsFile(file)));
  } catch {
    return {};
  }
}

export function writeConnections(port: SealedStatePort, record: ConnectionRecord): void {
  port.write(JSON.stringify(record));
}
