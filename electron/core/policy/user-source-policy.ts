// What a PER-USER policy source may set. A per-user source is one a person can bring about without
// being an administrator, or that applies to one account only: on macOS a user-scope configuration
// profile (a standard user may install one; macOS then writes the root-owned
// /Library/Managed Preferences/<user>/… plist, which passes the trust check), on Windows
// HKCU\Software\Policies (admin-only by its ACL, but that ACL lives in the user's own NTUSER.DAT, and
// it is the per-user half of Group Policy). Such a source can only TIGHTEN: it may set a value that
// cannot widen what an agent may do or weaken the evidence; anything else is not taken, with a
// warning naming the key and why. IT sets widening values through the machine's sources.
//
// Every POLICY_SETTINGS key is decided here (a test fails when a new key is not): a new key must be
// decided deliberately, not taken from a per-user source by default.
import { ManagedPolicySchema } from '../../../shared/managed-policy-contract.js';
import type { PolicyProblem } from '../../../shared/ui-contract.js';
import type { PartReading, PolicyPart } from './policy-part-policy.js';

const DEFAULTS = ManagedPolicySchema.parse({});

/** A setting a per-user source may set, to any value or only to values that pass `allows`. */
export type UserSourceRule = { take: 'any'; why: string } | { take: 'only'; allows: (value: unknown) => boolean; only: string; why: string } | { take: 'never'; why: string };

const any = (why: string): UserSourceRule => ({ take: 'any', why });
const only = (allows: (value: unknown) => boolean, only: string, why: string): UserSourceRule => ({ take: 'only', allows, only, why });
const never = (why: string): UserSourceRule => ({ take: 'never', why });

const EVIDENCE = 'it decides what evidence is kept and where it goes';
const CLAUDE_CODE = 'it shapes the Claude Code managed settings IT deploys';
const CONTACT = "it is where people and the organisation's pipeline send escalations";
const WATCH = 'it can narrow what the file watcher sees (weaker evidence)';

/** The one table: each setting key → whether a per-user source may set it, and why. */
export const USER_SOURCE_RULES: Readonly<Record<string, UserSourceRule>> = {
  strict: only((v) => v === true, 'true', 'strict parsing only refuses more'),
  forbiddenPaths: any('more forbidden paths only take away'),
  allowedRoots: any('roots only limit where people may share (unset: anywhere)'),
  allowUserFolders: only((v) => v === false, 'false', 'a per-user source may stop people adding folders, not allow it'),
  allowBroadShares: only((v) => v === false, 'false', 'a per-user source may refuse broad shares, not allow them'),
  allowPersonalRules: only((v) => v === false, 'false', 'a per-user source may turn personal rules off, not on'),
  autostart: only((v) => v === true, 'true', 'starting at login keeps the companion answering; turning it off is for IT or the person'),
  sharedFolders: never('shared folders give agents access'),
  outOfScope: only((v) => v === 'deny', '"deny"', '"ask" opens files outside the shared folders to a yes'),
  mcpPathArguments: never('which arguments are paths decides what counts as inside the shared folders, so it can widen as well as narrow'),
  rules: never('rules allow requests automatically'),
  'approvals.timeoutSeconds': any('a wait of any length lets nothing through: an unanswered request is denied or held'),
  'approvals.onTimeout': any('neither "deny" nor "hold" lets a request through (never "allow")'),
  'approvals.holdHours': any('a held request still needs a person; withdrawing it sooner or later allows nothing'),
  'approvals.sandboxedBash': only((v) => v === 'ask', '"ask"', '"allow" lets sandboxed Bash commands run without asking'),
  'watch.enabled': only((v) => v === true, 'true', 'turning the watcher off loses the evidence of changes'),
  'watch.sentinelRoots': never(WATCH),
  'watch.sentinelDepth': never(WATCH),
  'watch.sharedDepth': never(WATCH),
  'watch.exclude': never(WATCH),
  'watch.idleTimeoutMinutes': never('it decides when a run has ended and watching stops (weaker evidence)'),
  stormPerMinute: only((v) => typeof v === 'number' && v <= DEFAULTS.stormPerMinute, `at most ${DEFAULTS.stormPerMinute} (the default)`, 'a higher limit lets more requests through before a pause'),
  'timeline.retentionDays': never('it decides how long the local record of what happened stays searchable'),
  'escalation.contact.name': never(CONTACT),
  'escalation.contact.email': never(CONTACT),
  'escalation.contact.url': never(CONTACT),
  // Added to the machine's rules, never replacing them (policy-merge-policy.ts): a rule only notifies, holds or stops.
  'escalation.allowPersonalRules': only((v) => v === false, 'false', 'a per-user source may turn people\'s escalation rules off, not on'),
  'escalation.rules': any('an escalation rule only reports, holds or stops a run, and a per-user source\'s rules are added to the organisation\'s'),
  'telemetry.endpoint': never(EVIDENCE),
  'telemetry.headers': never(EVIDENCE),
  'telemetry.protocol': never(EVIDENCE),
  'telemetry.redaction.identity': never(EVIDENCE),
  'telemetry.redaction.hmacKey': never(EVIDENCE),
  'telemetry.redaction.shortenHomePaths': never(EVIDENCE),
  'telemetry.redaction.exportToolInput': never(EVIDENCE),
  'telemetry.redaction.toolInputMaxChars': never(EVIDENCE),
  'telemetry.journalLimitMb': never(EVIDENCE),
  'claudeCode.telemetry': never(CLAUDE_CODE),
  'claudeCode.otlpEndpoint': never(CLAUDE_CODE),
  'claudeCode.allowManagedReadPathsOnly': never(CLAUDE_CODE),
  'organization.name': any('a label next to locked settings; it changes nothing an agent may do'),
  'organization.contact': any('a label next to locked settings; it changes nothing an agent may do'),
};

/** Lists a per-user source adds to (policy-merge-policy.ts), rather than replacing the machine's list. */
export const USER_SOURCE_APPENDS: ReadonlySet<string> = new Set(['escalation.rules']);

/**
 * A per-user part with only what a per-user source may set; the rest becomes warnings naming the key,
 * the source and why (the setting keeps the machine's value or its default). Unknown keys fail closed:
 * a key missing from the table is not taken.
 */
export function userSourcePart(part: PolicyPart): PolicyPart {
  const values = new Map<string, unknown>();
  const warnings: PolicyProblem[] = [];
  for (const [key, value] of part.values) {
    const rule = USER_SOURCE_RULES[key] ?? never('this setting is not decided for per-user sources');
    if (rule.take === 'any' || (rule.take === 'only' && rule.allows(value))) {
      values.set(key, value);
      continue;
    }
    // The same words everywhere: a per-user profile cannot widen what IT allows.
    const message =
      rule.take === 'only'
        ? `not taken: a per-user source can only tighten the policy, and here only ${rule.only} does (${rule.why})`
        : `not taken: a per-user profile cannot widen what IT allows or weaken the evidence (${rule.why})`;
    warnings.push({ path: key, message, source: part.where });
  }
  return { ...part, values, warnings: [...part.warnings, ...warnings] };
}

/**
 * A per-user source's reading, marked per-user. A broken one is left out, its problems said as
 * warnings, rather than keeping the last good policy: it can only tighten, and a person must not
 * freeze IT's later changes by breaking their own profile.
 */
export function userSourceReading(r: PartReading): PartReading {
  if (r.ok) return { ok: true, part: { ...r.part, perUser: true } };
  const warnings = [...r.problems, ...(r.warnings ?? [])].map((p) => ({ ...p, message: `per-user source not used (${r.fault}): ${p.message}` }));
  return { ok: true, part: { kind: r.kind, where: r.where, values: new Map(), warnings, perUser: true } };
}
