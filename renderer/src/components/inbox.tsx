// The pending approvals, in a stable order: new requests go to the end, never above the card
// being read. When a decided card leaves, focus moves to the card that takes its place.
import { useEffect, useRef, useState } from 'react';
import { useCompanionStore } from '../store/companion-store.js';
import { useNow } from '../use-now.js';
import { ApprovalCard } from './approval-card.js';

export function Inbox() {
  const snapshot = useCompanionStore((s) => s.snapshot);
  const order = useCompanionStore((s) => s.order);
  const busy = useCompanionStore((s) => s.busy);
  const errors = useCompanionStore((s) => s.errors);
  const offset = useCompanionStore((s) => s.clockOffsetMs);
  const connected = useCompanionStore((s) => s.connection === 'live');
  const decide = useCompanionStore((s) => s.decide);
  const now = useNow() + offset;

  const list = useRef<HTMLOListElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const [focused, setFocused] = useState<{ id: string; index: number } | null>(null);

  useEffect(() => {
    if (!focused || order.includes(focused.id)) return;
    const active = document.activeElement;
    if (active && active !== document.body) return;
    const cards = list.current?.querySelectorAll<HTMLElement>('article[data-approval-id]');
    const next = cards?.[Math.min(focused.index, cards.length - 1)];
    // The card itself, not a button: a stray Enter must not answer the next request.
    (next ?? heading.current)?.focus();
    setFocused(null);
  }, [order, focused]);

  if (!snapshot) return null;
  const byId = new Map(snapshot.pending.map((p) => [p.id, p]));
  const items = order.flatMap((id) => byId.get(id) ?? []);

  return (
    <section className="inbox" aria-labelledby="inbox-title">
      <h2 id="inbox-title" className="section-title" ref={heading} tabIndex={-1}>
        Pending approvals
      </h2>
      {items.length === 0 ? (
        <div className="empty">
          <p className="empty-title">No pending approvals</p>
          <p className="empty-hint">When the agent asks to do something, it will show up here.</p>
        </div>
      ) : (
        <ol
          className="cards"
          ref={list}
          onFocus={(e) => {
            const card = (e.target as HTMLElement).closest<HTMLElement>('article[data-approval-id]');
            const id = card?.dataset.approvalId;
            if (id) setFocused({ id, index: order.indexOf(id) });
          }}
        >
          {items.map((item, index) => (
            <li key={item.id}>
              <ApprovalCard
                item={item}
                index={index}
                now={now}
                busy={busy[item.id]}
                error={errors[item.id]}
                connected={connected}
                onDecide={(decision, reason) => void decide(decision, item, reason)}
              />
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
