// The sentences the core says in English (to the agent, in the evidence, on cards and in Recent
// decisions), each under a key, so the window can show them in the person's language. The core
// builds them with coreText(); the window reads a sentence back into its key and parameters with
// readCoreMessage() and translates that key, or shows the English when it does not know it. So the
// translation is always of exactly what the agent was told, and an older core's sentence still shows.
// Parameters are the only place agent-supplied text (paths, commands, a person's reason) goes.
// No dependencies: runs in the core and in the renderer.

export const CORE_MESSAGES = {
  'scope.outside': '{path} is outside the folders shared with this agent. Ask the user to share {share} in Cowork Companion if access is required.',
  'scope.readOnly': '{path} is in {folder}, which is shared read-only.',
  'scope.forbidden': '{path} is a protected location ({why}); no agent may access it.',
  'scope.searchForbidden': 'searching {path} would include the protected location {protected} ({why}); search a narrower folder.',
  'scope.hardLinked': '{path} has other hard links, which may be outside the shared folders.',
  'scope.hardLinkWrite': '{path} has more than one hard link; the other names may be outside the shared folders and nobody can see where they are, so it is not changed.',
  'scope.sensitive': 'Writing {path} needs a person: {why}.',
  'scope.policyBroken': 'The managed policy could not be loaded ({why}); nothing is allowed automatically.',
  'scope.shell': 'Shell commands need a person unless a rule allows them.',
  'scope.shellOpaque': 'Shell command: {why}.',
  'scope.web': 'Web access needs a person unless a rule allows it.',
  'scope.mcp': 'MCP tools need a person unless a rule allows them.',
  'decision.approved': 'Approved in Cowork Companion',
  'decision.approvedWhileAway': 'Approved in Cowork Companion while the agent was away; allowed on retry.',
  'decision.denied': 'Denied in Cowork Companion.',
  'decision.deniedWithReason': 'Denied in Cowork Companion: {reason}',
  'decision.readsApproved': 'Approved in Cowork Companion (all reads of this run).',
  'decision.readsDenied': 'Denied in Cowork Companion (all reads of this run).',
  'decision.timeout': 'No decision in Cowork Companion within {seconds} s, so it is denied (fail-closed). Ask the user to review it in Cowork Companion, then retry.',
  'decision.heldByUser': 'The user put this action on hold in Cowork Companion: a person will review it later (held until {until}). Do not retry it now. Retry exactly the same action after the user approves it; approving it lets exactly this action through once.',
  'decision.heldByTimeout': 'No decision within {seconds} s, so this action is on hold in Cowork Companion: a person will review it later (held until {until}). Do not retry it now. Retry exactly the same action after the user approves it; approving it lets exactly this action through once.',
  'decision.journalFailed': 'Cowork Companion could not record the decision (journal write failed), so the action is denied.',
  'decision.shutdown': 'Cowork Companion is shutting down; the action is denied. Retry when it is running.',
  'decision.byRule': 'Allowed by a rule in Cowork Companion: {rule}',
  'decision.byDenyRule': 'a rule denies this: {rule}',
  'decision.askRule': 'A rule asks a person about this: {rule}',
  'decision.mayDenyRule': 'A rule that denies may cover this call, so a person decides: {rule}',
  'sandbox.notConnected': 'Claude Code is not connected with its sandbox',
  'sandbox.cwdUnchecked': 'its working folder cannot be checked ({why})',
  'escalation.stopped': 'Cowork Companion stopped this run: the escalation rule {rule} fired ({why}). Every request of this run is denied until a person resumes it in Cowork Companion. Stop and tell the user; contact: {contact}.',
  'escalation.held': 'The escalation rule {rule} fired ({why}): every request of this run waits for a person until they resume it.',
  'run.paused': 'Cowork Companion paused this run: more than {limit} requests in a minute. Wait for the user to resume the run in Cowork Companion.',
} as const;

export type CoreMessageKey = keyof typeof CORE_MESSAGES;

/** Sentences the core puts in front of another one ("Blocked by Cowork Companion: <sentence>"). */
export const CORE_LEADS = {
  blocked: 'Blocked by Cowork Companion: ',
  allowed: 'Allowed by Cowork Companion: ',
} as const;

export type CoreLead = keyof typeof CORE_LEADS;
export type CoreParams = Readonly<Record<string, string | number>>;

/** A core sentence as data: its key, the values of its placeholders, and the lead before it, if any. */
export interface CoreMessage {
  key: CoreMessageKey;
  params: Record<string, string>;
  lead?: CoreLead;
}

const PLACEHOLDER = /\{(\w+)\}/g;

/** The English sentence (what the agent and the evidence get). */
export function coreText(key: CoreMessageKey, params: CoreParams = {}, lead?: CoreLead): string {
  const text = CORE_MESSAGES[key].replace(PLACEHOLDER, (whole, name: string) => (params[name] === undefined ? whole : String(params[name])));
  return lead ? CORE_LEADS[lead] + text : text;
}

const escape = (literal: string) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Each template as an anchored pattern; a parameter takes any text (a path may hold anything). */
const PATTERNS = (Object.entries(CORE_MESSAGES) as [CoreMessageKey, string][]).map(([key, template]) => {
  const names: string[] = [];
  const source = template
    .split(PLACEHOLDER)
    .map((part, i) => (i % 2 ? (names.push(part), '([\\s\\S]*?)') : escape(part)))
    .join('');
  return { key, names, pattern: new RegExp(`^${source}$`) };
});

/** The key and parameters of a sentence the core built with coreText(); undefined for any other text. */
export function readCoreMessage(text: string): CoreMessage | undefined {
  // Leads first: a sentence starting with a parameter would otherwise take the lead into it.
  for (const [lead, prefix] of [...Object.entries(CORE_LEADS), [undefined, '']] as [CoreLead | undefined, string][]) {
    if (!text.startsWith(prefix)) continue;
    const body = text.slice(prefix.length);
    for (const { key, names, pattern } of PATTERNS) {
      const m = pattern.exec(body);
      if (!m) continue;
      const params = Object.fromEntries(names.map((name, i) => [name, m[i + 1]!]));
      return lead ? { key, params, lead } : { key, params };
    }
  }
  return undefined;
}
