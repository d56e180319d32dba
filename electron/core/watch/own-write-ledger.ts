// Files the companion itself is about to write outside its data folder (Claude Code's settings, whose
// sandbox it keeps in step with the scope): for a few seconds a change there is the companion's, not
// the agent's, and the watcher neither lists nor reports it. Keyed by canonical path; the temp file an
// atomic write goes through (base/atomic-file.ts) counts as the file.
import { ATOMIC_TEMP, type Clock } from '../base/index.js';
import type { Canonicalize } from '../paths/index.js';

export class OwnWriteLedger {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly canonicalize: Canonicalize,
    private readonly windowMs = 3000,
  ) {}

  private key(path: string): string {
    const c = this.canonicalize(path);
    return c.ok ? c.path : path;
  }

  /** The companion writes `file` now (through a temp file beside it). */
  expect(file: string): void {
    this.until.set(this.key(file), this.clock.now() + this.windowMs);
    this.prune();
  }

  /** Whether a change to `path` seen at `at` is the companion's own write. Asked for every change the
   *  watcher sees: with no write of its own under way (nearly always), it works out no canonical path
   *  (a realpath and an lstat each). */
  has(path: string, at: number): boolean {
    this.prune();
    if (this.until.size === 0) return false;
    const t = this.until.get(this.key(path.replace(ATOMIC_TEMP, '')));
    return t !== undefined && at <= t;
  }

  private prune(): void {
    const now = this.clock.now();
    for (const [k, t] of this.until) if (t < now) this.until.delete(k);
  }
}
