// The key that tags the core's state files and journal lines, so a change the core did not make is
// detected. Where the OS offers a keystore (Electron's safeStorage: the macOS Keychain, DPAPI on
// Windows, libsecret on Linux desktops) the key file holds only the encrypted key, and another
// process of the user cannot read it silently. Elsewhere (headless `serve`) it is a user-only file:
// that detects edits by anything that does not read it first — docs/security.md says where that ends.
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { secretsEqual, writeAtomic, type TagKey } from '../base/index.js';

export const INTEGRITY_KEY_FILE = 'integrity-key';

/** The shape of Electron's `safeStorage` (only the parts used). */
export interface KeyProtector {
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export type KeyProtection = 'os-keystore' | 'user-file';

const KeyFileSchema = z.object({ v: z.literal(1), protection: z.enum(['os-keystore', 'user-file']), key: z.string().min(1) });

/** The key as a worker thread of this process is given it (workerData: a copy in memory, never a
 *  file or the environment). The OS keystore cannot be asked from a worker, so it is the key itself. */
export interface SharedIntegrityKey {
  secret: Uint8Array;
  protection: KeyProtection;
}

export class IntegrityKey implements TagKey {
  constructor(
    private readonly secret: Buffer,
    readonly protection: KeyProtection,
  ) {}

  static fromShared(shared: SharedIntegrityKey): IntegrityKey {
    if (shared.secret.length !== 32) throw new Error('the shared integrity key has the wrong length');
    return new IntegrityKey(Buffer.from(shared.secret), shared.protection);
  }

  /** For a worker thread of this process only (see SharedIntegrityKey). */
  share(): SharedIntegrityKey {
    return { secret: new Uint8Array(this.secret), protection: this.protection };
  }

  /** HMAC-SHA256 over the parts, each ended by a NUL so that no two part lists tag alike. */
  tag(...parts: ReadonlyArray<string | Buffer>): string {
    const hmac = createHmac('sha256', this.secret);
    for (const part of parts) hmac.update(part).update('\0');
    return hmac.digest('base64url');
  }

  /** Constant-time check of a tag made by `tag(...parts)`. */
  verifies(tag: string, ...parts: ReadonlyArray<string | Buffer>): boolean {
    return secretsEqual(tag, this.tag(...parts));
  }
}

export interface LoadedIntegrityKey {
  key: IntegrityKey;
  /** The key file's text (what a running core keeps in place). */
  fileText: string;
  /** No key existed: nothing the core wrote before can be verified (first start, or the key was removed). */
  created: boolean;
  /** Why an existing key file could not be used (it was then replaced). */
  problem?: string;
}

export function loadOrCreateIntegrityKey(dataDir: string, protector?: KeyProtector): LoadedIntegrityKey {
  const file = join(dataDir, INTEGRITY_KEY_FILE);
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  let problem: string | undefined;
  if (text !== undefined) {
    const stored = parseKeyFile(text);
    if (!stored) problem = 'the integrity key file is damaged';
    else if (stored.protection === 'user-file' && protector) {
      // Where the OS keystore is at hand, a plain key is one anybody could have written (the agent
      // cannot read the real one, but it can replace it): not taken, and nothing sealed with it is.
      problem = 'the integrity key was a plain file where the OS keystore should hold it';
    } else if (stored.protection === 'os-keystore' && !protector) {
      // Replacing it would make everything the desktop app wrote look forged: refuse instead.
      throw new Error(
        `the data folder's integrity key is held in the OS keystore by the desktop app, which this process cannot use; run the desktop app, or give this process its own data folder (--data-dir)`,
      );
    } else {
      try {
        const secret = stored.protection === 'os-keystore' ? Buffer.from(protector!.decryptString(Buffer.from(stored.key, 'base64')), 'base64') : Buffer.from(stored.key, 'base64');
        if (secret.length === 32) return { key: new IntegrityKey(secret, stored.protection), fileText: text, created: false };
        problem = 'the integrity key has the wrong length';
      } catch (error) {
        problem = `the integrity key cannot be decrypted (${(error as Error).message})`;
      }
    }
  }
  const secret = randomBytes(32);
  const protection: KeyProtection = protector ? 'os-keystore' : 'user-file';
  const key = protector ? protector.encryptString(secret.toString('base64')).toString('base64') : secret.toString('base64');
  const fileText = `${JSON.stringify({ v: 1, protection, key })}\n`;
  writeAtomic(file, fileText);
  return { key: new IntegrityKey(secret, protection), fileText, created: true, ...(problem ? { problem } : {}) };
}

function parseKeyFile(text: string): z.infer<typeof KeyFileSchema> | undefined {
  try {
    const parsed = KeyFileSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
