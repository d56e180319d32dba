// How a person signs in to the headless Inbox when `serve` runs as a service, with no terminal to
// press Enter in: a passphrase they set from an Inbox they are already signed in to, traded at the
// serve address for a UI session. Setting it needs a session, never a command: the agent runs as the
// same user and can run any command on a pseudo-terminal of its own (docs/security.md, "Signing in
// without a terminal"). Only an scrypt hash is kept, sealed in the data folder; consecutive failures
// make every next try wait twice as long (kept in the same file, so a restart does not reset them).
// While the service runs, the failures it counted are held in memory and the file only carries them
// across a restart: the seals accept any older sealed copy, so a file+seal pair the agent saved and
// puts back between guesses must neither lower the count nor bring back an older passphrase.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { CoreError, type SealedStatePort } from '../base/index.js';

export const PASSPHRASE_FILE = 'sign-in-passphrase.json';
export const PASSPHRASE_MIN_CHARS = 12;
const PASSPHRASE_MAX_CHARS = 1024;
/** scrypt cost: about 0.1 s and 32 MiB a try here (RFC 7914's interactive-login range). */
const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 15 * 60 * 1000;

interface Stored {
  v: 1;
  salt: string;
  hash: string;
  N: number;
  r: number;
  p: number;
  setAt: string;
  /** Consecutive failed tries, and when the last one was. */
  failures: number;
  lastFailureAt?: string;
}

/** `unavailable`: refused unchecked because the file was changed outside the companion (`tampered`)
 *  or the failure count cannot be saved (`unsaved`): fail closed rather than guess uncounted. */
export type SignInOutcome =
  | { ok: true }
  | { ok: false; reason: 'not_set' | 'wrong' | 'wait'; retryAfterMs?: number }
  | { ok: false; reason: 'unavailable'; problem: 'tampered' | 'unsaved' };

export interface SignInPassphraseHooks {
  /** The file holds another passphrase than the one this service wrote or read at start. */
  onTamper?: (reason: string) => void;
  /** A failure count could not be saved (tries are refused until it can). */
  onError?: (error: unknown) => void;
}

/** What the running service knows, whatever the file says now. */
interface Memory {
  /** The passphrase hash it last wrote or read at start (undefined: none set). */
  identity: string | undefined;
  failures: number;
  lastFailureAt: number | undefined;
  /** The count in memory is not in the file yet (a write failed). */
  unsaved: boolean;
}

/** Which passphrase a stored record holds: salt, hash and cost together (any other change is a new one). */
function identityOf(s: Stored | undefined): string | undefined {
  return s && [s.salt, s.hash, s.N, s.r, s.p].join(':');
}

/** How long until the next try may be checked. */
function waitMs(m: Pick<Memory, 'failures' | 'lastFailureAt'>, now: number): number {
  return m.lastFailureAt === undefined ? 0 : m.lastFailureAt + signInDelayMs(m.failures) - now;
}

function derive(passphrase: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => scrypt(passphrase.normalize('NFC'), salt, KEY_BYTES, options, (e, key) => (e ? reject(e) : resolve(key))));
}

/** The wait after `failures` consecutive failures: 1 s, 2 s, 4 s… up to 15 minutes. */
export function signInDelayMs(failures: number): number {
  return failures <= 0 ? 0 : Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(failures - 1, 30));
}

export class SignInPassphraseService {
  /** A try being checked: a second one at the same time waits (or parallel tries would skip the delay). */
  private checking = false;
  private memory: Memory;
  /** The identity last reported as tampering (once per change, not once per try). */
  private reported: string | undefined | null = null;

  constructor(
    private readonly file: SealedStatePort,
    private readonly now: () => number,
    private readonly hooks: SignInPassphraseHooks = {},
  ) {
    // Read once at start: from here on the file only carries the count across a restart.
    const stored = this.stored();
    const lastFailureAt = stored?.lastFailureAt === undefined ? NaN : Date.parse(stored.lastFailureAt);
    this.memory = { identity: identityOf(stored), failures: Math.max(0, stored?.failures ?? 0), lastFailureAt: Number.isNaN(lastFailureAt) ? undefined : lastFailureAt, unsaved: false };
  }

  isSet(): boolean {
    return this.memory.identity !== undefined;
  }

  /** Consecutive failed tries so far (as counted in memory: the file may have been put back). */
  failures(): number {
    return this.memory.failures;
  }

  /** Sets (or replaces) the passphrase. Callers hold a UI session: the person, not the agent. */
  async set(passphrase: string): Promise<void> {
    const chars = [...passphrase].length;
    if (chars < PASSPHRASE_MIN_CHARS || chars > PASSPHRASE_MAX_CHARS) {
      throw new CoreError('invalid_request', `A sign-in passphrase needs ${PASSPHRASE_MIN_CHARS} to ${PASSPHRASE_MAX_CHARS} characters.`);
    }
    const salt = randomBytes(16);
    const hash = await derive(passphrase, salt, COST);
    const stored: Stored = { v: 1, salt: salt.toString('base64'), hash: hash.toString('base64'), ...COST, setAt: new Date(this.now()).toISOString(), failures: 0 };
    // A write that throws leaves the service as it was: the person sees the error and tries again.
    this.write(stored);
    this.memory = { identity: identityOf(stored), failures: 0, lastFailureAt: undefined, unsaved: false };
    this.reported = null;
  }

  async signIn(passphrase: string): Promise<SignInOutcome> {
    const stored = this.stored();
    const identity = identityOf(stored);
    if (identity !== this.memory.identity) {
      this.reportTamper(identity, stored === undefined);
      return { ok: false, reason: 'unavailable', problem: 'tampered' };
    }
    this.reported = null;
    if (!stored) return { ok: false, reason: 'not_set' };
    const wait = waitMs(this.memory, this.now());
    if (wait > 0 || this.checking) return { ok: false, reason: 'wait', retryAfterMs: Math.max(wait, 1000) };
    // A count that could not be saved is saved before anything is checked, or nothing is checked:
    // guesses the file does not count would start again from its count after a restart.
    if (this.memory.unsaved && !this.save(stored)) return { ok: false, reason: 'unavailable', problem: 'unsaved' };
    this.checking = true;
    try {
      const expected = Buffer.from(stored.hash, 'base64');
      const given = await derive(passphrase.slice(0, PASSPHRASE_MAX_CHARS * 2), Buffer.from(stored.salt, 'base64'), stored);
      if (expected.length === given.length && timingSafeEqual(expected, given)) {
        const hadFailures = this.memory.failures > 0 || stored.failures > 0;
        this.memory = { ...this.memory, failures: 0, lastFailureAt: undefined };
        // A reset that cannot be saved only leaves the file stricter than memory: the person is in.
        if (hadFailures) this.save(stored);
        return { ok: true };
      }
      // Counted in memory first: a write that fails (data folder made read-only) still counts it.
      this.memory = { ...this.memory, failures: this.memory.failures + 1, lastFailureAt: this.now() };
      this.save(stored);
      return { ok: false, reason: 'wrong', retryAfterMs: signInDelayMs(this.memory.failures) };
    } finally {
      this.checking = false;
    }
  }

  /** Writes the count in memory over the file's; false (and kept to retry) when it cannot be written. */
  private save(stored: Stored): boolean {
    const { failures, lastFailureAt } = this.memory;
    try {
      this.write({ ...stored, failures, lastFailureAt: lastFailureAt === undefined ? undefined : new Date(lastFailureAt).toISOString() });
      this.memory = { ...this.memory, unsaved: false };
      return true;
    } catch (error) {
      if (!this.memory.unsaved) this.hooks.onError?.(error);
      this.memory = { ...this.memory, unsaved: true };
      return false;
    }
  }

  private reportTamper(identity: string | undefined, removed: boolean): void {
    if (this.reported === identity) return;
    this.reported = identity;
    const what = removed ? 'the passphrase was removed' : 'it holds another passphrase than the one this companion set or read at start (an older copy put back?)';
    this.hooks.onTamper?.(`${what}; sign-in with a passphrase is refused until one is set again from a signed-in window or serve restarts`);
  }

  private stored(): Stored | undefined {
    const text = this.file.read();
    if (text === undefined) return undefined;
    try {
      const s = JSON.parse(text) as Stored;
      return s.v === 1 && typeof s.salt === 'string' && typeof s.hash === 'string' && Number.isInteger(s.failures) ? s : undefined;
    } catch {
      return undefined;
    }
  }

  private write(s: Stored): void {
    this.file.write(JSON.stringify(s));
  }
}
