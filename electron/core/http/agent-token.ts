// The agent token: lets an agent's hook submit requests and wait. It never grants deciding.
// Stored user-only (0600) so other local users cannot submit on this user's behalf.
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { AGENT_TOKEN_FILE } from '../../../shared/agent-files.js';

export { AGENT_ENDPOINT_FILE, AGENT_TOKEN_FILE } from '../../../shared/agent-files.js';

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function loadOrCreateAgentToken(dataDir: string): { token: string; file: string } {
  const file = join(dataDir, AGENT_TOKEN_FILE);
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

