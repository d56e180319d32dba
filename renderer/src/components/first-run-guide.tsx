// What to do next when nothing is shared and Claude Code is not connected: the Inbox's empty state
// leads to the two steps, each with its action right there (the share form, the exact command).
import { useShallow } from 'zustand/shallow';
import { useI18n } from '../i18n/use-i18n.js';
import { useCompanionStore } from '../store/companion-store.js';
import { openShareForm } from '../store/share-intent.js';
import './first-run-guide.css';

/** As README.md's quick start says: the installed command, and the same from a source checkout. */
const CONNECT = 'cowork-companion connect claude-code';
const CONNECT_FROM_CHECKOUT = 'node bin/cowork-companion.js connect claude-code';

export function FirstRunGuide() {
  const { t } = useI18n();
  const facts = useCompanionStore(
    useShallow((s) =>
      s.snapshot
        ? {
            noFolders: s.snapshot.scope.folders.length === 0,
            canShare: s.snapshot.scope.allowUserFolders,
            // Hooks written by hand are not in connect's record: a run seen means requests arrive.
            notConnected: !s.snapshot.sandbox.connected && s.snapshot.runs.length === 0,
          }
        : undefined,
    ),
  );
  if (!facts || (!facts.noFolders && !facts.notConnected)) return null;
  return (
    <section className="first-run" aria-labelledby="first-run-title" data-testid="first-run">
      <h3 id="first-run-title" className="first-run-title">
        {t('inbox.start.title')}
      </h3>
      <ol className="first-run-steps">
        {facts.noFolders && (
          <li>
            {facts.canShare ? (
              <>
                <p>{t('inbox.start.share')}</p>
                <button type="button" className="btn btn-approve" onClick={() => openShareForm('')}>
                  {t('inbox.start.shareButton')}
                </button>
              </>
            ) : (
              <p>{t('inbox.start.orgFolders')}</p>
            )}
          </li>
        )}
        {facts.notConnected && (
          <li>
            <p>{t('inbox.start.connect')}</p>
            <pre className="first-run-command mono">
              <code>{CONNECT}</code>
            </pre>
            <p className="field-hint">{t('inbox.start.checkout')}</p>
            <pre className="first-run-command mono">
              <code>{CONNECT_FROM_CHECKOUT}</code>
            </pre>
          </li>
        )}
      </ol>
    </section>
  );
}
