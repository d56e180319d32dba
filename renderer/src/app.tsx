// The window: header with connection state, the Inbox, and recent decisions.
import { useEffect, useState, type ReactNode } from 'react';
import { ConnectionStatus, DisconnectedBanner } from './components/connection-status.js';
import { CredentialNotice } from './components/credential-notice.js';
import { Inbox } from './components/inbox.js';
import { LiveAnnouncer } from './components/live-announcer.js';
import { RecentDecisions } from './components/recent-decisions.js';
import { SharedFolders } from './components/shared-folders.js';
import { ViewTabs, type View } from './components/view-tabs.js';
import { useCompanionStore } from './store/companion-store.js';

function Shell({ children, tabs }: { children: ReactNode; tabs?: ReactNode }) {
  return (
    <div className="app">
      <header className="app-header">
        <div className="app-header-row">
          <h1 className="app-title">Cowork Companion</h1>
          <ConnectionStatus />
        </div>
        {tabs}
      </header>
      <main className="app-main">{children}</main>
    </div>
  );
}

export function NoCredentialApp() {
  return (
    <div className="app">
      <header className="app-header">
        <div className="app-header-row">
          <h1 className="app-title">Cowork Companion</h1>
        </div>
      </header>
      <main className="app-main">
        <CredentialNotice />
      </main>
    </div>
  );
}

export function App() {
  const connection = useCompanionStore((s) => s.connection);
  const hasSnapshot = useCompanionStore((s) => s.snapshot !== null);
  const pendingCount = useCompanionStore((s) => s.snapshot?.pending.length ?? 0);
  const [view, setView] = useState<View>('inbox');

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
    <Shell tabs={hasSnapshot && <ViewTabs view={view} pending={pendingCount} onChange={setView} />}>
      <DisconnectedBanner />
      <LiveAnnouncer />
      {!hasSnapshot ? (
        <p className="loading">Connecting to the companion…</p>
      ) : view === 'inbox' ? (
        <>
          <Inbox />
          <RecentDecisions />
        </>
      ) : (
        <SharedFolders />
      )}
    </Shell>
  );
}
