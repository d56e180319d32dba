// The small ports the core's services take, so tests can hand them a manual clock or an in-memory store.

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): { cancel(): void };
}

/** Where settings live: `conf` under plain Node, electron-store (a conf subclass) in Electron. */
export interface SettingsStorePort {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  /** Everything stored (conf reads the file). */
  readonly store: Record<string, unknown>;
  readonly path: string;
}

/** A state file only the core writes, checked against its integrity seal on every read. */
export interface SealedStatePort {
  /** The content the core last wrote (put back if someone else changed it); undefined if none or not trustworthy. */
  read(): string | undefined;
  /** Seal, then write. */
  write(text: string): void;
}

/** A sealed file written often (a position, a checkpoint), so written off the event loop: in order,
 *  and only the newest of the writes still waiting. Written this way only, never also by write(). */
export interface SealedLatestPort extends SealedStatePort {
  /** Seal and write `text` after the writes before it; replaces one that has not started. */
  writeSoon(text: string): void;
  /** Every writeSoon so far has landed (or failed: the previous content stays, as with write()). */
  flushed(): Promise<void>;
}

/** For a file another library writes (settings via conf): seal what it is about to hold, check it later. */
export interface SealPort {
  seal(text: string): void;
  /** 'tampered': changed by someone else — put back when the seal allowed it, and reported. */
  verify(): { kind: 'ok' } | { kind: 'tampered'; reason: string; restored: boolean };
}

/** Tags data with a key only the core uses (HMAC), and checks such tags. */
export interface TagKey {
  tag(...parts: ReadonlyArray<string | Buffer>): string;
  verifies(tag: string, ...parts: ReadonlyArray<string | Buffer>): boolean;
}
