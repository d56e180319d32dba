// Export the filtered set (or one run) as CSV, JSON or OTLP JSON: the core writes the file, the
// window offers it as a download named for the filter and the time, and says what it holds.
import { useState } from 'react';
import { TIMELINE_EXPORT_FORMATS, type TimelineExportFormat, type TimelineFilterView } from '../../../shared/ui-contract.js';
import { useI18n } from '../i18n/use-i18n.js';
import { useCompanionStore } from '../store/companion-store.js';
import { ErrorNote } from './error-note.js';
import { downloadFile } from './timeline-download.js';

export function TimelineExportBar({ filter, label, disabled }: { filter: TimelineFilterView | undefined; label: string; disabled?: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const call = useCompanionStore((s) => s.call);
  const [busy, setBusy] = useState<TimelineExportFormat>();
  const [done, setDone] = useState<{ count: number; file: string; truncated: boolean; max: number }>();
  const [error, setError] = useState<string>();

  const run = async (format: TimelineExportFormat) => {
    if (!filter) return;
    setBusy(format);
    setError(undefined);
    setDone(undefined);
    try {
      const file = await call('timelineExport', { filter, format });
      downloadFile(file.fileName, file.content, file.mimeType);
      setDone({ count: file.count, file: file.fileName, truncated: file.truncated, max: file.max });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div className="tl-export" role="group" aria-label={label}>
      <span className="tl-export-label">{label}</span>
      {TIMELINE_EXPORT_FORMATS.map((format) => (
        <button
          key={format}
          type="button"
          className="btn"
          disabled={disabled || !filter || busy !== undefined}
          aria-label={t('timeline.exportLabel', { format: t(`timeline.format.${format}`) })}
          data-format={format}
          onClick={() => void run(format)}
        >
          {t(`timeline.format.${format}`)}
        </button>
      ))}
      <p className="tl-export-status" role="status">
        {done && i18n.plural('timeline.exported', done.count, { file: done.file })}
        {done?.truncated && ` ${t('timeline.exportTruncated', { count: i18n.number(done.count), max: i18n.number(done.max) })}`}
      </p>
      <ErrorNote>{error && t('timeline.exportFailed', { error })}</ErrorNote>
    </div>
  );
}
