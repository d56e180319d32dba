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
  // `.${name}` compared in place: asked for every attribute of every record, so nothing is built.
  return TOOL_INPUT_ATTRIBUTES.some((name) => key.endsWith(name) && (key.length === name.length || key.charCodeAt(key.length - name.length - 1) === 0x2e));
}

export const IdentityRedactionSchema = z.enum(['keep', 'hmac', 'drop']);

export const HMAC_KEY_MIN_CHARS = 32;
export const DEFAULT_TOOL_INPUT_MAX_CHARS = 512;
export const DEFAULT_JOURNAL_LIMIT_MB = 256;

export const RedactionPolicySchema = z
  .strictObject({
    // Metadata (title, description, examples) as in managed-policy-contract.ts: outermost, for the
    // generated templates and JSON Schema.
    identity: IdentityRedactionSchema.default('keep').meta({
      title: 'Identity attributes',
      description: `What happens to attributes that identify a person (${IDENTITY_ATTRIBUTES.join(', ')}) and to e-mail addresses in any text: "keep" (the default), "hmac" (replaced by hmac-sha256:<hex>, needs hmacKey) or "drop".`,
      examples: ['hmac'],
    }),
    hmacKey: z.string().min(HMAC_KEY_MIN_CHARS, `hmacKey must be at least ${HMAC_KEY_MIN_CHARS} characters`).max(4096).optional().meta({
      title: 'HMAC key',
      description: `Secret key for identity "hmac" (required then, at least ${HMAC_KEY_MIN_CHARS} characters). Never logged or shown.`,
      examples: ['replace-with-a-random-secret-of-32-characters-or-more'],
    }),
    shortenHomePaths: z.boolean().default(true).meta({
      title: 'Shorten home folder paths',
      description: 'Replace the home folder at the start of paths (in any attribute) by `~` (default: yes).',
      examples: [true],
    }),
    exportToolInput: z.boolean().default(false).meta({
      title: 'Export tool input',
      description: 'Export tool input content (file contents, edit strings, prompts). Off by default.',
      examples: [false],
    }),
    toolInputMaxChars: z.number().int().min(1).max(1_048_576).default(DEFAULT_TOOL_INPUT_MAX_CHARS).meta({
      title: 'Tool input length limit',
      description: `When tool input is exported, it is cut to this many characters, plus a marker (default ${DEFAULT_TOOL_INPUT_MAX_CHARS}).`,
      examples: [DEFAULT_TOOL_INPUT_MAX_CHARS],
    }),
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
  }, 'endpoint must be an http:// or https:// URL')
  // A URL is shown (policy show, the window) and copied into Claude Code's managed settings, which every
  // user can read: a secret in it would leak there.
  .refine((raw) => !/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/i.test(raw), 'endpoint must not carry a user name or password: put credentials in telemetry.headers');

export const TelemetryPolicySchema = z.strictObject({
  endpoint: CollectorUrlSchema.optional().meta({
    title: 'Collector address',
    description: "The collector's full OTLP/HTTP logs URL (e.g. https://otel.example.com/v1/logs) where evidence goes; wins over the environment.",
    examples: ['https://otel.example.com/v1/logs'],
  }),
  headers: z.record(headerName, headerValue).optional().meta({
    title: 'Collector headers',
    description: 'Extra HTTP headers sent to the collector (e.g. authorization): an object from header name to value. Merged over OTEL_EXPORTER_OTLP_HEADERS; never logged or shown.',
    examples: [{ authorization: 'Bearer <token>' }],
  }),
  protocol: OtlpProtocolSchema.optional().meta({
    title: 'OTLP protocol',
    description: 'How evidence is encoded for the collector: "http/json" or "http/protobuf" (default: from the environment, else http/json).',
    examples: ['http/protobuf'],
  }),
  redaction: RedactionPolicySchema.default(() => RedactionPolicySchema.parse({})).meta({
    title: 'Redaction',
    description: 'How evidence is redacted before it is written to the journal, and so before anything leaves the machine.',
    examples: [{ identity: 'drop' }],
  }),
  journalLimitMb: z.number().int().min(1).max(1_048_576).default(DEFAULT_JOURNAL_LIMIT_MB).meta({
    title: 'Journal size limit (MB)',
    description: `Disk budget of the evidence journal; beyond it the oldest undelivered events are dropped, and counted (default ${DEFAULT_JOURNAL_LIMIT_MB}).`,
    examples: [DEFAULT_JOURNAL_LIMIT_MB],
  }),
});
export type TelemetryPolicy = z.output<typeof TelemetryPolicySchema>;

/** What applies when the managed policy has no `telemetry` key. */
export const DEFAULT_TELEMETRY_POLICY: TelemetryPolicy = TelemetryPolicySchema.parse({});
export const DEFAULT_REDACTION: RedactionPolicy = DEFAULT_TELEMETRY_POLICY.redaction;
