// Every setting a person makes, in one place: on `conf` (plain Node) or electron-store (Electron) —
// same options, same file. Writes are validated against the contract's schemas; each change, ours or
// another process's (`cowork-companion scope add` writes the same file), is announced to listeners.
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Conf from 'conf';
import { z } from 'zod';
import { EscalationRuleSchema, EscalationRulesSchema, type EscalationRule } from '../../../shared/escalation-contract.js';
import { SharedFolderSchema, type SharedFolder } from '../../../shared/scope-contract.js';
import { LanguageSchema, RuleSchema, SandboxedBashModeSchema, type Language, type Rule, type SandboxedBashMode } from '../../../shared/ui-contract.js';
import type { SealPort, SettingsStorePort } from '../base/index.js';

export interface Settings {
  /** How long a PreToolUse/PermissionRequest hook waits for a person (ms). Keep below the hook timeout. */
  decisionBudgetMs: number;
  /** Port of the loopback server; 0 picks a free one. */
  port: number;
  /** How many days of history (recent decisions, runs, alerts) are rebuilt from the journal at start. */
  historyDays: number;
}

export const DEFAULT_SETTINGS: Settings = { decisionBudgetMs: 285_000, port: 47615, historyDays: 7 };

export const SETTINGS_STORE_OPTIONS = {
  configName: 'settings',
  projectVersion: '0.2.0',
  clearInvalidConfig: false,
  configFileMode: 0o600,
  schema: {
    decisionBudgetMs: { type: 'integer', minimum: 1_000, maximum: 3_600_000, default: DEFAULT_SETTINGS.decisionBudgetMs },
    port: { type: 'integer', minimum: 0, maximum: 65_535, default: DEFAULT_SETTINGS.port },
    historyDays: { type: 'integer', minimum: 0, maximum: 3650, default: DEFAULT_SETTINGS.historyDays },
    sharedFolders: { type: 'array', default: [], items: { type: 'object' } },
    rules: { type: 'array', default: [], items: { type: 'object' } },
    escalationRules: { type: 'array', default: [], items: { type: 'object' } },
    // No default: until the person picks one, the window follows the browser's / OS language.
    language: { type: 'string', enum: ['en', 'id', 'ja'] },
    sandboxedBash: { type: 'string', enum: ['ask', 'allow'] },
    // No default: unset, the start-at-login rule (start-at-login-policy.ts) decides.
    startAtLogin: { type: 'boolean' },
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

/** 'external': another holder of the key (a one-shot `scope` command) changed the file; 'refused':
 *  someone else did, and the change was undone (or, without a seal to restore, is not trusted). */
/** The port in a data folder's settings, read without opening the store (conf writes as it opens):
 *  for one-shot commands that only need to know where the companion listens. */
export function configuredPort(dataDir: string): number {
  try {
    const port = (JSON.parse(readFileSync(join(dataDir, `${SETTINGS_STORE_OPTIONS.configName}.json`), 'utf8')) as { port?: unknown } | null)?.port;
    return Number.isInteger(port) && (port as number) >= 0 && (port as number) <= 65535 ? (port as number) : DEFAULT_SETTINGS.port;
  } catch {
    return DEFAULT_SETTINGS.port;
  }
}

export type SettingsChange = 'sharedFolders' | 'rules' | 'escalationRules' | 'language' | 'sandboxedBash' | 'startAtLogin' | 'external' | 'refused';

const SharedFoldersSchema = z.array(SharedFolderSchema);
const RulesSchema = z.array(RuleSchema);

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export class SettingsRepository {
  private readonly listeners = new Set<(change: SettingsChange) => void>();
  private watcher: FSWatcher | undefined;
  private debounce: NodeJS.Timeout | undefined;
  /** What the file held after our last write or report: a watcher event with the same bytes is ours. */
  private known: string | undefined;
  /** The store as last read, while the file is watched (conf reads, parses and validates the whole
   *  file on every get; a decision reads settings several times). Dropped on every write and change. */
  private cached: Record<string, unknown> | undefined;

  /** `seal`: the file's integrity seal (absent in tests and the bench, which need no tamper checks). */
  constructor(
    private readonly store: SettingsStorePort,
    private readonly seal?: SealPort,
  ) {}

  read(): Settings {
    return {
      decisionBudgetMs: this.number('decisionBudgetMs', DEFAULT_SETTINGS.decisionBudgetMs),
      port: this.number('port', DEFAULT_SETTINGS.port),
      historyDays: this.number('historyDays', DEFAULT_SETTINGS.historyDays),
    };
  }

  /** Shared folders; entries that fail validation are skipped and reported, never guessed. */
  readSharedFolders(): { folders: SharedFolder[]; invalid: number } {
    const raw = this.get('sharedFolders');
    const list = Array.isArray(raw) ? raw : [];
    const folders: SharedFolder[] = [];
    for (const entry of list) {
      const parsed = SharedFolderSchema.safeParse(entry);
      if (parsed.success) folders.push(parsed.data);
    }
    return { folders, invalid: list.length - folders.length };
  }

  writeSharedFolders(folders: SharedFolder[]): void {
    this.write('sharedFolders', SharedFoldersSchema.parse(folders));
  }

  /** The person's saved rules (IT's are not stored here). A damaged entry is skipped and counted, the
   *  others kept: dropping the whole list would also drop the person's deny and ask rules, which would
   *  loosen what they decided. */
  readRules(): { rules: Rule[]; invalid: number } {
    const stored: unknown = this.get('rules') ?? [];
    if (!Array.isArray(stored)) return { rules: [], invalid: 1 };
    const rules = stored.flatMap((entry: unknown) => {
      const parsed = RuleSchema.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    });
    return { rules, invalid: stored.length - rules.length };
  }

  writeRules(rules: Rule[]): void {
    this.write('rules', RulesSchema.parse(rules));
  }

  /** The person's own escalation rules (IT's are in the policy). A damaged entry is skipped: each
   *  rule only tightens, so keeping the others is the safe side. */
  readEscalationRules(): EscalationRule[] {
    const stored: unknown = this.get('escalationRules') ?? [];
    if (!Array.isArray(stored)) return [];
    return stored.flatMap((entry: unknown) => {
      const parsed = EscalationRuleSchema.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    });
  }

  writeEscalationRules(rules: EscalationRule[]): void {
    this.write('escalationRules', EscalationRulesSchema.parse(rules));
  }

  /** The language the person chose; undefined when they chose none (or the value is damaged). */
  language(): Language | undefined {
    const parsed = LanguageSchema.safeParse(this.get('language'));
    return parsed.success ? parsed.data : undefined;
  }

  setLanguage(language: Language): void {
    this.write('language', LanguageSchema.parse(language));
  }

  /** The person's choice for sandboxed Bash commands; undefined when they made none. */
  sandboxedBash(): SandboxedBashMode | undefined {
    const parsed = SandboxedBashModeSchema.safeParse(this.get('sandboxedBash'));
    return parsed.success ? parsed.data : undefined;
  }

  setSandboxedBash(mode: SandboxedBashMode): void {
    this.write('sandboxedBash', SandboxedBashModeSchema.parse(mode));
  }

  /** The person's choice to start the tray app at login; undefined when they made none. */
  startAtLogin(): boolean | undefined {
    const value = this.get('startAtLogin');
    return typeof value === 'boolean' ? value : undefined;
  }

  setStartAtLogin(enabled: boolean): void {
    this.write('startAtLogin', z.boolean().parse(enabled));
  }

  get file(): string {
    return this.store.path;
  }

  onChange(listener: (change: SettingsChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Reports changes other processes make to the settings file. The folder is watched (atomic writes
   * replace the file), events are gathered for 50 ms, and a file holding what we last wrote is ours.
   */
  watchExternalChanges(): void {
    if (this.watcher) return;
    this.known = readText(this.file);
    const name = basename(this.file);
    try {
      this.watcher = watch(dirname(this.file), { persistent: false }, (_event, changed) => {
        if (changed !== null && changed !== name) return;
        this.cached = undefined;
        clearTimeout(this.debounce);
        this.debounce = setTimeout(() => this.checkExternal(), 50);
      });
      this.watcher.on('error', () => this.close());
    } catch {
      // No watcher (e.g. the folder vanished): changes from other processes show at the next restart.
      this.watcher = undefined;
    }
  }

  close(): void {
    this.cached = undefined;
    clearTimeout(this.debounce);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private checkExternal(): void {
    this.cached = undefined;
    let now = readText(this.file);
    if (now === this.known) return;
    const check = this.seal?.verify();
    if (check?.kind === 'tampered') {
      // Put back (or, seal-less, left for the folder and rule guards): either way not a change of ours.
      now = readText(this.file);
      this.known = now;
      this.emit('refused');
      return;
    }
    this.known = now;
    this.emit('external');
  }

  private write(key: Exclude<SettingsChange, 'external' | 'refused'>, value: unknown): void {
    // Seal what conf is about to write (its format: the whole store, tab-indented), so a crash
    // between the two completes the change at the next start instead of reading as tampering.
    const expected = this.seal ? JSON.stringify({ ...this.store.store, [key]: value }, undefined, '\t') : undefined;
    if (expected !== undefined) this.seal?.seal(expected);
    this.cached = undefined;
    this.store.set(key, value);
    const written = readText(this.file);
    if (written !== undefined && written !== expected) this.seal?.seal(written);
    if (this.watcher) this.known = written;
    this.emit(key);
  }

  private emit(change: SettingsChange): void {
    for (const l of [...this.listeners]) l(change);
  }

  /** One stored value: from the cached store while the file is watched (a change drops the cache
   *  before its listeners run), else read afresh. */
  private get(key: string): unknown {
    if (!this.watcher) return this.store.get(key);
    this.cached ??= this.store.store;
    return this.cached[key];
  }

  private number(key: keyof Settings, fallback: number): number {
    const v = this.get(key);
    return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
  }
}
