// One run as a story: everything recorded about it, oldest first (prompt, requests, decisions,
// tool results, file changes, escalations), with its full id to copy and its own export.
import { useEffect, useRef, useState } from 'react';
import type { UiResponse } from '../../../shared/ui-contract.js';
import { useI18n } from '../i18n/use-i18n.js';
import { useCompanionStore } from '../store/companion-store.js';
import { ErrorNote } from './error-note.js';
import { SafeText } from './safe-text.js';
import { TimelineEntry } from './timeline-entry.js';
import { TimelineExportBar } from './timeline-export-bar.js';
import { TitledSection } from './titled-section.js';

export function TimelineStory({ sessionId, onBack }: { sessionId: string; onBack(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const call = useCompanionStore((s) => s.call);
  const [story, setStory] = useState<UiResponse<'timelineRun'>>();
  const [error, setError] = useState<string>();
  const [copied, setCopied] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const short = sessionId.slice(0, 8);

  useEffect(() => {
    let live = true;
    setStory(undefined);
    setError(undefined);
    call('timelineRun', { sessionId })
      .then((s) => live && setStory(s))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [call, sessionId]);

  // Focus follows the person into the story (and the Back button brings it back to the list).
  useEffect(() => heading.current?.focus(), [sessionId]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(sessionId);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // No clipboard (an insecure context): the id is selectable text beside the button.
    }
  };

  return (
    <TitledSection id="tl-story-title" className="tl-story" title={<SafeText text={t('timeline.story', { id: short })} />} intro={t('timeline.storyIntro')} headingRef={heading} focusable>
      <div className="tl-story-head">
        <button type="button" className="btn" onClick={onBack}>
          ← {t('timeline.back')}
        </button>
        <code className="tl-run-id" data-testid="tl-run-id">
          <SafeText text={sessionId} />
        </code>
        <button type="button" className="btn-link" onClick={() => void copy()}>
          {t('timeline.copyId')}
        </button>
        <span role="status" className="tl-copied">
          {copied ? t('timeline.copied') : ''}
        </span>
      </div>
      <TimelineExportBar filter={{ sessionId }} label={t('timeline.exportRun')} disabled={!story || story.steps.length === 0} />
      <ErrorNote>{error && t('timeline.storyFailed', { error })}</ErrorNote>
      {!story && !error && <p className="loading">{t('timeline.loading')}</p>}
      {story && story.truncated && <p className="callout">{t('timeline.storyTruncated', { count: i18n.number(story.steps.length) })}</p>}
      {story &&
        (story.steps.length === 0 ? (
          <div className="empty">
            <p className="empty-hint">{t('timeline.storyEmpty')}</p>
          </div>
        ) : (
          <ol className="tl-list tl-story-list">
            {story.steps.map((s) => (
              <TimelineEntry key={s.eventId} row={s} showRun={false} />
            ))}
          </ol>
        ))}
    </TitledSection>
  );
}
