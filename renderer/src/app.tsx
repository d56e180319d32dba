// The window: header with connection and evidence state, then the Inbox (with recent decisions), the
// shared folders or the Evidence view.
import { useEffect, useState, type ReactNode } from 'react';
import { ConnectionStatus, DisconnectedBanner } from './components/connection-status.js';
import { CredentialNotice } from './components/credential-notice.js';
import { EvidenceChip } from './components/evidence-chip.js';
import { EvidenceView } from './components/evidence-view.js';
import { Inbox } from './components/inbox.js';
import { LiveAnnouncer } from './components/live-announcer.js';
import { RecentDecisions } from './components/recent-decisions.js';
import { SharedFolders } from './components/shared-folders.js';
import { ViewTabs, type View } from './components/view-tabs.js';
import { evidenceAttention } from './evidence-at-a-glance.js';
import { useCompanionStore } from './store/companion-store.js';

function Shell({ children, tabs, chip }: { children: ReactNode; tabs?: ReactNode; chip?: ReactNode }) {
  return (
    <div className="app">
      <header className="app-header">
        <div className="app-header-row">
          <h1 className="app-title">Cowork Companion</h1>
          <div className="app-header-status">
            {chip}
            <ConnectionStatus />
          </div>
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
  const attention = useCompanionStore((s) => (s.snapshot ? evidenceAttention(s.snapshot.evidence) : undefined));
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
    <Shell
      tabs={hasSnapshot && <ViewTabs view={view} pending={pendingCount} evidenceAttention={attention} onChange={setView} />}
      chip={<EvidenceChip onOpen={() => setView('evidence')} />}
    >
      <DisconnectedBanner />
      <LiveAnnouncer />
      {!hasSnapshot ? (
        <p className="loading">Connecting to the companion…</p>
      ) : view === 'inbox' ? (
        <>
          <Inbox />
          <RecentDecisions />
        </>
      ) : view === 'folders' ? (
        <SharedFolders />
      ) : (
        <EvidenceView />
      )}
    </Shell>
  );
}
