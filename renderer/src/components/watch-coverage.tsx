// What the file watcher watches right now, what it does not (limits, permissions, exclusions) and
// what it can see at all: stated plainly, so an empty list of changes is not read as more than it is.
import { useI18n } from '../i18n/use-i18n.js';
import type { WatchView } from '../../../shared/run-watch-contract.js';
import { LockedBy } from './locked-by.js';
import { SafeText } from './safe-text.js';
import './watch-coverage.css';

export function WatchCoverage({ watch }: { watch: WatchView }) {
  const { t } = useI18n();
  if (!watch.enabled) {
    return (
      <div className="watch-coverage watch-off tone-warn" role="status">
        {watch.offByPolicy ? (
          <>
            {t('runs.watchOffByPolicy')} <LockedBy policyKey="watch.enabled" />
          </>
        ) : (
          t('runs.watchOff')
        )}
      </div>
    );
  }
  const notWatched = watch.notWatching.length + watch.notWatchingMore;
  return (
    <div className="watch-coverage" aria-labelledby="watch-state">
      <p id="watch-state" className="watch-state" role="status" data-state={watch.state}>
        {watch.state === 'watching' ? t('runs.state.watching', { count: watch.watching.length }) : t(`runs.state.${watch.state}`)}
      </p>
      {watch.problem && (
        <div className="watch-problem tone-warn" role="alert">
          <p>{watch.problem}</p>
          {watch.hint && <p className="mono watch-hint">{watch.hint}</p>}
        </div>
      )}
      {watch.watching.length > 0 && (
        <details className="watch-list">
          <summary>{t('runs.watchingList')}</summary>
          <ul>
            {watch.watching.map((p) => (
              <li key={p} className="mono">
                <SafeText text={p} />
              </li>
            ))}
          </ul>
        </details>
      )}
      {notWatched > 0 && (
        <details className="watch-list">
          <summary>{t('runs.notWatchingList', { count: notWatched })}</summary>
          <ul>
            {watch.notWatching.map((n, i) => (
              <li key={`${n.path}-${i}`}>
                <span className="mono">
                  <SafeText text={n.path} />
                </span>{' '}
                — {n.reason}
              </li>
            ))}
            {watch.notWatchingMore > 0 && <li>{t('runs.more', { count: watch.notWatchingMore })}</li>}
          </ul>
        </details>
      )}
      {watch.excluded.length > 0 && (
        <details className="watch-list">
          <summary>{t('runs.excludedList', { count: watch.excluded.length })}</summary>
          <p className="mono watch-excluded">{watch.excluded.join('  ·  ')}</p>
        </details>
      )}
    </div>
  );
}
