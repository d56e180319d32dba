// The agent token: lets an agent's hook submit requests and wait. It never grants deciding.
// Stored user-only (0600) so other local users cannot submit on this user's behalf.
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SealedStatePort } from '../base/index.js';

import { AGENT_TOKEN_FILE } from '../../../shared/agent-files.js';

export { AGENT_ENDPOINT_FILE, AGENT_TOKEN_FILE } from '../../../shared/agent-files.js';

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The agent token, made once. `sealed` (the running core, and commands that open its services): the
 * file is checked against its integrity seal, and a token replaced behind the core's back is put back,
 * or — where the seal cannot vouch for it — replaced by a new one (each is reported by the seal).
 */
export function loadOrCreateAgentToken(dataDir: string, sealed?: SealedStatePort): { token: string; file: string } {
  const file = join(dataDir, AGENT_TOKEN_FILE);
  if (sealed) {
    const stored = sealed.read()?.trim();
    if (stored !== undefined && stored.length >= 32) return { token: stored, file };
    const token = newSecret();
    sealed.write(`${token}\n`);
    return { token, file };
  }
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 32) {
      if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
      return { token, file };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const token = newSecret();
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  if (process.platform !== 'win32') chmodSync(file, 0o600);
  return { token, file };
}

