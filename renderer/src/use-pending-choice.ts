// A setting the core keeps, changed optimistically: the person's choice shows at once (`pending`) and
// holds until the core's snapshot says it is saved; a refused call drops it and says why (`error`).
// While a choice is pending its control stays disabled, so one change is in flight at a time.
import { useEffect, useState } from 'react';

export interface PendingChoice<T> {
  /** The choice being saved; undefined when none is. */
  pending: T | undefined;
  /** Why the last change was refused. */
  error: string | undefined;
  choose: (value: T) => Promise<void>;
}

/** `saved`: the value in the core's snapshot; `save`: the call that asks the core to change it. */
export function usePendingChoice<T>(saved: T | undefined, save: (value: T) => Promise<unknown>): PendingChoice<T> {
  const [pending, setPending] = useState<T>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (pending !== undefined && saved === pending) setPending(undefined);
  }, [saved, pending]);

  const choose = async (value: T) => {
    setPending(() => value);
    setError(undefined);
    try {
      await save(value);
    } catch (e) {
      setPending(undefined);
      setError((e as Error).message);
    }
  };
  return { pending, error, choose };
}
