// Connection state in words, so a frozen view is never mistaken for a quiet one.
import { useI18n } from '../i18n/use-i18n.js';
import { useCompanionStore } from '../store/companion-store.js';
import './connection-status.css';

export function ConnectionStatus() {
  const { t } = useI18n();
  const connection = useCompanionStore((s) => s.connection);
  const label =
    connection === 'live'
      ? t('connection.live')
      : connection === 'connecting'
        ? t('connection.connecting')
        : connection === 'reconnecting'
          ? t('connection.reconnecting')
          : t('connection.rejected');
  return (
    <p className={`status status-${connection}`} role="status">
      <span className="status-dot" aria-hidden="true" />
      {label}
    </p>
  );
}

export function DisconnectedBanner() {
  const { t } = useI18n();
  const connection = useCompanionStore((s) => s.connection);
  if (connection !== 'reconnecting') return null;
  return (
    <div className="banner banner-warn">
      <strong>{t('connection.lostTitle')}</strong> {t('connection.lostBody')}
    </div>
  );
}
