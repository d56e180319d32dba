// The Timeline: every recorded event, filtered by time, run, tool, decision, who decided, folder and
// words; newest first, a page at a time; a run opens as its story; the filtered set exports as CSV,
// JSON or OTLP JSON. The core owns the data (the journal's index): this view only asks.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TimelineFilterView, TimelineRowView } from '../../../shared/ui-contract.js';
import { useI18n } from '../i18n/use-i18n.js';
import { useCompanionStore } from '../store/companion-store.js';
import { markTimelineIntentShown, useTimelineIntent } from '../store/timeline-intent.js';
import { EMPTY_FORM, timelineFilter, type TimelineForm } from '../timeline-filter.js';
import { ErrorNote } from './error-note.js';
import { TimelineEntry } from './timeline-entry.js';
import { TimelineExportBar } from './timeline-export-bar.js';
import { TimelineFilterBar } from './timeline-filter-bar.js';
import { TimelineStory } from './timeline-story.js';
import { TitledSection } from './titled-section.js';
import './timeline-view.css';

const PAGE = 100;
/** Typing pauses this long before the list follows the text fields. */
const DEBOUNCE_MS = 300;

type Results =
  | { state: 'loading' }
  | { state: 'unavailable'; reason: string }
  | { state: 'failed'; error: string }
  | { state: 'ready'; rows: TimelineRowView[]; older?: string; loadingOlder?: boolean; indexing?: boolean };

/** The same value, once it has stopped changing for `ms`. */
function useSettled<T>(value: T, key: string, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
    // `key` stands for the value (a filter object is new on every render).
  }, [key, ms]);
  return settled;
}

export function TimelineView() {
  const i18n = useI18n();
  const { t } = i18n;
  const call = useCompanionStore((s) => s.call);
  const offset = useCompanionStore((s) => s.clockOffsetMs);
  const knownRuns = useCompanionStore((s) => s.snapshot?.runs);
  // A run asked for from elsewhere and not shown yet.
  const fresh = useTimelineIntent((s) => (s.run && s.run.seq > s.shown ? s.run : null));
  const [form, setForm] = useState<TimelineForm>(() => (fresh ? { ...EMPTY_FORM, range: 'all', sessionId: fresh.sessionId } : EMPTY_FORM));
  const [story, setStory] = useState<string | undefined>(fresh?.sessionId);
  // Presets count back from when the filters were last set (or Refresh pressed), on the companion's clock.
  const [anchor, setAnchor] = useState(() => Date.now() + offset);
  const [results, setResults] = useState<Results>({ state: 'loading' });
  const seq = useRef(0);
  const listHeading = useRef<HTMLHeadingElement>(null);
  // The row whose run button opened the story: Back returns focus to it.
  const opener = useRef<string | undefined>(undefined);
  // The filter of the rows shown (an export takes these, not filters still being typed).
  const [shown, setShown] = useState<TimelineFilterView | undefined>(undefined);

  const parsed = useMemo(() => timelineFilter(form, anchor), [form, anchor]);
  const filterKey = parsed.ok ? JSON.stringify(parsed.filter) : '';
  const settled = useSettled<TimelineFilterView | undefined>(parsed.ok ? parsed.filter : undefined, filterKey, DEBOUNCE_MS);
  const settledKey = settled ? JSON.stringify(settled) : '';

  // Shown once: on opening the view with it, or when it arrives while the view is open.
  useEffect(() => {
    if (!fresh) return;
    markTimelineIntentShown(fresh.seq);
    setForm({ ...EMPTY_FORM, range: 'all', sessionId: fresh.sessionId });
    setStory(fresh.sessionId);
  }, [fresh]);

  const load = useCallback(
    async (filter: TimelineFilterView, before?: string) => {
      const mine = ++seq.current;
      if (!before) setResults({ state: 'loading' });
      else setResults((r) => (r.state === 'ready' ? { ...r, loadingOlder: true } : r));
      try {
        const page = await call('timelineQuery', { filter, limit: PAGE, ...(before ? { before } : {}) });
        if (mine !== seq.current) return;
        if (!page.available) {
          setResults({ state: 'unavailable', reason: page.reason });
          return;
        }
        if (!before) setShown(filter);
        setResults((r) => ({
          state: 'ready',
          rows: before && r.state === 'ready' ? [...r.rows, ...page.rows] : page.rows,
          ...(page.older ? { older: page.older } : {}),
          ...(page.indexing ? { indexing: true } : {}),
        }));
      } catch (e) {
        if (mine === seq.current) setResults({ state: 'failed', error: (e as Error).message });
      }
    },
    [call],
  );

  useEffect(() => {
    if (settled) void load(settled);
  }, [settledKey, load]);

  const change = (patch: Partial<TimelineForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setAnchor(Date.now() + offset);
  };

  if (story) {
    return (
      <TimelineStory
        sessionId={story}
        onBack={() => {
          setStory(undefined);
          const from = opener.current;
          opener.current = undefined;
          setTimeout(() => {
            const button = from ? document.querySelector<HTMLButtonElement>(`.tl-list > li[data-event-id="${CSS.escape(from)}"] .tl-run button`) : null;
            (button ?? listHeading.current)?.focus();
          }, 0);
        }}
      />
    );
  }

  const count =
    results.state === 'loading'
      ? t('timeline.loading')
      : results.state === 'ready'
        ? results.rows.length === 0
          ? t('timeline.empty')
          : `${i18n.plural('timeline.count', results.rows.length)}${results.older ? ` ${t('timeline.more')}` : ''}`
        : '';

  if (results.state === 'unavailable') {
    // Nothing to filter or export: say why, and that the rest of the companion works.
    return (
      <TitledSection id="timeline-title" className="timeline" title={t('timeline.title')} intro={t('timeline.intro')} headingRef={listHeading} focusable>
        <div className="callout tl-unavailable" role="alert">
          <p className="empty-title">{t('timeline.unavailableTitle')}</p>
          <p>{t('timeline.unavailable', { reason: results.reason })}</p>
        </div>
      </TitledSection>
    );
  }

  return (
    <TitledSection id="timeline-title" className="timeline" title={t('timeline.title')} intro={t('timeline.intro')} headingRef={listHeading} focusable>
      <TimelineFilterBar
        form={form}
        problem={parsed.ok ? undefined : parsed.problem}
        runs={(knownRuns ?? []).map((r) => r.sessionId)}
        onChange={change}
        onClear={() => change(EMPTY_FORM)}
        onRefresh={() => {
          // Presets have no end: the same filter now also finds what happened since.
          if (parsed.ok) void load(parsed.filter);
        }}
      />
      <TimelineExportBar filter={results.state === 'ready' ? shown : undefined} label={t('timeline.export')} disabled={results.state !== 'ready' || results.rows.length === 0} />
      <TitledSection id="tl-list-title" level={3} title={t('timeline.list')}>
          <p className="tl-count" role="status" aria-live="polite" data-testid="tl-count">
            {count}
          </p>
          <ErrorNote>{results.state === 'failed' && t('timeline.failed', { error: results.error })}</ErrorNote>
          {results.state === 'ready' && results.indexing && (
            <p className="callout tl-indexing" role="status">
              {t('timeline.indexing')}
            </p>
          )}
          {results.state === 'ready' && results.rows.length === 0 && (
            <div className="empty">
              <p className="empty-hint">{t('timeline.emptyHint')}</p>
            </div>
          )}
          {results.state === 'ready' && results.rows.length > 0 && (
            <ol className="tl-list" aria-labelledby="tl-list-title">
              {results.rows.map((r) => (
                <TimelineEntry
                  key={r.eventId}
                  row={r}
                  onOpenRun={(id) => {
                    opener.current = r.eventId;
                    setStory(id);
                  }}
                />
              ))}
            </ol>
          )}
          {results.state === 'ready' && results.older && settled && (
            <button type="button" className="btn tl-older" disabled={results.loadingOlder} onClick={() => void load(settled, results.older)}>
              {results.loadingOlder ? t('timeline.loading') : t('timeline.loadOlder')}
            </button>
          )}
      </TitledSection>
      <details className="tl-cli">
        <summary>{t('timeline.cli')}</summary>
        <code className="mono">{cliCommand(parsed.ok ? parsed.filter : {}, form.range)}</code>
      </details>
    </TitledSection>
  );
}

/** The command line that answers the same (the CLI takes a duration or a date for --since). */
function cliCommand(f: TimelineFilterView, range: TimelineForm['range']): string {
  const q = (v: string): string => (/^[\w./:@-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);
  const parts = ['cowork-companion timeline'];
  if (range === 'hour') parts.push('--since 1h');
  else if (range === 'day') parts.push('--since 24h');
  else if (range === 'week') parts.push('--since 7d');
  else {
    if (f.since !== undefined) parts.push(`--since ${new Date(f.since).toISOString()}`);
    if (f.until !== undefined) parts.push(`--until ${new Date(f.until).toISOString()}`);
  }
  if (f.sessionId) parts.push(`--session ${q(f.sessionId)}`);
  if (f.toolName) parts.push(`--tool ${q(f.toolName)}`);
  if (f.decision) parts.push(`--decision ${f.decision}`);
  if (f.decidedBy) parts.push(`--decided-by ${f.decidedBy}`);
  if (f.folder) parts.push(`--folder ${q(f.folder)}`);
  if (f.text) parts.push(`--text ${q(f.text)}`);
  parts.push('--json');
  return parts.join(' ');
}
