// The views of the window. The Inbox count stays visible from the other views, so a request waiting
// is never hidden (and switching is always the person's choice, never automatic). The Evidence tab
// carries a badge when evidence needs a look (lost, rejected, journal nearly full, stuck waiting).
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/use-i18n.js';
import type { MessageKey } from '../i18n/translator.js';
import './view-tabs.css';

export type View = 'inbox' | 'rules' | 'folders' | 'runs' | 'evidence' | 'settings' | 'timeline';

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
  const { t } = useI18n();
  const tab = (id: View, label: MessageKey, marker?: ReactNode) => (
    <button type="button" className="tab" aria-current={view === id ? 'page' : undefined} onClick={() => onChange(id)}>
      {t(label)}
      {marker}
    </button>
  );
  const pendingCount = pending ? (
    <>
      <span className="count tab-mark" aria-hidden="true">
        {pending}
      </span>
      <span className="visually-hidden">{t('tabs.pending', { count: pending })}</span>
    </>
  ) : undefined;
  const attention = evidenceAttention ? (
    <>
      <span className={`attention tab-mark tone-${evidenceAttention}`} aria-hidden="true">
        !
      </span>
      <span className="visually-hidden">{t('tabs.attention')}</span>
    </>
  ) : undefined;
  return (
    <nav className="tabs" aria-label={t('tabs.label')}>
      {tab('inbox', 'tabs.inbox', pendingCount)}
      {tab('rules', 'tabs.rules')}
      {tab('folders', 'tabs.folders')}
      {tab('runs', 'tabs.runs')}
      {tab('timeline', 'tabs.timeline')}
      {tab('evidence', 'tabs.evidence', attention)}
    </nav>
  );
}
