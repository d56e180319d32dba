// The managed policy IT deploys (JSON for now; MDM fills the same shape later). A file that is
// missing, unreadable or invalid keeps the last good policy, reports the error, and — when there
// is no good copy — fails closed (nothing is allowed automatically). The running companion checks
// the file every 2 s (a stat): MDM tools replace it at any time, and its folder may not exist until
// the first rollout, so a stat is the dependable way to notice.
import { readFileSync, statSync } from 'node:fs';
import { win32 } from 'node:path';
import { ManagedPolicySchema, type ManagedPolicy } from '../../../shared/managed-policy-contract.js';
import { EVENT_NAMES } from '../../../shared/telemetry-events.js';
import { newEvidenceEvent, type EvidenceEvent } from '../evidence/index.js';
import { untrustedPolicyReason } from './policy-file-trust.js';
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
}

/** The evidence that the effective policy changed (new file, error, or fail-closed). */
export function policyChangedEvent(state: PolicyState, now: number): EvidenceEvent {
  return newEvidenceEvent(EVENT_NAMES.policyChanged, now, { 'policy.source': state.source ?? '(none)', 'policy.error': state.error, 'policy.fail_closed': state.failClosed });
}

export const POLICY_CHECK_INTERVAL_MS = 2000;

export class ManagedPolicyService {
  private lastGood: ManagedPolicy | undefined;
  private current: PolicyState = { policy: EMPTY_POLICY, failClosed: false };
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
      if (untrusted) return this.fail(`refusing ${this.file} as IT policy: ${untrusted}`);
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && !this.required) {
        const changed = this.current.source !== undefined || this.current.error !== undefined;
        this.lastGood = undefined;
        this.current = { policy: EMPTY_POLICY, failClosed: false };
        return changed;
      }
      return this.fail(`cannot read ${this.file} (${code ?? (error as Error).message})`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return this.fail(`${this.file} is not valid JSON: ${(error as Error).message}`);
    }
    const parsed = ManagedPolicySchema.safeParse(json);
    if (!parsed.success) {
      return this.fail(`${this.file} is not a valid policy: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
    }
    this.lastGood = parsed.data;
    this.current = { policy: parsed.data, source: this.file, failClosed: false };
    return true;
  }

  private fail(error: string): boolean {
    const prev = this.current.error;
    this.mtime = -1;
    this.current = this.lastGood
      ? { policy: this.lastGood, source: this.file, error: `${error} — keeping the last good policy`, failClosed: false }
      : { policy: { ...EMPTY_POLICY, allowUserFolders: false }, source: this.file, error, failClosed: true };
    return prev !== this.current.error;
  }
}
