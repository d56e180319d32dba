// The agent-facing API: what Claude Code (or the hook client) may send, and what it gets back.
// Unknown fields are kept (Claude Code adds fields over time); required ones are checked.
import { z } from 'zod';
export { toolAnswer, type HookAnswer, type Verdict } from './hook-answer.js';

export { AGENT_API_ROUTES } from './agent-files.js';

const nonEmpty = z.string().min(1).max(4096);

export const HookCommonSchema = z.looseObject({
  session_id: nonEmpty,
  transcript_path: z.string().max(4096).optional(),
  cwd: nonEmpty,
  hook_event_name: nonEmpty,
  prompt_id: z.string().max(256).optional(),
  permission_mode: z.string().max(64).optional(),
});

const toolInput = z.record(z.string(), z.unknown());

export const PreToolUsePayloadSchema = HookCommonSchema.extend({
  hook_event_name: z.literal('PreToolUse'),
  tool_name: z.string().min(1).max(256),
  tool_input: toolInput,
  tool_use_id: z.string().min(1).max(256),
});

export const PermissionRequestPayloadSchema = HookCommonSchema.extend({
  hook_event_name: z.literal('PermissionRequest'),
  tool_name: z.string().min(1).max(256),
  tool_input: toolInput,
  tool_use_id: z.string().max(256).optional(),
  permission_suggestions: z.array(z.unknown()).optional(),
});

export type HookCommon = z.infer<typeof HookCommonSchema>;
export type PreToolUsePayload = z.infer<typeof PreToolUsePayloadSchema>;
export type PermissionRequestPayload = z.infer<typeof PermissionRequestPayloadSchema>;
export type ToolPayload = PreToolUsePayload | PermissionRequestPayload;

export { DECIDING_EVENTS, type DecidingEvent } from './hook-answer.js';

export type ParsedHook =
  | { kind: 'tool'; payload: ToolPayload }
  | { kind: 'other'; payload: HookCommon };

export type HookParseResult = { ok: true; hook: ParsedHook } | { ok: false; message: string };

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
    .join('; ');
}

export function parseHookPayload(body: unknown): HookParseResult {
  // A deciding event is parsed once, by its own schema (which extends the common one): it is the
  // hot path, one parse per decision.
  const event = typeof body === 'object' && body !== null ? (body as { hook_event_name?: unknown }).hook_event_name : undefined;
  if (event === 'PreToolUse' || event === 'PermissionRequest') {
    const schema = event === 'PreToolUse' ? PreToolUsePayloadSchema : PermissionRequestPayloadSchema;
    const tool = schema.safeParse(body);
    if (!tool.success) return { ok: false, message: describe(tool.error) };
    return { ok: true, hook: { kind: 'tool', payload: tool.data } };
  }
  const common = HookCommonSchema.safeParse(body);
  if (!common.success) return { ok: false, message: describe(common.error) };
  return { ok: true, hook: { kind: 'other', payload: common.data } };
}

export const AgentApiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

/** OTLP/HTTP logs in JSON (ExportLogsServiceRequest, opentelemetry-proto; a protobuf body is read into
 *  this shape first, electron/core/evidence/otlp-logs-protobuf.ts): POST /v1/logs. Only the shape
 *  the relay reads is checked; each log record is checked on its own (an invalid one is rejected alone). */
export const OtlpLogsRequestSchema = z.looseObject({
  resourceLogs: z
    .array(
      z.looseObject({
        resource: z.looseObject({ attributes: z.array(z.unknown()).optional() }).optional(),
        scopeLogs: z.array(z.looseObject({ logRecords: z.array(z.unknown()).optional() })).optional(),
      }),
    )
    .optional(),
});
export type OtlpLogsRequest = z.infer<typeof OtlpLogsRequestSchema>;

/** The OTLP answer: `{}`, or how many records were refused and why. */
export interface OtlpLogsResponse {
  partialSuccess?: { rejectedLogRecords: number; errorMessage: string };
}
