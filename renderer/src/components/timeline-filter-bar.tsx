// The Timeline's filters: a time preset or a custom range, the run, tool, decision, who decided,
// folder and words. Each control is labelled; the text fields apply after a pause in typing.
import { DECISION_SOURCES } from '../../../shared/telemetry-events.js';
import { TIMELINE_DECISIONS } from '../../../shared/ui-contract.js';
import { useI18n } from '../i18n/use-i18n.js';
import type { MessageKey } from '../i18n/translator.js';
import { TIME_RANGES, type TimelineForm } from '../timeline-filter.js';

export function TimelineFilterBar({
  form,
  problem,
  runs,
  onChange,
  onClear,
  onRefresh,
}: {
  form: TimelineForm;
  problem?: 'range-order' | 'range-invalid';
  /** Runs the companion knows (offered as suggestions for the run field). */
  runs: readonly string[];
  onChange(patch: Partial<TimelineForm>): void;
  onClear(): void;
  onRefresh(): void;
}) {
  const { t } = useI18n();
  const text = (key: keyof TimelineForm, label: MessageKey, hint: MessageKey | undefined, extra?: { list?: string; mono?: boolean }) => (
    <div className="field">
      <label htmlFor={`tl-${key}`}>{t(label)}</label>
      <input
        id={`tl-${key}`}
        className={`input${extra?.mono ? ' mono' : ''}`}
        type="search"
        value={form[key]}
        list={extra?.list}
        placeholder={hint ? t(hint) : undefined}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => onChange({ [key]: e.target.value })}
      />
    </div>
  );
  return (
    <form className="tl-filters" aria-label={t('timeline.filters')} onSubmit={(e) => e.preventDefault()}>
      <div className="field-pair">
        <div className="field">
          <label htmlFor="tl-range">{t('timeline.range')}</label>
          <select id="tl-range" className="select" value={form.range} onChange={(e) => onChange({ range: e.target.value as TimelineForm['range'] })}>
            {TIME_RANGES.map((r) => (
              <option key={r} value={r}>
                {t(`timeline.range.${r}`)}
              </option>
            ))}
          </select>
        </div>
        {form.range === 'custom' && (
          <>
            <div className="field">
              <label htmlFor="tl-from">{t('timeline.from')}</label>
              <input id="tl-from" className="input" type="datetime-local" value={form.from} aria-invalid={problem ? true : undefined} aria-describedby={problem ? 'tl-range-problem' : undefined} onChange={(e) => onChange({ from: e.target.value })} />
            </div>
            <div className="field">
              <label htmlFor="tl-to">{t('timeline.to')}</label>
              <input id="tl-to" className="input" type="datetime-local" value={form.to} aria-invalid={problem ? true : undefined} aria-describedby={problem ? 'tl-range-problem' : undefined} onChange={(e) => onChange({ to: e.target.value })} />
            </div>
          </>
        )}
        {text('sessionId', 'timeline.run', 'timeline.runHint', { list: 'tl-known-runs', mono: true })}
        {text('toolName', 'timeline.tool', undefined, { mono: true })}
        <div className="field">
          <label htmlFor="tl-decision">{t('timeline.decision')}</label>
          <select id="tl-decision" className="select" value={form.decision} onChange={(e) => onChange({ decision: e.target.value as TimelineForm['decision'] })}>
            <option value="">{t('timeline.decision.any')}</option>
            {TIMELINE_DECISIONS.map((d) => (
              <option key={d} value={d}>
                {t(`timeline.decision.${d}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="tl-decidedBy">{t('timeline.decidedBy')}</label>
          <select id="tl-decidedBy" className="select" value={form.decidedBy} onChange={(e) => onChange({ decidedBy: e.target.value as TimelineForm['decidedBy'] })}>
            <option value="">{t('timeline.decidedBy.any')}</option>
            {DECISION_SOURCES.map((d) => (
              <option key={d} value={d}>
                {t(`timeline.decidedBy.${d}`)}
              </option>
            ))}
          </select>
        </div>
        {text('folder', 'timeline.folder', 'timeline.folderHint', { mono: true })}
        {text('text', 'timeline.text', 'timeline.textHint')}
      </div>
      <datalist id="tl-known-runs">
        {runs.map((r) => (
          <option key={r} value={r} />
        ))}
      </datalist>
      {problem && (
        <p id="tl-range-problem" className="card-error callout" role="alert">
          {t(problem === 'range-order' ? 'timeline.rangeOrder' : 'timeline.rangeInvalid')}
        </p>
      )}
      <div className="tl-filter-actions">
        <button type="button" className="btn" onClick={onRefresh}>
          {t('timeline.refresh')}
        </button>
        <button type="button" className="btn-link" onClick={onClear}>
          {t('timeline.clear')}
        </button>
      </div>
    </form>
  );
}
