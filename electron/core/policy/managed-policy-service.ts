// The managed policy IT deploys, merged from this machine's sources (policy-sources.ts: JSON files,
// policy.d drop-ins, macOS managed preferences, the Windows registry), per setting. A source that is
// unreadable, invalid or not IT's keeps the last good policy (of all sources together), reports the
// error naming that source, and — when there is no good copy — fails closed (nothing is allowed
// automatically). The running companion checks every 2 s: files by a stat (MDM tools replace them at
// any time, and their folder may not exist until the first rollout), policy.d by its listing and
// each stat. The registry is re-read only every 30 s: each look runs reg.exe twice, and Group Policy
// itself applies changes every 90 minutes or so, so 30 s is prompt enough. A per-user source only
// tightens (user-source-policy.ts; a broken one is left out, not kept as last good); `--policy FILE`
// is refused while any of this machine's sources is there (docs/managed-policy.md says why).
import { ManagedPolicySchema, type ManagedPolicy } from '../../../shared/managed-policy-contract.js';
import type { PolicySource } from '../../../shared/ui-contract.js';
import { untrustedPolicyReason } from './policy-file-trust.js';
import { mergeParts } from './policy-merge-policy.js';
import type { PartReading } from './policy-part-policy.js';
import { fileFingerprint, PolicyOverrideError, readFileSource, regExeQuery, registryWhere, sourcePresent, sourceWhere, systemPolicySources, type PolicySourceSpec, type RegistryHive, type RegistryQuery } from './policy-sources.js';
import { FAIL_CLOSED_POLICY, problemText, type PolicyState } from './policy-status-policy.js';
import { registryPart } from './registry-query-policy.js';
import { userSourceReading } from './user-source-policy.js';

export const EMPTY_POLICY: ManagedPolicy = ManagedPolicySchema.parse({});

export const POLICY_CHECK_INTERVAL_MS = 2000;
export const REGISTRY_CHECK_INTERVAL_MS = 30_000;

export interface PolicyServiceOptions {
  /** Reads a hive's policy key (default: reg.exe, on Windows only). */
  queryRegistry?: RegistryQuery;
  registryIntervalMs?: number;
  /**
   * With one file (--policy): this machine's sources. While any of them is there the file is refused:
   * the constructor throws (PolicyOverrideError) and, should one appear later, the service fails closed.
   */
  refuseWhenPresent?: readonly PolicySourceSpec[];
}

const NO_POLICY: Omit<PolicyState, 'policy'> = { failClosed: false, problems: [], sources: [], origins: {} };

export class ManagedPolicyService {
  private lastGood: { policy: ManagedPolicy; at: number; origins: Record<string, PolicySource>; sources: PolicySource[] } | undefined;
  private current: PolicyState = { policy: EMPTY_POLICY, ...NO_POLICY };
  /** The sources' fingerprint when last read without error. */
  private print: string | undefined;
  private readonly registry = new Map<RegistryHive, { at: number; text?: string; error?: string }>();
  private readonly specs: readonly PolicySourceSpec[];
  private readonly listeners = new Set<(state: PolicyState) => void>();
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param sources the policy sources, lowest precedence first (systemPolicySources), or one JSON file
   * @param required with one file: an explicitly configured file (--policy) must exist; the system path may be absent
   */
  constructor(
    sources: string | readonly PolicySourceSpec[],
    required = false,
    /** Why a file cannot be trusted as policy (default: owner and permissions of it and the folders above). */
    private readonly trust: (file: string) => string | undefined = untrustedPolicyReason,
    private readonly now: () => number = Date.now,
    private readonly options: PolicyServiceOptions = {},
  ) {
    this.specs = typeof sources === 'string' ? [{ kind: 'file', path: sources, required }] : sources;
    const present = this.systemSourcesPresent();
    if (present.length > 0) throw new PolicyOverrideError(sourceWhere(this.specs[0]!), present);
    this.reload();
  }

  /** With --policy: which of this machine's sources are there (the registry as last read, every 30 s at most). */
  private systemSourcesPresent(): string[] {
    const system = this.options.refuseWhenPresent ?? [];
    const query: RegistryQuery = (hive) => {
      this.registryPrint(hive);
      const got = this.registry.get(hive)!;
      if (got.error !== undefined) throw new Error(got.error);
      return got.text;
    };
    return system.filter((spec) => sourcePresent(spec, query)).map(sourceWhere);
  }

  get state(): PolicyState {
    return this.current;
  }

  /** The sources read, lowest precedence first. */
  get sourceSpecs(): readonly PolicySourceSpec[] {
    return this.specs;
  }

  /** Called after the effective policy changed (from `startWatching`). */
  onChange(listener: (state: PolicyState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  startWatching(intervalMs = POLICY_CHECK_INTERVAL_MS): void {
    this.timer ??= setInterval(() => {
      if (!this.reload()) return;
      for (const l of [...this.listeners]) l(this.current);
    }, intervalMs);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Re-reads the sources if any changed; returns true when the effective state changed. */
  reload(): boolean {
    const present = this.systemSourcesPresent();
    if (present.length > 0) return this.refuse(new PolicyOverrideError(sourceWhere(this.specs[0]!), present));
    const print = this.specs.map((s) => (s.kind === 'registry' ? this.registryPrint(s.hive) : fileFingerprint(s))).join('\n');
    if (print === this.print && this.current.error === undefined) return false;
    const readings = this.specs.flatMap((s) => this.read(s));
    const failed = readings.filter((r): r is Extract<PartReading, { ok: false }> => !r.ok);
    if (failed.length > 0) return this.fail(failed);
    const parts = readings.flatMap((r) => (r.ok ? [r.part] : []));
    if (parts.length === 0) {
      const changed = this.current.source !== undefined || this.current.error !== undefined;
      this.print = print;
      this.lastGood = undefined;
      this.current = { policy: EMPTY_POLICY, ...NO_POLICY };
      return changed;
    }
    const merged = mergeParts(parts);
    if (!merged.ok) return this.fail([{ ok: false, kind: parts.at(-1)!.kind, where: merged.sources.map((s) => s.where).join(', ') || parts.at(-1)!.where, fault: 'schema', problems: merged.problems }]);
    this.print = print;
    const origins = Object.fromEntries(merged.origins);
    // The main source: the highest that sets anything (a source with only unknown keys still counts when alone).
    const main = merged.sources.at(-1) ?? { kind: parts.at(-1)!.kind, where: parts.at(-1)!.where };
    const sources = merged.sources.length > 0 ? merged.sources : [main];
    this.lastGood = { policy: merged.policy, at: this.now(), origins, sources };
    this.current = { policy: merged.policy, source: main.where, failClosed: false, problems: merged.warnings, since: this.lastGood.at, sources, origins };
    return true;
  }

  private read(spec: PolicySourceSpec): PartReading[] {
    const readings = this.readSpec(spec);
    if (spec.kind === 'file' || spec.kind === 'drop-in' || spec.perUser !== true) return readings;
    return readings.map(userSourceReading);
  }

  private readSpec(spec: PolicySourceSpec): PartReading[] {
    if (spec.kind !== 'registry') return readFileSource(spec, this.trust);
    const where = registryWhere(spec.hive);
    const got = this.registry.get(spec.hive);
    if (got?.error !== undefined) return [{ ok: false, kind: 'registry', where, fault: 'unreadable', problems: [{ path: '(root)', message: got.error, source: where }] }];
    return got?.text === undefined ? [] : [registryPart(where, got.text)];
  }

  /** The hive's policy key as last read (re-read at most every registryIntervalMs). */
  private registryPrint(hive: RegistryHive): string {
    const at = this.now();
    let got = this.registry.get(hive);
    if (!got || at - got.at >= (this.options.registryIntervalMs ?? REGISTRY_CHECK_INTERVAL_MS) || at < got.at) {
      const query = this.options.queryRegistry ?? (process.platform === 'win32' ? regExeQuery() : () => undefined);
      try {
        got = { at, ...optionalText(query(hive)) };
      } catch (error) {
        got = { at, error: `cannot read ${registryWhere(hive)} (${firstLine(error)})` };
      }
      this.registry.set(hive, got);
    }
    return got.error !== undefined ? `!${got.error}` : (got.text ?? '!absent');
  }

  /** --policy while IT's policy appeared: the file's policy must not stay in force (no last good), so closed. */
  private refuse(error: PolicyOverrideError): boolean {
    const prev = this.current;
    this.print = undefined;
    this.lastGood = undefined;
    const where = sourceWhere(this.specs[0]!);
    this.current = {
      policy: FAIL_CLOSED_POLICY,
      source: where,
      error: error.message,
      failClosed: true,
      fault: 'untrusted',
      problems: [{ path: '(root)', message: error.message, source: where }],
      since: prev.failClosed ? prev.since : this.now(),
      sources: [{ kind: 'file', where }],
      origins: {},
    };
    return prev.error !== this.current.error;
  }

  private fail(failed: Extract<PartReading, { ok: false }>[]): boolean {
    const prev = this.current;
    this.print = undefined;
    const first = failed[0]!;
    const what = { unreadable: 'cannot be read', syntax: first.kind === 'managed-preferences' ? 'is not a valid property list' : 'is not valid JSON', schema: 'is not a valid policy', untrusted: 'is not used as IT policy' }[first.fault];
    const shown = first.fault === 'unreadable' || first.fault === 'untrusted' ? first.problems[0]!.message : `${first.where} ${what}: ${first.problems.slice(0, 3).map(problemText).join('; ')}`;
    const error = `${first.fault === 'untrusted' ? `refusing ${first.where} as IT policy: ` : ''}${shown}${failed.length > 1 ? ` (and problems in ${failed.length - 1} more source${failed.length > 2 ? 's' : ''})` : ''}`;
    // A broken source's unknown keys are still said (after its errors): fixing the errors alone would leave them.
    const failing = { source: first.where, fault: first.fault, problems: failed.flatMap((f) => [...f.problems, ...(f.warnings ?? [])]), sources: failed.map((f) => ({ kind: f.kind, where: f.where })) };
    this.current = this.lastGood
      ? { ...failing, policy: this.lastGood.policy, origins: this.lastGood.origins, error: `${error} — keeping the last good policy`, failClosed: false, since: this.lastGood.at }
      : { ...failing, policy: FAIL_CLOSED_POLICY, origins: {}, error, failClosed: true, since: prev.failClosed ? prev.since : this.now() };
    return prev.error !== this.current.error;
  }
}

/**
 * The policy service the companion and `policy show` use: this machine's sources, or `policyFile`
 * (--policy), which must exist and is refused (PolicyOverrideError, thrown) while this machine has any.
 */
export function openManagedPolicy(o: { policyFile?: string | undefined; platform: NodeJS.Platform; now?: () => number }): ManagedPolicyService {
  const system = systemPolicySources(o.platform);
  if (o.policyFile === undefined) return new ManagedPolicyService(system, false, undefined, o.now);
  return new ManagedPolicyService(o.policyFile, true, undefined, o.now, { refuseWhenPresent: system });
}

function optionalText(text: string | undefined): { text?: string } {
  return text === undefined ? {} : { text };
}

function firstLine(error: unknown): string {
  const e = error as { code?: string; stderr?: unknown; message?: string };
  const stderr = typeof e.stderr === 'string' ? e.stderr.trim() : '';
  return (stderr || e.code || e.message || String(error)).split(/\r?\n/)[0]!;
}
