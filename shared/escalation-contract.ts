// Escalation rules (managed policy `escalation`): a condition over a sliding window of one run's
// signals, and what happens when it is met — notify (a banner and `escalation.raised`), hold (every
// further request of the run waits for a person) or stop (every further request is denied). The
// policy schema, the core (electron/core/escalation) and the UI's banner share these shapes.
import { z } from 'zod';

/** What a rule counts, per run. */
export const ESCALATION_SIGNALS = ['toolErrors', 'denials', 'outOfScope', 'gated', 'repeated'] as const;
export type EscalationSignalKind = (typeof ESCALATION_SIGNALS)[number];
export const ESCALATION_ACTIONS = ['notify', 'hold', 'stop'] as const;
export type EscalationAction = (typeof ESCALATION_ACTIONS)[number];
export const ESCALATION_SEVERITIES = ['warn', 'error'] as const;
export type EscalationSeverity = (typeof ESCALATION_SEVERITIES)[number];

/** The longest window a rule may look back over: a day (the signals of a run are kept that long at most). */
export const ESCALATION_MAX_WINDOW_MINUTES = 24 * 60;
/** The most signals a rule may ask for (each run keeps at most this many per kind). */
export const ESCALATION_MAX_AT_LEAST = 1000;
export const ESCALATION_MAX_RULES = 50;

const atLeast = z.number().int().min(1).max(ESCALATION_MAX_AT_LEAST).meta({ description: 'How many signals fire the rule (at least 1).' });
const withinMinutes = z.number().int().min(1).max(ESCALATION_MAX_WINDOW_MINUTES).meta({ description: `Within how many minutes (1 to ${ESCALATION_MAX_WINDOW_MINUTES}).` });

export const EscalationWindowSchema = z.strictObject({ atLeast, withinMinutes });
export type EscalationWindow = z.infer<typeof EscalationWindowSchema>;

/** Out-of-scope changes: a count in a window, or `severity: "high"` — any one change of a protected
 *  place fires (with a count too: only high-severity changes are counted). */
export const OutOfScopeConditionSchema = z
  .strictObject({ atLeast: atLeast.optional(), withinMinutes: withinMinutes.optional(), severity: z.literal('high').optional() })
  .refine((c) => (c.atLeast === undefined) === (c.withinMinutes === undefined), { message: 'give atLeast and withinMinutes together' })
  .refine((c) => c.severity === 'high' || c.atLeast !== undefined, { message: 'give atLeast and withinMinutes, or severity "high"' });
export type OutOfScopeCondition = z.infer<typeof OutOfScopeConditionSchema>;

export const EscalationConditionSchema = z
  .strictObject({
    toolErrors: EscalationWindowSchema.optional(),
    denials: EscalationWindowSchema.optional(),
    outOfScope: OutOfScopeConditionSchema.optional(),
    gated: EscalationWindowSchema.optional(),
    repeated: EscalationWindowSchema.optional(),
  })
  .refine((w) => ESCALATION_SIGNALS.filter((k) => w[k] !== undefined).length === 1, {
    message: `name exactly one condition: ${ESCALATION_SIGNALS.join(', ')}`,
  });
export type EscalationCondition = z.infer<typeof EscalationConditionSchema>;

export const EscalationRuleSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_" and "-", at most 64, starting with a letter or digit'),
  /** Shown in the banner instead of the id, when set. */
  title: z.string().min(1).max(200).optional(),
  when: EscalationConditionSchema,
  action: z.enum(ESCALATION_ACTIONS),
  /** Default: notify → warn; hold and stop → error. */
  severity: z.enum(ESCALATION_SEVERITIES).optional(),
});
export type EscalationRule = z.infer<typeof EscalationRuleSchema>;

export const EscalationRulesSchema = z
  .array(EscalationRuleSchema)
  .max(ESCALATION_MAX_RULES)
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `the id "${r.id}" is used twice (ids name a rule in evidence: they must be unique)` });
      seen.add(r.id);
    });
  });

export const EscalationContactSchema = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  // Plain strings with a check (not z.email()/z.url()): every MDM format carries a string setting.
  email: z.string().max(320).regex(/^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/, 'an e-mail address').optional(),
  url: z.string().max(2048).refine(isWebUrl, 'an http or https address').optional(),
});
export type EscalationContact = z.infer<typeof EscalationContactSchema>;

function isWebUrl(raw: string): boolean {
  try {
    const u = new URL(raw);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

export function escalationSeverity(rule: Pick<EscalationRule, 'action' | 'severity'>): EscalationSeverity {
  return rule.severity ?? (rule.action === 'notify' ? 'warn' : 'error');
}

/** The one condition a rule names. */
export function ruleCondition(rule: Pick<EscalationRule, 'when'>): { kind: EscalationSignalKind; atLeast: number; withinMinutes: number; highOnly: boolean } {
  const kind = ESCALATION_SIGNALS.find((k) => rule.when[k] !== undefined) ?? 'toolErrors';
  const c = rule.when[kind] as { atLeast?: number; withinMinutes?: number; severity?: 'high' } | undefined;
  return { kind, atLeast: c?.atLeast ?? 1, withinMinutes: c?.withinMinutes ?? ESCALATION_MAX_WINDOW_MINUTES, highOnly: c?.severity === 'high' };
}

/** An escalation as the UI shows it (snapshot `escalations`): active until a person resolves it
 *  (notify: dismissed; hold/stop: resumed or kept stopped). */
export const EscalationViewSchema = z.object({
  escalationId: z.string(),
  ruleId: z.string(),
  ruleTitle: z.string().optional(),
  sessionId: z.string(),
  kind: z.enum(ESCALATION_SIGNALS),
  action: z.enum(ESCALATION_ACTIONS),
  severity: z.enum(ESCALATION_SEVERITIES),
  /** How many signals were in the window when it fired, and the rule's threshold and window. */
  count: z.number().int(),
  atLeast: z.number().int(),
  withinMinutes: z.number().int(),
  highOnly: z.boolean(),
  raisedAt: z.string(),
  /** For a stopped run: the person chose to keep it stopped (it stays until the run ends). */
  keptStopped: z.boolean().optional(),
  contact: EscalationContactSchema.optional(),
});
export type EscalationView = z.infer<typeof EscalationViewSchema>;

/** How a person resolves an escalation: resume the run (or dismiss a notice), or keep it stopped. */
export const ESCALATION_RESOLUTIONS = ['resume', 'stop'] as const;
export type EscalationResolution = (typeof ESCALATION_RESOLUTIONS)[number];
