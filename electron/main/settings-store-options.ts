// electron-store options equal to the headless `conf` store's, so both modes read one settings file.
import { SETTINGS_STORE_OPTIONS } from '../core/settings/index.js';

/**
 * electron-store ignores `configName` (it always derives it from `name`, default "config"), so the
 * shared options' configName is passed as `name`, and `cwd` is always the absolute data folder.
 */
export function electronStoreOptions(dataDir: string) {
  const { configName, ...rest } = SETTINGS_STORE_OPTIONS;
  return { ...rest, name: configName, cwd: dataDir };
}
