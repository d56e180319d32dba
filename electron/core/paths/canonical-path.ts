// One entry point for canonicalisation on every OS: POSIX walker on macOS/Linux; on Windows, the
// spelling is normalised first and the OS is asked for the final path of the part that exists.
import { existsSync, realpathSync } from 'node:fs';
import { win32 } from 'node:path';
import { canonicalizePosix, validatePathInput, type CanonicalPath, type FsProbe, realFs } from './path-canonicalizer.js';
import { normalizeWindowsPath } from './windows-path-policy.js';

export type Canonicalize = (input: unknown, base?: string) => CanonicalPath;

export function canonicalizerFor(platform: NodeJS.Platform, fs: FsProbe = realFs): Canonicalize {
  if (platform !== 'win32') return (input, base) => canonicalizePosix(input, base, fs);
  return (input, base) => {
    const invalid = validatePathInput(input);
    if (invalid) return { ok: false, reason: invalid };
    const raw = input as string;
    const joined = /^([a-zA-Z]:[\\/]|\\\\)/.test(raw) || !base ? raw : win32.join(base, raw);
    const n = normalizeWindowsPath(joined);
    if (!n.ok) return n;
    // Deepest existing ancestor through the OS (expands 8.3 names and follows links/junctions).
    let head = n.path;
    const tail: string[] = [];
    while (!existsSync(head)) {
      const parent = win32.dirname(head);
      if (parent === head) break;
      tail.unshift(win32.basename(head));
      head = parent;
    }
    try {
      const real = realpathSync.native(head);
      const again = normalizeWindowsPath(real);
      if (!again.ok) return again;
      return { ok: true, path: win32.join(again.path, ...tail), exists: tail.length === 0, hardLinked: false, isDirectory: false };
    } catch (error) {
      return { ok: false, reason: `cannot check "${head}" (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
    }
  };
}
