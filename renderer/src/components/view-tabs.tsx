// The two views of the window. The Inbox count stays visible from the other view, so a request
// waiting is never hidden (and switching is always the person's choice, never automatic).
export type View = 'inbox' | 'folders';

export function ViewTabs({ view, pending, onChange }: { view: View; pending: number; onChange(view: View): void }) {
  const tab = (id: View, label: string, count?: number) => (
    <button type="button" className="tab" aria-current={view === id ? 'page' : undefined} onClick={() => onChange(id)}>
      {label}
      {count ? (
        <>
          <span className="count" aria-hidden="true">
            {count}
          </span>
          <span className="visually-hidden">, {count} pending</span>
        </>
      ) : null}
    </button>
  );
  return (
    <nav className="tabs" aria-label="Views">
      {tab('inbox', 'Inbox', pending)}
      {tab('folders', 'Shared folders')}
    </nav>
  );
}
