// Shares wide enough that a person must confirm what they grant before an agent gets them: the top
// of a disk, the folder holding everyone's home folders, the person's own home (or a folder around
// it), an operating-system folder, or any folder with a protected location inside. Pure: the path,
// the home and the forbidden entries' canonical forms come from the scope service.
import type { BroadShare, ScopeMode } from '../../../shared/scope-contract.js';
import { isWithin, type VolumeRules } from '../paths/index.js';
import type { ForbiddenEntry } from './forbidden-paths.js';

export interface BroadShareContext {
  /** The person's home folder, canonical. */
  home: string;
  volume: VolumeRules;
  /** Built-in and managed forbidden entries (with `canonical` when known). */
  forbidden: readonly ForbiddenEntry[];
}

// Folders whose whole subtree belongs to the operating system, and folders that are system folders
// themselves while people keep their own work below them (/var/www, /opt/tool, /usr/local/src).
// macOS spells /etc and /var as /private/etc and /private/var once canonical.
const POSIX_SYSTEM_TREES = ['/etc', '/private/etc', '/bin', '/sbin', '/boot', '/lib', '/lib32', '/lib64', '/libx32', '/usr', '/proc', '/sys', '/dev', '/System'];
const POSIX_SYSTEM_FOLDERS = ['/var', '/private/var', '/private', '/opt', '/usr/local', '/srv', '/run', '/snap', '/nix', '/Library', '/Applications'];
/** /var/home is where Fedora Atomic (Silverblue) keeps home folders (/home links to it). */
const POSIX_HOMES = ['/home', '/Users', '/var/home'];
const WINDOWS_SYSTEM_TREES = ['Windows', 'Program Files', 'Program Files (x86)'];
const WINDOWS_SYSTEM_FOLDERS = ['ProgramData'];
const WINDOWS_HOMES = ['Users', 'Documents and Settings'];

const WINDOWS_ROOT = /^(?:[a-z]:\\?|\\\\[^\\]+\\[^\\]+\\?)$/i;

function same(a: string, b: string, volume: VolumeRules): boolean {
  return isWithin(a, b, volume) && isWithin(b, a, volume);
}

/** The system and home folders on the path's own drive (Windows) or of the machine (POSIX). */
function knownFolders(path: string, volume: VolumeRules): { trees: string[]; folders: string[]; homes: string[] } {
  if (!volume.windows) return { trees: POSIX_SYSTEM_TREES, folders: POSIX_SYSTEM_FOLDERS, homes: POSIX_HOMES };
  const drive = /^[a-z]:\\/i.exec(path)?.[0];
  if (!drive) return { trees: [], folders: [], homes: [] };
  const on = (names: string[]) => names.map((n) => drive + n);
  return { trees: on(WINDOWS_SYSTEM_TREES), folders: on(WINDOWS_SYSTEM_FOLDERS), homes: on(WINDOWS_HOMES) };
}

function isSystemFolder(path: string, volume: VolumeRules): boolean {
  const { trees, folders } = knownFolders(path, volume);
  // /usr/local is the machine's own software, but what people keep below it is theirs.
  const inTree = trees.some((t) => isWithin(path, t, volume)) && !(!volume.windows && isWithin(path, '/usr/local', volume) && !same(path, '/usr/local', volume));
  return inTree || folders.some((f) => same(path, f, volume));
}

/** The protected locations strictly inside `path` (one at or above it is refused, not confirmed). */
function protectedInside(path: string, ctx: BroadShareContext): BroadShare['protectedInside'] {
  const seen = new Set<string>();
  const out: BroadShare['protectedInside'] = [];
  for (const f of ctx.forbidden) {
    const forms = f.canonical && f.canonical !== f.path ? [f.path, f.canonical] : [f.path];
    if (seen.has(f.path) || !forms.some((form) => isWithin(form, path, ctx.volume) && !same(form, path, ctx.volume))) continue;
    seen.add(f.path);
    out.push({ path: f.canonical ?? f.path, reason: f.reason });
  }
  return out;
}

/** Whether sharing the canonical folder `path` is broad, and why (the widest reason first). */
export function classifyBroadShare(path: string, ctx: BroadShareContext): BroadShare | undefined {
  const { volume } = ctx;
  const inside = protectedInside(path, ctx);
  const isRoot = volume.windows ? WINDOWS_ROOT.test(path) : path === '/';
  const kind: BroadShare['kind'] | undefined = isRoot
    ? 'root'
    : knownFolders(path, volume).homes.some((h) => same(path, h, volume))
      ? 'homes'
      : isWithin(ctx.home, path, volume)
        ? 'home'
        : isSystemFolder(path, volume)
          ? 'system'
          : inside.length > 0
            ? 'protected-inside'
            : undefined;
  return kind ? { kind, protectedInside: inside } : undefined;
}

const REACH: Record<BroadShare['kind'], string> = {
  root: 'it is the top of the disk: the agent could {verb} every file on this computer that you can open',
  homes: "it holds the home folders of this computer's users: the agent could {verb} every file in them that you can open",
  home: 'it is (or contains) your home folder: the agent could {verb} every file in it, including your documents, your other projects and the settings of your shell and tools',
  system: 'it is an operating-system folder: the agent could {verb} system files and settings that affect the whole computer',
  'protected-inside': 'protected locations are inside it; they stay blocked, but the agent could {verb} everything around them',
};

/** One English sentence for the command line and error messages (the UI words it in each language). */
export function describeBroadShare(path: string, broad: BroadShare, mode: ScopeMode): string {
  const verb = mode === 'read-write' ? 'read and change' : 'read';
  const list = broad.protectedInside.slice(0, 4).map((p) => `${p.path} — ${p.reason}`);
  const more = broad.protectedInside.length > list.length ? `; and ${broad.protectedInside.length - list.length} more` : '';
  const lead = broad.kind === 'protected-inside' ? 'They are' : 'Protected locations inside it stay blocked';
  const protectedNote = list.length ? ` ${lead}: ${list.join('; ')}${more}.` : '';
  return `Sharing ${path} is broad: ${REACH[broad.kind].replace('{verb}', verb)}.${protectedNote}`;
}
