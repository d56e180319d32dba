// Input meant for something else (a click or key already on its way) must not answer a card that
// just appeared or moved under the pointer. True while input is ignored; re-arms whenever `key` changes.
import { useEffect, useState } from 'react';

export const GRACE_MS = 700;

export function useGracePeriod(key: string, ms = GRACE_MS): boolean {
  const [settledKey, setSettledKey] = useState<string | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setSettledKey(key), ms);
    return () => clearTimeout(timer);
  }, [key, ms]);
  return settledKey !== key;
}
