// Remembered rules: a person's "always" rules (persisted), "for this run" rules (in memory, ended with
// the session) and IT's rules from the managed policy (locked); each allows, denies or asks. Matching keeps
// a hit count and last match per rule so people can see what their rules actually do.
import { randomUUID } from 'node:crypto';
import type { Rule, RuleDraft } from '../../../shared/ui-contract.js';
import { CoreError, type Clock } from '../base/index.js';
import type { ManagedPolicyService } from '../policy/index.js';
import type { ResolvedRequest } from '../requests/index.js';
import type { SettingsRepository } from '../settings/index.js';
import { describeRule, gateMatches, ruleMatches, type RuleContext } from './rule-matching-policy.js';

export class RulesService {
  private runRules: Rule[] = [];
  /** The person's rules as the core holds them (loaded at start; only the core changes them). */
  private personCache: Rule[] | undefined;
  private readonly usage = new Map<string, { hits: number; lastMatchedAt?: string }>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly deps: {
      settings: SettingsRepository;
      policy: ManagedPolicyService;
      clock: Clock;
      ctx: RuleContext;
      home: string;
      /** Only the core writes rules: a change made in settings.json by anything else is undone and reported. */
      onTamper?: (reason: string) => void;
      /** The stored rules cannot be trusted (settings.json failed its integrity check): none are taken. */
      distrustStored?: boolean;
    },
  ) {
    const stored = deps.settings.readRules();
    this.personCache = stored.rules;
    // Said, not silent: the next change rewrites the list without them.
    if (stored.invalid > 0) deps.onTamper?.(`settings.json holds ${stored.invalid === 1 ? 'a remembered rule' : `${stored.invalid} remembered rules`} that cannot be read; left out (the others are kept)`);
    if (deps.distrustStored && this.personCache.length > 0) {
      const dropped = this.personCache.map((r) => r.description).join('; ');
      this.personCache = [];
      deps.settings.writeRules([]);
      deps.onTamper?.(`settings.json could not be verified, so the remembered rules in it were not taken (${dropped}); approve again to remember them`);
    }
    // IT turning person-made rules off or on changes what they decide and how they are shown.
    let allowed = this.personalRulesAllowed();
    deps.policy.onChange(() => {
      if (allowed === this.personalRulesAllowed()) return;
      allowed = this.personalRulesAllowed();
      this.changed();
    });
    deps.settings.onChange((change) => {
      if (change !== 'external') return;
      const mine = this.personRules();
      if (JSON.stringify(deps.settings.readRules().rules) === JSON.stringify(mine)) return;
      deps.settings.writeRules(mine);
      deps.onTamper?.('the rules in settings.json were changed outside Cowork Companion; the rules it had are kept');
    });
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Whether person-made rules apply and may be made (IT's `allowPersonalRules`; IT's rules always apply). */
  personalRulesAllowed(): boolean {
    return this.deps.policy.state.policy.allowPersonalRules;
  }

  list(): Rule[] {
    const off = !this.personalRulesAllowed();
    return [
      ...this.policyRules(),
      // Kept while the policy turns them off (shown so), so they apply again when it allows. Only allow
      // rules go off: a person's deny and ask rules only ever tighten, which IT's switch does not forbid.
      ...[...this.personRules(), ...this.runRules].map((r) => (off && r.effect === 'allow' ? { ...r, offByPolicy: true } : r)),
    ].map((r) => ({ ...r, ...this.usage.get(r.id) }));
  }

  /** The first allow rule covering this action (IT's rules first), counted as a hit. */
  match(request: ResolvedRequest): Rule | undefined {
    const ctx = this.memoContext();
    const candidates = this.personalRulesAllowed() ? [...this.policyRules(), ...this.personRules(), ...this.runRules] : this.policyRules();
    const rule = candidates.find((r) => r.effect === 'allow' && this.inRun(r, request) && ruleMatches(r, request, ctx));
    if (!rule) return undefined;
    this.hit(rule);
    return rule;
  }

  /**
   * The deny or ask rule that bears on this action, in the order of automatic-decision-policy.ts: a
   * deny that surely covers it (IT's, then the person's), else an ask that covers it or a deny that may
   * (IT's, then the person's). Counted as a hit. A person's deny and ask rules apply also while IT turns
   * off person-made rules: they can only send more to a person or refuse it. `count: false` looks
   * without counting (escalation rules asking whether a call is gated, before it is decided).
   */
  gate(request: ResolvedRequest, opts: { count?: boolean } = {}): { rule: Rule; effect: 'deny' | 'ask'; certain: boolean } | undefined {
    const ctx = this.memoContext();
    const gates = [...this.policyRules(), ...this.personRules(), ...this.runRules].filter((r) => r.effect !== 'allow' && this.inRun(r, request));
    if (gates.length === 0) return undefined;
    const found = gates.map((rule) => ({ rule, m: gateMatches(rule, request, ctx) })).filter((g) => g.m !== 'no');
    const deny = found.find((g) => g.rule.effect === 'deny' && g.m === 'yes');
    const ask = deny ?? found[0];
    if (!ask) return undefined;
    if (opts.count !== false) this.hit(ask.rule);
    return deny ? { rule: deny.rule, effect: 'deny', certain: true } : { rule: ask.rule, effect: 'ask', certain: ask.rule.effect === 'ask' };
  }

  private inRun(rule: Rule, request: ResolvedRequest): boolean {
    return rule.lifetime === 'always' || rule.sessionId === request.payload.session_id;
  }

  /** Rule paths are canonicalised once per request, not once per rule. */
  private memoContext(): RuleContext {
    const memo = new Map<string, ReturnType<RuleContext['canonicalize']>>();
    return {
      ...this.deps.ctx,
      canonicalize: (input, base) => {
        const key = `${String(input)}\0${base ?? ''}`;
        let c = memo.get(key);
        if (!c) memo.set(key, (c = this.deps.ctx.canonicalize(input, base)));
        return c;
      },
    };
  }

  private hit(rule: Rule): void {
    const u = this.usage.get(rule.id) ?? { hits: rule.hits };
    this.usage.set(rule.id, { hits: u.hits + 1, lastMatchedAt: new Date(this.deps.clock.now()).toISOString() });
    if (rule.origin === 'person' && rule.lifetime === 'always') this.persistUsage();
    this.changed();
  }

  add(draft: RuleDraft, lifetime: 'run' | 'always', sessionId: string): Rule {
    // A deny or ask rule only tightens, so IT's switch for person-made rules does not stop it.
    if (draft.effect === 'allow') this.assertPersonalRulesAllowed();
    const rule: Rule = {
      ...draft,
      id: randomUUID(),
      origin: 'person',
      lifetime,
      ...(lifetime === 'run' ? { sessionId } : {}),
      createdAt: new Date(this.deps.clock.now()).toISOString(),
      description: describeRule(draft, lifetime, this.deps.home),
      hits: 0,
      locked: false,
    };
    if (lifetime === 'run') this.runRules.push(rule);
    else this.writePersonRules([...this.personRules(), rule]);
    this.changed();
    return rule;
  }

  revoke(id: string): Rule {
    const rule = this.list().find((r) => r.id === id);
    if (!rule) throw new CoreError('not_found', 'There is no such rule (it may have been revoked already).');
    if (rule.locked) throw new CoreError('rule_locked', 'This rule is set by your organisation and cannot be revoked here.');
    this.runRules = this.runRules.filter((r) => r.id !== id);
    if (rule.lifetime === 'always') this.writePersonRules(this.personRules().filter((r) => r.id !== id));
    this.usage.delete(id);
    this.changed();
    return rule;
  }

  /** Refuses a person-made rule while IT's policy turns them off (the UI does not offer one then). */
  assertPersonalRulesAllowed(): void {
    if (!this.personalRulesAllowed()) {
      throw new CoreError('personal_rules_off', 'Your organisation has turned off rules made here: approve this request once, or ask your IT team for a rule.');
    }
  }

  /** The run ended (SessionEnd): its "allow for this run" rules end with it. */
  endRun(sessionId: string): void {
    const before = this.runRules.length;
    this.runRules = this.runRules.filter((r) => r.sessionId !== sessionId);
    if (this.runRules.length !== before) this.changed();
  }

  private personRules(): Rule[] {
    this.personCache ??= this.deps.settings.readRules().rules;
    return this.personCache;
  }

  private writePersonRules(rules: Rule[]): void {
    this.deps.settings.writeRules(rules);
    this.personCache = rules;
  }

  private policyRules(): Rule[] {
    return this.deps.policy.state.policy.rules.map((draft, i) => ({
      ...draft,
      id: `policy-${i}`,
      origin: 'policy' as const,
      lifetime: 'always' as const,
      createdAt: this.deps.policy.state.source ? 'managed policy' : '',
      description: describeRule(draft, 'always', this.deps.home),
      hits: 0,
      locked: true,
    }));
  }

  /** Hit counts reach the disk at most once a second (a busy rule must not rewrite settings per call). */
  private usageTimer: { cancel(): void } | undefined;
  private persistUsage(): void {
    this.usageTimer ??= this.deps.clock.setTimeout(() => {
      this.usageTimer = undefined;
      this.writePersonRules(this.personRules().map((r) => ({ ...r, ...this.usage.get(r.id) })));
    }, 1000);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
