// Whether the tray app starts at login: the person's choice, unless IT's policy decides it (then shown
// locked, with the policy key). The core keeps the choice and the desktop app registers it with the OS;
// the headless companion cannot start at login, so there it is shown off-limits, not hidden.
import { useId } from 'react';
import { useI18n } from '../i18n/use-i18n.js';
import { useCompanionStore } from '../store/companion-store.js';
import { usePendingChoice } from '../use-pending-choice.js';
import { ErrorNote } from './error-note.js';
import { LockedBy } from './locked-by.js';
import './start-at-login-toggle.css';

export function StartAtLoginToggle() {
  const { t } = useI18n();
  const setting = useCompanionStore((s) => s.snapshot?.settings.startAtLogin);
  const connected = useCompanionStore((s) => s.connection === 'live');
  const call = useCompanionStore((s) => s.call);
  const { pending, error, choose } = usePendingChoice(setting?.value, (enabled: boolean) => call('setStartAtLogin', { enabled }));
  const hint = useId();
  if (!setting) return null;
  const locked = setting.source === 'policy';

  return (
    <div className="evidence-card panel" data-testid="start-at-login">
      <label className="start-at-login-label">
        <input
          type="checkbox"
          checked={pending ?? setting.value}
          disabled={!connected || locked || !setting.available || pending !== undefined}
          aria-describedby={hint}
          onChange={(e) => void choose(e.target.checked)}
        />
        {t('settings.startAtLogin')}
      </label>
      <p id={hint} className="field-hint">
        {locked ? <LockedBy policyKey="autostart" /> : t(setting.available ? 'settings.startAtLogin.hint' : 'settings.startAtLogin.unavailable')}
      </p>
      <ErrorNote>{error}</ErrorNote>
    </div>
  );
}
