// Whether Bash commands the OS sandbox confines to the shared folders may run without asking: the
// person's choice, locked when IT's policy makes it. The core decides (and says why on each decision);
// this only asks it to change the mode.
import { useEffect, useId, useState } from 'react';
import { useI18n } from '../i18n/use-i18n.js';
import { useCompanionStore } from '../store/companion-store.js';
import { ErrorNote } from './error-note.js';
import { LockedBy } from './locked-by.js';

export function SandboxedBashToggle() {
  const { t } = useI18n();
  const setting = useCompanionStore((s) => s.snapshot?.settings.sandboxedBash);
  const enforced = useCompanionStore((s) => s.snapshot?.sandbox.state === 'enforced');
  const connected = useCompanionStore((s) => s.connection === 'live');
  const call = useCompanionStore((s) => s.call);
  // The choice shows at once; it holds when the core's snapshot says so.
  const [pending, setPending] = useState<boolean>();
  const [error, setError] = useState<string>();
  const hint = useId();
  const saved = setting?.mode === 'allow';
  useEffect(() => {
    if (pending !== undefined && saved === pending) setPending(undefined);
  }, [saved, pending]);
  if (!setting) return null;
  const locked = setting.source === 'policy';

  const toggle = async (allow: boolean) => {
    setPending(allow);
    setError(undefined);
    try {
      await call('setSandboxedBash', { mode: allow ? 'allow' : 'ask' });
    } catch (e) {
      setPending(undefined);
      setError((e as Error).message);
    }
  };

  return (
    <div className="sandboxed-bash">
      <label className="sandboxed-bash-label">
        <input type="checkbox" checked={pending ?? saved} disabled={!connected || locked || pending !== undefined} aria-describedby={hint} onChange={(e) => void toggle(e.target.checked)} />
        {t('folders.sandbox.allowBash')}
      </label>
      <p id={hint} className="field-hint">
        {locked ? <LockedBy policyKey={setting.policyKey ?? 'approvals.sandboxedBash'} /> : t(enforced ? 'folders.sandbox.allowBashHint' : 'folders.sandbox.allowBashInactive')}
      </p>
      <ErrorNote>{error}</ErrorNote>
    </div>
  );
}
