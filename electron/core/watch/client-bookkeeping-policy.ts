// Claude Code's own files in the home folder, as the file watcher must see them: its bookkeeping
// (written by Claude Code on every session and turn: not the agent's work, never an out-of-scope
// alert, not listed in run manifests) versus its configuration (what the agent runs or is told:
// a change there is a high-severity alert). Pure: paths must already be canonical, and the caller
// resolves the layout's folders (a ~/.claude that is a link to a dotfiles folder is matched at its
// target). Matching is by whole path components with the volume's case and Unicode rules, so
// `~/.claude/sessions-evil/x` is not `~/.claude/sessions/…`.
//
// This is about the file watcher only. A tool call the agent makes (Write, Edit, Bash…) that names a
// path here is decided by the scope policy as before (`~/.claude/settings*.json` and `~/.claude.json`
// are protected paths there: scope/forbidden-paths.ts).
//
// Source: Claude Code's documentation of the ~/.claude directory, "Explore the .claude directory"
// (https://code.claude.com/docs/en/claude-directory): ~/.claude holds the files a person authors —
// CLAUDE.md, settings.json, rules/, skills/, commands/, agents/, output-styles/ — plus "data Claude
// Code writes as you work: transcripts, prompt history, file snapshots, caches, and logs"; installed
// plugins live in ~/.claude/plugins ("cloned marketplaces, installed plugin versions, and per-plugin
// data, managed by claude plugin commands"). Names the page does not list come from Claude Code's
// issue tracker: `sessions/<pid>.json` is its live-session registry since 2.1.181, removed on a clean
// exit (anthropics/claude-code#69364); `~/.claude.json` is rewritten by every session (tool usage,
// project state), backed up as `~/.claude.json.backup*`, `~/.claude/backups/` and
// `~/.claude.json.corrupted.*` (anthropics/claude-code#29140, #28829). CLAUDE_CONFIG_DIR (which moves
// all of this) is not followed: it is Claude Code's environment, not the companion's.
//
// What is what in plugins/: `cache/` holds the installed plugin versions, i.e. the code Claude Code
// runs for an enabled plugin (its hooks, MCP servers, commands), and `installed_plugins.json` /
// `known_marketplaces.json` say which plugin code is loaded from where; Claude Code writes them only
// when a plugin is installed or updated, so they are configuration. `marketplaces/` (catalogs cloned
// and refreshed by auto-update), `data/` (the plugins' own runtime data) and `store/` (seen written by
// every session of 2.1.332) are bookkeeping. Whether a plugin is enabled is `enabledPlugins` in
// settings.json, itself protected.
//
// Honest limit: `~/.claude.json` also holds the user's MCP servers, so a command a person approved
// that adds one there is not alerted by the watcher (the agent's own file tools are still denied it).
import { posix, win32 } from 'node:path';
import { comparisonKey, isWithin, type VolumeRules } from '../paths/index.js';

/** Where Claude Code keeps its files, canonical (the caller resolves links). */
export interface ClientLayout {
  /** The home folder: `~/.claude.json` and its backups are in it. */
  home: string;
  /** `~/.claude`, resolved. */
  configDir: string;
  /** `~/.claude.json`, resolved (its backups sit beside it too). */
  stateFile: string;
  volume: VolumeRules;
}

export type ClientFile =
  | { kind: 'bookkeeping'; area: string }
  | { kind: 'protected'; area: string; reason: string }
  | { kind: 'other' };

/** Folders of ~/.claude that Claude Code writes as it works: transcripts, registries, caches, logs. */
export const BOOKKEEPING_DIRS: readonly string[] = [
  'sessions', // live-session registry, one <pid>.json per running session
  'projects', // transcripts (*.jsonl), subagent transcripts, tool results, auto memory
  'todos',
  'tasks',
  'shell-snapshots',
  'session-env',
  'file-history', // checkpoints of edited files
  'plans', // plan-mode documents
  'paste-cache',
  'image-cache',
  'debug',
  'logs',
  'statsig', // feature-flag cache
  'telemetry',
  'ide', // IDE integration lock files
  'cache',
  'backups', // backups of ~/.claude.json
  // Seen with CLI 2.1.332 when Bash runs in its sandbox (and for background sessions):
  'daemon', // the background-session daemon's roster and sockets
  'child-logs', // logs of the processes it starts
  'bridge-spawn', // its spawn bridge's state
  '.cc-writes', // its own record of the files it writes
];

/** Files at the top of ~/.claude that Claude Code rewrites as it works. */
export const BOOKKEEPING_FILES: readonly string[] = ['history.jsonl', 'stats-cache.json', 'mcp-needs-auth-cache.json', '.last-cleanup'];

/** Folders of ~/.claude/plugins that are bookkeeping (the rest of plugins/ is configuration or unknown). */
export const PLUGIN_BOOKKEEPING_DIRS: readonly string[] = ['marketplaces', 'data', 'store'];

/** The busiest bookkeeping folders: not even watched (watch-plan-policy's default exclusions). */
export const UNWATCHED_BOOKKEEPING_DIRS: readonly string[] = ['projects', 'todos', 'shell-snapshots', 'statsig'];

const CONFIG_REASON = "Claude Code's own configuration: it changes what the agent runs or is told";

/** Configuration at the top of ~/.claude: files, and folders (whole depth). */
const PROTECTED_FILES: readonly string[] = ['settings.json', 'settings.local.json', 'CLAUDE.md'];
const PROTECTED_DIRS: readonly string[] = ['hooks', 'agents', 'commands', 'skills', 'rules', 'output-styles'];
const PROTECTED_PLUGIN_FILES: readonly string[] = ['installed_plugins.json', 'known_marketplaces.json'];
const PROTECTED_PLUGIN_DIRS: readonly string[] = ['cache'];

/** Suffixes Claude Code's atomic writes, locks and backups add to a file name. */
const WRITE_SUFFIX = /^\.(tmp|lock|backup|bak|corrupted)(?:[.\-_][^\\/]*)?$/;

/** The components of `path` below `base` in comparison form (empty: `path` is `base`), or undefined
 *  when it is not inside. */
function below(path: string, base: string, volume: VolumeRules): string[] | undefined {
  if (!isWithin(path, base, volume)) return undefined;
  const sep = volume.windows ? /[\\/]+/ : /\/+/;
  const parts = (x: string): string[] => comparisonKey(x, volume).split(sep).filter((c) => c !== '');
  return parts(path).slice(parts(base).length);
}

/** Is `name` the file `base`, or `base` with a temp/lock/backup suffix? */
function isFileOrItsCopy(name: string, base: string, volume: VolumeRules): boolean {
  const n = comparisonKey(name, volume);
  const b = comparisonKey(base, volume);
  return n === b || (n.startsWith(b) && WRITE_SUFFIX.test(n.slice(b.length)));
}

const oneOf = (name: string | undefined, list: readonly string[], volume: VolumeRules): boolean =>
  name !== undefined && list.some((x) => comparisonKey(x, volume) === comparisonKey(name, volume));

/** What a canonical path is to Claude Code: its bookkeeping, its configuration, or neither. */
export function classifyClientFile(path: string, layout: ClientLayout): ClientFile {
  const { volume } = layout;
  const p = volume.windows ? win32 : posix;
  const inConfig = below(path, layout.configDir, volume);
  if (inConfig) {
    const [first, second] = inConfig;
    // The folders themselves (Claude Code makes ~/.claude and ~/.claude/plugins at its first start): a
    // folder holds nothing; what goes into it is judged on its own.
    if (first === undefined) return { kind: 'bookkeeping', area: '.claude' };
    const only = inConfig.length === 1;
    if (only && PROTECTED_FILES.some((f) => isFileOrItsCopy(first, f, volume))) return { kind: 'protected', area: first, reason: CONFIG_REASON };
    if (oneOf(first, PROTECTED_DIRS, volume)) return { kind: 'protected', area: first, reason: CONFIG_REASON };
    if (oneOf(first, ['plugins'], volume)) {
      if (second === undefined) return { kind: 'bookkeeping', area: 'plugins' };
      const area = `plugins/${second}`;
      if (inConfig.length === 2 && PROTECTED_PLUGIN_FILES.some((f) => isFileOrItsCopy(second, f, volume))) return { kind: 'protected', area, reason: CONFIG_REASON };
      if (oneOf(second, PROTECTED_PLUGIN_DIRS, volume)) return { kind: 'protected', area, reason: CONFIG_REASON };
      if (oneOf(second, PLUGIN_BOOKKEEPING_DIRS, volume)) return { kind: 'bookkeeping', area };
      return { kind: 'other' };
    }
    if (oneOf(first, BOOKKEEPING_DIRS, volume)) return { kind: 'bookkeeping', area: first };
    if (only && BOOKKEEPING_FILES.some((f) => isFileOrItsCopy(first, f, volume))) return { kind: 'bookkeeping', area: first };
    return { kind: 'other' };
  }
  // ~/.claude.json and its copies, beside it (in the home folder, and where a link points).
  const key = (x: string): string => comparisonKey(x, volume);
  const dir = key(p.dirname(path));
  const name = p.basename(path);
  for (const state of [p.join(layout.home, '.claude.json'), layout.stateFile]) {
    if (dir === key(p.dirname(state)) && isFileOrItsCopy(name, p.basename(state), volume)) return { kind: 'bookkeeping', area: '.claude.json' };
  }
  return { kind: 'other' };
}

/** A change is Claude Code's bookkeeping when every path it names is (a rename out of or into
 *  anything else is not). */
export function isClientBookkeeping(paths: readonly string[], layout: ClientLayout): boolean {
  return paths.length > 0 && paths.every((x) => classifyClientFile(x, layout).kind === 'bookkeeping');
}
