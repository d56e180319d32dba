// Paths no agent may touch and no user may share: the companion's own data, agent configuration
// that could switch the companion off, and common secrets.
import { join } from 'node:path';

export interface ForbiddenEntry {
  path: string;
  reason: string;
  /** Canonical form, when known (computed by the scope service, refreshed every second). */
  canonical?: string;
}

/** Per OS: where IT's agent settings and our managed policy live, and secret stores below home. */
const PER_OS: Record<'darwin' | 'win32' | 'other', { agentSettings: string; policy: string; secrets: [string, string][] }> = {
  darwin: {
    agentSettings: '/Library/Application Support/ClaudeCode',
    policy: '/Library/Application Support/CoworkCompanion',
    secrets: [
      ['Library/Keychains', 'OS keychain'],
      ['Library/Application Support/Google/Chrome', 'browser profile'],
      ['Library/Application Support/Firefox', 'browser profile'],
      ['Library/Safari', 'browser profile'],
      ['Library/Cookies', 'browser cookies'],
    ],
  },
  win32: {
    agentSettings: 'C:\\ProgramData\\ClaudeCode',
    policy: 'C:\\ProgramData\\CoworkCompanion',
    secrets: [
      ['AppData\\Local\\Google\\Chrome\\User Data', 'browser profile'],
      ['AppData\\Roaming\\Mozilla\\Firefox', 'browser profile'],
      ['AppData\\Roaming\\Microsoft\\Credentials', 'OS credential store'],
    ],
  },
  other: {
    agentSettings: '/etc/claude-code',
    policy: '/etc/cowork-companion',
    secrets: [
      ['.local/share/keyrings', 'OS keyring'],
      ['.config/google-chrome', 'browser profile'],
      ['.config/chromium', 'browser profile'],
      ['.mozilla', 'browser profile'],
    ],
  },
};

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
  const os = PER_OS[platform === 'darwin' || platform === 'win32' ? platform : 'other'];
  list.push(
    { path: os.agentSettings, reason: 'managed agent settings' },
    { path: os.policy, reason: 'Cowork Companion managed policy' },
    ...os.secrets.map(([rel, what]) => secrets(rel, what)),
  );
  return list;
}

/** `.claude/settings*.json` in any folder: project settings can also remove the companion's hooks. */
export function isAgentSettingsFile(canonicalPath: string): boolean {
  const parts = canonicalPath.split(/[\\/]/);
  const name = parts.at(-1) ?? '';
  return parts.at(-2)?.toLowerCase() === '.claude' && /^settings.*\.json$/i.test(name);
}
