// The managed policy IT deploys (JSON for now; MDM fills the same shape later). A file that is
// missing, unreadable or invalid keeps the last good policy, reports the error, and — when there
// is no good copy — fails closed (nothing is allowed automatically). The running companion checks
// the file every 2 s (a stat): MDM tools replace it at any time, and its folder may not exist until
// the first rollout, so a stat is the dependable way to notice.
import { readFileSync, statSync } from 'node:fs';
import { win32 } from 'node:path';
import { ManagedPolicySchema, type ManagedPolicy } from '../../../shared/managed-policy-contract.js';
import type { PolicyProblem } from '../../../shared/ui-contract.js';
import { EVENT_NAMES } from '../../../shared/telemetry-events.js';
import { newEvidenceEvent, type EvidenceEvent } from '../evidence/index.js';
import { untrustedPolicyReason } from './policy-file-trust.js';
import { readPolicyText } from './policy-file-policy.js';
import { windowsProgramData } from './windows-program-data.js';

export const EMPTY_POLICY: ManagedPolicy = ManagedPolicySchema.parse({});

/**
 * Where IT puts the policy when no --policy is given. On Windows, below FOLDERID_ProgramData as the
 * machine's registry sets it — never %ProgramData%, which the user can change (windows-program-data.ts).
 */
export function systemPolicyPath(platform: NodeJS.Platform, programData: () => string = windowsProgramData): string {
  if (platform === 'darwin') return '/Library/Application Support/CoworkCompanion/policy.json';
  if (platform === 'win32') return win32.join(programData(), 'CoworkCompanion', 'policy.json');
  return '/etc/cowork-companion/policy.json';
}

export interface PolicyState {
  policy: ManagedPolicy;
  source?: string;
  error?: string;
  /** True when there is an error and no good copy to fall back on. */
  failClosed: boolean;
  /** What is wrong with the file (with `error`): it cannot be read, is not JSON, not a policy, or not IT's. */
  fault?: 'unreadable' | 'syntax' | 'schema' | 'untrusted';
  /** The errors (with `fault`) or, for a valid file, its warnings (unknown keys, ignored). */
  problems: PolicyProblem[];
  /** When the policy in force was read (ms; absent when none is); when failing closed, since when. */
  since?: number;
}

/** The evidence that the effective policy changed (new file, error, or fail-closed). */
export function policyChangedEvent(state: PolicyState, now: number): EvidenceEvent {
  return newEvidenceEvent(EVENT_NAMES.policyChanged, now, { 'policy.source': state.source ?? '(none)', 'policy.error': state.error, 'policy.fail_closed': state.failClosed });
}

export const POLICY_CHECK_INTERVAL_MS = 2000;

export class ManagedPolicyService {
  private lastGood: { policy: ManagedPolicy; at: number } | undefined;
  private current: PolicyState = { policy: EMPTY_POLICY, failClosed: false, problems: [] };
  private mtime = -1;
  private readonly listeners = new Set<(state: PolicyState) => void>();
  private timer: NodeJS.Timeout | undefined;

  /**
   * @param file the policy file
   * @param required an explicitly configured file (--policy) must exist; the system path may be absent
   */
  constructor(
    private readonly file: string,
    private readonly required: boolean,
    /** Why a file cannot be trusted as policy (default: owner and permissions of it and the folders above). */
    private readonly trust: (file: string) => string | undefined = untrustedPolicyReason,
    private readonly now: () => number = Date.now,
  ) {
    this.reload();
  }

  get state(): PolicyState {
    return this.current;
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

  /** Re-reads the file if it changed; returns true when the effective state changed. */
  reload(): boolean {
    let text: string;
    try {
      const st = statSync(this.file);
      if (st.mtimeMs === this.mtime && this.current.error === undefined) return false;
      this.mtime = st.mtimeMs;
      const untrusted = this.trust(this.file);
      if (untrusted) return this.fail('untrusted', `refusing ${this.file} as IT policy: ${untrusted}`, [{ path: '(root)', message: untrusted }]);
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && !this.required) {
        const changed = this.current.source !== undefined || this.current.error !== undefined;
        this.lastGood = undefined;
        this.current = { policy: EMPTY_POLICY, failClosed: false, problems: [] };
        return changed;
      }
      const why = `cannot read ${this.file} (${code ?? (error as Error).message})`;
      return this.fail('unreadable', why, [{ path: '(root)', message: why }]);
    }
    const reading = readPolicyText(text);
    if (!reading.ok) {
      const what = reading.fault === 'syntax' ? 'is not valid JSON' : 'is not a valid policy';
      return this.fail(reading.fault, `${this.file} ${what}: ${reading.problems.slice(0, 3).map(problemText).join('; ')}`, reading.problems);
    }
    this.lastGood = { policy: reading.policy, at: this.now() };
    this.current = { policy: reading.policy, source: this.file, failClosed: false, problems: reading.warnings, since: this.lastGood.at };
    return true;
  }

  private fail(fault: NonNullable<PolicyState['fault']>, error: string, problems: PolicyProblem[]): boolean {
    const prev = this.current;
    this.mtime = -1;
    const failing = { source: this.file, fault, problems };
    this.current = this.lastGood
      ? { ...failing, policy: this.lastGood.policy, error: `${error} — keeping the last good policy`, failClosed: false, since: this.lastGood.at }
      : { ...failing, policy: { ...EMPTY_POLICY, allowUserFolders: false }, error, failClosed: true, since: prev.failClosed ? prev.since : this.now() };
    return prev.error !== this.current.error;
  }
}

/** `approvals.timeoutSeconds (line 3, column 20): Too small…` */
export function problemText(p: PolicyProblem): string {
  return `${p.path}${p.line !== undefined ? ` (line ${p.line}, column ${p.column})` : ''}: ${p.message}`;
}
