// The window: header with connection, evidence and notification state and the settings button, then
// (above every view) any change another program made to the companion's own files, then the Inbox
// (with recent decisions), the Rules, the shared folders, the Evidence view or Settings.
import { useEffect, useState, type ReactNode } from 'react';
import { ConnectionStatus, DisconnectedBanner } from './components/connection-status.js';
import { CredentialNotice } from './components/credential-notice.js';
import { PassphraseSignIn } from './components/passphrase-sign-in.js';
import { EvidenceChip } from './components/evidence-chip.js';
import { EvidenceView } from './components/evidence-view.js';
import { Inbox } from './components/inbox.js';
import { IntegrityBanner } from './components/integrity-banner.js';
import { PolicyBanner } from './components/policy-banner.js';
import { LiveAnnouncer } from './components/live-announcer.js';
import { NotifyToggle } from './components/notify-toggle.js';
import { RecentDecisions } from './components/recent-decisions.js';
import { RulesView } from './components/rules-view.js';
import { RunsView } from './components/runs-view.js';
import { SettingsView } from './components/settings-view.js';
import { SharedFolders } from './components/shared-folders.js';
import { TimelineView } from './components/timeline-view.js';
import { ViewTabs, type View } from './components/view-tabs.js';
import { evidenceAttention } from './evidence-at-a-glance.js';
import { useI18n, useLanguage } from './i18n/use-i18n.js';
import { useCompanionStore } from './store/companion-store.js';
import { useShareIntent } from './store/share-intent.js';
import { useTimelineIntent } from './store/timeline-intent.js';
import { useArrivalNotifications } from './use-arrival-notifications.js';

function Shell({ children, tabs, status, bare = false }: { children: ReactNode; tabs?: ReactNode; status?: ReactNode; bare?: boolean }) {
  const lang = useLanguage();
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return (
    <div className="app">
      <header className="app-header">
        <div className="app-header-row">
          <h1 className="app-title">Cowork Companion</h1>
          {!bare && (
            <div className="app-header-status">
              {status}
              <ConnectionStatus />
            </div>
          )}
        </div>
        {tabs}
      </header>
      <main className="app-main">{children}</main>
    </div>
  );
}

export function NoCredentialApp({ onSignedIn }: { onSignedIn: (sessionToken: string) => void }) {
  return (
    <Shell bare>
      <CredentialNotice />
      <PassphraseSignIn onSignedIn={onSignedIn} />
    </Shell>
  );
}

const notificationsAvailable = (): boolean => typeof Notification !== 'undefined';

export function App() {
  const { t } = useI18n();
  const connection = useCompanionStore((s) => s.connection);
  const hasSnapshot = useCompanionStore((s) => s.snapshot !== null);
  const pendingCount = useCompanionStore((s) => s.snapshot?.pending.length ?? 0);
  const attention = useCompanionStore((s) => (s.snapshot ? evidenceAttention(s.snapshot.evidence) : undefined));
  // Electron shows native notifications from the main process; the browser tab does its own.
  const web = useCompanionStore((s) => s.transport === 'web');
  const [view, setView] = useState<View>('inbox');
  const [notify, setNotify] = useState(() => notificationsAvailable() && Notification.permission === 'granted');
  useArrivalNotifications(web && notify);
  // "Share a folder…" from the Inbox opens the Shared folders form, filled in (the person confirms there).
  const shareSeq = useShareIntent((s) => s.draft?.seq);
  useEffect(() => {
    if (shareSeq !== undefined) setView('folders');
  }, [shareSeq]);
  // "View in Timeline" on a run opens the Timeline with that run.
  const timelineSeq = useTimelineIntent((s) => s.run?.seq);
  useEffect(() => {
    if (timelineSeq !== undefined) setView('timeline');
  }, [timelineSeq]);

  useEffect(() => {
    document.title = pendingCount > 0 ? `(${pendingCount}) Cowork Companion` : 'Cowork Companion';
  }, [pendingCount]);

  if (connection === 'rejected') {
    return (
      <Shell>
        <CredentialNotice rejected />
      </Shell>
    );
  }
  return (
    <Shell
      tabs={hasSnapshot && <ViewTabs view={view} pending={pendingCount} evidenceAttention={attention} onChange={setView} />}
      status={
        <>
          <EvidenceChip onOpen={() => setView('evidence')} />
          {web && notificationsAvailable() && <NotifyToggle enabled={notify} onChange={setNotify} />}
          {hasSnapshot && (
            <button
              type="button"
              className={`header-toggle pill settings-button${view === 'settings' ? ' is-on' : ''}`}
              aria-pressed={view === 'settings'}
              aria-label={t('settings.open')}
              onClick={() => setView(view === 'settings' ? 'inbox' : 'settings')}
            >
              <span aria-hidden="true">⚙</span>
              <span className="narrow-label">{t('settings.open')}</span>
            </button>
          )}
        </>
      }
    >
      <IntegrityBanner />
      <PolicyBanner />
      <DisconnectedBanner />
      <LiveAnnouncer />
      {!hasSnapshot ? (
        <p className="loading">{t('app.connecting')}</p>
      ) : view === 'inbox' ? (
        <>
          <Inbox />
          <RecentDecisions />
        </>
      ) : view === 'rules' ? (
        <RulesView />
      ) : view === 'folders' ? (
        <SharedFolders />
      ) : view === 'runs' ? (
        <RunsView />
      ) : view === 'timeline' ? (
        <TimelineView />
      ) : view === 'settings' ? (
        <SettingsView />
      ) : (
        <EvidenceView />
      )}
    </Shell>
  );
}
