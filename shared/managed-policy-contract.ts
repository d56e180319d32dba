// The managed policy IT deploys (a JSON file today; MDM formats carry the same shape): what users
// may share, what no agent may reach, IT's own rules, time budgets, the watcher and telemetry.
// The core's policy loader parses it; the CLI and the UI show parts of it.
import { z } from 'zod';
import { EscalationContactSchema, EscalationRulesSchema } from './escalation-contract.js';
import { ScopeModeSchema } from './scope-contract.js';
import { CollectorUrlSchema, TelemetryPolicySchema } from './telemetry-policy-contract.js';
import { RuleDraftSchema, SandboxedBashModeSchema } from './ui-contract.js';

/** How long a held item stays when the policy sets no `approvals.holdHours`: a working day and a night. */
export const DEFAULT_HOLD_HOURS = 24;

/** How long the local timeline keeps events when the policy sets no `timeline.retentionDays`. */
export const DEFAULT_TIMELINE_RETENTION_DAYS = 90;

// Every key carries its title, description and examples as zod metadata (`.meta`, outermost, after
// `.default()`/`.optional()`, so each POLICY_SETTINGS entry's `schema.meta()` finds it and
// `z.toJSONSchema` carries it): the ADMX/ADML templates, the JSON Schema and the example policy are
// generated from it. Descriptions are what IT reads; keep them true when behaviour changes.
export const ManagedPolicySchema = z
  .object({
    strict: z.boolean().default(false).meta({
      title: 'Strict policy',
      description:
        'Unknown keys make the whole policy invalid, and the last valid policy stays in force. Without it (the default) unknown keys are warnings and the rest of the policy applies.',
      examples: [false],
    }),
    forbiddenPaths: z.array(z.string().min(1)).default([]).meta({
      title: 'Forbidden paths',
      description: 'Paths nobody may share or reach through an agent, in addition to the built-in list.',
      examples: [['~/.ssh', '~/.aws', '/srv/finance']],
    }),
    allowedRoots: z.array(z.string().min(1)).optional().meta({
      title: 'Allowed roots',
      description: 'When set, users may share only folders inside these roots.',
      examples: [['~/Projects', '/srv/work']],
    }),
    allowUserFolders: z.boolean().default(true).meta({
      title: 'Users may add shared folders',
      description: 'Whether users may add shared folders at all (default: yes).',
      examples: [true],
    }),
    allowBroadShares: z.boolean().default(true).meta({
      title: 'Allow broad shared folders',
      description:
        "Whether users may share broad folders (a disk's top, home folders, system folders, a folder around a protected location) after confirming. Off: they are refused outright.",
      examples: [false],
    }),
    allowPersonalRules: z.boolean().default(true).meta({
      title: 'Allow personal rules',
      description:
        'Whether people may make their own rules ("Allow for this run", "Always allow"). Off: only the organisation\'s rules decide automatically, rules people made stop applying, and everything else asks.',
      examples: [true],
    }),
    autostart: z.boolean().optional().meta({
      title: 'Start at login',
      description:
        "Start the tray app at login, to the tray. Not set: on wherever a managed policy is in force, else the person's choice. Set here, it is locked.",
      examples: [true],
    }),
    sharedFolders: z
      .array(z.object({ path: z.string().min(1), mode: ScopeModeSchema, label: z.string().default('') }))
      .default([])
      .meta({
        title: 'Shared folders for everyone',
        description:
          'Folders the organisation shares for everyone (locked in the app): a list of objects with `path`, `mode` ("read" or "read-write") and an optional `label`.',
        examples: [[{ path: '/srv/shared/handbook', mode: 'read', label: 'Team handbook' }]],
      }),
    outOfScope: z.enum(['deny', 'ask']).default('deny').meta({
      title: 'Files outside the shared folders',
      description: 'What happens to a request for a file outside the shared folders: "deny" (the default) or "ask" the person.',
      examples: ['deny'],
    }),
    mcpPathArguments: z.record(z.string(), z.array(z.string())).default({}).meta({
      title: 'MCP path arguments',
      description:
        'Argument names that hold paths, per MCP server (in addition to path, file, directory, uri and the like): an object from server name to a list of argument names.',
      examples: [{ filesystem: ['source', 'destination'] }],
    }),
    rules: z.array(RuleDraftSchema).default([]).meta({
      title: 'Rules for everyone',
      description:
        'Rules the organisation sets for everyone (locked in the app), in the same shape as a person\'s rule: `toolName` (an MCP tool may be a pattern: `mcp__github__*`, `mcp__*__delete_*`), `effect` ("allow", the default; "deny"; or "ask": always a person), `match` (`kind` path-prefix, command-prefix, domain or any; default any) and an optional `folder`. Deny rules apply first, then the shared folders, then ask rules, then allow rules.',
      examples: [[{ toolName: 'Bash', match: { kind: 'command-prefix', prefix: 'git status' } }, { toolName: 'mcp__github__*', effect: 'deny' }]],
    }),
    approvals: z
      .object({
        timeoutSeconds: z.number().int().min(5).max(3600).optional().meta({
          title: 'Approval timeout (seconds)',
          description:
            "How long a request waits for a person. Must stay below the hook `timeout` in the agent's settings (300 seconds in the documented setup).",
          examples: [120],
        }),
        onTimeout: z.enum(['deny', 'hold']).default('deny').meta({
          title: 'When nobody answers',
          description:
            '"deny" (the default: the request is denied and leaves the inbox) or "hold" (it stays, held, for the person to decide later; the agent is told it is on hold). Never "allow": a countdown must not decide for the person.',
          examples: ['hold'],
        }),
        holdHours: z.number().int().min(1).max(168).optional().meta({
          title: 'Hold time (hours)',
          description: `How long a held request stays in the inbox before it is withdrawn (default ${DEFAULT_HOLD_HOURS}; at most a week, 168).`,
          examples: [DEFAULT_HOLD_HOURS],
        }),
        // ui-contract's SandboxedBashModeSchema: the same choice a person makes in Settings.
        sandboxedBash: SandboxedBashModeSchema.optional().meta({
          title: 'Bash commands in the sandbox',
          description:
            'Bash commands that the operating system sandbox confines to the shared folders: "ask" the person, or "allow" them without asking. Set here, it is the same for every person and locked.',
          examples: ['ask'],
        }),
      })
      .strict()
      .optional()
      .meta({ title: 'Approvals', description: 'How long a request waits for a person, and what happens when nobody answers.', examples: [{ timeoutSeconds: 120, onTimeout: 'hold' }] }),
    watch: z
      .object({
        enabled: z.boolean().default(true).meta({
          title: 'Watch files during agent runs',
          description: 'Whether the file watcher runs while agent runs are active (default: yes). It sees changes, not reads.',
          examples: [true],
        }),
        sentinelRoots: z.array(z.string().min(1)).optional().meta({
          title: 'Folders watched outside the shared folders',
          description: 'Folders outside the shared folders that are watched for changes (default: the home folder, `~`).',
          examples: [['~', '/srv/work']],
        }),
        sentinelDepth: z.number().int().min(0).max(256).optional().meta({
          title: 'Watch depth below watched folders',
          description: 'How many folder levels are watched below a folder watched outside the shared folders (default: all).',
          examples: [8],
        }),
        sharedDepth: z.number().int().min(0).max(256).optional().meta({
          title: 'Watch depth below shared folders',
          description: 'How many folder levels are watched below a shared folder (default: all).',
          examples: [16],
        }),
        exclude: z.array(z.string().min(1)).default([]).meta({
          title: 'Not watched',
          description: 'Noise that is not watched, in addition to the built-in list: a name, a chain of names or a path.',
          examples: [['node_modules', '.cache/pip', '/srv/work/tmp']],
        }),
        idleTimeoutMinutes: z.number().int().min(1).max(24 * 60).default(30).meta({
          title: 'Run idle timeout (minutes)',
          description: 'An agent run with no hook event for this long has ended (default 30).',
          examples: [30],
        }),
      })
      .strict()
      .optional()
      .meta({
        title: 'File watcher',
        description: 'The file watcher that runs while agent runs are active: it sees changes, not reads.',
        examples: [{ enabled: true, exclude: ['node_modules'] }],
      }),
    stormPerMinute: z.number().int().min(5).max(10_000).default(60).meta({
      title: 'Requests per minute before a pause',
      description: 'Requests per minute from one agent run before the run is paused and the person asked once (default 60).',
      examples: [60],
    }),
    timeline: z
      .object({
        retentionDays: z.number().int().min(1).max(3650).default(DEFAULT_TIMELINE_RETENTION_DAYS).meta({
          title: 'Timeline retention (days)',
          description: `How many days of events the local timeline keeps for searching (default ${DEFAULT_TIMELINE_RETENTION_DAYS}); older ones are pruned from it. The evidence journal and what the collector received are not affected.`,
          examples: [DEFAULT_TIMELINE_RETENTION_DAYS],
        }),
      })
      .strict()
      .optional()
      .meta({
        title: 'Timeline',
        description: 'The local, searchable index of every event the companion recorded (`cowork-companion timeline`).',
        examples: [{ retentionDays: DEFAULT_TIMELINE_RETENTION_DAYS }],
      }),
    escalation: z
      .object({
        contact: z
          .object({
            name: EscalationContactSchema.shape.name.meta({ title: 'Escalation contact name', description: 'Who handles escalations (a desk or a person): shown in the banner and carried in `escalation.raised`.', examples: ['Security desk'] }),
            email: EscalationContactSchema.shape.email.meta({ title: 'Escalation contact e-mail', description: 'Their e-mail address: a mailto link in the banner, and in `escalation.raised` for routing.', examples: ['secdesk@example.com'] }),
            url: EscalationContactSchema.shape.url.meta({ title: 'Escalation contact web page', description: 'A web page (http or https) for escalations, e.g. a ticket form: a link in the banner.', examples: ['https://help.example.com/security'] }),
          })
          .strict()
          .optional()
          .meta({ title: 'Escalation contact', description: 'Who people reach when a rule holds or stops a run: shown in the banner and carried in `escalation.raised`.', examples: [{ name: 'Security desk', email: 'secdesk@example.com' }] }),
        rules: EscalationRulesSchema.default([]).meta({
          title: 'Escalation rules',
          description:
            'Rules over one agent run\'s recent events, each `{ id, when, action, severity?, title? }`. `when` names one condition with `atLeast` (1 to 1000) and `withinMinutes` (1 to 1440): `toolErrors` (failed tool calls and API errors), `denials` (denied requests), `outOfScope` (changes outside the shared folders; `severity: "high"` alone fires on any one change of a protected place), `gated` (a call a deny or ask rule covers) or `repeated` (the same request again). `action`: "notify" (a banner and `escalation.raised`), "hold" (every further request of the run waits for a person, even ones a rule would allow) or "stop" (every further request is denied, naming the rule and the contact) until a person resumes the run. `severity` "warn" or "error" (default: warn for notify, error otherwise). Ids are unique.',
          examples: [[{ id: 'tool-errors', when: { toolErrors: { atLeast: 3, withinMinutes: 5 } }, action: 'hold' }]],
        }),
        allowPersonalRules: z.boolean().default(true).meta({
          title: 'People may add escalation rules',
          description: 'Whether people may add escalation rules of their own in Settings (default: yes). They only ever add to these rules: a person\'s rule notifies, holds or stops a run, never lets anything through.',
          examples: [true],
        }),
      })
      .strict()
      .optional()
      .meta({
        title: 'Escalation',
        description: 'Rules that notify, hold or stop an agent run that keeps failing, keeps being denied or changes files outside its scope, and whom people reach about it.',
        examples: [{ contact: { name: 'Security desk', email: 'secdesk@example.com' }, rules: [{ id: 'tool-errors', when: { toolErrors: { atLeast: 3, withinMinutes: 5 } }, action: 'hold' }] }],
      }),
    telemetry: TelemetryPolicySchema.optional().meta({
      title: 'Telemetry',
      description: 'Where evidence goes and how it is redacted; wins over OTEL_* environment variables.',
      examples: [{ endpoint: 'https://otel.example.com/v1/logs' }],
    }),
    claudeCode: z
      .object({
        telemetry: z.boolean().default(false).meta({
          title: "Claude Code's own telemetry",
          description: "Claude Code sends its own OpenTelemetry (metrics and events) to the organisation's collector (default: no).",
          examples: [true],
        }),
        otlpEndpoint: CollectorUrlSchema.optional().meta({
          title: "Claude Code's collector address",
          description: "That collector's OTLP/HTTP base URL (e.g. https://otel.example.com:4318); default: `telemetry.endpoint` without its `/v1/logs`.",
          examples: ['https://otel.example.com:4318'],
        }),
        allowManagedReadPathsOnly: z.boolean().default(false).meta({
          title: 'Sandbox reads only managed paths',
          description: "The Bash sandbox reads only what managed settings allow (Claude Code's `sandbox.filesystem.allowManagedReadPathsOnly`; default: no).",
          examples: [false],
        }),
      })
      .strict()
      .optional()
      .meta({
        title: 'Claude Code',
        description: "What the generated Claude Code managed settings carry besides the companion's hooks and sandbox.",
        examples: [{ telemetry: true }],
      }),
    organization: z
      .object({
        name: z.string().meta({ title: 'Organisation name', description: 'Shown next to settings the policy locks ("Set by <name>").', examples: ['Example Corp IT'] }),
        contact: z.string().optional().meta({ title: 'Contact', description: 'How people reach IT about a locked setting: an address, a phone number or a web page.', examples: ['it-help@example.com'] }),
      })
      .optional()
      .meta({ title: 'Organisation', description: 'Who sets the policy: shown next to locked settings.', examples: [{ name: 'Example Corp IT' }] }),
  })
  .strict()
  .meta({
    title: 'Cowork Companion managed policy',
    description: 'What users may share, what no agent may reach, the organisation\'s own rules, time budgets, the file watcher and telemetry.',
  });
export type ManagedPolicy = z.infer<typeof ManagedPolicySchema>;
