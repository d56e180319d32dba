// "View in Timeline" from a run elsewhere (the Runs view, an Inbox run): the window opens the
// Timeline filtered to that run, with its story. Only what to show; the Timeline asks the core.
import { create } from 'zustand';

export interface TimelineIntent {
  /** `seq` changes on every request, so asking twice opens it twice. */
  run: { sessionId: string; seq: number } | null;
  /** The last request the Timeline has shown: coming back to the tab later does not open it again. */
  shown: number;
}

export const useTimelineIntent = create<TimelineIntent>()(() => ({ run: null, shown: 0 }));

export function openInTimeline(sessionId: string): void {
  useTimelineIntent.setState((s) => ({ run: { sessionId, seq: (s.run?.seq ?? 0) + 1 } }));
}

export function markTimelineIntentShown(seq: number): void {
  useTimelineIntent.setState({ shown: seq });
}
