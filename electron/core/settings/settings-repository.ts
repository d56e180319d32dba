// Settings on `conf` (plain Node) or electron-store (Electron) — same options, same file.
import Conf from 'conf';
import { z } from 'zod';
import { SharedFolderSchema, type SharedFolder } from '../../../shared/scope-contract.js';
import type { SettingsStorePort } from '../app/companion-core-types.js';

export interface Settings {
  /** How long a PreToolUse/PermissionRequest hook waits for a person (ms). Keep below the hook timeout. */
  decisionBudgetMs: number;
  /** Port of the loopback server; 0 picks a free one. */
  port: number;
}

export const DEFAULT_SETTINGS: Settings = { decisionBudgetMs: 285_000, port: 47615 };

export const SETTINGS_STORE_OPTIONS = {
  configName: 'settings',
  projectVersion: '0.2.0',
  clearInvalidConfig: false,
  configFileMode: 0o600,
  schema: {
    decisionBudgetMs: { type: 'integer', minimum: 1_000, maximum: 3_600_000, default: DEFAULT_SETTINGS.decisionBudgetMs },
    port: { type: 'integer', minimum: 0, maximum: 65_535, default: DEFAULT_SETTINGS.port },
    sharedFolders: { type: 'array', default: [], items: { type: 'object' } },
    rules: { type: 'array', default: [], items: { type: 'object' } },
    language: { type: 'string', enum: ['en', 'id', 'ja'], default: 'en' },
  },
  migrations: {
    // 0.2.0: shared folders arrive; earlier files have none.
    '0.2.0': (store: { has(key: string): boolean; set(key: string, value: unknown): void }) => {
      if (!store.has('sharedFolders')) store.set('sharedFolders', []);
    },
  },
} as const;

export function openConfStore(dataDir: string): SettingsStorePort {
  return new Conf<Record<string, unknown>>({ ...SETTINGS_STORE_OPTIONS, projectName: 'cowork-companion', cwd: dataDir });
}

export class SettingsRepository {
  constructor(private readonly store: SettingsStorePort) {}

  read(): Settings {
    return {
      decisionBudgetMs: this.number('decisionBudgetMs', DEFAULT_SETTINGS.decisionBudgetMs),
      port: this.number('port', DEFAULT_SETTINGS.port),
    };
  }

  update(patch: Partial<Settings>): Settings {
    for (const [key, value] of Object.entries(patch)) this.store.set(key, value);
    return this.read();
  }

  /** Shared folders; entries that fail validation are skipped and reported, never guessed. */
  readSharedFolders(): { folders: SharedFolder[]; invalid: number } {
    const raw = this.store.get('sharedFolders');
    const list = Array.isArray(raw) ? raw : [];
    const folders: SharedFolder[] = [];
    for (const entry of list) {
      const parsed = SharedFolderSchema.safeParse(entry);
      if (parsed.success) folders.push(parsed.data);
    }
    return { folders, invalid: list.length - folders.length };
  }

  writeSharedFolders(folders: SharedFolder[]): void {
    this.store.set('sharedFolders', z.array(SharedFolderSchema).parse(folders));
  }

  get file(): string {
    return this.store.path;
  }

  private number(key: keyof Settings, fallback: number): number {
    const v = this.store.get(key);
    return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
  }
}
