// Out-of-scope changes become `file.out_of_scope` evidence and reach the onOutOfScope listeners
// (notification, escalation). The first change of a path is reported at once; further changes of the
// same path by the same run within the repeat window are folded into one follow-up record.
import { randomUUID } from 'node:crypto';
import { ATTR, EVENT_NAMES } from '../../../shared/telemetry-events.js';
import type { Clock } from '../base/index.js';
import { type EvidenceSink, newEvidenceEvent } from '../evidence/index.js';
import type { OutOfScopeChange } from './watch-status.js';

const MAX_PATH = 4096;

export interface OutOfScopeReporterOptions {
  clock: Clock;
  evidence: EvidenceSink;
  /** Repeated out-of-scope changes of one path within this window are folded into one follow-up record (default 30 s). */
  repeatWindowMs?: number;
  onError?: (error: unknown) => void;
}

export class OutOfScopeReporter {
  private readonly listeners = new Set<(c: OutOfScopeChange) => void>();
  private readonly repeats = new Map<string, { until: number; suppressed: number; last: OutOfScopeChange }>();
  private repeatTimer: { cancel(): void } | undefined;

  constructor(private readonly o: OutOfScopeReporterOptions) {}

  onOutOfScope(listener: (change: OutOfScopeChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Records the evidence (first change of a path at once; repeats folded into one follow-up).
   *  True when this is a new change (reported now), false when folded into the path's repeats. */
  report(c: OutOfScopeChange): boolean {
    const key = `${c.sessionId}\0${c.violation}\0${c.path}`;
    const now = this.o.clock.now();
    const window = this.o.repeatWindowMs ?? 30_000;
    const r = this.repeats.get(key);
    if (r && now < r.until) {
      r.suppressed++;
      r.last = c;
      return false;
    }
    if (window > 0) {
      this.repeats.set(key, { until: now + window, suppressed: 0, last: c });
      this.armRepeats();
    }
    this.emit(c);
    return true;
  }

  /** Reports every folded repeat now (the watcher closes). */
  flush(): void {
    this.flushRepeats();
  }

  private armRepeats(): void {
    if (this.repeatTimer || this.repeats.size === 0) return;
    let first = Number.POSITIVE_INFINITY;
    for (const r of this.repeats.values()) first = Math.min(first, r.until);
    this.repeatTimer = this.o.clock.setTimeout(() => {
      this.repeatTimer = undefined;
      this.flushRepeats(this.o.clock.now());
      this.armRepeats();
    }, Math.max(0, first - this.o.clock.now()));
  }

  private flushRepeats(now = Number.POSITIVE_INFINITY): void {
    if (now === Number.POSITIVE_INFINITY) {
      this.repeatTimer?.cancel();
      this.repeatTimer = undefined;
    }
    for (const [key, r] of this.repeats) {
      if (r.until > now) continue;
      this.repeats.delete(key);
      if (r.suppressed > 0) this.emit({ ...r.last, repeats: r.suppressed, changeId: randomUUID() });
    }
  }

  private emit(c: OutOfScopeChange): void {
    const cut = <P extends string | undefined>(p: P): P => (p !== undefined && p.length > MAX_PATH ? `${p.slice(0, MAX_PATH - 1)}…` : p) as P;
    const event = newEvidenceEvent(EVENT_NAMES.fileOutOfScope, c.at, {
      [ATTR.filePath]: cut(c.path),
      [ATTR.filePreviousPath]: cut(c.previousPath),
      [ATTR.fileChange]: c.change,
      [ATTR.fileType]: c.type,
      [ATTR.scopeViolation]: c.violation,
      [ATTR.scopeSeverity]: c.severity,
      [ATTR.sessionId]: c.sessionId,
      [ATTR.promptId]: c.promptId,
      [ATTR.cwd]: cut(c.cwd),
      [ATTR.toolUseId]: c.toolUseId,
      [ATTR.toolName]: c.toolName,
      [ATTR.fileAttribution]: c.toolUseId ? 'tool_call' : 'unexplained',
      [ATTR.fileChangeId]: c.changeId,
      [ATTR.fileActiveRuns]: c.activeRuns,
      [ATTR.fileRepeats]: c.repeats,
    });
    const out: OutOfScopeChange = { ...c, eventId: event.eventId };
    const notify = (recorded: boolean): void => {
      for (const l of this.listeners) {
        try {
          l({ ...out, recorded });
        } catch (error) {
          this.o.onError?.(error);
        }
      }
    };
    this.o.evidence.record(event).then(
      () => notify(true),
      (error) => {
        this.o.onError?.(error);
        notify(false);
      },
    );
  }
}
