// "12 s ago" for a card's arrival, ticking on the shared clock.
import { formatAge } from '../format-time.js';
import { useI18n } from '../i18n/use-i18n.js';
import { useServerNow } from '../use-server-now.js';

export function TimeAgo({ iso }: { iso: string }) {
  const i18n = useI18n();
  const now = useServerNow();
  return <time dateTime={iso}>{formatAge(Date.parse(iso), now, i18n)}</time>;
}
