// How a person signs in to the headless Inbox when `serve` runs as a service, with no terminal to
// press Enter in: a passphrase they set from an Inbox they are already signed in to, traded at the
// serve address for a UI session. Setting it needs a session, never a command: the agent runs as the
// same user and can run any command on a pseudo-terminal of its own (docs/security.md, "Signing in
// without a terminal"). Only an scrypt hash is kept, sealed in the data folder; consecutive failures
// make every next try wait twice as long (kept in the same file, so a restart does not reset them).
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

export type SignInOutcome = { ok: true } | { ok: false; reason: 'not_set' | 'wrong' | 'wait'; retryAfterMs?: number };

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

  constructor(
    private readonly file: SealedStatePort,
    private readonly now: () => number,
  ) {}

  isSet(): boolean {
    return this.stored() !== undefined;
  }

  /** Consecutive failed tries so far. */
  failures(): number {
    return this.stored()?.failures ?? 0;
  }

  /** Sets (or replaces) the passphrase. Callers hold a UI session: the person, not the agent. */
  async set(passphrase: string): Promise<void> {
    const chars = [...passphrase].length;
    if (chars < PASSPHRASE_MIN_CHARS || chars > PASSPHRASE_MAX_CHARS) {
      throw new CoreError('invalid_request', `A sign-in passphrase needs ${PASSPHRASE_MIN_CHARS} to ${PASSPHRASE_MAX_CHARS} characters.`);
    }
    const salt = randomBytes(16);
    const hash = await derive(passphrase, salt, COST);
    this.write({ v: 1, salt: salt.toString('base64'), hash: hash.toString('base64'), ...COST, setAt: new Date(this.now()).toISOString(), failures: 0 });
  }

  async signIn(passphrase: string): Promise<SignInOutcome> {
    const stored = this.stored();
    if (!stored) return { ok: false, reason: 'not_set' };
    const wait = stored.lastFailureAt ? Date.parse(stored.lastFailureAt) + signInDelayMs(stored.failures) - this.now() : 0;
    if (wait > 0 || this.checking) return { ok: false, reason: 'wait', retryAfterMs: Math.max(wait, 1000) };
    this.checking = true;
    try {
      const expected = Buffer.from(stored.hash, 'base64');
      const given = await derive(passphrase.slice(0, PASSPHRASE_MAX_CHARS * 2), Buffer.from(stored.salt, 'base64'), stored);
      if (expected.length === given.length && timingSafeEqual(expected, given)) {
        if (stored.failures > 0) this.write({ ...stored, failures: 0, lastFailureAt: undefined });
        return { ok: true };
      }
      const failures = stored.failures + 1;
      this.write({ ...stored, failures, lastFailureAt: new Date(this.now()).toISOString() });
      return { ok: false, reason: 'wrong', retryAfterMs: signInDelayMs(failures) };
    } finally {
      this.checking = false;
    }
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
