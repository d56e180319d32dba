// Paths no agent may touch and no user may share: the companion's own data, agent configuration
// that could switch the companion off, and common secrets.
import { join } from 'node:path';

export interface ForbiddenEntry {
  path: string;
  reason: string;
  /** Canonical form, when known (computed by the scope service, refreshed every second). */
  canonical?: string;
}

export function builtInForbiddenPaths(home: string, dataDir: string, platform: NodeJS.Platform): ForbiddenEntry[] {
  const secrets = (rel: string, what: string): ForbiddenEntry => ({ path: join(home, rel), reason: what });
  const list: ForbiddenEntry[] = [
    { path: dataDir, reason: "Cowork Companion's own data (tokens, journal, settings)" },
    secrets('.claude/settings.json', 'agent configuration that could disable Cowork Companion'),
    secrets('.claude/settings.local.json', 'agent configuration that could disable Cowork Companion'),
    secrets('.claude.json', 'agent configuration that could disable Cowork Companion'),
    secrets('.ssh', 'SSH keys'),
    secrets('.aws', 'AWS credentials'),
    secrets('.gnupg', 'GnuPG keys'),
    secrets('.config/gcloud', 'Google Cloud credentials'),
    secrets('.azure', 'Azure credentials'),
    secrets('.kube', 'Kubernetes credentials'),
    secrets('.docker/config.json', 'registry credentials'),
    secrets('.netrc', 'network credentials'),
    secrets('.npmrc', 'npm credentials'),
  ];
  if (platform === 'darwin') {
    list.push(
      { path: '/Library/Application Support/ClaudeCode', reason: 'managed agent settings' },
      { path: '/Library/Application Support/CoworkCompanion', reason: 'Cowork Companion managed policy' },
      secrets('Library/Keychains', 'OS keychain'),
      secrets('Library/Application Support/Google/Chrome', 'browser profile'),
      secrets('Library/Application Support/Firefox', 'browser profile'),
      secrets('Library/Safari', 'browser profile'),
      secrets('Library/Cookies', 'browser cookies'),
    );
  } else if (platform === 'win32') {
    list.push(
      { path: 'C:\\ProgramData\\ClaudeCode', reason: 'managed agent settings' },
      { path: 'C:\\ProgramData\\CoworkCompanion', reason: 'Cowork Companion managed policy' },
      secrets('AppData\\Local\\Google\\Chrome\\User Data', 'browser profile'),
      secrets('AppData\\Roaming\\Mozilla\\Firefox', 'browser profile'),
      secrets('AppData\\Roaming\\Microsoft\\Credentials', 'OS credential store'),
    );
  } else {
    list.push(
      { path: '/etc/claude-code', reason: 'managed agent settings' },
      { path: '/etc/cowork-companion', reason: 'Cowork Companion managed policy' },
      secrets('.local/share/keyrings', 'OS keyring'),
      secrets('.config/google-chrome', 'browser profile'),
      secrets('.config/chromium', 'browser profile'),
      secrets('.mozilla', 'browser profile'),
    );
  }
  return list;
}

/** `.claude/settings*.json` in any folder: project settings can also remove the companion's hooks. */
export function isAgentSettingsFile(canonicalPath: string): boolean {
  const parts = canonicalPath.split(/[\\/]/);
  const name = parts.at(-1) ?? '';
  return parts.at(-2)?.toLowerCase() === '.claude' && /^settings.*\.json$/i.test(name);
}
