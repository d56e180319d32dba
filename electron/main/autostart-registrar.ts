// Applies the start-at-login choice to the OS (see autostart-policy.ts for what each OS gets). Takes the
// Electron app as a parameter, so the glue runs under test with a stand-in. Failures are logged, never
// fatal: the app works without starting at login.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { App } from 'electron';
import { writeAtomic } from '../core/base/index.js';
import { autostartPlan, type AutostartTarget } from './autostart-policy.js';

export interface AutostartRegistrar {
  /** Registers (or removes) start at login; repeated calls with the same answer do nothing. */
  apply(enabled: boolean): void;
}

export function createAutostartRegistrar(app: Pick<App, 'setLoginItemSettings'>, target: AutostartTarget, log: (line: string) => void): AutostartRegistrar {
  let applied: boolean | undefined;
  return {
    apply(enabled) {
      if (applied === enabled) return;
      const plan = autostartPlan(enabled, target);
      try {
        if (plan.kind === 'login-item') app.setLoginItemSettings(plan.settings);
        else if (plan.content === undefined) rmSync(plan.file, { force: true });
        else {
          mkdirSync(dirname(plan.file), { recursive: true, mode: 0o700 });
          // Rewritten only when it differs (the executable moved, say): a temp file and a rename, never half an entry.
          if (!existsSync(plan.file) || readFileSync(plan.file, 'utf8') !== plan.content) writeAtomic(plan.file, plan.content);
        }
        applied = enabled;
      } catch (error) {
        log(`cowork-companion: cannot ${enabled ? 'register' : 'remove'} start at login: ${String((error as Error)?.message ?? error)}`);
      }
    },
  };
}
