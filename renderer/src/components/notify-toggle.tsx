// "Notify me": asks the browser for permission only when pressed (a user gesture), then notifies
// about new requests while the tab is hidden. State is in words and aria-pressed, not colour alone.
import { useState } from 'react';
import { useI18n } from '../i18n/use-i18n.js';

export function NotifyToggle({ enabled, onChange }: { enabled: boolean; onChange(enabled: boolean): void }) {
  const { t } = useI18n();
  const [permission, setPermission] = useState<NotificationPermission>(() => Notification.permission);
  const blocked = permission === 'denied';
  const on = enabled && permission === 'granted';

  const toggle = async () => {
    if (on) {
      onChange(false);
      return;
    }
    let next = Notification.permission;
    if (next === 'default') next = await Notification.requestPermission();
    setPermission(next);
    onChange(next === 'granted');
  };

  return (
    <button
      type="button"
      className={`header-toggle pill${on ? ' is-on' : ''}`}
      aria-pressed={on}
      aria-label={t('notify.toggle')}
      aria-disabled={blocked || undefined}
      title={blocked ? t('notify.blocked') : on ? t('notify.tooltipOn') : t('notify.tooltipOff')}
      onClick={() => {
        if (!blocked) void toggle();
      }}
    >
      <span aria-hidden="true" className="toggle-mark">{on ? '✓' : '○'}</span>
      <span className="narrow-label">{t('notify.toggle')}</span>
    </button>
  );
}
