// How long the agent will still wait and what happens then (denied, or held when the policy says so),
// or, once held, until when the hold lasts; ticking on the shared clock: a tick redraws this line
// only. Said in words, never by the countdown alone.
import { formatTimeLeft, formatWallTime } from '../format-time.js';
import { useI18n } from '../i18n/use-i18n.js';
import { useServerNow } from '../use-server-now.js';
import './card-deadline.css';

export function CardDeadline({ expiresAt, agentWaiting, onTimeout, heldUntil }: { expiresAt: string; agentWaiting: boolean; onTimeout?: 'deny' | 'hold'; heldUntil?: string }) {
  const i18n = useI18n();
  const now = useServerNow();
  if (heldUntil) return <span className="card-deadline is-held">{i18n.t('card.heldUntil', { time: formatWallTime(Date.parse(heldUntil), now, i18n) })}</span>;
  const timeLeft = agentWaiting ? formatTimeLeft(Date.parse(expiresAt), now, i18n, onTimeout) : undefined;
  return <span className={`card-deadline${timeLeft ? '' : ' is-expired'}`}>{timeLeft ?? i18n.t('card.agentStopped')}</span>;
}
