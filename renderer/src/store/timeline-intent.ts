// "View in Timeline" from a run elsewhere (the Runs view, an Inbox run): the window opens the
// Timeline filtered to that run, with its story. Only what to show; the Timeline asks the core.
import { create } from 'zustand';

export interface TimelineIntent {
  /** `seq` changes on every request, so asking twice opens it twice. */
  run: { sessionId: string; seq: number } | null;
}

export const useTimelineIntent = create<TimelineIntent>()(() => ({ run: null }));

export function openInTimeline(sessionId: string): void {
  useTimelineIntent.setState((s) => ({ run: { sessionId, seq: (s.run?.seq ?? 0) + 1 } }));
}
