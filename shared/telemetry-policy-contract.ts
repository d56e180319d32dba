// The managed policy's `telemetry` part: where evidence goes and how it is redacted before it is
// written to the journal (and so before anything leaves the machine). IT deploys it; users cannot
// loosen it. Parsing applies every default, so the core always works with a complete policy.
import { z } from 'zod';

/**
 * Attributes that identify a person. `redaction.identity` decides what happens to them:
 * keep, replace by an HMAC (`hmac-sha256:<hex>`), or drop. OTel semantic conventions (`user.*`,
 * the deprecated `enduser.*`), Claude Code's own identity attributes (`user.account_uuid`,
 * `user.account_id`) and the OS account names a process may report.
 */
export const IDENTITY_ATTRIBUTES = [
  'user.id',
  'user.email',
  'user.name',
  'user.full_name',
  'user.hash',
  'user.account_uuid',
  'user.account_id',
  'enduser.id',
  'enduser.pseudo.id',
  'host.user',
  'process.owner',
  'process.user.name',
  'process.real_user.name',
] as const;

/**
 * Attributes that carry tool input content (file contents, edit strings, prompts, raw tool input).
 * A key matches when it equals one of these, starts with `tool_input.`, or ends with `.<name>`.
 * Never exported unless `redaction.exportToolInput` is on, and then truncated.
 */
export const TOOL_INPUT_ATTRIBUTES = ['tool_input', 'tool_parameters', 'content', 'prompt', 'old_string', 'new_string', 'new_source'] as const;

export function isToolInputAttribute(key: string): boolean {
  if (key.startsWith('tool_input.') || key.startsWith('tool_parameters.')) return true;
  return TOOL_INPUT_ATTRIBUTES.some((name) => key === name || key.endsWith(`.${name}`));
}

export const IdentityRedactionSchema = z.enum(['keep', 'hmac', 'drop']);

export const HMAC_KEY_MIN_CHARS = 32;
export const DEFAULT_TOOL_INPUT_MAX_CHARS = 512;
export const DEFAULT_JOURNAL_LIMIT_MB = 256;

export const RedactionPolicySchema = z
  .strictObject({
    /** What happens to identity attributes (IDENTITY_ATTRIBUTES) and to e-mail addresses in any text. */
    identity: IdentityRedactionSchema.default('keep'),
    /** Secret key for `identity: "hmac"` (required then, ≥ 32 characters). Never logged or shown. */
    hmacKey: z.string().min(HMAC_KEY_MIN_CHARS, `hmacKey must be at least ${HMAC_KEY_MIN_CHARS} characters`).max(4096).optional(),
    /** Replace the home folder prefix of paths (in any attribute) by `~`. */
    shortenHomePaths: z.boolean().default(true),
    /** Export tool input content (file contents, edit strings, prompts). Off by default. */
    exportToolInput: z.boolean().default(false),
    /** When exported, tool input content is cut to this many characters (plus a marker). */
    toolInputMaxChars: z.number().int().min(1).max(1_048_576).default(DEFAULT_TOOL_INPUT_MAX_CHARS),
  })
  .superRefine((r, ctx) => {
    if (r.identity === 'hmac' && r.hmacKey === undefined) {
      ctx.addIssue({ code: 'custom', path: ['hmacKey'], message: `identity "hmac" needs an hmacKey of at least ${HMAC_KEY_MIN_CHARS} characters` });
    }
  });
/** A redaction policy with every default applied (what the core works with). */
export type RedactionPolicy = z.output<typeof RedactionPolicySchema>;
/** What a policy file may contain (defaults not yet applied). */
export type RedactionPolicyInput = z.input<typeof RedactionPolicySchema>;

/** HTTP header field name (RFC 9110 token). */
const headerName = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a valid HTTP header name').max(256);
/** Header value: visible ASCII, space and tab, no CR/LF (no header injection). */
const headerValue = z.string().regex(/^[\t\x20-\x7e\x80-\xff]*$/, 'header values cannot contain control characters').max(8192);

export const OtlpProtocolSchema = z.enum(['http/json', 'http/protobuf']);
export type OtlpProtocol = z.infer<typeof OtlpProtocolSchema>;

/** Where the collector address in use came from. */
export const OtlpConfigSourceSchema = z.enum(['default', 'environment', 'policy']);
export type OtlpConfigSource = z.infer<typeof OtlpConfigSourceSchema>;

/** The collector's OTLP/HTTP logs URL, used as is (like OTEL_EXPORTER_OTLP_LOGS_ENDPOINT). */
export const CollectorUrlSchema = z
  .string()
  .max(2048)
  .refine((raw) => {
    try {
      const u = new URL(raw);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'endpoint must be an http:// or https:// URL');

export const TelemetryPolicySchema = z.strictObject({
  /** Full OTLP/HTTP logs URL (e.g. https://otel.example.com/v1/logs); wins over the environment. */
  endpoint: CollectorUrlSchema.optional(),
  /** Extra HTTP headers (e.g. authorization). Merged over OTEL_EXPORTER_OTLP_HEADERS; never logged or shown. */
  headers: z.record(headerName, headerValue).optional(),
  protocol: OtlpProtocolSchema.optional(),
  redaction: RedactionPolicySchema.default(() => RedactionPolicySchema.parse({})),
  /** Disk budget of the journal; beyond it the oldest undelivered events are dropped (and counted). */
  journalLimitMb: z.number().int().min(1).max(1_048_576).default(DEFAULT_JOURNAL_LIMIT_MB),
});
export type TelemetryPolicy = z.output<typeof TelemetryPolicySchema>;

/** What applies when the managed policy has no `telemetry` key. */
export const DEFAULT_TELEMETRY_POLICY: TelemetryPolicy = TelemetryPolicySchema.parse({});
export const DEFAULT_REDACTION: RedactionPolicy = DEFAULT_TELEMETRY_POLICY.redaction;
