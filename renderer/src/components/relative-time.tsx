// "4 minutes ago" in the chosen language (Intl.RelativeTimeFormat), ticking on the shared clock:
// a tick redraws this text only. `format` puts it into a sentence.
import { useI18n } from '../i18n/use-i18n.js';
import { useServerNow } from '../use-server-now.js';

export function RelativeTime({ ms, format = (text) => text }: { ms: number; format?: (relative: string) => string }) {
  const i18n = useI18n();
  const now = useServerNow();
  return <>{format(i18n.relative(ms, now))}</>;
}
