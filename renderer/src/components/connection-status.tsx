// Connection state in words, so a frozen view is never mistaken for a quiet one.
import { useCompanionStore } from '../store/companion-store.js';

export function ConnectionStatus() {
  const connection = useCompanionStore((s) => s.connection);
  const label =
    connection === 'live' ? 'Connected' : connection === 'connecting' ? 'Connecting…' : connection === 'reconnecting' ? 'Reconnecting…' : 'Not authorised';
  return (
    <p className={`status status-${connection}`} role="status">
      <span className="status-dot" aria-hidden="true" />
      {label}
    </p>
  );
}

export function DisconnectedBanner() {
  const connection = useCompanionStore((s) => s.connection);
  if (connection !== 'reconnecting') return null;
  return (
    <div className="banner banner-warn">
      <strong>Disconnected — reconnecting…</strong> Answers are paused until the companion is back; what you see may be out of date.
    </div>
  );
}
