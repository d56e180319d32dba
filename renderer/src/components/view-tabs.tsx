// The views of the window. The Inbox count stays visible from the other views, so a request waiting
// is never hidden (and switching is always the person's choice, never automatic). The Evidence tab
// carries a badge when evidence needs a look (lost, rejected, journal nearly full, stuck waiting).
import type { ReactNode } from 'react';

export type View = 'inbox' | 'folders' | 'evidence';

export function ViewTabs({
  view,
  pending,
  evidenceAttention,
  onChange,
}: {
  view: View;
  pending: number;
  evidenceAttention?: 'warn' | 'danger';
  onChange(view: View): void;
}) {
  const tab = (id: View, label: string, marker?: ReactNode) => (
    <button type="button" className="tab" aria-current={view === id ? 'page' : undefined} onClick={() => onChange(id)}>
      {label}
      {marker}
    </button>
  );
  const pendingCount = pending ? (
    <>
      <span className="count" aria-hidden="true">
        {pending}
      </span>
      <span className="visually-hidden">, {pending} pending</span>
    </>
  ) : undefined;
  const attention = evidenceAttention ? (
    <>
      <span className={`attention tone-${evidenceAttention}`} aria-hidden="true">
        !
      </span>
      <span className="visually-hidden">, needs attention</span>
    </>
  ) : undefined;
  return (
    <nav className="tabs" aria-label="Views">
      {tab('inbox', 'Inbox', pendingCount)}
      {tab('folders', 'Shared folders')}
      {tab('evidence', 'Evidence', attention)}
    </nav>
  );
}
