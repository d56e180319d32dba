// The managed policy IT deploys (a JSON file today; MDM formats carry the same shape): what users
// may share, what no agent may reach, IT's own rules, time budgets, the watcher and telemetry.
// The core's policy loader parses it; the CLI and the UI show parts of it.
import { z } from 'zod';
import { ScopeModeSchema } from './scope-contract.js';
import { CollectorUrlSchema, TelemetryPolicySchema } from './telemetry-policy-contract.js';
import { RuleDraftSchema, SandboxedBashModeSchema } from './ui-contract.js';

/** How long a held item stays when the policy sets no `approvals.holdHours`: a working day and a night. */
export const DEFAULT_HOLD_HOURS = 24;

export const ManagedPolicySchema = z
  .object({
    /** Unknown keys make the file invalid (as a whole: the last valid policy stays). Without it they
     *  are warnings and the rest applies. */
    strict: z.boolean().default(false),
    /** Paths nobody may share or reach through an agent (in addition to the built-in list). */
    forbiddenPaths: z.array(z.string().min(1)).default([]),
    /** When set, users may share only folders inside these roots. */
    allowedRoots: z.array(z.string().min(1)).optional(),
    /** Whether users may add shared folders at all. */
    allowUserFolders: z.boolean().default(true),
    /** Whether users may share broad folders (a disk's top, home folders, system folders, a folder
     *  around a protected location) after confirming; `false` refuses them outright. */
    allowBroadShares: z.boolean().default(true),
    /** Whether people may make their own rules ("Allow for this run", "Always allow"); `false`: only IT's
     *  rules decide automatically, person-made rules stop applying, and everything else asks. */
    allowPersonalRules: z.boolean().default(true),
    /** Start the tray app at login, to the tray. Unset: on wherever a managed policy is in force, else the
     *  person's choice. Set here, it is locked. */
    autostart: z.boolean().optional(),
    /** Folders IT shares for everyone (locked in the UI). */
    sharedFolders: z.array(z.object({ path: z.string().min(1), mode: ScopeModeSchema, label: z.string().default('') })).default([]),
    /** What to do with a file target outside the scope. */
    outOfScope: z.enum(['deny', 'ask']).default('deny'),
    /** Argument names that hold paths, per MCP server (in addition to path/file/directory/uri...). */
    mcpPathArguments: z.record(z.string(), z.array(z.string())).default({}),
    /** Rules IT sets for everyone (locked in the UI): same shape as a person's "always allow". */
    rules: z.array(RuleDraftSchema).default([]),
    /** How long a request waits for a person, and what happens when nobody answers. */
    approvals: z
      .object({
        /** Must stay below the hook `timeout` in the agent's settings (300 s in the documented setup). */
        timeoutSeconds: z.number().int().min(5).max(3600).optional(),
        /** `deny` (default: the item is denied and leaves the inbox) or `hold` (it stays, held, for the
         *  person to decide later; the agent is told it is on hold). Never `allow`: a countdown must
         *  not decide for the person. */
        onTimeout: z.enum(['deny', 'hold']).default('deny'),
        /** How long a held item stays in the inbox before it is withdrawn (default 24; at most a week). */
        holdHours: z.number().int().min(1).max(168).optional(),
        /** Bash commands the OS sandbox confines to the shared folders (ui-contract's
         *  SandboxedBashModeSchema); set here, it is the same for every person and locked. */
        sandboxedBash: SandboxedBashModeSchema.optional(),
      })
      .strict()
      .optional(),
    /** The file watcher that runs while agent runs are active (see docs: it sees changes, not reads). */
    watch: z
      .object({
        enabled: z.boolean().default(true),
        /** Folders outside the scope watched for changes (default: the home folder, `~`). */
        sentinelRoots: z.array(z.string().min(1)).optional(),
        /** Folder levels watched below a sentinel root / a shared folder (default: all). */
        sentinelDepth: z.number().int().min(0).max(256).optional(),
        sharedDepth: z.number().int().min(0).max(256).optional(),
        /** Noise not watched, in addition to the built-in list: a name, a chain of names or a path. */
        exclude: z.array(z.string().min(1)).default([]),
        /** A run with no hook event for this long has ended. */
        idleTimeoutMinutes: z.number().int().min(1).max(24 * 60).default(30),
      })
      .strict()
      .optional(),
    /** Requests per minute from one run before it is paused and the person asked once. */
    stormPerMinute: z.number().int().min(5).max(10_000).default(60),
    /** Where evidence goes and how it is redacted; wins over OTEL_* variables. */
    telemetry: TelemetryPolicySchema.optional(),
    /** What the generated Claude Code managed settings carry besides the companion's hooks and sandbox. */
    claudeCode: z
      .object({
        /** Claude Code sends its own OpenTelemetry (metrics and events) to the organisation's collector. */
        telemetry: z.boolean().default(false),
        /** That collector's OTLP/HTTP base URL (e.g. https://otel.example.com:4318); default: the
         *  `telemetry.endpoint` without its `/v1/logs`. */
        otlpEndpoint: CollectorUrlSchema.optional(),
        /** The Bash sandbox reads only what managed settings allow (Claude Code's
         *  `sandbox.filesystem.allowManagedReadPathsOnly`). */
        allowManagedReadPathsOnly: z.boolean().default(false),
      })
      .strict()
      .optional(),
    /** Shown next to locked settings. */
    organization: z.object({ name: z.string(), contact: z.string().optional() }).optional(),
  })
  .strict();
export type ManagedPolicy = z.infer<typeof ManagedPolicySchema>;
