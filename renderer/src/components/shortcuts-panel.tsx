// The keyboard map, opened with "?" or the button next to the hint line. An inline panel, not a
// modal: it takes no focus and closes with "?", Esc inside it, or its Close button.
import type { KeyboardEvent } from 'react';
import { useI18n } from '../i18n/use-i18n.js';
import type { MessageKey } from '../i18n/translator.js';
import { SHORTCUT_KEYS, type ShortcutAction } from '../keyboard-shortcuts.js';
import { GRACE_MS } from '../use-grace-period.js';
import './shortcuts-panel.css';

const LABEL: Record<ShortcutAction, MessageKey> = {
  next: 'keys.next',
  previous: 'keys.previous',
  approve: 'keys.approve',
  'approve-run': 'keys.run',
  deny: 'keys.deny',
  hold: 'keys.hold',
  details: 'keys.details',
  help: 'keys.help',
};

export function ShortcutsPanel({ id, onClose }: { id: string; onClose(): void }) {
  const { t } = useI18n();
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
    }
  };
  return (
    <section id={id} className="keys-panel" aria-labelledby={`${id}-title`} onKeyDown={onKeyDown}>
      <div className="keys-panel-head">
        <h3 id={`${id}-title`} className="keys-panel-title">
          {t('keys.title')}
        </h3>
        <button type="button" className="btn btn-hold" onClick={onClose}>
          {t('keys.close')}
        </button>
      </div>
      <dl className="keys-list">
        {SHORTCUT_KEYS.map(({ action, keys }) => (
          <div key={action} className="keys-row">
            <dt>
              {keys.map((k, i) => (
                <span key={k}>
                  {i > 0 && ' / '}
                  <kbd>{k}</kbd>
                </span>
              ))}
            </dt>
            <dd>{t(LABEL[action])}</dd>
          </div>
        ))}
      </dl>
      <p className="field-hint">{t('keys.grace', { seconds: GRACE_MS / 1000 })}</p>
    </section>
  );
}
