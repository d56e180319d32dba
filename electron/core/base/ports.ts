// The small ports the core's services take, so tests can hand them a manual clock or an in-memory store.

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): { cancel(): void };
}

/** Where settings live: `conf` under plain Node, electron-store (a conf subclass) in Electron. */
export interface SettingsStorePort {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  readonly path: string;
}
