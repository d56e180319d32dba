// Which OS keystore guards the integrity key: Electron's safeStorage when it is backed by one
// (Keychain on macOS, DPAPI on Windows, libsecret/KWallet on Linux). On Linux without a secret
// service safeStorage falls back to a hard-coded password ('basic_text'), which protects nothing:
// the key then stays a user-only file, as in headless mode, and says so.
import type { SafeStorage } from 'electron';
import type { KeyProtector } from '../core/integrity/index.js';

export function keyProtectorFor(safeStorage: Pick<SafeStorage, 'isEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptString' | 'decryptString'>, platform: NodeJS.Platform): KeyProtector | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  if (platform === 'linux' && ['basic_text', 'unknown'].includes(safeStorage.getSelectedStorageBackend())) return undefined;
  return { encryptString: (plain) => safeStorage.encryptString(plain), decryptString: (encrypted) => safeStorage.decryptString(encrypted) };
}
