// Whether Bash commands the OS sandbox confines to the shared folders may run without asking: the
// person's choice, locked when IT's policy makes it. The core decides (and says why on each decision);
// this only asks it to change the mode.
import { useId } from 'react';
import { useI18n } from '../i18n/use-i18n.js';
import { useCompanionStore } from '../store/companion-store.js';
import { usePendingChoice } from '../use-pending-choice.js';
import { ErrorNote } from './error-note.js';
import { LockedBy } from './locked-by.js';

export function SandboxedBashToggle() {
  const { t } = useI18n();
  const setting = useCompanionStore((s) => s.snapshot?.settings.sandboxedBash);
  const enforced = useCompanionStore((s) => s.snapshot?.sandbox.state === 'enforced');
  const connected = useCompanionStore((s) => s.connection === 'live');
  const call = useCompanionStore((s) => s.call);
  const saved = setting?.mode === 'allow';
  const { pending, error, choose } = usePendingChoice(saved, (allow: boolean) => call('setSandboxedBash', { mode: allow ? 'allow' : 'ask' }));
  const hint = useId();
  if (!setting) return null;
  const locked = setting.source === 'policy';

  return (
    <div className="sandboxed-bash">
      <label className="sandboxed-bash-label">
        <input type="checkbox" checked={pending ?? saved} disabled={!connected || locked || pending !== undefined} aria-describedby={hint} onChange={(e) => void choose(e.target.checked)} />
        {t('folders.sandbox.allowBash')}
      </label>
      <p id={hint} className="field-hint">
        {locked ? <LockedBy policyKey={setting.policyKey ?? 'approvals.sandboxedBash'} /> : t(enforced ? 'folders.sandbox.allowBashHint' : 'folders.sandbox.allowBashInactive')}
      </p>
      <ErrorNote>{error}</ErrorNote>
    </div>
  );
}
