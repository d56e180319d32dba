// Web UI credentials. `serve` prints a link with a one-time pairing token in its fragment; the page
// trades it for a session token kept only in its memory. Browsers record the link in their history
// (a file agent tools could read), so the pairing token must be worthless once used or stale.
import { secretsEqual } from '../base/index.js';
import { newSecret } from './agent-token.js';

const PAIRING_TTL_MS = 15 * 60 * 1000;

export class UiSessions {
  private readonly pairing = new Map<string, number>();
  private readonly sessions = new Set<string>();

  constructor(private readonly now: () => number) {}

  newPairingToken(): string {
    const token = newSecret();
    this.pairing.set(token, this.now() + PAIRING_TTL_MS);
    return token;
  }

  /** Consumes a pairing token; returns the new session token, or undefined if not valid. */
  exchange(pairingToken: string): string | undefined {
    for (const [token, expires] of this.pairing) {
      if (expires <= this.now()) {
        this.pairing.delete(token);
        continue;
      }
      if (secretsEqual(pairingToken, token)) {
        this.pairing.delete(token);
        return this.newSession();
      }
    }
    return undefined;
  }

  /** A session for a person who proved themselves another way (the sign-in passphrase). */
  newSession(): string {
    const session = newSecret();
    this.sessions.add(session);
    return session;
  }

  isSession(token: string): boolean {
    for (const s of this.sessions) if (secretsEqual(token, s)) return true;
    return false;
  }
}
